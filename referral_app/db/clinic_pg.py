"""The clinic's data on PostgreSQL: SQL only, typed records out (psycopg 3, imported only here,
only when the clinic chose the shared database).

The app's role reads and writes rows; it never changes the schema. :func:`migrate` does, run by an
administrator (``referral-guide clinic-db migrate``), in one transaction, one admin at a time.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from referral_app.content.center_csv import ImportPlan
from referral_app.db import center_checks as checks_sql
from referral_app.db import clinic_pg_log as log_sql
from referral_app.db.center_rows import center_from_row, center_to_row, update_sql
from referral_app.db.clinic_schema import STEPS
from referral_app.db.clinic_store import CenterChangedError
from referral_app.db.referral_log import LogEntry
from referral_app.db.store_errors import StorePermissionError, StoreUnavailableError
from referral_app.domain.center import Center, ClinicCheck
from referral_app.domain.outcomes import Reply
from referral_app.domain.referral import Referral

MIGRATION_LOCK = 7_316_016  # pg_advisory_xact_lock key: two admins migrating wait for each other
CONNECT_TIMEOUT_S = 5


NO_LOG_RIGHT = (
    "the clinic database's role for this app may not write the referral log (INSERT and UPDATE "
    "on referrals, USAGE on referral_serial), so the sheet would be printed but not logged: "
    "nothing was printed; IT can grant it (docs/CLINIC_DATABASE.md, step 3)"
)


class ClinicDbError(StoreUnavailableError):
    """The shared clinic database cannot be used as it is (not migrated, newer, refused)."""


def is_away(exc: BaseException) -> bool:
    """A lost or refused connection, however it is reported: psycopg's connection errors, and
    the server's or a pooler's connection-class SQLSTATEs (08: e.g. PgBouncer's "server login has
    been failing"; 57P: the server shutting down or starting up)."""
    import psycopg

    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        return True
    state = getattr(exc, "sqlstate", None) or ""
    return isinstance(exc, psycopg.Error) and state.startswith(("08", "57P"))


def connect(conninfo: str, password: str | None = None, timeout: float = CONNECT_TIMEOUT_S):
    """An autocommit connection (writes use explicit transactions) returning dict rows.

    No server-side prepared statements (``prepare_threshold=None``): psycopg prepares a query
    after its 5th run on a connection, and behind a transaction-pooling PgBouncer the next run
    lands on another server connection ("prepared statement _pg3_0 does not exist / already
    exists"). The app's queries are small; planning them each time costs nothing measurable."""
    import psycopg
    from psycopg.rows import dict_row

    extra: dict[str, Any] = {"connect_timeout": max(1, round(timeout))}
    if password:
        extra["password"] = password
    conn = psycopg.connect(
        conninfo,
        autocommit=True,
        row_factory=dict_row,
        application_name="referral-guide",
        **extra,
    )
    conn.prepare_threshold = None
    return conn


@contextmanager
def answered_within(conn, seconds: float) -> Iterator[None]:
    """The server must answer what runs inside within ``seconds``, else the connection is shut
    and the call fails as away (psycopg.OperationalError). Behind PgBouncer a query for a server
    that is down waits ``query_wait_timeout`` (120 s by default) on a connection the pooler
    accepted at once, and neither ``connect_timeout`` nor a cancel request ends that wait: the
    window would hang for two minutes."""
    import socket
    import threading

    import psycopg

    done, cut, lock = threading.Event(), threading.Event(), threading.Lock()

    def shut() -> None:
        with lock:  # never once the block has ended (its descriptor may be another's by then)
            if done.is_set():
                return
            cut.set()
            try:  # shuts the connection itself (a dup of its descriptor shares it)
                with socket.socket(fileno=os.dup(conn.fileno())) as sock:
                    sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # closed meanwhile

    timer = threading.Timer(seconds, shut)
    timer.daemon = True
    timer.start()
    try:
        yield
    except psycopg.OperationalError as exc:
        if cut.is_set():  # what the window says, rather than "server closed the connection"
            raise psycopg.OperationalError(f"no answer within {seconds:g} s") from exc
        raise
    finally:
        with lock:
            done.set()
        timer.cancel()


def applied(conn) -> list[str]:
    exists = conn.execute("SELECT to_regclass('schema_migrations') AS t").fetchone()["t"]
    if exists is None:
        return []
    return [r["name"] for r in conn.execute("SELECT name FROM schema_migrations ORDER BY seq")]


def migrate(conn) -> list[str]:
    """Apply the pending steps (administrator's role). Returns the names applied now."""
    done: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [MIGRATION_LOCK])
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (seq SERIAL, "
            "name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        _refuse_newer(applied(conn))
        have = set(applied(conn))
        for step in STEPS:
            if step.name in have:
                continue
            for sql in step.postgres:
                conn.execute(sql)
            conn.execute("INSERT INTO schema_migrations (name) VALUES (%s)", [step.name])
            done.append(step.name)
    return done


def check_schema(conn) -> None:
    """The app's start: the schema must be exactly this version's (it never migrates itself)."""
    have = applied(conn)
    _refuse_newer(have)
    missing = [s.name for s in STEPS if s.name not in have]
    if missing:
        raise ClinicDbError(
            f"the clinic database needs upgrading ({missing[-1]}): an administrator runs "
            "'referral-guide clinic-db migrate' (docs/CLINIC_DATABASE.md)"
        )


def _refuse_newer(have: list[str]) -> None:
    unknown = [n for n in have if n not in {s.name for s in STEPS}]
    if unknown:
        raise ClinicDbError(
            f"the clinic database was upgraded by a newer version of the app ({unknown[-1]}); "
            "install that version on this workstation"
        )


class PgClinic:
    """The clinic's part of the store on one PostgreSQL connection (no offline logic here)."""

    def __init__(self, conn, versions: dict[str, int] | None = None) -> None:
        """``versions``: center id -> the row version last read (kept across reconnections by
        the caller, so an edit begun before the server went away is still checked)."""
        self.conn = conn
        self.versions: dict[str, int] = {} if versions is None else versions
        self._can_log: bool | None = None

    # -- settings -------------------------------------------------------------------------
    def settings(self) -> dict[str, str]:
        return {r["key"]: r["value"] for r in self.conn.execute("SELECT * FROM settings")}

    def set_settings(self, values: dict[str, str]) -> None:
        with self.conn.transaction():
            for key, value in values.items():
                self.conn.execute(
                    "INSERT INTO settings (key, value) VALUES (%s, %s) "
                    "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                    [key, value],
                )

    # -- centers --------------------------------------------------------------------------
    def center_rows(self) -> list[dict]:
        rows = self.conn.execute('SELECT * FROM local_centers ORDER BY name COLLATE "C"').fetchall()
        self.versions.update({r["id"]: r["row_version"] for r in rows})
        return rows

    def local_centers(self, include_retired: bool = False) -> list[Center]:
        rows = self.center_rows()
        return [center_from_row(r, "local") for r in rows if include_retired or not r["retired"]]

    def _insert(self, center: Center) -> str:
        now = _now()
        center_id = center.id or "local-{}".format(
            self.conn.execute("SELECT nextval('center_serial') AS n").fetchone()["n"]
        )
        row = center_to_row(center) | {"id": center_id, "created_at": now, "updated_at": now}
        _insert(self.conn, "local_centers", row)
        return center_id

    def _update(self, center: Center, overwrite: bool) -> None:
        row = center_to_row(center) | {"updated_at": _now()}
        expected = None if overwrite else self.versions.get(center.id)
        sql, params = update_sql(row, "%s", expected is not None)
        if expected is not None:
            params.append(expected)
        sql += " RETURNING row_version"
        found = self.conn.execute(sql, params).fetchone()
        if found is None and expected is not None:
            raise CenterChangedError(center.id)
        if found is not None:
            self.versions[center.id] = found["row_version"]

    def add_local(self, center: Center) -> str:
        with self.conn.transaction():
            return self._insert(center)

    def update_local(self, center: Center, overwrite: bool = False) -> None:
        with self.conn.transaction():
            self._update(center, overwrite)

    def retire_local(self, center_id: str, retired: bool = True) -> None:
        self.conn.execute(
            "UPDATE local_centers SET retired = %s, updated_at = %s, "
            "row_version = row_version + 1 WHERE id = %s",
            [int(retired), _now(), center_id],
        )

    def apply_import(self, plan: ImportPlan) -> int:
        if not plan.ok:
            raise ValueError("refusing to apply an import plan with bad rows")
        written = 0
        with self.conn.transaction():
            for row in plan.rows:
                center_id = row.existing_id
                if row.action == "add":
                    center_id = self._insert(row.center)
                elif row.action == "update":
                    self._update(row.center, overwrite=False)
                elif row.action != "check":
                    continue
                if row.check is not None:
                    self._insert_check(replace(row.check, center_id=center_id))
                written += 1
        return written

    # -- verifications --------------------------------------------------------------------
    def _insert_check(self, check: ClinicCheck) -> None:
        _insert(self.conn, "center_checks", checks_sql.check_row(check))

    def record_check(self, check: ClinicCheck) -> None:
        self._insert_check(check)

    def center_checks(self) -> dict[str, ClinicCheck]:
        found = [checks_sql.check_from_row(r) for r in self.conn.execute(checks_sql.LATEST_SQL)]
        return {c.center_id: c for c in found}

    def check_history(self, center_id: str) -> list[ClinicCheck]:
        rows = self.conn.execute(
            "SELECT * FROM center_checks WHERE center_id = %s ORDER BY checked_on DESC, id DESC",
            [center_id],
        )
        return [checks_sql.check_from_row(r) for r in rows]

    # -- referral log (SQL in clinic_pg_log) ---------------------------------------------
    def reserve(self, referral: Referral, keep_identity: bool, client_id: str) -> Referral:
        """A number for a sheet about to be printed; refused first when this role could not
        log the sheet afterwards (a printed referral must never be missing from the log)."""
        if self._can_log is None:
            self._can_log = log_sql.can_log(self.conn)
        if not self._can_log:
            raise StorePermissionError(NO_LOG_RIGHT)
        return log_sql.reserve(self.conn, referral, keep_identity, client_id)

    def write_row(self, row: dict[str, object]) -> LogEntry | None:
        return log_sql.write_row(self.conn, row)

    def void(self, number: str) -> None:
        log_sql.void(self.conn, number)

    def set_follow_up(self, number: str, status: str) -> None:
        log_sql.set_follow_up(self.conn, number, status)

    def record_reply(self, number: str, reply: Reply) -> None:
        log_sql.record_reply(self.conn, number, reply)

    def referrals(self) -> list[LogEntry]:
        return log_sql.printed(self.conn)

    def get_referral(self, key: str) -> LogEntry | None:
        return log_sql.get(self.conn, key)


def _insert(conn, table: str, row: dict) -> None:
    cols = ", ".join(row)  # column names come from our own dataclasses, never from input
    marks = ", ".join(["%s"] * len(row))
    conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))  # noqa: S608


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
