"""The main window's actions, each defined once and created in one call (Picard's
ui/mainwindow/actions.py): its name, menu text, shortcuts and status tip. The menu bar places
them (ui/menu_bar.py); the window connects them to what they do.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QObject
    from PySide6.QtGui import QAction


class MainAction(StrEnum):
    NEW_PATIENT = "new_patient"
    REFER = "refer"
    SETTINGS = "settings"
    CLINIC_DB = "clinic_db"
    QUIT = "quit"
    UNDO_SCREENING = "undo_screening"
    COPY_CHART_NOTE = "copy_chart_note"
    NETWORK = "network"
    LOG = "log"
    QUICK_START = "quick_start"
    SHORTCUTS = "shortcuts"
    METHOD = "method"
    CHANGES = "changes"
    UPDATE_CONTENT = "update_content"
    ABOUT = "about"


# What needs the clinic's database: disabled while the window is read-only.
NEEDS_CLINIC = (MainAction.REFER, MainAction.SETTINGS, MainAction.NETWORK, MainAction.LOG)


def create_actions(parent: QObject) -> dict[MainAction, QAction]:
    """Every action of the main window, in menu order (after the first paint at start-up)."""
    from PySide6.QtGui import QAction, QKeySequence

    from referral_app.ui.qt_names import key_sequence

    key = QKeySequence.StandardKey
    # name: (text, shortcuts (a StandardKey stands for its first binding), status tip)
    specs: dict[MainAction, tuple[str, list[str | QKeySequence.StandardKey], str]] = {
        MainAction.NEW_PATIENT: ("&New patient", [key.New], "Clear the screen and patient details"),
        MainAction.REFER: (
            "&Refer and print…",
            ["Ctrl+R", key.Print],  # one entry for one action (Ctrl+P does the same)
            "Choose a center and print the referral",
        ),
        # Preferences has no binding on X11 or Windows: Ctrl+, there too (Cmd+, on macOS)
        MainAction.SETTINGS: ("&Settings…", [key.Preferences, "Ctrl+,"], ""),
        MainAction.CLINIC_DB: (
            "Clinic &database…",
            [],
            "This computer only, or the clinic's shared database",
        ),
        MainAction.QUIT: ("&Quit", [key.Quit], ""),
        MainAction.UNDO_SCREENING: ("&Undo screening change", [key.Undo], ""),
        MainAction.COPY_CHART_NOTE: ("Copy as &chart note", ["Ctrl+Shift+C"], ""),
        MainAction.NETWORK: ("Referral &network…", [], ""),
        MainAction.LOG: ("Referral &log…", [], ""),
        MainAction.QUICK_START: ("&Quick start", [], ""),
        MainAction.SHORTCUTS: ("&Keyboard shortcuts", [], ""),
        MainAction.METHOD: ("Evidence scale and &method", [], ""),
        MainAction.CHANGES: ("What &changed in this content version", [], ""),
        MainAction.UPDATE_CONTENT: (
            "&Update content…",
            [],
            "Install a signed content pack, or roll back",
        ),
        MainAction.ABOUT: ("&About", [], ""),
    }
    actions: dict[MainAction, QAction] = {}
    for name, (text, shortcuts, tip) in specs.items():
        action = QAction(parent)  # (text, parent) would create QIcon's ~20 enums to resolve
        action.setText(text)
        sequences = [key_sequence(keys) for keys in shortcuts]
        unique = [seq for i, seq in enumerate(sequences) if seq not in sequences[:i]]
        action.setShortcuts([seq for seq in unique if not seq.isEmpty()])  # none on a platform
        if tip:
            action.setStatusTip(tip)
        actions[name] = action
    return actions
