"""The therapist sheet requests only a service the center lists (directory review 3 / issue 22):
a need the center does not list is said as such, not requested."""

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

pytestmark = pytest.mark.usefixtures("qapp")


def _sheet(store: ReferenceStore, tmp_path: Path, condition: str, center_id: str, **change) -> str:
    center = replace(store.get_center(center_id), **change)
    built = build_referral(
        store,
        UserStore.open(tmp_path / "user.db"),
        store.get_condition(condition),
        center,
        Screen.with_present(store.flags(), []),
        Patient("", ""),
        "en",
        parts=("therapist",),
    )
    page = " ".join(text for _part, text in built.parts)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_a_center_that_lists_the_need_gets_it_requested(store, tmp_path) -> None:
    text = _sheet(store, tmp_path, "cancer-related-pain", "mdanderson-integrative")
    assert "Service requested: Oncology massage" in text
    assert "does not list" not in text


def test_a_center_that_does_not_list_it_is_not_asked_for_it(store, tmp_path) -> None:
    mayo = store.get_center("mayo-rochester")
    assert "oncology_massage" not in mayo.services and mayo.services
    text = _sheet(store, tmp_path, "cancer-related-pain", mayo.id)
    assert "Service requested: Oncology massage" not in text
    assert "Service requested: Massage therapy" in text
    assert "This center does not list oncology massage, which this patient needs" in text


def test_an_entry_that_lists_no_service_is_asked_for_what_is_needed(store, tmp_path) -> None:
    text = _sheet(store, tmp_path, "cancer-related-pain", "mayo-rochester", services=())
    assert "Service requested: Oncology massage" in text and "does not list" not in text


def test_the_sheet_says_who_may_book(store, tmp_path) -> None:
    text = _sheet(store, tmp_path, "cancer-related-pain", "mdanderson-integrative")
    assert (
        "Who may book: for University of Texas MD Anderson Cancer Center patients only: "
        "ask their oncologist there for an order" in text
    )
    open_program = _sheet(store, tmp_path, "chronic-low-back-pain", "msk-integrative-medicine")
    assert "Who may book" not in open_program
