"""One migration history for both homes: a user.db made by any earlier version of the app (the
first eight steps were then written with sqlite-utils' table API, kept here as they were)
migrates to the same schema as a new one, and a shared database at any version likewise."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database, Migrations

from referral_app.db import clinic_pg
from referral_app.db.clinic_schema import STEPS
from referral_app.db.user import UserStore
from tests.clinic_helpers import need_pg

# -- the SQLite code path of m001-m008 before the history was one list (verbatim but for layout) --
old = Migrations("referral_app.user")


@old(name="m001_initial")
def _m001(db: Database) -> None:
    db.table("settings").create({"key": str, "value": str}, pk="key")
    db.table("recent_conditions").create({"condition_id": str, "opened_at": str}, pk="condition_id")


_CENTER = ["name", "parent_system", "street", "city", "region", "postal_code", "country"]
_CENTER_MORE = [
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
]
_CENTER_LAST = [
    "status",
    "status_note",
    "confidence_note",
    "kind",
    "notes",
    "accepted_insurances",
    "typical_wait",
]


@old(name="m002_local_centers")
def _m002(db: Database) -> None:
    columns: dict[str, type] = {"id": str, **dict.fromkeys(_CENTER, str)}
    columns |= {"latitude": float, "longitude": float, **dict.fromkeys(_CENTER_MORE, str)}
    columns |= {"verified": int, **dict.fromkeys(_CENTER_LAST, str), "preferred": int}
    columns |= {"retired": int, "created_at": str, "updated_at": str}
    defaults = {"retired": 0, "preferred": 0, "verified": 0}
    db.table("local_centers").create(columns, pk="id", defaults=defaults)
    db.table("local_centers").create_index(["name", "postal_code"])


_REFERRAL = [
    "number",
    "created_at",
    "condition_id",
    "condition_name",
    "level",
    "answers",
    "center_id",
    "center_name",
    "center_origin",
    "clinician",
    "lang",
    "parts",
    "urgency",
    "patient_name",
    "patient_dob",
]


@old(name="m003_referral_log")
def _m003(db: Database) -> None:
    db.table("referrals").create({"id": int, **dict.fromkeys(_REFERRAL, str)}, pk="id")


@old(name="m004_defer_override")
def _m004(db: Database) -> None:
    db.table("referrals").add_column("override_defer", str)


_CHECK = [
    "center_id",
    "checked_on",
    "by_initials",
    "method",
    "note",
    "phone",
    "street",
    "city",
    "region",
    "postal_code",
    "website",
    "recorded_at",
]


@old(name="m005_center_checks")
def _m005(db: Database) -> None:
    db.table("local_centers").add_column("location_basis", str)
    db.table("center_checks").create({"id": int, **dict.fromkeys(_CHECK, str)}, pk="id")
    db.table("center_checks").create_index(["center_id", "checked_on"])


@old(name="m006_referral_numbers_unique")
def _m006(db: Database) -> None:
    db.execute("ALTER TABLE referrals ADD COLUMN status TEXT NOT NULL DEFAULT 'printed'")
    db.execute(
        "UPDATE referrals SET number = number || '-dup-' || id WHERE id NOT IN "
        "(SELECT min(id) FROM referrals GROUP BY number)"
    )
    db.execute("CREATE UNIQUE INDEX referrals_number ON referrals(number)")


@old(name="m007_referral_snapshot")
def _m007(db: Database) -> None:
    db.table("referrals").add_column("data_version", str)
    db.table("referrals").add_column("snapshot", str)


@old(name="m008_referral_follow_up")
def _m008(db: Database) -> None:
    db.table("referrals").add_column("follow_up", str)


def _sql(statements: tuple[str, ...]):
    def run(db: Database) -> None:
        for sql in statements:
            db.execute(sql)

    return run


for _step in STEPS[8:]:  # from m009 on the steps were already plain SQL, per dialect
    old(name=_step.name)(_sql(_step.sqlite))


def _sqlite_schema(path: Path) -> dict[str, object]:
    conn = sqlite3.connect(path)
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != '_sqlite_migrations' ORDER BY name"
        )
    ]
    schema: dict[str, object] = {}
    for table in tables:
        columns = conn.execute(f"PRAGMA table_xinfo({table})").fetchall()
        indexes = {
            name: (unique, origin, partial, conn.execute(f"PRAGMA index_info({name})").fetchall())
            for _, name, unique, origin, partial in conn.execute(f"PRAGMA index_list({table})")
        }
        schema[table] = (columns, indexes)
    conn.close()
    return schema


@pytest.mark.parametrize("stop", [s.name for s in STEPS] + [None])
def test_a_user_db_from_any_earlier_version_migrates_to_the_same_schema(
    tmp_path: Path, stop: str | None
) -> None:
    UserStore.open(tmp_path / "new" / "user.db").close()
    path = tmp_path / "old" / "user.db"
    path.parent.mkdir()
    db = Database(path)
    if stop is None:
        old.apply(db)  # made by the old code at today's version: nothing to do
    else:
        old.apply(db, stop_before=stop)
    names = [m.name for m in old.applied(db)]
    dup = "m003_referral_log" in names and "m006_referral_numbers_unique" not in names
    if dup:  # two instances printed at once before numbers were unique
        db.execute("INSERT INTO referrals (id, number) VALUES (1, 'R-1'), (2, 'R-1')")
    db.close()
    store = UserStore.open(path)
    assert store.applied_migrations() == [s.name for s in STEPS]
    store.close()
    assert _sqlite_schema(path) == _sqlite_schema(tmp_path / "new" / "user.db")
    if dup:
        rows = sqlite3.connect(path).execute("SELECT number FROM referrals ORDER BY id")
        assert rows.fetchall() == [("R-1",), ("R-1-dup-2",)]


# -- the shared database: its SQL is the history's PostgreSQL side, at any version ---------------
def _pg_schema(conn) -> list[tuple]:
    columns = conn.execute(
        "SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity "
        "FROM information_schema.columns WHERE table_schema = 'public' "
        "AND table_name != 'schema_migrations' ORDER BY table_name, column_name"
    ).fetchall()
    indexes = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname"
    ).fetchall()
    sequences = conn.execute(
        "SELECT sequence_name FROM information_schema.sequences ORDER BY sequence_name"
    ).fetchall()
    return [tuple(r.values()) for r in columns + indexes + sequences]


def _fresh(conn) -> None:
    conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
    conn.execute("CREATE SCHEMA public")


@pytest.mark.parametrize("upto", [0, 3, 8, 12, len(STEPS) - 1])
def test_a_shared_db_from_any_earlier_version_migrates_to_the_same_schema(upto: int) -> None:
    dsn = need_pg()
    with clinic_pg.connect(dsn) as conn:
        _fresh(conn)
        clinic_pg.migrate(conn)
        want = _pg_schema(conn)
        _fresh(conn)
        conn.execute(
            "CREATE TABLE schema_migrations (seq SERIAL, name TEXT PRIMARY KEY, "
            "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        for step in STEPS[:upto]:  # an administrator migrated with that version of the app
            for sql in step.postgres:
                conn.execute(sql)
            conn.execute("INSERT INTO schema_migrations (name) VALUES (%s)", [step.name])
        assert clinic_pg.migrate(conn) == [s.name for s in STEPS[upto:]]
        assert clinic_pg.applied(conn) == [s.name for s in STEPS]
        assert _pg_schema(conn) == want
