"""Help → What changed in this content version: the change record, in plain words."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from referral_app.db.reference import ReferenceStore
from referral_app.services.changes import releases_since
from referral_app.ui.widgets.change_notes import changes_html
from referral_app.ui.window_state import fit_to_screen


class ChangesDialog(QDialog):
    def __init__(self, store: ReferenceStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        version = store.meta.get("data_version", "?")
        self.setWindowTitle(f"What changed in content version {version}")
        fit_to_screen(self, 760, 600)
        self.view = QTextBrowser(self)
        self.view.setAccessibleName("What changed")
        self.view.setOpenExternalLinks(False)
        self.view.setHtml(changes_html(store, releases_since(store, None)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)

    @classmethod
    def show_for(cls, store: ReferenceStore, parent: QWidget | None = None) -> None:
        dialog = cls(store, parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
