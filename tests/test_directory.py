"""A directory a clinic can trust: sources per field, closed programmes never offered, the
clinic's own checks, and ranking bands (issue 13)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from referral_app.app import main
from referral_app.content.errors import ContentError
from referral_app.content.loader import load_content
from referral_app.db.build import build_reference_db
from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.center import Center, ClinicCheck, FieldSource
from referral_app.domain.matching import (
    BAND_FAR_FIT,
    BAND_NEAR_FIT,
    BAND_NEAR_PARTIAL,
    BAND_UNPLACED,
    Location,
    RankPolicy,
    rank,
)
from referral_app.domain.provenance import FIELDS, NO_SOURCE, check_due, exclusion_reason
from referral_app.services.destinations import match_centers

DATA = Path(__file__).resolve().parent.parent / "data"
BOSTON = Location(42.3471, -71.1027, "02215")
EXCLUDED = (
    "msbi-health-healing",
    "ucla-simms-mann",
    "karolinska-osher",
    "utah-osher",
    "umaryland-integrative",
    "umn-masonic-peds-bmt",
    "maria-fareri-integrative-therapies",
)


# -- provenance of the bundled file -----------------------------------------------------------
def test_no_bundled_phone_or_address_lacks_a_source_or_a_no_source_mark(store) -> None:
    centers = store.all_centers()
    assert len(centers) == 60
    for c in centers:
        assert {s.field for s in c.provenance} == set(FIELDS), c.id
        for name, value in (("phone", c.phone), ("address", c.street), ("website", c.website)):
            source = c.source_of(name)
            if value:
                assert source.source != NO_SOURCE, (c.id, name)
                assert source.source.startswith(("https://", "http://", "public data:"))
                assert source.date, (c.id, name)
            else:
                assert source.source in (NO_SOURCE, *[s.source for s in c.provenance]), c.id


def test_phones_nobody_confirmed_are_gone(store) -> None:
    for cid, phone in (
        ("ucsf-osher", "353-7700"),
        ("vanderbilt-osher", "343-1554"),
        ("mdanderson-integrative", "794-4700"),
        ("dana-farber-zakim", "632-3322"),
        ("duke-integrative", "660-6826"),
        ("northwestern-osher", "926-3627"),
    ):
        center = store.get_center(cid)
        assert phone not in center.phone and center.source_of("phone").source == NO_SOURCE
    assert "Suite 422" not in store.get_center("bwh-osher").street
    utah = store.get_center("utah-osher")  # its street was seen only on a hijacked mirror
    assert utah.street == "" and not any("lcxart" in s.source for s in utah.provenance)


def test_a_phone_without_source_is_refused_by_the_build(data_copy: Path) -> None:
    path = data_copy / "centers.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    row = next(r for r in rows if r["id"] == "ucsf-osher")
    row["phone"] = "(415) 353-7700"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(ContentError) as caught:
        load_content(data_copy, check_code=lambda _c: True)
    assert any("phone has a value but 'no source'" in str(p) for p in caught.value.problems)


# -- closed or discontinued programmes --------------------------------------------------------
@pytest.mark.parametrize("condition", [None, "cancer-related-pain", "neck-pain"])
def test_a_closed_programme_is_never_offered(store, condition) -> None:
    cond = store.get_condition(condition) if condition else None
    for where in (
        None,
        BOSTON,
        Location(40.7443, -73.9781, "10016"),
        Location(34.05, -118.44, "90095"),
        Location(40.73, -111.83, "84108"),
    ):
        found = {m.center.id for m in match_centers(store, [], cond, [], where, limit=60)}
        assert not found & set(EXCLUDED)
    for cid in EXCLUDED:
        assert exclusion_reason(store.get_center(cid))
    assert "9 April 2025" in exclusion_reason(store.get_center("msbi-health-healing"))
    assert exclusion_reason(store.get_center("ucla-simms-mann")) == "does not offer massage"


@pytest.mark.usefixtures("use_reference_db", "qapp")
def test_cli_sheet_refuses_a_closed_programme(capsys, tmp_path) -> None:
    argv = ["sheet", "neck", "--center", "msbi-health-healing", "--out", str(tmp_path / "x.pdf")]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "not offered for referral: closed" in err and len(err.splitlines()) == 1


@pytest.mark.usefixtures("use_reference_db")
def test_cli_lists_excluded_centers_with_the_reason(capsys) -> None:
    assert main(["centers", "excluded"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(
        "[msbi-health-healing]: closed: Mount Sinai Beth Israel closed on 9 April 2025" in x
        for x in lines
    )
    assert any("[ucla-simms-mann]: does not offer massage" in x for x in lines)
    assert not any("[dana-farber-zakim]" in x for x in lines)


# -- the Boston case --------------------------------------------------------------------------
@pytest.mark.usefixtures("use_reference_db")
def test_cli_boston_oncology_lists_boston_centers_only(capsys) -> None:
    argv = ["centers", "--condition", "cancer-related pain", "--near", "02215", "--limit", "3"]
    assert main([*argv, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    # within reach: the two cancer programs that offer oncology massage, then BWH (partial)
    assert [r["city"] for r in rows] == ["Boston", "Boston", "Chestnut Hill"]
    zakim = next(r for r in rows if r["id"] == "dana-farber-zakim")
    assert rows.index(zakim) < 2 and zakim["band_rank"] == BAND_NEAR_FIT
    assert zakim["provenance"]["phone"]["words"] == "no phone confirmed: see website"
    assert zakim["provenance"]["address"]["source"] == NO_SOURCE  # was a look-up tool's file id
    assert rows[2]["provenance"]["address"]["source"].startswith("https://")
    assert {"id", "name", "phone", "distance_km", "verified", "origin", "why"} <= rows[0].keys()
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "Zakim" in text and "New Haven" not in text


# -- ranking bands, with hand-made centers ----------------------------------------------------
def _center(cid: str, lat: float | None, lon: float | None, **kw) -> Center:
    src = tuple(FieldSource(f, "https://example.org/" + cid, "2025") for f in FIELDS)
    base = dict(
        name=cid,
        latitude=lat,
        longitude=lon,
        services=("oncology_massage",),
        status="active",
        provenance=src,
        country="US",
    )
    return Center(id=cid, **(base | kw))


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> ReferenceStore:
    """A reference DB with hand-made centers around Boston (42.35, -71.10)."""
    content = load_content(DATA, check_code=lambda _c: True)
    centers = [
        _center("near-unknown", 42.36, -71.06, status="unknown"),  # ~4 km, status unknown
        _center("far-verified", 41.31, -72.93, verified=True),  # New Haven, ~190 km
        _center("near-partial", 42.33, -71.12, services=("therapeutic_massage",)),
        _center("near-own", 42.34, -71.10, populations=("own_patients_only",)),
        _center("far-near-reach", 42.90, -71.10),  # ~61 km: beyond a 50 km reach
        _center("unplaced", None, None),
        _center("closed-near", 42.35, -71.10, status="closed"),
    ]
    path = tmp_path_factory.mktemp("small") / "ref.db"
    build_reference_db(replace(content, centers=centers), path)
    return ReferenceStore.open(path)


def _ids(matches) -> list[str]:
    return [m.center.id for m in matches]


def test_within_reach_always_above_beyond_reach(small_store) -> None:
    cond = small_store.get_condition("cancer-related-pain")
    got = match_centers(small_store, [], cond, [], BOSTON, limit=10)
    assert _ids(got) == [
        "near-own",
        "near-unknown",
        "near-partial",
        "far-near-reach",
        "far-verified",
        "unplaced",
    ]
    # own patients only: in its band (it fits and is nearest), with the reason in words
    assert (
        got[0].band == BAND_NEAR_FIT and got[0].band_label == "within reach, offers what is needed"
    )
    assert got[0].why[0].startswith("for near-own patients only")
    assert got[1].band == BAND_NEAR_FIT and "current status unknown" in "; ".join(got[1].why)
    assert got[2].band == BAND_NEAR_PARTIAL and got[3].band == BAND_FAR_FIT
    assert got[-1].band == BAND_UNPLACED


def test_reach_setting_moves_the_band(small_store) -> None:
    cond = small_store.get_condition("cancer-related-pain")
    wide = RankPolicy(reach_km=100)
    got = match_centers(small_store, [], cond, [], BOSTON, limit=3, policy=wide)
    assert _ids(got) == ["near-own", "near-unknown", "far-near-reach"]
    assert "within the 100 km reach" in "; ".join(got[2].why)


def test_preferred_then_clinic_verified_then_distance_inside_a_band(small_store) -> None:
    cond = small_store.get_condition("cancer-related-pain")
    local = _center("local-1", 42.45, -71.20, origin="local", preferred=True, provenance=())
    today = dt.date(2026, 11, 30)
    checks = {"near-unknown": ClinicCheck("near-unknown", today - dt.timedelta(days=30), "AB")}
    policy = RankPolicy(today=today)
    got = match_centers(small_store, [local], cond, [], BOSTON, 4, checks, policy)
    assert _ids(got) == ["local-1", "near-unknown", "near-own", "near-partial"]
    assert "clinic's preferred" in got[0].why
    assert any(w.startswith("verified by the clinic 2026-10-31") for w in got[1].why)
    stale = {"near-unknown": ClinicCheck("near-unknown", dt.date(2025, 6, 1), "AB")}
    nearer = _center("local-2", 42.35, -71.09, origin="local", provenance=())  # ~1 km, open
    got = match_centers(small_store, [nearer], cond, [], BOSTON, 3, checks, policy)
    assert _ids(got) == ["near-unknown", "near-own", "local-2"]  # a fresh check lifts it
    got = match_centers(small_store, [nearer], cond, [], BOSTON, 3, stale, policy)
    assert _ids(got) == ["near-own", "local-2", "near-unknown"]  # a due check no longer lifts it
    assert "clinic check due (last 2025-06-01)" in got[2].why


def test_a_local_entry_without_location_never_outranks_a_located_one(small_store) -> None:
    nowhere = Center(
        id="local-x",
        name="Mystery LMT",
        services=("oncology_massage",),
        preferred=True,
        origin="local",
        country="FR",
    )
    got = match_centers(small_store, [nowhere], None, [], BOSTON, limit=10)
    mine = _ids(got).index("local-x")
    assert got[mine].band == BAND_UNPLACED
    assert all(m.distance_km is None for m in got[mine:]), "no located program after it"
    zip_only = replace(nowhere, country="US", postal_code="02139")  # Cambridge, MA
    got = match_centers(small_store, [zip_only], None, [], BOSTON, limit=10)
    assert got[0].center.id == "local-x" and got[0].distance_km < 10


def test_r_tree_search_agrees_with_brute_force(small_store) -> None:
    cond = small_store.get_condition("cancer-related-pain")
    for where in (BOSTON, Location(41.3, -72.9, "NH"), Location(44.0, -92.5, "MN")):
        for limit in (1, 2, 4):
            fast = match_centers(small_store, [], cond, [], where, limit)
            brute = rank(small_store.all_centers(), ["oncology_massage"], where)[:limit]
            assert _ids(fast) == _ids(brute)


def test_check_due_after_the_set_age() -> None:
    check = ClinicCheck("x", dt.date(2025, 11, 30), "AB")
    assert not check_due(check, dt.date(2026, 11, 30), 12)
    assert check_due(check, dt.date(2026, 12, 1), 12)
    assert check_due(None, dt.date(2026, 12, 1), 12)


# -- the clinic's verification ----------------------------------------------------------------
@pytest.mark.usefixtures("use_reference_db", "qapp")
def test_cli_verify_overrides_prints_and_travels_in_csv(capsys, tmp_path, _user_data_dir) -> None:
    argv = [
        "centers",
        "verify",
        "dana-farber-zakim",
        "--by",
        "jd",
        "--date",
        "2026-11-20",
        "--phone",
        "617-632-3000",
        "--note",
        "Massage back in person, Yawkey 2",
    ]
    assert main(argv) == 0
    assert "verified by JD on 2026-11-20" in capsys.readouterr().out
    near = ["centers", "--condition", "cancer-related pain", "--near", "02215", "--json"]
    assert main(near) == 0
    first = json.loads(capsys.readouterr().out)[0]
    assert first["phone"] == "617-632-3000"
    assert (
        first["clinic_check"]["by"] == "JD" and first["clinic_check"]["checked_on"] == "2026-11-20"
    )
    assert (
        first["provenance"]["phone"]["words"] == "phone confirmed by the clinic on 2026-11-20 (JD)"
    )
    pdf = tmp_path / "ref.pdf"
    sheet = ["sheet", "cancer-related pain", "--center", "dana-farber-zakim", "--out", str(pdf)]
    assert main(sheet) == 0
    capsys.readouterr()
    from pypdf import PdfReader

    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages)
    assert "Contact details confirmed by the clinic on 2026-11-20 (JD)" in text
    assert "617-632-3000" in text and "Yawkey 2" in text
    out = tmp_path / "export.csv"
    assert main(["centers", "export", str(out)]) == 0
    capsys.readouterr()
    other = tmp_path / "other-clinic"
    assert main(["--data-dir", str(other), "centers", "import", str(out)]) == 0
    assert "1 clinic check(s) to record" in capsys.readouterr().out
    moved = UserStore.open(other / "user.db").center_checks()["dana-farber-zakim"]
    assert (moved.by, moved.phone, moved.checked_on) == (
        "JD",
        "617-632-3000",
        dt.date(2026, 11, 20),
    )
    assert main(["--data-dir", str(other), "centers", "import", str(out)]) == 0
    assert "0 imported, 1 already listed (1 unchanged)" in capsys.readouterr().out
    assert main(["centers", "checks", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[-1]["id"] == "dana-farber-zakim" and not listed[-1]["due"]
    assert all(r["due"] for r in listed[:-1]) and listed[0]["clinic_check"] is None


@pytest.mark.usefixtures("use_reference_db")
@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["dana-farber-zakim", "--by", "JD", "--date", "30/11/2026"], "--date must be YYYY-MM-DD"),
        (["nowhere", "--by", "JD"], "unknown center id: nowhere"),
        (["dana-farber-zakim", "--by", "J 2"], "--by must be the checker's initials"),
        (["dana-farber-zakim", "--by", "JD", "--date", "2999-01-01"], "in the future"),
        (["dana-farber-zakim"], "--by"),
    ],
)
def test_cli_verify_bad_input_one_line_exit_2(capsys, extra, message) -> None:
    assert main(["centers", "verify", *extra]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_check_survives_a_data_update(tmp_path) -> None:
    user = UserStore.open(tmp_path / "user.db")
    user.record_check(ClinicCheck("bwh-osher", dt.date(2026, 1, 5), "AB", note="ok"))
    user.close()
    again = UserStore.open(tmp_path / "user.db")  # the bundled data can change meanwhile
    assert again.center_checks()["bwh-osher"].note == "ok"


def test_old_csv_without_check_columns_still_imports(tmp_path) -> None:
    from referral_app.content.center_csv import plan_import

    plan = plan_import(b"name,services,postal_code\nOld LMT,therapeutic_massage,02139\n", [], False)
    assert plan.ok and plan.count("add") == 1 and plan.rows[0].check is None
