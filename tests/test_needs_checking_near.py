"""Needs checking asks the clinic to check the centers within its reach, not every center in the
country (directory review 3, finding 10; issue 22 point 5): near ones first and due, those beyond
the clinic's reach listed after and not due."""

from __future__ import annotations

import json

import pytest

from referral_app.app import main
from referral_app.db.user import UserStore
from referral_app.services.center_import import BEYOND_CLINIC, needs_checking

pytestmark = pytest.mark.usefixtures("use_reference_db")


def test_cli_lists_the_clinics_centers_first_and_only_they_are_due(capsys) -> None:
    assert main(["centers", "checks", "--near", "02215"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("DUE  near us  ")
    near = [line for line in lines if "near us" in line]
    assert lines[: len(near)] == near and any("[bwh-osher]" in line for line in near)
    far = next(line for line in lines if "[mdanderson-integrative]" in line)
    assert far.startswith("ok   ") and BEYOND_CLINIC in far
    due = [line for line in lines if line.startswith("DUE")]
    assert len(due) < len(lines) // 4, "far centers are not all 'due'"


def test_cli_json_says_near_and_the_clinic_setting_is_the_default(capsys, store, tmp_path) -> None:
    assert main(["centers", "checks", "--json", "--near", "77030"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["id"] == "mdanderson-integrative" and rows[0]["near"] and rows[0]["due"]
    bwh = next(r for r in rows if r["id"] == "bwh-osher")
    assert not bwh["near"] and not bwh["due"]
    user = UserStore.open(tmp_path / "user.db")
    user.set_setting("default_postal_code", "77030")
    assert [r.center.id for r in needs_checking(store, user)][:1] == ["mdanderson-integrative"]


def test_without_a_clinic_place_every_unchecked_center_stays_due(store, tmp_path) -> None:
    rows = needs_checking(store, UserStore.open(tmp_path / "user.db"))
    assert rows and all(r.due and not r.near for r in rows)


def test_a_place_that_cannot_be_found_is_one_line_exit_2(capsys) -> None:
    assert main(["centers", "checks", "--near", "99999"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["referral-guide: error: unknown US ZIP code: 99999"]
