"""The level colours, for the models and the widgets alike (no widget code here)."""

from __future__ import annotations

# Background colors with black text: contrast >= 7:1 for each.
EVIDENCE_COLORS = {
    "moderate": "#9fe0a8",
    "low": "#cfe8ff",
    "very_low": "#ffe3a3",
    "no_effect": "#e6e6e6",
}
RECOMMENDATION_COLORS = {
    "recommend": "#9fe0a8",
    "consider": "#cfe8ff",
    "insufficient": "#ffe3a3",
    "not_recommended": "#e6e6e6",
    "not_advised": "#ffa64d",
    "defer": "#ffb3b3",
}
