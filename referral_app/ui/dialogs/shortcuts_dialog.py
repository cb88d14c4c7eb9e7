"""Help → Keyboard shortcuts: every shortcut of the main window, in one box."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

SHORTCUTS = (
    ("Ctrl+K or Ctrl+F", "Go to the search box"),
    ("Up / Down", "Move through the results while typing"),
    ("Enter or a single click", "Open the condition"),
    ("Tab / Shift+Tab", "Move between the results, the filters, the card, the screen and Refer"),
    ("Right / Left (on the card)", "Next / previous link; Enter opens it"),
    ("Alt+Y / Alt+D", "The body-system / evidence filter"),
    ("Ctrl+N", "New patient: clear the screen, patient details and recommendation"),
    ("Ctrl+Z", "Undo the last screening change"),
    ("Alt+N", "Nothing else found: the unanswered questions become No"),
    ("Ctrl+R", "Refer: choose a center and print the referral"),
    ("Ctrl+Shift+C", "Copy as chart note"),
    ("Ctrl+,", "Settings"),
    ("Ctrl++ / Ctrl+- / Ctrl+0", "Larger / smaller / default text"),
    ("Ctrl+Q", "Quit"),
)


def show_shortcuts(parent: QWidget) -> None:
    rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in SHORTCUTS)
    box = QMessageBox(
        QMessageBox.Icon.NoIcon,
        "Keyboard shortcuts",
        f"<table cellpadding='3'>{rows}</table>",
        QMessageBox.StandardButton.Close,
        parent,
    )
    try:
        box.exec()
    finally:
        box.deleteLater()
