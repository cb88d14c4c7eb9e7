"""The clinic store over both homes: one parametrized fixture, ``clinic_store``.

The PostgreSQL side needs a server: ``REFERRAL_TEST_PG_DSN`` (a superuser's connection string to
a throwaway database; ``.ci/postgres.sh`` starts one on a unix socket). Without it that side is
skipped, so ``make test`` passes on a laptop; CI sets ``REFERRAL_REQUIRE_PG=1`` so it never skips.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
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
    return Referral("", when, rec, store.get_center("ucsf-osher"), Practice(),
                    Patient(name=name, dob="1961-07-23" if name else ""))  # fmt: skip


def pg_ctl(action: str) -> None:
    """Stop or start the test server (the server-away tests)."""
    ctl, data = os.environ.get("REFERRAL_TEST_PG_CTL"), os.environ.get("REFERRAL_TEST_PG_DATA")
    if not (ctl and data):
        pytest.skip(
            "REFERRAL_TEST_PG_CTL/REFERRAL_TEST_PG_DATA not set (.ci/postgres.sh sets them)"
        )
    args = [ctl, "-D", data, "-w", "-m", "fast", action] if action == "stop" else [
        ctl, "-D", data, "-w", "-l", str(Path(data).parent / "log"), action]  # fmt: skip
    if os.geteuid() == 0:
        args = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(args)]
    subprocess.run(args, check=True, capture_output=True, timeout=60)
