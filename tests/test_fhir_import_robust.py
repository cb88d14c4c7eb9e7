"""A FHIR directory file that is wrong in some way: the import says so in one plain line (CLI exit
2, a GUI dialog) or refuses just the bad value, never stores it, and `centers --near` keeps
working after any import (issue 24: "one malformed FHIR directory breaks center search")."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from referral_app import paths
from referral_app.app import main
from referral_app.db.user import UserStore

pytestmark = pytest.mark.usefixtures("use_reference_db")
MASSAGE = {"system": "http://terminology.hl7.org/CodeSystem/service-type", "code": "25"}
BASE = {
    "resourceType": "Bundle",
    "type": "collection",
    "entry": [
        {
            "fullUrl": "Organization/lake",
            "resource": {"resourceType": "Organization", "id": "lake", "name": "Lakeside Wellness"},
        },
        {
            "fullUrl": "Location/lake-site",
            "resource": {
                "resourceType": "Location",
                "id": "lake-site",
                "status": "active",
                "address": {
                    "line": ["100 Example St"],
                    "city": "Madison",
                    "state": "WI",
                    "postalCode": "53703",
                    "country": "US",
                },
                "position": {"latitude": 43.0766, "longitude": -89.3845},
                "telecom": [{"system": "phone", "value": "(608) 555-0100"}],
            },
        },
        {
            "fullUrl": "HealthcareService/lake-massage",
            "resource": {
                "resourceType": "HealthcareService",
                "id": "lake-massage",
                "name": "Massage therapy",
                "type": [{"coding": [MASSAGE]}],
                "providedBy": {"reference": "Organization/lake"},
                "location": [{"reference": "Location/lake-site"}],
            },
        },
    ],
}


def bundle() -> dict:
    return copy.deepcopy(BASE)


def resource(data: dict, kind: str) -> dict:
    return next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == kind)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err
    return code, out, err


def write(tmp_path: Path, data: object, name: str = "directory.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), "utf-8")
    return path


def local() -> list:
    user = UserStore.open(paths.user_db())
    try:
        return user.local_centers(include_retired=True)
    finally:
        user.db.close()


def near_works(capsys) -> list[dict]:
    """`centers --near` ends well and prints JSON that a strict parser reads (no Infinity)."""
    code, out, _ = run(capsys, "centers", "--near", "53703", "--json")
    assert code == 0
    return json.loads(out, parse_constant=lambda name: pytest.fail(f"{name} in --json"))


@pytest.mark.parametrize(
    ("position", "why"),
    [
        ({"latitude": "", "longitude": ""}, None),
        ({"latitude": "abc", "longitude": -89.38}, "the latitude 'abc' is not a number"),
        ({"latitude": float("inf"), "longitude": -89.38}, "the latitude inf is not between"),
        ({"latitude": float("nan"), "longitude": float("nan")}, "the latitude nan is not between"),
        ({"latitude": 91, "longitude": -89.38}, "the latitude 91 is not between -90 and 90"),
        ({"latitude": 43.07, "longitude": -189}, "the longitude -189 is not between"),
        ({"latitude": True, "longitude": -89.38}, "the latitude true is not a number"),
        ({"latitude": [43], "longitude": -89.38}, "the latitude [...] is not a number"),
        ({"latitude": 43.07}, "a latitude or a longitude but not both"),
        ({"latitude": -89.3845, "longitude": 43.0766}, "is 14,"),  # swapped: km from ZIP 53703
        ({"latitude": 15, "longitude": 3}, "km from ZIP 53703"),  # the IG's placeholder
    ],
)
def test_a_bad_position_is_refused_and_never_stored(tmp_path, capsys, position, why) -> None:
    data = bundle()
    resource(data, "Location")["position"] = position
    code, out, _ = run(capsys, "centers", "import-fhir", str(write(tmp_path, data)))
    assert code == 0 and "(1 written)" in out
    if why:
        assert "note: position refused: " in out and why in out
    (center,) = local()
    assert center.location_basis == "postal_code"  # placed at its ZIP's centre instead
    assert (center.latitude, center.longitude) == (43.0775, -89.3831)
    rows = near_works(capsys)
    assert any(r["name"] == "Lakeside Wellness — Massage therapy" for r in rows)


def test_a_good_position_is_kept(tmp_path, capsys) -> None:
    assert run(capsys, "centers", "import-fhir", str(write(tmp_path, bundle())))[0] == 0
    (center,) = local()
    assert (center.latitude, center.longitude, center.location_basis) == (
        43.0766,
        -89.3845,
        "building",
    )
    assert center.name == "Lakeside Wellness — Massage therapy"  # not "Massage therapy [local-1]"
    assert center.parent_system == "Lakeside Wellness"
    near_works(capsys)


def _shape(path: str, value: object):
    def change(data: dict) -> None:
        kind, key = path.split(".")
        resource(data, kind)[key] = value

    return change


def _entry(value: object):
    def change(data: dict) -> None:
        data["entry"][1] = value

    return change


def _resource(value: object):
    def change(data: dict) -> None:
        data["entry"][1]["resource"] = value

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            _shape("Location.address", [{"city": "Madison"}]),
            "address must be an object, not a list",
        ),
        (_shape("Location.position", [43, -89]), "position must be an object, not a list"),
        (_shape("Location.telecom", "(608) 555-0100"), "telecom must be a list of objects"),
        (
            _shape("HealthcareService.location", {"reference": "Location/lake-site"}),
            "location must be a list of objects, not an object",
        ),
        (_shape("HealthcareService.type", ["massage"]), "type must be a list of objects"),
        (_shape("HealthcareService.name", 42), "name must be text, not a number"),
        (_shape("Organization.name", ["Lakeside"]), "name must be text, not a list"),
        (_shape("HealthcareService.active", "no"), "active must be true or false, not text"),
        (_entry("Location/lake-site"), "entry 2 must be an object, not text"),
        (_resource([1, 2]), "entry 2: the resource must be an object, not a list"),
        (_resource({"id": "x"}), "entry 2: the resource has no resourceType"),
    ],
)
def test_a_wrong_shape_is_one_line_and_exit_2(tmp_path, capsys, change, message) -> None:
    data = bundle()
    change(data)
    code, out, err = run(capsys, "centers", "import-fhir", str(write(tmp_path, data)))
    assert code == 2 and message in err, err
    assert len(err.strip().splitlines()) == 1 and local() == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"resourceType": "Bundle", "entry": ' + "[" * 100_000 + "]" * 100_000 + "}",
            "nested too deeply",
        ),
        ('{"resourceType": "Bundle", "entry": {"resource": {}}}', "Bundle.entry must be a list"),
        ("", "is not JSON"),
        ("[]", "is not a FHIR Bundle"),
        ('{"resourceType": "Organization", "id": "x"}', "is not a FHIR Bundle"),
        ('{"resourceType": "Organization"}\n{not json\n', "line 2 is not JSON"),
    ],
)
def test_a_file_that_is_not_a_directory_is_one_line(tmp_path, capsys, content, message) -> None:
    code, _, err = run(capsys, "centers", "import-fhir", str(write(tmp_path, content)))
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_a_binary_file_is_one_line(tmp_path, capsys) -> None:
    path = tmp_path / "directory.json"
    path.write_bytes(b"\xff\xfe{\x00\x00\x01")
    code, _, err = run(capsys, "centers", "import-fhir", str(path))
    assert code == 2 and "is not UTF-8 text" in err


def test_control_characters_are_removed_and_said(tmp_path, capsys) -> None:
    data = bundle()
    resource(data, "Organization")["name"] = "Lake\u001b[2Jside\u0007 Well\u0000ness"
    code, out, _ = run(capsys, "centers", "import-fhir", str(write(tmp_path, data)))
    assert code == 0 and "\x1b" not in out and "\x07" not in out and "\x00" not in out
    assert "note: control characters were removed from the name" in out
    assert "note: control characters were removed from the organization's name" in out
    (center,) = local()
    assert center.name == "Lake[2Jside Wellness — Massage therapy"
    # the clinic's CSV export and import take it back unchanged
    assert run(capsys, "centers", "export", str(tmp_path / "out.csv"))[0] == 0
    code, out, _ = run(capsys, "centers", "import", str(tmp_path / "out.csv"), "--dry-run")
    assert code == 0 and "1 unchanged" in out
    assert "Lake[2Jside Wellness — Massage therapy" in (tmp_path / "out.csv").read_text("utf-8-sig")


def test_a_value_longer_than_a_cell_refuses_the_entry(tmp_path, capsys) -> None:
    data = bundle()
    resource(data, "HealthcareService")["name"] = "M" * 20_000
    code, out, _ = run(capsys, "centers", "import-fhir", str(write(tmp_path, data)))
    assert code == 0
    assert "skipped: not imported: the name is 20,020 characters long; the limit is 10,000" in out
    assert local() == []


def test_a_bad_phone_or_fax_is_left_out_and_said(tmp_path, capsys) -> None:
    data = bundle()
    resource(data, "HealthcareService")["telecom"] = [
        {"system": "phone", "value": "call us!"},
        {"system": "fax", "value": "9" * 10_000},
    ]
    code, out, _ = run(capsys, "centers", "import-fhir", str(write(tmp_path, data)))
    assert code == 0 and "the phone number 'call us!' is not a phone number" in out
    assert "the fax number is 10,000 characters long" in out
    (center,) = local()
    assert (center.phone, center.fax) == ("(608) 555-0100", "")  # the Location's phone


def test_a_search_page_without_its_next_page_is_warned(tmp_path, capsys) -> None:
    page1 = bundle() | {"type": "searchset", "total": 250}
    page1["link"] = [
        {"relation": "self", "url": "https://dir.example.org/fhir/HealthcareService?p=1"},
        {"relation": "next", "url": "https://dir.example.org/fhir/HealthcareService?p=2"},
    ]
    code, out, _ = run(capsys, "centers", "import-fhir", str(write(tmp_path, page1)), "--dry-run")
    assert code == 0
    assert out.startswith(
        "warning: directory.json is one page of a search result: the next page "
        "(https://dir.example.org/fhir/HealthcareService?p=2) was not given, so "
        "only 3 of 250 entries were read"
    )
    page2 = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": 250,
        "entry": [],
        "link": [{"relation": "self", "url": page1["link"][1]["url"]}],
    }
    both = [str(write(tmp_path, page1, "p1.json")), str(write(tmp_path, page2, "p2.json"))]
    code, out, _ = run(capsys, "centers", "import-fhir", *both, "--dry-run")
    assert code == 0 and "warning:" not in out and "p1.json entry 3 HealthcareService" in out


def test_transaction_entries_without_ids_are_named_by_fullurl(tmp_path, capsys) -> None:
    data = bundle() | {"type": "transaction"}
    urls = ["urn:uuid:0c3c4e8f-0000-4000-8000-00000000000" + str(n) for n in range(3)]
    for entry, url in zip(data["entry"], urls, strict=True):
        entry["fullUrl"] = url
        del entry["resource"]["id"]
        entry["request"] = {"method": "POST", "url": entry["resource"]["resourceType"]}
    service = data["entry"][2]["resource"]
    service["providedBy"], service["location"] = {"reference": urls[0]}, [{"reference": urls[1]}]
    code, out, _ = run(capsys, "centers", "import-fhir", str(write(tmp_path, data)))
    assert code == 0 and f"entry 3 HealthcareService {urls[2]}: add: Lakeside Wellness" in out
    assert f"entry 1 Organization {urls[0]}: used: details for HealthcareService {urls[2]}" in out
    assert local()[0].notes == f"FHIR HealthcareService {urls[2]}"


def test_identifier_and_display_references(tmp_path, capsys) -> None:
    data = bundle()
    resource(data, "Organization")["identifier"] = [{"system": "urn:ietf:rfc:3986", "value": "x"}]
    service = resource(data, "HealthcareService")
    service["providedBy"] = {"identifier": {"system": "urn:ietf:rfc:3986", "value": "x"}}
    service["location"] = [
        {"reference": "https://dir.example.org/fhir/Location/lake-site/_history/7"}
    ]
    assert run(capsys, "centers", "import-fhir", str(write(tmp_path, data)))[0] == 0
    (center,) = local()
    assert center.name == "Lakeside Wellness — Massage therapy" and center.postal_code == "53703"


def test_gui_shows_one_line_for_a_malformed_file(qtbot, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from referral_app.ui.dialogs.network_dialog import NetworkDialog

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    user = UserStore.open(tmp_path / "gui-user.db")
    dialog = NetworkDialog(user)
    qtbot.addWidget(dialog)
    data = bundle()
    resource(data, "Location")["address"] = ["100 Example St"]
    assert dialog.import_fhir_path(write(tmp_path, data), ask=False) is None
    assert len(shown) == 1 and "address must be an object, not a list" in shown[0]
    assert "\n" not in shown[0] and dialog.model.rowCount() == 0
    result = dialog.import_fhir_path([write(tmp_path, bundle(), "good.json")], ask=False)
    assert result is not None and dialog.model.rowCount() == 1


def test_positions_an_older_import_stored_do_not_break_search(capsys) -> None:
    import sqlite3
    from dataclasses import replace

    from referral_app.domain.center import Center

    user = UserStore.open(paths.user_db())
    old = Center(id="", name="", postal_code="53703", services=("therapeutic_massage",))
    ids = [user.add_local(replace(old, name=f"Old import {n}")) for n in "abc"]
    user.db.close()
    with sqlite3.connect(paths.user_db()) as db:  # as the earlier import left them
        for center_id, lat in zip(ids, ("", "abc", float("inf")), strict=True):
            db.execute(
                "UPDATE local_centers SET latitude = ?, longitude = -89.38 WHERE id = ?",
                [lat, center_id],
            )
    near_works(capsys)  # before: every centers --near ended in "internal error"
    assert [(c.latitude, c.longitude) for c in local()] == [(None, None)] * 3


def test_the_csv_import_refuses_the_same_far_position(tmp_path, capsys) -> None:
    """One check for both imports (services/places.py position_problem): a CSV row's typed
    position swapped or far from its ZIP is refused, as a FHIR Location.position is."""
    path = tmp_path / "list.csv"
    path.write_text(
        "name,city,region,postal_code,latitude,longitude\n"
        "Swapped Spa,Madison,WI,53703,-89.3845,43.0766\n"
        "Right Here Massage,Madison,WI,53703,43.0766,-89.3845\n",
        "utf-8",
    )
    code, _, err = run(capsys, "centers", "import", str(path))
    assert code == 2
    assert ("Row 2 (Swapped Spa): not imported — the position (-89.3845, 43.0766) is 14,") in err
    assert "km from ZIP 53703 (leave latitude and longitude blank" in err
    assert run(capsys, "centers", "import", str(path), "--skip-bad-rows")[0] == 0
    assert [c.name for c in local()] == ["Right Here Massage"]
