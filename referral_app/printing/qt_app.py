"""A Qt application for printing from the command line (offscreen unless told otherwise)."""

from __future__ import annotations

import os

from PySide6.QtGui import QGuiApplication


def ensure_gui_app() -> QGuiApplication:
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):  # none yet (the app never makes a QCoreApplication)
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(["referral-guide"])
    return app
