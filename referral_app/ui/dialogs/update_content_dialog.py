"""Help → Update content…: install a signed content pack, or roll back (services.content_packs)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from referral_app import paths
from referral_app.services import content_in_use, content_packs
from referral_app.services.content_in_use import ActiveContent
from referral_app.services.content_pack_file import NotNewerPackError, PackError
from referral_app.services.errors import InputError

RESTART = "Restart the app to use it."
ALLOW_OLDER = "Allow the same or an older version than the one in use (logged)"


class UpdateContentDialog(QDialog):
    """Shows the content in use; installs a pack from a file; rolls back. Errors: one message."""

    content_changed = Signal(str)  # the new content's label
    install_done = Signal(bool)  # an install ended: True when the pack is now in use

    def __init__(self, bundled: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Update content")
        self.bundled = bundled or paths.reference_db()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.allow_older = QCheckBox(ALLOW_OLDER, self)
        self.install_button = QPushButton("&Install content pack…", self)
        self.rollback_button = QPushButton("&Roll back", self)
        self.install_button.clicked.connect(self.choose_pack)
        self.rollback_button.clicked.connect(self.rollback)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.allow_older)
        layout.addWidget(self.install_button)
        layout.addWidget(self.rollback_button)
        layout.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        from referral_app.services.content_in_use import signed_by
        from referral_app.services.signing import updates_off_reason

        content = content_in_use.active_content(self.bundled)
        state = content_in_use.read_state()
        off = updates_off_reason()
        lines = [f"In use: {content.label}, signed by {signed_by(content)}."]
        if content.note:
            lines.append(f"Note: {content.note}.")
        if state["active"]:
            back = state["previous"][-1]["dir"] if state["previous"] else "the bundled content"
            lines.append(f"Roll back goes to {back}.")
        if off:
            lines.append(f"{off[0].upper()}{off[1:]}. Ask your IT department for a release build.")
        else:
            lines.append(
                "Content packs are .rgpack files your IT department provides; each is checked "
                "against the keys this app trusts before it is installed."
            )
        self.status.setText("\n".join(lines))
        self.install_button.setEnabled(not off)
        self.allow_older.setEnabled(not off)
        self.rollback_button.setEnabled(bool(state["active"]))

    @Slot()
    def choose_pack(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Install content pack", "", "Content packs (*.rgpack)"
        )
        if name:
            self.install(Path(name))

    def install(self, path: Path) -> None:
        """Check and install the pack off the GUI thread (a pack is tens of MB); install_done
        says how it ended, a refusal is one plain message."""
        from referral_app.diagnostics.crash import setup_logging
        from referral_app.ui.worker import BackgroundOp, show_refusal

        setup_logging()
        allow_older = self.allow_older.isChecked()
        self.install_button.setEnabled(False)

        def work(_progress: object, _cancelled: object) -> ActiveContent:
            return content_packs.install(path, self.bundled, allow_older=allow_older)

        def installed(content: ActiveContent) -> None:
            self._changed(f"Installed {content.label}.")
            self.install_done.emit(True)

        def refused(exc: BaseException) -> None:
            self.refresh()
            if isinstance(exc, NotNewerPackError):  # the GUI's way is the tick box, not a flag
                exc = PackError(f"{exc.refusal}: to install it anyway, tick “{ALLOW_OLDER}”.")
            show_refusal(self, "Content not installed", exc)
            self.install_done.emit(False)

        op = BackgroundOp(self, work, installed).failure(refused)
        op.with_progress(f"Checking and installing {path.name}…").run_in_background()

    @Slot()
    def rollback(self) -> None:
        try:
            content = content_packs.rollback(self.bundled)
        except InputError as exc:
            QMessageBox.warning(self, "Roll back", str(exc))
            return
        self._changed(f"Now in use: {content.label}.")

    def _changed(self, what: str) -> None:
        self.refresh()
        self.content_changed.emit(what)
        QMessageBox.information(self, "Update content", f"{what} {RESTART}")
