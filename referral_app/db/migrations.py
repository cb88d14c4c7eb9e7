"""Versioned schema of the user database (sqlite-utils Migrations; each runs once, in order)."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from referral_app.db.clinic_schema import STEPS

migrations = Migrations("referral_app.user")


@migrations()
def m001_initial(db: Database) -> None:
    db.table("settings").create({"key": str, "value": str}, pk="key")
    db.table("recent_conditions").create({"condition_id": str, "opened_at": str}, pk="condition_id")


@migrations()
def m002_local_centers(db: Database) -> None:
    """The clinic's own centers and therapists (never in the bundled DB)."""
    db.table("local_centers").create(
        {"id": str, "name": str, "parent_system": str, "street": str, "city": str,
         "region": str, "postal_code": str, "country": str, "latitude": float,
         "longitude": float, "phone": str, "website": str, "services": str,
         "populations": str, "self_referral": str, "physician_order": str,
         "referral_notes": str, "insurance_notes": str, "languages": str, "hours": str,
         "source_url": str, "last_verified": str, "verified": int, "status": str,
         "status_note": str, "confidence_note": str, "kind": str, "notes": str,
         "accepted_insurances": str, "typical_wait": str, "preferred": int, "retired": int,
         "created_at": str, "updated_at": str},
        pk="id",
        defaults={"retired": 0, "preferred": 0, "verified": 0},
    )  # fmt: skip
    db.table("local_centers").create_index(["name", "postal_code"])


@migrations()
def m003_referral_log(db: Database) -> None:
    """One row per printed referral. Patient identity columns stay empty unless opted in."""
    db.table("referrals").create(
        {"id": int, "number": str, "created_at": str, "condition_id": str,
         "condition_name": str, "level": str, "answers": str, "center_id": str,
         "center_name": str, "center_origin": str, "clinician": str, "lang": str, "parts": str,
         "urgency": str, "patient_name": str, "patient_dob": str},
        pk="id",
    )  # fmt: skip


@migrations()
def m004_defer_override(db: Database) -> None:
    """The reason a clinician gave for preparing a deferred referral (printed; reprints keep it)."""
    db.table("referrals").add_column("override_defer", str)


@migrations()
def m005_center_checks(db: Database) -> None:
    """The clinic's own verifications of centers (bundled or local), keyed by center id so they
    survive data updates; local entries also remember how they were placed on the map."""
    db.table("local_centers").add_column("location_basis", str)
    db.table("center_checks").create(
        {"id": int, "center_id": str, "checked_on": str, "by_initials": str, "method": str,
         "note": str, "phone": str, "street": str, "city": str, "region": str,
         "postal_code": str, "website": str, "recorded_at": str},
        pk="id",
    )  # fmt: skip
    db.table("center_checks").create_index(["center_id", "checked_on"])


@migrations()
def m006_referral_numbers_unique(db: Database) -> None:
    """Each referral number once. A number is now reserved (status 'pending') in the same
    transaction that assigns it, before the sheet is written, and marked 'printed' once it was.
    'void' keeps a number whose sheet failed, so it is never handed out again.

    Logs written before this version may hold the same number twice (two instances printing at
    once); the later rows keep their number with '-dup-<id>' appended, so nothing is lost."""
    db.execute("ALTER TABLE referrals ADD COLUMN status TEXT NOT NULL DEFAULT 'printed'")
    db.execute(
        "UPDATE referrals SET number = number || '-dup-' || id WHERE id NOT IN "
        "(SELECT min(id) FROM referrals GROUP BY number)"
    )
    db.execute("CREATE UNIQUE INDEX referrals_number ON referrals(number)")


@migrations()
def m007_referral_snapshot(db: Database) -> None:
    """What each printed sheet was made from (data version; the recommendation and destination
    as printed, as JSON), so a reprint is a true copy. Add-only: older rows keep NULL here."""
    db.table("referrals").add_column("data_version", str)
    db.table("referrals").add_column("snapshot", str)


@migrations()
def m008_referral_follow_up(db: Database) -> None:
    """Where each referral stands, set from the log: sent, scheduled, seen, reply received."""
    db.table("referrals").add_column("follow_up", str)


def _sql_step(statements: tuple[str, ...]):
    def run(db: Database) -> None:
        for sql in statements:
            db.execute(sql)

    return run


# From m009 on, the steps are written once, for both dialects, in clinic_schema.STEPS.
for _step in STEPS:
    if _step.sqlite is not None:
        migrations(name=_step.name)(_sql_step(_step.sqlite))
