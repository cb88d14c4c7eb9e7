"""Issue 14 point 2: one draft handed down; a reprint is a copy of what was printed."""

from __future__ import annotations

import json
import re

import pytest
from pypdf import PdfReader

from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.recommend import Screen
from referral_app.domain.referral import PREVIEW_NUMBER, Patient
from referral_app.printing.output import export_pdf
from referral_app.services import referrals
from referral_app.services.recommendation import make_draft
from referral_app.services.referrals import SheetDetails, footer, preview_sheet
from referral_app.services.reprints import reprint


@pytest.fixture()
def user(tmp_path) -> UserStore:
    return UserStore.open(tmp_path / "user.db")


def _text(path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))


def test_the_sheet_uses_the_draft_and_never_recomputes(store: ReferenceStore, user, monkeypatch):
    draft = make_draft(
        store,
        store.get_condition("neck-pain"),
        Screen.with_present(store.flags(), ["anticoagulant"]),
    )

    def boom(*_a, **_k):
        raise AssertionError("recommendation recomputed below the window")

    monkeypatch.setattr(referrals, "make_draft", boom)
    sheet = referrals.sheet_from_draft(
        store, user, draft, store.get_center("ucsf-osher"), SheetDetails(Patient("Ann Lee"))
    )
    assert sheet.referral.recommendation is draft.recommendation
    assert sheet.referral.answers["anticoagulant"] == "yes"


def test_a_preview_uses_no_number_and_logs_nothing(store: ReferenceStore, user) -> None:
    draft = make_draft(store, store.get_condition("neck-pain"), Screen.none_found(store.flags()))
    sheet = preview_sheet(store, user, draft, store.get_center("ucsf-osher"), SheetDetails())
    assert sheet.referral.number == PREVIEW_NUMBER
    assert PREVIEW_NUMBER in sheet.parts[0][1]
    assert user.referrals() == []


@pytest.mark.usefixtures("qapp")
def test_reprint_is_the_sheet_as_printed_and_says_data_changed(store, user, tmp_path) -> None:
    draft = make_draft(
        store,
        store.get_condition("chronic-low-back-pain"),
        Screen.with_present(store.flags(), ["anticoagulant"]),
    )
    sheet = referrals.sheet_from_draft(
        store, user, draft, store.get_center("ucsf-osher"), SheetDetails(lang="es")
    )
    entry = user.log_referral(sheet.referral)
    assert entry.snapshot["level"] == draft.recommendation.level
    assert entry.data_version == store.meta["data_version"]
    # What was printed then differs from what today's data would say: the reprint keeps it.
    snap = dict(entry.snapshot, label="Printed label X")
    snap["precautions"] = [{"text": "Printed precaution Y", "sources": [], "confirmed": True}]
    snap["center"] = dict(snap["center"], name="Center as it was Z")
    user.db.execute(
        "UPDATE referrals SET snapshot = ?, data_version = '2020.1' WHERE id = ?",
        [json.dumps(snap), entry.id],
    )
    user.db.conn.commit()
    again = reprint(store, user, user.get_referral(entry.number))
    out = tmp_path / "again.pdf"
    export_pdf(out, again.html, again.css, footer(store))
    text = _text(out)
    assert "Printed label X" in text and "Printed precaution Y" in text
    assert "Center as it was Z" in text
    assert "Light pressure only" not in text  # today's wording is not slipped in
    assert entry.number in text and "has changed since" in text and "2020.1" in text
    assert again.referral.lang == "es"
