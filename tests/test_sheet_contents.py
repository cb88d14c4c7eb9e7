"""Issue 15 points 7 and 8, driven through the window: what the therapist sheet and the patient
handout hold, read back from the saved PDF page by page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.recommend import YES
from referral_app.ui.dialogs.referral_dialog import ReferralDialog
from referral_app.ui.main_window import MainWindow
from referral_app.ui.referral_flow import ReferralFlow
from tests.test_clinician_flow import PRACTICE, _open, _refer


@pytest.fixture()
def clinic(qtbot, store: ReferenceStore, tmp_path: Path) -> MainWindow:
    """The main window on a clinic database with the practice filled in."""
    user = UserStore.open(tmp_path / "userdata" / "user.db")
    user.set_practice(PRACTICE)
    win = MainWindow(store, user)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def _pages(path: Path) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(path).pages]


def _screen_clbp(qtbot, window: MainWindow) -> None:
    _open(qtbot, window, "chronic low back")
    window.screening.set_answer("anticoagulant", YES)
    window.screening.fill_unanswered()
    window.screening.set_answer("pregnancy", "not_asked")


def test_therapist_sheet_holds_orders_negatives_and_full_references(
    qtbot, clinic: MainWindow, store: ReferenceStore, tmp_path, monkeypatch
) -> None:
    window = clinic
    out = tmp_path / "therapist.pdf"
    monkeypatch.setattr(ReferralFlow, "ask_pdf_path", lambda self, number: out)
    _screen_clbp(qtbot, window)

    def fill(dialog: ReferralDialog) -> None:
        dialog.parts["patient"].setChecked(False)  # the therapist's pages only
        typed = (
            ("medications", "apixaban 5 mg twice daily"),
            ("goals", "walk 30 min"),
            ("sessions", "8"),
            ("treat", "lower back"),
            ("avoid", "left calf"),
        )
        for key, text in typed:
            qtbot.keyClicks(dialog.orders[key], text)
        qtbot.keyClicks(dialog.note, "Prefers mornings")

    _refer(qtbot, window, fill, answer="keep")
    text = " ".join(_pages(out))
    for typed in (
        "apixaban 5 mg twice daily",
        "walk 30 min",
        "Sessions authorized 8",
        "lower back",
        "left calf",
        "Prefers mornings",
    ):
        assert typed in text, typed
    assert "Screened, answered no:" in text and "Known or suspected DVT" in text
    # kept with the referral (issue 26): a reprint from the log carries them too
    assert window.user is not None
    kept = window.user.referrals()[0].orders
    assert kept.medications == "apixaban 5 mg twice daily"
    assert (kept.sessions, kept.avoid) == ("8", "left calf")
    assert "Referring practice" not in text and PRACTICE.name in text and PRACTICE.phone in text
    # Only what the therapist must do: the referrer's own checks stay on the screen.
    condition = store.get_condition("chronic-low-back-pain")
    assert condition.before_referral
    for note in condition.before_referral:
        assert note.text[:40] not in text
    assert "Before referring" in window.banner.toPlainText()
    # Full references, numbered, not bare keys.
    assert "References" in text and "[NCCIH" not in text and "[Mayo-" not in text
    cited = store.citations(list(condition.source_keys()))
    assert any(c.citation[:40] in text for c in cited)


def test_handout_language_tailoring_clinic_phone_and_sessions(
    qtbot, clinic: MainWindow, store: ReferenceStore, tmp_path, monkeypatch
) -> None:
    window = clinic
    out = tmp_path / "handout.pdf"
    monkeypatch.setattr(ReferralFlow, "ask_pdf_path", lambda self, number: out)
    _screen_clbp(qtbot, window)
    chosen: list[str] = []

    def fill(dialog: ReferralDialog) -> None:
        dialog.parts["therapist"].setChecked(False)  # the handout only
        qtbot.keyClicks(dialog.language, "Spanish")  # preferred language picks the handout's
        chosen.append(dialog.handout.currentData())

    _refer(qtbot, window, fill, answer="keep")
    assert chosen == ["es"]
    pages = _pages(out)
    text = " ".join(pages)
    assert "Su referencia para masaje terapéutico" in text
    tell = store.guidance()["tell_therapist"]
    about = {f: g for g in tell for f in g.flags}
    assert about["anticoagulant"].text["es"][:40] in text  # answered yes: kept
    assert about["pregnancy"].text["es"][:40] in text  # not asked: kept
    assert about["dvt"].text["es"][:40] not in text  # answered no: left out
    assert "no confirmado" not in text  # no clinician-only notes
    assert PRACTICE.phone in text and PRACTICE.name in text
    assert "alrededor de 1 sesión por semana" in text  # the number of sessions studied
    assert "(es)" not in text
    # No warning item is split across pages.
    for item in store.guidance()["stop_and_call"]:
        words = item.text["es"]
        head, tail = words[:30], words[-30:]
        assert any(head in page and tail in page for page in pages), words


def test_spanish_typed_in_any_common_way_picks_the_spanish_handout(qtbot, store) -> None:
    dialog = ReferralDialog(store.get_center("ucsf-osher"), "Neck pain")
    qtbot.addWidget(dialog)
    for typed, lang in (("Espanol", "es"), ("spanish", "es"), ("English", "en"), ("ES", "es")):
        dialog.language.clear()
        qtbot.keyClicks(dialog.language, typed)
        assert dialog.handout.currentData() == lang, typed
    qtbot.keyClick(dialog.language, Qt.Key.Key_Backspace)


def test_handout_cautions_name_real_flags(store: ReferenceStore) -> None:
    ids = {f.id for f in store.flags()}
    named = {f for g in store.guidance()["tell_therapist"] for f in g.flags}
    assert named and named <= ids, named - ids
