"""Where to send this patient (issue 22): reach first, who may book apart from what is offered,
an honest "nothing within reach" with the routes that work anywhere, and checks that can say no.
The CLI through the app's main(), the picker through pytest-qt."""

from __future__ import annotations

import json

import pytest

from referral_app.app import main
from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.center import ClinicCheck
from referral_app.domain.matching import FIT_NOT_FOR, RankPolicy
from referral_app.services.destinations import locate
from referral_app.services.routes import outlook

pytestmark = pytest.mark.usefixtures("use_reference_db")


def _centers_json(capsys, *argv: str) -> list[dict]:
    assert main(["centers", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_houston_cancer_pain_lists_md_anderson_first_with_who_may_book(capsys) -> None:
    argv = ["--near", "77030", "--condition", "cancer-related-pain"]
    rows = _centers_json(capsys, *argv)
    first = rows[0]
    assert first["id"] == "mdanderson-integrative" and first["within_reach"] is True
    assert first["who_may_book"].startswith("for University of Texas MD Anderson Cancer Center")
    assert "ask their oncologist there for an order" in first["who_may_book"]
    assert all(r["within_reach"] is False for r in rows[1:])
    beyond = [r["distance_km"] for r in rows[1:]]
    assert beyond == sorted(beyond), "beyond reach: nearest first"
    assert main(["centers", *argv]) == 0
    text = capsys.readouterr().out.splitlines()
    assert text[0].startswith(" 1. MD Anderson Integrative Medicine Center")
    assert text[2].startswith("---- reach ends here: the centers below are more than 50 mi away")


def test_boston_back_pain_does_not_put_a_cancer_only_program_first(capsys) -> None:
    rows = _centers_json(capsys, "--near", "02215", "--condition", "chronic-low-back-pain")
    assert rows[0]["id"] not in ("dana-farber-zakim", "mgh-gallagher")
    assert rows[0]["band"] == "within reach, offers what is needed"
    zakim = next(r for r in rows if r["id"] == "dana-farber-zakim")
    assert zakim["band"] == "within reach, not for this patient"
    assert "this referral is not for a cancer-related problem" in zakim["who_may_book"]
    fitting = [i for i, r in enumerate(rows) if r["band"] == "within reach, offers what is needed"]
    assert max(fitting) < rows.index(zakim)


def test_missoula_says_nothing_within_reach_first_with_board_and_locator(capsys) -> None:
    assert main(["centers", "--near", "59801"]) == 0
    lines = capsys.readouterr().out.splitlines()
    first = lines[0]
    assert first.startswith("No listed center is within 50 mi of ZIP 59801 (Missoula, MT)")
    assert "Montana Board of Massage Therapy" in first
    assert "Society for Oncology Massage" in first
    routes = "\n".join(lines[: lines.index("Listed centers, nearest first (none pre-selected):")])
    assert "http://boards.bsd.dli.mt.gov/lmt" in routes
    assert "https://www.s4om.org/resources/preferred-practitioner-directory/" in routes
    assert "(not confirmed)" in routes  # AMTA's own page was not seen: said, not invented
    assert main(["centers", "--near", "59801", "--json", "--routes"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["nothing_within_reach"] is True and data["centers"]
    board = next(r for r in data["routes"] if r["title"] == "Montana Board of Massage Therapy")
    assert board["source"] and board["date"] and board["confirmed"]


def test_a_state_without_a_confirmed_board_says_so(store: ReferenceStore) -> None:
    where = locate("39201", store)  # Jackson, MS: not confirmed in the table
    found = outlook(store, [], store.get_condition("neck-pain"), [], where)
    board = next(r for r in found.routes if r.kind == "board")
    assert not board.confirmed and board.cite() == "(not confirmed)" and not board.url
    assert "FSMTB" in board.text
    assert all(r.kind != "oncology" for r in found.routes), "neck pain: no oncology locator"
    minnesota = next(
        r for r in outlook(store, [], None, [], locate("56001", store)).routes if r.kind == "board"
    )
    assert minnesota.title == "Minnesota: does not license massage therapists"
    assert "board certification (NCBTMB" in minnesota.text


def test_a_closed_check_takes_the_center_out_and_says_why(capsys) -> None:
    argv = ["--near", "77030", "--condition", "cancer-related-pain"]
    assert (
        main(
            [
                "centers",
                "verify",
                "mdanderson-integrative",
                "--by",
                "pm",
                "--result",
                "closed",
                "--note",
                "Phoned: program closed",
            ]
        )
        == 0
    )
    said = capsys.readouterr().out
    assert "closed by PM" in said and "taken out of the ranking" in said
    rows = _centers_json(capsys, *argv)
    assert "mdanderson-integrative" not in [r["id"] for r in rows]
    assert main(["centers", *argv]) == 0
    assert capsys.readouterr().out.startswith("No listed center is within 50 mi of ZIP 77030")
    assert main(["centers", "excluded"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("MD Anderson Integrative Medicine Center  [mdanderson-integrative]:")
    assert "closed: clinic check on" in first and "Phoned: program closed" in first
    # a later check that confirms it offers it again
    assert main(["centers", "verify", "mdanderson-integrative", "--by", "pm"]) == 0
    capsys.readouterr()
    assert _centers_json(capsys, *argv)[0]["id"] == "mdanderson-integrative"


def test_no_answer_demotes_and_never_says_verified(capsys) -> None:
    argv = ["--near", "02215", "--condition", "chronic-low-back-pain"]
    before = [r["id"] for r in _centers_json(capsys, *argv)]
    assert before[0] == "bwh-osher"
    assert main(["centers", "verify", "bwh-osher", "--by", "pm", "--result", "no-answer"]) == 0
    capsys.readouterr()
    rows = _centers_json(capsys, *argv)
    bmc = next(r for r in rows if r["id"] == "bwh-osher")
    fitting = [r["id"] for r in rows if r["band"] == "within reach, offers what is needed"]
    assert fitting[-1] == "bwh-osher", "after the others in its band"
    words = "; ".join(bmc["why"])
    assert "no answer when the clinic called" in words and "verified" not in words
    assert bmc["clinic_check"]["result"] == "no-answer"


def test_a_confirming_check_drops_confirm_it_still_offers_massage(capsys) -> None:
    argv = ["--near", "02215", "--condition", "chronic-low-back-pain"]
    assert main(["centers", "verify", "bwh-osher", "--by", "pm"]) == 0
    capsys.readouterr()
    bmc = next(r for r in _centers_json(capsys, *argv) if r["id"] == "bwh-osher")
    words = "; ".join(bmc["why"])
    assert "verified by the clinic" in words and "confirm it still offers massage" not in words


def test_hide_and_unhide_a_bundled_center(capsys) -> None:
    argv = ["--near", "02215", "--condition", "chronic-low-back-pain"]
    assert main(["centers", "hide", "bwh-osher", "--by", "pm", "--reason", "we do not"]) == 0
    capsys.readouterr()
    assert "bwh-osher" not in [r["id"] for r in _centers_json(capsys, *argv)]
    assert main(["centers", "excluded"]) == 0
    assert "hidden by the clinic on" in capsys.readouterr().out
    assert main(["centers", "unhide", "bwh-osher", "--by", "pm"]) == 0
    capsys.readouterr()
    assert "bwh-osher" in [r["id"] for r in _centers_json(capsys, *argv)]


def test_verify_refuses_to_confirm_a_listed_closed_center(capsys) -> None:
    assert main(["centers", "verify", "msbi-health-healing", "--by", "qa"]) == 2
    err = capsys.readouterr().err
    assert "is not offered (closed" in err and "a check cannot bring it back" in err


def test_cli_result_words_match_the_domain() -> None:
    from referral_app.cli.parser import CHECK_RESULTS as PARSED
    from referral_app.domain.center import CHECK_RESULTS

    assert PARSED == CHECK_RESULTS


def test_needs_checking_lists_centers_near_the_clinic_first(capsys, store, tmp_path) -> None:
    from referral_app.services.center_import import needs_checking

    user = UserStore.open(tmp_path / "user.db")
    user.set_setting("default_postal_code", "02215")
    rows = needs_checking(store, user)
    near = [r.center.id for r in rows if r.near]
    assert {"mgh-gallagher", "dana-farber-zakim", "bwh-osher"} <= set(near)
    assert [r.center.id for r in rows[: len(near)]] == near
    assert "ucsf-osher" not in near


def test_outlook_with_a_wider_reach_finds_something(store: ReferenceStore) -> None:
    where = locate("59801", store)
    near = outlook(store, [], None, [], where, policy=RankPolicy(reach_km=700))
    assert not near.nothing_near and near.headline() == "" and not near.routes
    assert near.matches[0].within_reach and near.matches[0].fit != FIT_NOT_FOR


def test_user_check_roundtrip_keeps_the_result(tmp_path) -> None:
    import datetime as dt

    user = UserStore.open(tmp_path / "user.db")
    user.record_check(ClinicCheck("bwh-osher", dt.date(2026, 12, 1), "PM", result="closed"))
    assert user.center_checks()["bwh-osher"].result == "closed"


def _pdf_text(path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


@pytest.mark.parametrize(
    ("lang", "call_first", "find_phone"),
    [
        ("en", "Please call first", "Find the current phone number on"),
        ("es", "llame primero", "Busque el número de teléfono actual en"),
    ],
)
def test_handout_says_call_first_only_beside_a_printed_phone(
    qapp, capsys, tmp_path, lang, call_first, find_phone
) -> None:
    with_phone = tmp_path / "phone.pdf"  # a phone, not verified, never checked by the clinic
    argv = ["sheet", "chronic-low-back-pain", "--parts", "patient", "--lang", lang]
    assert main([*argv, "--center", "cleveland-clinic-integrative", "--out", str(with_phone)]) == 0
    text = _pdf_text(with_phone)
    assert "216-986-4325" in text and call_first in text and find_phone not in text
    no_phone = tmp_path / "web.pdf"  # BWH: a website, no phone
    assert main([*argv, "--center", "bwh-osher", "--out", str(no_phone)]) == 0
    text = _pdf_text(no_phone)
    assert call_first not in text
    assert find_phone in text and "brighamandwomens.org" in text


def test_sheets_say_nothing_within_reach_where_the_center_goes(qapp, capsys, tmp_path) -> None:
    out = tmp_path / "far.pdf"
    argv = ["sheet", "cancer-related-pain", "--center", "huntsman-wellness-integrative"]
    argv += ["--near", "59801"]
    assert main([*argv, "--out", str(out)]) == 0
    text = _pdf_text(out)
    assert "No listed center is within 50 mi of ZIP 59801 (Missoula, MT)" in text
    assert "The one chosen is" in text and "mi away" in text
    assert "No listed center is close to where you live" in text  # the patient's words
    assert "Montana Board of Massage Therapy: http://boards.bsd.dli.mt.gov/lmt" in text
    near = tmp_path / "near.pdf"
    argv = ["sheet", "cancer-related-pain", "--center", "mdanderson-integrative"]
    assert main([*argv, "--near", "77030", "--out", str(near)]) == 0
    assert "No listed center" not in _pdf_text(near)


def test_a_board_confirmed_from_the_state_law_says_where_to_ask(store: ReferenceStore) -> None:
    board = next(
        r for r in outlook(store, [], None, [], locate("23219", store)).routes if r.kind == "board"
    )
    assert board.confirmed and board.title.startswith("Virginia Board of Nursing")
    assert board.source.startswith("https://law.lis.virginia.gov/") and not board.url
    assert "ask the state's licensing office" in board.text
