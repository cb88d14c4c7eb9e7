"""File → Recent conditions: the conditions last opened on this workstation (never patient data).

They live in user.db (table ``recent_conditions``). The clinic store writes them through these
functions, and so does :class:`RecentConditions`, which needs no more than sqlite3: opening a
condition notes it without opening the clinic store (migrations, sqlite-utils, a shared
server), which opens only when something needs it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

LIMIT = 10
WAIT_S = 0.5  # a recent condition is not worth waiting for another writer any longer


def add(conn: sqlite3.Connection, condition_id: str) -> None:
    """Note ``condition_id`` as opened now; keep the newest LIMIT (in the caller's transaction)."""
    now = dt.datetime.now(dt.UTC).isoformat()
    conn.execute(
        "INSERT INTO recent_conditions (condition_id, opened_at) VALUES (?, ?) "
        "ON CONFLICT (condition_id) DO UPDATE SET opened_at = excluded.opened_at",
        [condition_id, now],
    )
    conn.execute(
        "DELETE FROM recent_conditions WHERE condition_id NOT IN ("
        "SELECT condition_id FROM recent_conditions ORDER BY opened_at DESC LIMIT ?)",
        [LIMIT],
    )


def newest_first(conn: sqlite3.Connection) -> list[str]:
    sql = "SELECT condition_id FROM recent_conditions ORDER BY opened_at DESC"
    return [row[0] for row in conn.execute(sql)]


class RecentConditions:
    """The recent list of an existing user.db, on its own small connection. Every method says
    False/None instead of raising when the file cannot serve (missing, not yet migrated,
    damaged, busy): the caller then goes through the clinic store, which creates, migrates or
    moves aside the file and tells the user. The table has had these two columns since the
    first migration; a later version that changed them would make the write fail, and the
    store, opened then, would say that the file is newer than the app."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:  # mode=rw: never creates the file
            uri = f"{self.path.resolve().as_uri()}?mode=rw"
            self._conn = sqlite3.connect(uri, uri=True, timeout=WAIT_S, isolation_level=None)
            # user.db is in WAL mode (the store sets it): with NORMAL a commit does not wait for
            # the disk (fsync); a power cut may lose the last recent condition, never the file
            self._conn.execute("PRAGMA synchronous = NORMAL")
        return self._conn

    def add(self, condition_id: str) -> bool:
        """Note ``condition_id``; False when user.db could not take it."""
        try:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                add(conn, condition_id)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.Error:
            self.close()
            return False
        return True

    def newest_first(self) -> list[str] | None:
        """The recent list; None when user.db could not be read."""
        try:
            return newest_first(self._connection())
        except sqlite3.Error:
            self.close()
            return None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
