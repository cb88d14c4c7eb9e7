"""The shared clinic database's refusals and collisions, as IT and a cloned workstation meet them
(review 3, interop.md §3 and issue 24): one number per sheet, consecutive; a cloned data folder
keeps working and both referrals reach the server; a role that cannot update the log is refused
before anything is printed; every refusal is one of the store errors, never "internal error"."""

from __future__ import annotations

import shutil

import pytest

from referral_app.db import clinic_outbox
from referral_app.db.shared_store import _home_of
from referral_app.db.store_errors import StoreError, StorePermissionError
from referral_app.domain.center import Center
from tests.clinic_helpers import direct_server_only, draft, fresh_pg, need_pg, open_backend, pg_ctl


@pytest.fixture()
def dsn() -> str:
    dsn = need_pg()
    fresh_pg(dsn)
    return dsn


def _sheet(ws, store):
    return ws.log_referral(ws.reserve_referral(draft(store)))


def test_each_sheet_takes_one_number_and_numbers_follow_each_other(dsn, tmp_path, store) -> None:
    ws = open_backend("postgres", tmp_path / "ws", dsn)
    try:
        numbers = [_sheet(ws, store).number for _ in range(4)]
    finally:
        ws.close()
    assert [n[-4:] for n in numbers] == ["0001", "0002", "0003", "0004"]


def test_a_cloned_workstation_keeps_working_and_both_referrals_reach_the_server(
    dsn, tmp_path, store
) -> None:
    first = open_backend("postgres", tmp_path / "ws1", dsn)
    first._workstation()
    first.close()
    shutil.copytree(tmp_path / "ws1", tmp_path / "ws2")
    one = open_backend("postgres", tmp_path / "ws1", dsn)
    two = open_backend("postgres", tmp_path / "ws2", dsn)
    # the worst case: the copy cannot be told apart (same machine id and folder as seen)
    two.local.set_setting("workstation_home", _home_of(two.local))
    try:
        pg_ctl("stop")
        try:
            away = [_sheet(one, store), _sheet(two, store)]
        finally:
            pg_ctl("start")
        assert away[0].number == away[1].number  # the same away-number on both sheets
        assert one.referrals() and two.referrals()  # back: each outbox is written first
        assert clinic_outbox.queued(one.local.db) == clinic_outbox.queued(two.local.db) == []
        logged = [e.number for e in one.referrals()]
        assert len(set(logged)) == 2 and away[0].number in logged
        other = next(n for n in logged if n != away[0].number)
        entry = two.get_referral(away[0].number)  # the printed number still finds a referral
        assert entry is not None
        assert two.get_referral(other) is not None
        assert _sheet(two, store).number  # and the clone goes on working
    finally:
        one.close()
        two.close()


def test_a_copied_data_folder_numbers_its_own_way(dsn, tmp_path) -> None:
    first = open_backend("postgres", tmp_path / "ws1", dsn)
    ws_id = first._workstation()
    first.close()
    shutil.copytree(tmp_path / "ws1", tmp_path / "elsewhere")
    copy = open_backend("postgres", tmp_path / "elsewhere", dsn)
    try:
        assert copy._workstation() != ws_id
    finally:
        copy.close()


@pytest.fixture()
def no_update_role(dsn):
    from psycopg.conninfo import make_conninfo

    direct_server_only()  # PgBouncer logs in to the server as its own user, not this role

    from referral_app.db import clinic_pg

    with clinic_pg.connect(dsn) as conn:
        conn.execute("DROP ROLE IF EXISTS referral_readonly_log")
        conn.execute("CREATE ROLE referral_readonly_log LOGIN")
        conn.execute("GRANT USAGE ON SCHEMA public TO referral_readonly_log")
        conn.execute("GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO referral_readonly_log")
        conn.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO referral_readonly_log")
    yield make_conninfo(dsn, user="referral_readonly_log")
    with clinic_pg.connect(dsn) as conn:
        conn.execute("DROP OWNED BY referral_readonly_log")
        conn.execute("DROP ROLE referral_readonly_log")


def test_a_role_that_cannot_update_the_log_is_refused_before_printing(
    no_update_role, tmp_path, store
) -> None:
    ws = open_backend("postgres", tmp_path / "ws", no_update_role)
    try:
        with pytest.raises(StorePermissionError, match="nothing was printed"):
            ws.reserve_referral(draft(store))
        with pytest.raises(StorePermissionError, match="lacks a right"):
            ws.set_follow_up("R-20261130-0001", "seen")
        assert ws.referrals() == []
    finally:
        ws.close()


def test_the_command_line_says_a_refusal_in_one_line(
    no_update_role, tmp_path, capsys, use_reference_db, qapp
) -> None:
    """(qapp: the sheet command must find a QApplication, not make a QGuiApplication that
    would abort the GUI tests after it in the same process.)"""
    from referral_app.app import main
    from tests.clinic_helpers import shared_local

    shared_local(tmp_path / "ws", no_update_role).close()
    out = tmp_path / "sheet.pdf"
    code = main(
        [
            "--data-dir",
            str(tmp_path / "ws"),
            "sheet",
            "neck-pain",
            "--center",
            "mayo-rochester",
            "--out",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "internal error" not in err and "nothing was printed" in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_every_store_refusal_is_a_store_error(dsn, no_update_role, tmp_path) -> None:
    ws = open_backend("postgres", tmp_path / "ws", no_update_role)
    try:
        ws.add_local(Center(id="", name="Harbor Massage", postal_code="94110"))
        center = ws.local_centers()[0]
        with pytest.raises(StoreError):  # UPDATE on local_centers: not granted to this role
            ws.update_local(center)
    finally:
        ws.close()
