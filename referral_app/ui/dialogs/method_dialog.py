"""Help → Evidence scale and method: the method page and the scale, viewable and printable."""

from __future__ import annotations

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from referral_app import paths
from referral_app.db.reference import ReferenceStore
from referral_app.ui.widgets.evidence_scale import claims_html, scale_html
from referral_app.ui.widgets.plain_words import for_clinicians
from referral_app.ui.window_state import fit_to_screen


class MethodDialog(QDialog):
    def __init__(self, store: ReferenceStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Evidence scale and method")
        fit_to_screen(self, 820, 700)
        self.scale_view = QTextBrowser(self)
        self.scale_view.setAccessibleName("Evidence scale")
        self.scale_view.setHtml(
            scale_html(
                store.evidence_levels(),
                store.recommendation_levels(),
                store.cross_cutting(),
                store.meta.get("data_version", "?"),
            )
        )
        self.method_view = QTextBrowser(self)
        self.method_view.setAccessibleName("Method")
        self.method_view.setMarkdown(for_clinicians(paths.method_doc().read_text(encoding="utf-8")))
        self.claims_view = QTextBrowser(self)
        self.claims_view.setAccessibleName("Popular claims")
        self.claims_view.setHtml(claims_html(store.claims()))
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.scale_view, "Evidence scale")
        self.tabs.addTab(self.method_view, "Method and intended use")
        self.tabs.addTab(self.claims_view, "Popular claims")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.print_button = buttons.addButton("Print…", QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self._on_print_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def current_view(self) -> QTextBrowser:
        return (self.scale_view, self.method_view, self.claims_view)[self.tabs.currentIndex()]

    def _on_print_clicked(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
            self.current_view().document().print_(printer)

    @classmethod
    def show_for(cls, store: ReferenceStore, parent: QWidget | None = None) -> None:
        dialog = cls(store, parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
