"""The patient handout asks the patient to call first only beside a printed phone; without one it
points to the center's website, or to the clinic (issue 22, "The data")."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

import pytest

from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.recommend import Screen
from referral_app.domain.referral import Patient
from referral_app.services.referrals import build_referral


def _handout(store: ReferenceStore, tmp_path: Path, center_id: str, lang: str, **change) -> str:
    center = replace(store.get_center(center_id), **change)
    built = build_referral(
        store,
        UserStore.open(tmp_path / "user.db"),
        store.get_condition("neck-pain"),
        center,
        Screen.with_present(store.flags(), []),
        Patient("", ""),
        lang,
        parts=("patient",),
    )
    page = " ".join(text for _part, text in built.parts)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.mark.usefixtures("qapp")
def test_no_phone_points_to_the_website_not_to_a_call(store, tmp_path) -> None:
    center = store.get_center("dana-farber-zakim")
    assert not center.phone and center.website
    text = _handout(store, tmp_path, center.id, "en")
    assert "Please call first" not in text
    assert f"Find the current phone number on {center.website} before you go" in text
    spanish = _handout(store, tmp_path, center.id, "es")
    assert (
        "llame primero" not in spanish
        and f"Busque el número de teléfono actual en {center.website}" in spanish
    )


@pytest.mark.usefixtures("qapp")
def test_no_phone_and_no_website_sends_the_patient_to_the_clinic(store, tmp_path) -> None:
    text = _handout(store, tmp_path, "dana-farber-zakim", "en", website="")
    assert "Please call first" not in text
    assert "Ask your clinic how to reach this center" in text


@pytest.mark.usefixtures("qapp")
def test_a_printed_unconfirmed_phone_still_says_call_first(store, tmp_path) -> None:
    swedish = store.get_center("swedish-cancer-institute-massage")
    assert swedish.phone and not swedish.verified
    text = _handout(store, tmp_path, swedish.id, "en")
    assert "Please call first" in text and swedish.phone in text
    assert "Find the current phone number" not in text
