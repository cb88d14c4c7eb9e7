"""The cited 'no evidence that massage spreads cancer' note: on every cancer-related condition card,
and on the therapist sheet when the patient has active cancer."""

from __future__ import annotations

from pathlib import Path

import pytest

from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.entities import ClinicianNote
from referral_app.domain.recommend import Screen
from referral_app.domain.referral import Patient
from referral_app.services.referrals import build_referral
from referral_app.ui.main_window import MainWindow
from referral_app.ui.widgets.condition_card import condition_html


def _note(store: ReferenceStore) -> ClinicianNote:
    note = store.clinician_note("cancer_spread")
    assert note is not None and note.sources and note.conditions
    return note


def test_card_html_shows_a_note_only_for_the_conditions_it_lists(store: ReferenceStore) -> None:
    note = ClinicianNote("n", "Hand-made note text.", ("Src",), ("neck-pain",), True, "A worry?")
    neck, knee = store.get_condition("neck-pain"), store.get_condition("knee-osteoarthritis")
    assert "Hand-made note text." in condition_html(neck, [], None, notes=[note])
    assert "A worry?" in condition_html(neck, [], None, notes=[note])
    assert "Hand-made note text." not in condition_html(knee, [], None, notes=[note])


def test_every_cancer_related_card_in_the_app_shows_the_note(qtbot, store, tmp_path: Path) -> None:
    note = _note(store)
    window = MainWindow(store, UserStore.open(tmp_path / "user.db"))
    qtbot.addWidget(window)
    cancer = [
        c for c in store.condition_ids() if store.get_condition(c).category == "oncology_palliative"
    ]
    assert set(cancer) <= set(note.conditions)
    for cid in note.conditions:
        window.open_condition(cid)
        text = window.card.toPlainText()
        assert note.title in text and note.text[:60] in text, cid
        assert all(key in text for key in note.sources), cid
    window.open_condition("knee-osteoarthritis")
    assert note.title not in window.card.toPlainText()


def _therapist_html(store: ReferenceStore, tmp_path: Path, cid: str, flags: list[str]) -> str:
    built = build_referral(
        store,
        UserStore.open(tmp_path / "user.db"),
        store.get_condition(cid),
        store.get_center("ucsf-osher"),
        Screen.with_present(store.flags(), flags),
        Patient(),
        "en",
        ("therapist",),
    )
    return built.parts[0][1]


@pytest.mark.parametrize(("flags", "shown"), [([], False), (["active_cancer_treatment"], True)])
def test_therapist_sheet_shows_the_note_when_active_cancer_is_answered_yes(
    store: ReferenceStore, tmp_path: Path, flags: list[str], shown: bool
) -> None:
    note = _note(store)
    html = _therapist_html(store, tmp_path, "knee-osteoarthritis", flags)
    assert (note.title in html) is shown
