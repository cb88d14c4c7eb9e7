"""Help → Update content…: install a signed pack, refusals as one plain message, roll back."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from referral_app.services import content_in_use
from referral_app.ui.dialogs.update_content_dialog import UpdateContentDialog
from tests.content_pack_helpers import make_pack

pytestmark = pytest.mark.usefixtures("use_reference_db")


@pytest.fixture()
def shown(monkeypatch) -> list[tuple[str, str]]:
    messages: list[tuple[str, str]] = []
    for kind in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, kind, lambda *a, k=kind: messages.append((k, a[2])))
    return messages


def _install(qtbot, dialog: UpdateContentDialog, pack) -> bool:
    """Install off the GUI thread and wait for it to end; True when the pack is in use."""
    with qtbot.waitSignal(dialog.install_done, timeout=30000) as done:
        dialog.install(pack)
        assert not dialog.install_button.isEnabled()  # no second install while one runs
    return done.args[0]


def test_help_menu_offers_update_content(qtbot, store) -> None:
    from referral_app.ui.main_window import MainWindow

    window = MainWindow(store)
    qtbot.addWidget(window)
    texts = [a.text() for menu in window.menuBar().actions() for a in menu.menu().actions()]
    assert "&Update content…" in texts


def test_install_then_roll_back(qtbot, reference_db, tmp_path, shown) -> None:
    dialog = UpdateContentDialog(reference_db)
    qtbot.addWidget(dialog)
    assert not dialog.rollback_button.isEnabled()
    pack = make_pack(reference_db, tmp_path, "2099.9.1")
    with qtbot.waitSignal(dialog.content_changed) as signal:
        assert _install(qtbot, dialog, pack)
    assert "content 2099.9.1, installed" in signal.args[0]
    assert shown[-1][0] == "information" and "Restart the app" in shown[-1][1]
    assert "In use: content 2099.9.1, installed" in dialog.status.text()
    assert dialog.rollback_button.isEnabled()
    dialog.rollback_button.click()
    assert content_in_use.active_content(reference_db).origin == "bundled"
    assert "In use: data " in dialog.status.text()


def test_refusals_are_one_plain_message(qtbot, reference_db, tmp_path, shown) -> None:
    dialog = UpdateContentDialog(reference_db)
    qtbot.addWidget(dialog)
    junk = tmp_path / "junk.rgpack"
    junk.write_bytes(b"PK\x03\x04 not really")
    assert not _install(qtbot, dialog, junk)
    older = make_pack(reference_db, tmp_path, "2000.1.1")
    assert not _install(qtbot, dialog, older)
    assert [k for k, _ in shown] == ["warning", "warning"]
    assert all(len(text.splitlines()) == 1 for _, text in shown)
    assert "older than" in shown[1][1] and "--allow-older" not in shown[1][1]  # GUI words
    assert "tick “Allow the same or an older version" in shown[1][1]
    dialog.allow_older.setChecked(True)
    assert dialog.install_button.isEnabled()  # a refusal leaves the dialog ready again
    assert _install(qtbot, dialog, older)
    assert content_in_use.active_content(reference_db).version == "2000.1.1"
