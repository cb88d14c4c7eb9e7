"""A check that says no, in both homes of the clinic's data (SQLite file, PostgreSQL server): the
result is stored, the latest check counts, and a closed center leaves that clinic's ranking."""

from __future__ import annotations

import datetime as dt

import pytest

from referral_app.domain.center import ClinicCheck
from referral_app.services.center_import import excluded_centers, record_check
from referral_app.services.destinations import locate
from referral_app.services.routes import outlook
from tests import clinic_helpers

clinic_store = clinic_helpers.clinic_store  # the fixture over both homes

pytestmark = pytest.mark.usefixtures("qapp")
TODAY = dt.date.today()


def test_closed_then_confirmed_in_both_homes(clinic_store, store) -> None:
    houston = locate("77030", store)
    pain = store.get_condition("cancer-related-pain")

    def first() -> str:
        checks = clinic_store.center_checks()
        found = outlook(store, [], pain, [], houston, 5, checks)
        return found.matches[0].center.id if found.matches[0].within_reach else ""

    assert first() == "mdanderson-integrative"
    closed = ClinicCheck("mdanderson-integrative", TODAY, "pm", note="closed", result="closed")
    record_check(store, clinic_store, closed)
    assert clinic_store.center_checks()["mdanderson-integrative"].result == "closed"
    assert first() == ""  # nothing within reach any more
    out = excluded_centers(store, clinic_store)
    assert out[0].id == "mdanderson-integrative" and out[0].check.result == "closed"
    history = clinic_store.check_history("mdanderson-integrative")
    assert [c.result for c in history] == ["closed"]
    record_check(store, clinic_store, ClinicCheck("mdanderson-integrative", TODAY, "pm"))
    assert first() == "mdanderson-integrative"
    assert [c.result for c in clinic_store.check_history("mdanderson-integrative")] == [
        "confirmed",
        "closed",
    ]
