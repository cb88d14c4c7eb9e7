"""The Qt desktop app: window, referral flow, models, widgets, dialogs."""
