"""The shared clinic database behind PgBouncer in transaction pooling (review 3, interop.md §3).

psycopg prepares a statement after its 5th run on a connection; behind a transaction pooler the
6th run lands on another server connection and fails ("prepared statement _pg3_0 does not exist"
or "already exists"). Two windows' worth of the calls the main window repeats, and imports one
after another, must all pass. .ci/postgres.sh starts the pooler; CI also runs the whole PostgreSQL
side of the suite through it (.ci/run)."""

from __future__ import annotations

import os

import pytest

from referral_app.domain.center import Center
from tests.clinic_helpers import fresh_pg, need_pg, open_backend

BOUNCER = os.environ.get("REFERRAL_TEST_PGBOUNCER_DSN", "")


@pytest.fixture()
def bouncer() -> str:
    fresh_pg(need_pg())
    if not BOUNCER:
        if os.environ.get("REFERRAL_REQUIRE_PGBOUNCER"):
            pytest.fail("REFERRAL_REQUIRE_PGBOUNCER is set but REFERRAL_TEST_PGBOUNCER_DSN is not")
        pytest.skip("no PgBouncer (.ci/postgres.sh starts one when pgbouncer is installed)")
    return BOUNCER


def test_two_windows_repeat_their_reads_through_a_transaction_pooler(bouncer, tmp_path) -> None:
    one = open_backend("postgres", tmp_path / "ws1", bouncer)
    two = open_backend("postgres", tmp_path / "ws2", bouncer)
    one.add_local(Center(id="", name="Harbor Massage", postal_code="94110"))
    try:
        for _round in range(12):
            for window in (one, two):
                assert window.reachable()
                assert [c.name for c in window.local_centers()] == ["Harbor Massage"]
                window.practice()
                window.referrals()
                assert window.last_error == ""
    finally:
        one.close()
        two.close()


def test_imports_one_after_another_through_a_transaction_pooler(bouncer, tmp_path) -> None:
    from referral_app.services.csv_import import import_csv

    store = open_backend("postgres", tmp_path / "ws", bouncer)
    try:
        for n in range(7):
            path = tmp_path / f"batch{n}.csv"
            path.write_text(
                f"name,city,region,postal_code,phone\nCenter {n},San Francisco,CA,94110,"
                f"415-555-01{n:02d}\n"
            )
            report = import_csv(store, path, update=False)
            assert report.saved and report.written == 1, n
        assert len(store.local_centers()) == 7
    finally:
        store.close()
