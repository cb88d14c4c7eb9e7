"""The center schema is written once (domain/center.py); the CSV columns stay a stable interface."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from referral_app.content.center_csv import EXPORT_COLUMNS, plan_import, write_csv
from referral_app.content.centers import CENTER_COLUMNS
from referral_app.domain.center import Center

# The columns as the first releases wrote them: files made then must keep importing.
OLD_CENTER_COLUMNS = (
    "id",
    "name",
    "parent_system",
    "street",
    "city",
    "region",
    "postal_code",
    "country",
    "latitude",
    "longitude",
    "phone",
    "website",
    "services",
    "populations",
    "self_referral",
    "physician_order",
    "referral_notes",
    "insurance_notes",
    "languages",
    "hours",
    "source_url",
    "last_verified",
    "verified",
    "status",
    "status_note",
    "confidence_note",
)
OLD_EXPORT_COLUMNS = OLD_CENTER_COLUMNS + (
    "location_basis",
    "kind",
    "notes",
    "accepted_insurances",
    "typical_wait",
    "preferred",
    "checked_on",
    "checked_by",
    "check_method",
    "check_note",
    "entry",
)
OLD_ROW = {
    "name": "Lakeside Massage",
    "street": "1 Main St",
    "city": "Rochester",
    "region": "MN",
    "postal_code": "55901",
    "country": "US",
    "latitude": "44.02",
    "longitude": "-92.46",
    "phone": "507-555-0100",
    "services": "medical_massage;manual_lymphatic_drainage",
    "self_referral": "yes",
    "languages": "en;es",
    "verified": "yes",
    "kind": "therapist",
    "notes": "ask for Ana",
    "accepted_insurances": "BCBS",
    "typical_wait": "1 week",
    "preferred": "yes",
    "location_basis": "building",
}


def test_the_csv_columns_are_the_ones_files_already_carry() -> None:
    assert CENTER_COLUMNS == OLD_CENTER_COLUMNS
    # Older columns keep their place; columns added since (fax, npi) come after them.
    assert EXPORT_COLUMNS == OLD_EXPORT_COLUMNS + ("fax", "npi", "check_result")


def _old_file(header: tuple[str, ...], row: dict[str, str]) -> bytes:
    cells = [row.get(name, "") for name in header]
    return (",".join(header) + "\r\n" + ",".join(cells) + "\r\n").encode("utf-8")


def test_an_old_export_file_still_imports_every_field() -> None:
    plan = plan_import(_old_file(OLD_EXPORT_COLUMNS, OLD_ROW), [], update=False)
    assert plan.ok and not plan.warnings and plan.count("add") == 1
    center = plan.rows[0].center
    assert (center.name, center.city, center.latitude, center.longitude) == (
        "Lakeside Massage",
        "Rochester",
        44.02,
        -92.46,
    )
    assert center.services == ("medical_massage", "manual_lymphatic_drainage")
    assert center.languages == ("en", "es") and center.self_referral == "yes" and center.verified
    assert (center.kind, center.notes, center.accepted_insurances, center.typical_wait) == (
        "therapist",
        "ask for Ana",
        "BCBS",
        "1 week",
    )
    assert center.preferred and center.location_basis == "building"


def test_a_file_with_only_the_bundled_columns_imports_too() -> None:
    plan = plan_import(_old_file(OLD_CENTER_COLUMNS, OLD_ROW), [], update=False)
    assert plan.ok and plan.count("add") == 1
    assert plan.rows[0].center.phone == "507-555-0100"


def test_an_exported_file_has_the_old_header_and_reimports(tmp_path: Path) -> None:
    center = Center(
        id="l1",
        name="Lakeside",
        services=("medical_massage",),
        kind="therapist",
        typical_wait="2 weeks",
        preferred=True,
        origin="local",
    )
    out = tmp_path / "centers.csv"
    write_csv(out, [center])
    header = out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert tuple(header) == OLD_EXPORT_COLUMNS + ("fax", "npi", "check_result")
    plan = plan_import(out.read_bytes(), [], update=False)
    again = plan.rows[0].center
    assert (again.name, again.kind, again.typical_wait, again.preferred) == (
        "Lakeside",
        "therapist",
        "2 weeks",
        True,
    )


def test_the_reference_table_has_the_bundled_columns(reference_db: Path) -> None:
    conn = sqlite3.connect(reference_db)
    names = tuple(r[1] for r in conn.execute("PRAGMA table_info(centers)"))
    conn.close()
    assert names == OLD_CENTER_COLUMNS + ("provenance", "location_basis", "who_may_book")
