"""Newcomer review 3, points 28 and 29: a ZIP hint only where a spreadsheet could have dropped a
leading 0; the Add form's refusal reads as sentences."""

from __future__ import annotations

from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QApplication, QMessageBox

from referral_app.content.centers import zip_problem
from referral_app.ui.dialogs.center_edit_dialog import CenterEditDialog


def test_zip_hint_only_where_a_leading_zero_could_have_been_dropped() -> None:
    assert "0213" in zip_problem("0213", "US") and "dropped" not in zip_problem("0213", "US")
    assert zip_problem("2134", "US").endswith(
        "(a spreadsheet may have dropped a leading 0: 02134?)"
    )
    assert "00501?" in zip_problem("501", "US")
    assert zip_problem("02134", "US") == ""


def test_add_form_refusal_starts_with_a_capital(qtbot, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    dialog = CenterEditDialog()
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentText("therapist")
    for key, text in (("name", "Ana Gomez"), ("postal_code", "02215"), ("npi", "1234567890")):
        qtbot.keyClicks(dialog.edits[key], text)
    dialog.accept()
    text = QTextDocumentFragment.fromHtml(shown[0]).toPlainText()  # the box's rich text, read
    assert text.startswith("The NPI '1234567890' is not a valid NPI")
    assert all(line[:1].isupper() for line in text.splitlines() if line)


def test_print_preview_opens_readable(qtbot, store, tmp_path, monkeypatch) -> None:
    """Point 30: the preview opened at 40.9 % of a whole page in a ~680×530 window."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget

    from referral_app.db.user import UserStore
    from referral_app.domain.recommend import Screen
    from referral_app.domain.referral import Patient
    from referral_app.printing import output
    from referral_app.services.referrals import build_referral, footer

    seen: dict[str, object] = {}

    def look(dialog: QPrintPreviewDialog) -> int:
        view = dialog.findChild(QPrintPreviewWidget)
        seen.update(size=(dialog.width(), dialog.height()), mode=view.zoomMode())
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", look)
    user = UserStore.open(tmp_path / "user.db")
    built = build_referral(
        store,
        user,
        store.get_condition("neck-pain"),
        store.get_center("dana-farber-zakim"),
        Screen.none_found(store.flags()),
        Patient(),
    )
    output.preview(None, built.html, built.css, footer(store))
    free = QApplication.primaryScreen().availableGeometry()
    assert seen["mode"] == QPrintPreviewWidget.ZoomMode.FitToWidth
    assert seen["size"] == (min(1000, free.width()), free.height() - 40)


def test_network_window_says_what_an_empty_list_means_and_confirms_an_export(
    qtbot, tmp_path, monkeypatch
) -> None:
    """Point 27: an empty list had no hint, Distance and Why were always empty there, an export
    said nothing."""
    from PySide6.QtWidgets import QFileDialog

    from referral_app.db.user import UserStore
    from referral_app.ui.dialogs.network_dialog import EMPTY_HINT, NetworkDialog
    from referral_app.ui.models.center_table_model import COL_DISTANCE, COL_PHONE, COL_WHY

    user = UserStore.open(tmp_path / "user.db")
    dialog = NetworkDialog(user)
    qtbot.addWidget(dialog)
    assert dialog.import_note.text() == EMPTY_HINT
    assert dialog.table.isColumnHidden(COL_DISTANCE) and dialog.table.isColumnHidden(COL_WHY)
    assert not dialog.table.isColumnHidden(COL_PHONE)
    target = tmp_path / "local.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.export_csv()
    assert target.is_file() and dialog.import_note.text() == f"Exported 0 row(s) to {target}."
