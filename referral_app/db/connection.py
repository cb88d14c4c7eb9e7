"""Opening the two databases: the bundled reference DB (read-only) and the user DB."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

# How long a write waits for another instance (the app, the command line) to finish its own.
BUSY_TIMEOUT_S = 15.0
# The only errors that mean the file itself is damaged; "locked" or "busy" never does.
DAMAGE_ERRORS = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
BUSY_ERRORS = ("SQLITE_BUSY", "SQLITE_LOCKED")


class ReferenceDbError(Exception):
    """The reference database is missing or unreadable."""


def open_reference(path: Path) -> sqlite3.Connection:
    """Open read-only and immutable: nothing is ever written next to the bundled file.

    Reads need no more than sqlite3, so the app starts without importing sqlite-utils."""
    if not path.is_file():
        raise ReferenceDbError(f"reference database not found: {path}")
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?immutable=1", uri=True)
        conn.execute("SELECT count(*) FROM meta").fetchone()
    except sqlite3.DatabaseError as exc:
        raise ReferenceDbError(
            f"reference database is damaged or unreadable: {path} ({exc})"
        ) from exc
    return conn


def open_writable(path: Path) -> Database:
    """A writable sqlite-utils Database: foreign keys on, a busy timeout, no implicit transactions
    (writes go through :func:`write_transaction`, so they start as writes)."""
    from sqlite_utils import Database

    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    return Database(conn, execute_plugins=False)


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``: the write lock is taken first (waiting up to the busy
    timeout), so what is read inside cannot change before it is written. Nested: a savepoint."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


def error_name(exc: sqlite3.Error) -> str:
    return getattr(exc, "sqlite_errorname", "") or ""


def is_damage(exc: sqlite3.Error) -> bool:
    """True only when SQLite says the file is not a database or is corrupt."""
    return error_name(exc).startswith(DAMAGE_ERRORS)


def is_busy(exc: sqlite3.Error) -> bool:
    return error_name(exc).startswith(BUSY_ERRORS)
