"""The clinic's verifications of centers (user.db ``center_checks``): SQL only, typed records out.

Every check is kept (an audit trail); the latest one per center (by date, then entry order) is
the one that counts.
"""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from referral_app.domain.center import ClinicCheck

_DETAILS = ("note", "phone", "street", "city", "region", "postal_code", "website")
LATEST_SQL = """
SELECT * FROM center_checks AS c
WHERE c.id = (SELECT d.id FROM center_checks AS d WHERE d.center_id = c.center_id
              ORDER BY d.checked_on DESC, d.id DESC LIMIT 1)
ORDER BY c.center_id
"""


def check_row(check: ClinicCheck) -> dict[str, object]:
    return {k: getattr(check, k) for k in _DETAILS} | {
        "center_id": check.center_id,
        "checked_on": check.checked_on.isoformat(),
        "by_initials": check.by,
        "method": check.method,
        "result": check.result,
        "recorded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def insert(db: Database, check: ClinicCheck) -> None:
    """Caller holds the transaction."""
    db.table("center_checks").insert(check_row(check))


def check_from_row(row: dict) -> ClinicCheck:
    return ClinicCheck(
        center_id=row["center_id"],
        checked_on=dt.date.fromisoformat(row["checked_on"]),
        by=row["by_initials"] or "",
        method=row["method"] or "phone",
        result=row.get("result") or "confirmed",  # checks from before m017 confirmed
        **{k: row[k] or "" for k in _DETAILS},
    )


def latest(db: Database) -> dict[str, ClinicCheck]:
    cursor = db.execute(LATEST_SQL)
    cols = [d[0] for d in cursor.description]
    checks = [check_from_row(dict(zip(cols, r, strict=True))) for r in cursor]
    return {c.center_id: c for c in checks}


def history(db: Database, center_id: str) -> list[ClinicCheck]:
    cursor = db.execute(
        "SELECT * FROM center_checks WHERE center_id = ? ORDER BY checked_on DESC, id DESC",
        [center_id],
    )
    cols = [d[0] for d in cursor.description]
    return [check_from_row(dict(zip(cols, r, strict=True))) for r in cursor]
