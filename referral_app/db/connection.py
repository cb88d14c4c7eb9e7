"""Opening the two databases: the bundled reference DB (read-only) and the user DB."""

from __future__ import annotations

import sqlite3
from pathlib import Path


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


def verify_reference(db: sqlite3.Connection, path: Path) -> None:
    """Refuse a reference DB whose rows no longer match the digest written when it was built."""
    from referral_app.db.digest import table_digest

    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'table_digest'").fetchone()
        actual = table_digest(db)
    except sqlite3.DatabaseError as exc:
        raise ReferenceDbError(f"reference database is damaged: {path} ({exc})") from exc
    if row is None or row[0] != actual:
        raise ReferenceDbError(f"reference database has been altered or damaged: {path}")


def open_writable(path: Path):
    """A writable sqlite-utils Database with foreign keys on (build step and user DB)."""
    from sqlite_utils import Database

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = ON")
    return Database(conn, execute_plugins=False)
