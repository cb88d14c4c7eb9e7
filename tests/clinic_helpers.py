"""The clinic store over both homes: one parametrized fixture, ``clinic_store``.

The PostgreSQL side needs a server: ``REFERRAL_TEST_PG_DSN`` (a superuser's connection string to
a throwaway database; ``.ci/postgres.sh`` starts one on a unix socket). Without it that side is
skipped, so ``make test`` passes on a laptop; CI sets ``REFERRAL_REQUIRE_PG=1`` so it never skips.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from referral_app.db.user import UserStore
from referral_app.domain.recommend import Screen
from referral_app.domain.referral import Patient, Practice, Referral

PG_DSN = os.environ.get("REFERRAL_TEST_PG_DSN", "")
BACKENDS = ("sqlite", "postgres")


def need_pg() -> str:
    if not PG_DSN:
        if os.environ.get("REFERRAL_REQUIRE_PG"):
            pytest.fail("REFERRAL_REQUIRE_PG is set but REFERRAL_TEST_PG_DSN is not")
        pytest.skip("no PostgreSQL server (set REFERRAL_TEST_PG_DSN; see .ci/postgres.sh)")
    return PG_DSN


def fresh_pg(dsn: str) -> None:
    """An empty database, migrated as an administrator would."""
    from referral_app.db import clinic_pg

    with clinic_pg.connect(dsn) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
        clinic_pg.migrate(conn)


def shared_local(folder: Path, dsn: str) -> UserStore:
    """A workstation's user.db pointed at the shared database."""
    from referral_app.services.clinic_db import CONNINFO_KEY, MODE_KEY, SHARED

    local = UserStore.open(folder / "user.db")
    local.set_setting(MODE_KEY, SHARED)
    local.set_setting(CONNINFO_KEY, dsn)
    return local


def open_backend(kind: str, folder: Path, dsn: str = ""):
    if kind == "sqlite":
        return UserStore.open(folder / "user.db")
    from referral_app.db.shared_store import SharedStore

    return SharedStore(shared_local(folder, dsn), dsn, retry_s=0, timeout=2)


@pytest.fixture(params=BACKENDS)
def clinic_store(request: pytest.FixtureRequest, tmp_path: Path):
    dsn = ""
    if request.param == "postgres":
        dsn = need_pg()
        fresh_pg(dsn)
    store = open_backend(request.param, tmp_path / "ws1", dsn)
    store.backend, store.dsn, store.folder = request.param, dsn, tmp_path
    yield store
    store.close()


def draft(store, when: dt.date = dt.date(2026, 11, 30), name: str = "") -> Referral:
    """A referral as the flow builds it (the reference store gives real records)."""
    from referral_app.services.recommendation import make_recommendation

    rec = make_recommendation(store, store.get_condition("neck-pain"), Screen())
    return Referral(
        "",
        when,
        rec,
        store.get_center("ucsf-osher"),
        Practice(),
        Patient(name=name, dob="1961-07-23" if name else ""),
    )


def through_pooler() -> bool:
    """The suite's second pass in CI goes through PgBouncer (.ci/run): port 6432."""
    return "port=6432" in os.environ.get("REFERRAL_TEST_PG_DSN", "")


def direct_server_only() -> None:
    """Password and role set-up are the server's own (PgBouncer authenticates by itself, with
    its own user list): these tests run against the server directly, in CI's first pass."""
    if through_pooler():
        pytest.skip("server authentication: tested directly against the server (first pass)")


def _wait_through_pooler() -> None:
    """After a restart, until a query through PgBouncer works again (it logs in to the server
    again server_login_retry later): the server is back as a workstation sees it."""
    import psycopg

    for _ in range(40):
        try:
            with psycopg.connect(os.environ["REFERRAL_TEST_PG_DSN"], connect_timeout=2) as conn:
                conn.execute("SELECT 1")
                return
        except psycopg.Error:
            time.sleep(0.25)


def pg_ctl(action: str) -> None:
    """Stop or start the test server (the server-away tests)."""
    ctl, data = os.environ.get("REFERRAL_TEST_PG_CTL"), os.environ.get("REFERRAL_TEST_PG_DATA")
    if not (ctl and data):
        pytest.skip(
            "REFERRAL_TEST_PG_CTL/REFERRAL_TEST_PG_DATA not set (.ci/postgres.sh sets them)"
        )
    args = (
        [ctl, "-D", data, "-w", "-m", "fast", action]
        if action == "stop"
        else [ctl, "-D", data, "-w", "-l", str(Path(data).parent / "log"), action]
    )
    if os.geteuid() == 0:
        args = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(args)]
    subprocess.run(args, check=True, capture_output=True, timeout=60)
    if action == "start" and through_pooler():
        _wait_through_pooler()


@contextmanager
def password_role(dsn: str, role: str, password: str) -> Iterator[str]:
    """A role that must give its password over the test server's socket (a ``pg_hba.conf`` line
    of its own, removed afterwards); yields its connection string, without the password."""
    direct_server_only()
    from psycopg.conninfo import make_conninfo

    from referral_app.db import clinic_pg

    data = os.environ.get("REFERRAL_TEST_PG_DATA", "")
    hba = Path(data) / "pg_hba.conf"
    if not (data and os.access(hba, os.W_OK)):
        if os.environ.get("REFERRAL_REQUIRE_PG"):
            pytest.fail(f"cannot write {hba} to ask {role} for a password")
        pytest.skip("REFERRAL_TEST_PG_DATA not set or its pg_hba.conf not writable")
    line = f"local all {role} scram-sha-256\n"
    kept = hba.read_text(encoding="utf-8").splitlines(keepends=True)
    before = "".join(x for x in kept if x != line)  # a run killed midway left its line
    hba.write_text(line + before, encoding="utf-8")
    conninfo = make_conninfo(dsn, user=role)
    try:
        _create_role(dsn, role, password)
        _wait_for_hba(conninfo, asks=True)
        yield conninfo
    finally:
        hba.write_text(before, encoding="utf-8")
        with clinic_pg.connect(dsn) as conn:
            conn.execute("SELECT pg_reload_conf()")
        _wait_for_hba(conninfo, asks=False)


def _create_role(dsn: str, role: str, password: str) -> None:
    """The role, with the app's rights on the migrated tables, and the server's new pg_hba."""
    from psycopg import sql

    from referral_app.db import clinic_pg

    name = sql.Identifier(role)
    with clinic_pg.connect(dsn) as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone():
            conn.execute(sql.SQL("DROP OWNED BY {}").format(name))  # a run that stopped midway
        else:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(name))
        conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(name, sql.Literal(password)))
        conn.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name))
        for rights, what in (
            ("SELECT, INSERT, UPDATE", "TABLES"),
            ("USAGE, SELECT, UPDATE", "SEQUENCES"),
        ):
            conn.execute(
                sql.SQL("GRANT {} ON ALL {} IN SCHEMA public TO {}").format(
                    sql.SQL(rights), sql.SQL(what), name
                )
            )
        conn.execute("SELECT pg_reload_conf()")


def _wait_for_hba(conninfo: str, asks: bool) -> None:
    """pg_reload_conf() only signals the server: wait until a new connection sees the change."""
    import psycopg

    for _ in range(100):
        try:
            psycopg.connect(conninfo, connect_timeout=2).close()
            asked = False
        except psycopg.OperationalError as exc:
            asked = "password" in str(exc)
        if asked == asks:
            return
        time.sleep(0.05)
    raise AssertionError(f"the server did not {'start' if asks else 'stop'} asking for a password")
