"""The administrator's SQL in docs/CLINIC_DATABASE.md, run as written: the app's role works the
store without any DDL or DELETE right, and cannot change the schema."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from referral_app.domain.center import Center
from tests.clinic_helpers import direct_server_only, draft, need_pg

DOC = Path(__file__).resolve().parent.parent / "docs" / "CLINIC_DATABASE.md"


def _block(label: str) -> list[str]:
    text = DOC.read_text("utf-8")
    body = re.search(rf"```sql\n\s*-- clinic-database: {label}\n(.*?)```", text, re.S)
    assert body, label
    lines = [ln for ln in body.group(1).splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _as(dsn: str, **params: str):
    from psycopg.conninfo import make_conninfo

    from referral_app.db import clinic_pg

    return clinic_pg.connect(make_conninfo(dsn, **params))


def _drop(dsn: str) -> None:
    with _as(dsn, dbname="postgres") as conn:
        conn.execute("DROP DATABASE IF EXISTS referral_guide WITH (FORCE)")
        conn.execute("DROP ROLE IF EXISTS referral_app")
        conn.execute("DROP ROLE IF EXISTS referral_admin")


@pytest.fixture()
def guide_db():
    dsn = need_pg()
    direct_server_only()
    _drop(dsn)
    with _as(dsn, dbname="postgres") as conn:
        for sql in _block("roles"):
            conn.execute(sql)
    with _as(dsn, dbname="referral_guide") as conn:
        for sql in _block("privileges"):
            conn.execute(sql)
    yield dsn
    _drop(dsn)


def test_least_privilege_role_runs_the_store(guide_db, tmp_path, store) -> None:
    import psycopg
    from psycopg.conninfo import make_conninfo

    from referral_app.services import clinic_db
    from tests.clinic_helpers import open_backend

    app = make_conninfo(guide_db, dbname="referral_guide", user="referral_app")
    admin = make_conninfo(guide_db, dbname="referral_guide", user="referral_admin")
    with pytest.raises(clinic_db.ClinicConnectError, match="migration refused"):
        clinic_db.migrate(app)  # the app's role cannot create tables
    assert clinic_db.migrate(admin)
    ws = open_backend("postgres", tmp_path / "ws1", app)
    center_id = ws.add_local(Center(id="", name="Harbor Massage"))
    ws.update_local(Center(id=center_id, name="Harbor Massage Therapy"))
    ws.set_setting("practice_name", "Mission Clinic")
    entry = ws.log_referral(ws.reserve_referral(draft(store)))
    assert ws.get_referral(entry.number) == entry
    conn = ws._pg.conn
    for sql in ("CREATE TABLE intruder (i int)", "DELETE FROM referrals", "DROP TABLE settings"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(sql)
    role = conn.execute(
        "SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    assert not any(role.values())
    ws.close()
