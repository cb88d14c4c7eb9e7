"""The connection half of the "Shared clinic database" home (db/shared_store.py): connect when
needed, count a failed or broken connection as away for ``retry_s``, and write the local outbox
to the server first on every (re)connection.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from referral_app.db import clinic_outbox as outbox
from referral_app.db import clinic_pg
from referral_app.db.clinic_store import ClinicOfflineError
from referral_app.db.store_errors import StoreUnavailableError, from_postgres
from referral_app.db.user import UserStore

T = TypeVar("T")
LOG = logging.getLogger("referral_app.clinic")
RETRY_S = 30.0  # while away, try the server again at most this often
READ_WAIT = 3  # a read may take this many connection timeouts (15 s) before it counts as away
READ_ONLY = (
    "the clinic database cannot be reached; the network list is the last copy read and is "
    "read-only until it is back"
)


class SharedConnection:
    """The server connection of a shared store: made when needed, the outbox written on every
    (re)connection, and each call's fallback while the server is away."""

    def __init__(
        self,
        local: UserStore,
        conninfo: str,
        password: str | None = None,
        retry_s: float = RETRY_S,
        timeout: float = clinic_pg.CONNECT_TIMEOUT_S,
    ) -> None:
        self.local, self.conninfo, self._password = local, conninfo, password
        self.notices = local.notices
        self.retry_s, self.timeout = retry_s, timeout
        self._pg: clinic_pg.PgClinic | None = None
        self._versions: dict[str, int] = {}  # center id -> row version read (survives reconnects)
        self._next_try = 0.0
        # number -> (client id, identity kept?), for the referrals this session reserved
        self._reserved: dict[str, tuple[str, bool]] = {}
        self.last_error = ""

    def _clinic(self, strict: bool = False) -> clinic_pg.PgClinic | None:
        """The live connection, (re)made when needed; on (re)connecting the outbox is written
        first. A schema of another version is an error when ``strict`` (at start: the window
        says why), later it counts as away (the server was upgraded under a running app)."""
        if self._pg is not None and not self._pg.conn.closed:
            return self._pg
        if time.monotonic() < self._next_try:
            return None
        import psycopg

        try:
            conn = clinic_pg.connect(self.conninfo, self._password, self.timeout)
            self._pg = clinic_pg.PgClinic(conn, self._versions)
            with clinic_pg.answered_within(conn, self.timeout):  # a pooler may hold it
                clinic_pg.check_schema(conn)
            self._flush()
        except psycopg.Error as exc:
            if not clinic_pg.is_away(exc):
                self._away(exc)
                raise from_postgres(exc) from exc
            self._away(exc)
            return None
        except clinic_pg.ClinicDbError as exc:
            self._away(exc)
            if strict:
                raise
            return None
        self.last_error = ""
        return self._pg

    def connect_now(self) -> bool:
        """At start: reachable or not; raises ClinicDbError for a schema of another version."""
        self._next_try = 0.0
        return self._clinic(strict=True) is not None

    def _away(self, exc: Exception) -> None:
        if self._pg is not None:
            self._pg.conn.close()
        self._pg = None
        self.last_error = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreachable"
        self._next_try = time.monotonic() + self.retry_s

    def _run(
        self, work: Callable[[clinic_pg.PgClinic], T], away: Callable[[], T], read: bool = False
    ) -> T:
        """``work`` on the server, else ``away()``. A read that fails on a connection that had
        worked is tried once more on a new one: behind a pooler (PgBouncer) a restarted server
        breaks the first query, not the pooler's connection. A write is never sent twice. A read
        not answered within READ_WAIT x ``timeout`` (a connection's first query: ``timeout``)
        counts as away."""
        import psycopg

        for attempt in range(2 if read else 1):
            if attempt:
                self._next_try = 0.0  # a read: once more, on a new connection
            pg = self._clinic()
            if pg is None:
                break
            try:
                if not read:  # a write may take its time; it is never cut off
                    return work(pg)
                with clinic_pg.answered_within(pg.conn, READ_WAIT * self.timeout):
                    return work(pg)
            except psycopg.Error as exc:
                if not clinic_pg.is_away(exc):
                    raise from_postgres(exc) from exc
                self._away(exc)
        return away()

    def on_server(self, work: Callable[[Any], T]) -> T | None:
        """``work(connection)`` on the server; None while it is away (a service's own SQL module
        does the work: see services/content_publish.py)."""
        return self._run(lambda pg: work(pg.conn), lambda: None)

    def _flush(self) -> None:
        """Write the outbox: each printed row once, then drop it here (a crash between the two
        only sends it again, and the server keeps the first)."""
        import psycopg

        if self._pg is None:
            raise StoreUnavailableError("the shared database is not connected")
        for row in outbox.queued(self.local.db):
            if row["status"] != "printed":
                continue
            try:
                self._pg.write_row(row)
            except psycopg.Error as exc:
                if clinic_pg.is_away(exc):
                    raise
                # refused (a right, a constraint): it stays queued and the workstation goes on
                why = from_postgres(exc)
                LOG.warning(
                    "referral %s stays in this workstation's outbox: %s", row["number"], why
                )
                continue
            outbox.drop(self.local.db, str(row["client_id"]))

    def _read_only(self) -> Any:
        raise ClinicOfflineError(READ_ONLY)

    def reachable(self) -> bool:
        """Asks the server (one round trip); while away, at most every ``retry_s``."""
        return self._run(
            lambda pg: pg.conn.execute("SELECT 1").fetchone() is not None, lambda: False, read=True
        )

    def describe(self) -> str:
        from referral_app.db.clinic_conninfo import display_name

        return f"Shared clinic database ({display_name(self.conninfo)})"

    def away_since(self) -> str:
        """When the copy shown while away was read ('' when there is none)."""
        kept = outbox.recall(self.local.db, "centers")
        return kept[1] if kept else ""

    @contextmanager
    def import_transaction(self, key_of: Any) -> Iterator[Any]:
        """A CSV import's writes, in one transaction on the server (refused while it is away)."""
        import psycopg

        from referral_app.db.clinic_pg_import_tx import pg_import_transaction

        pg = self._clinic()
        if pg is None:
            raise ClinicOfflineError(READ_ONLY)
        try:
            with pg_import_transaction(pg.conn) as tx:
                yield tx
        except psycopg.Error as exc:
            if not clinic_pg.is_away(exc):
                raise from_postgres(exc) from exc
            self._away(exc)
            raise ClinicOfflineError(
                "the clinic database went away during the import: nothing was imported"
            ) from exc

    def local_box(self) -> Any:
        """The clinic's entries read by place on the server; None while it is away (the last
        copy read is then ranked whole)."""
        from referral_app.db.local_box import LocalBox, pg_rows

        pg = self._clinic()
        return None if pg is None else LocalBox(pg_rows(pg.conn), "%s", ' COLLATE "C"')

    @contextmanager
    def nppes_transaction(self, note: Any, label: str) -> Iterator[Any]:
        """An NPPES import's writes, in one transaction on the server (refused while away)."""
        from referral_app.db.clinic_pg_nppes_tx import pg_nppes_transaction

        pg = self._clinic()
        if pg is None:
            raise ClinicOfflineError(READ_ONLY)
        with pg_nppes_transaction(pg.conn, note, label) as tx:
            yield tx

    def close(self) -> None:
        if self._pg is not None:
            self._pg.conn.close()
        self.local.close()
