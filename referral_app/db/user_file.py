"""The clinic database as a file: is it damaged, keep a damaged one aside, back it up.

Only SQLite's own verdict counts as damage (``SQLITE_CORRUPT``, ``SQLITE_NOTADB`` or a failed
``quick_check``). A file that is merely busy (another instance writing, a backup program holding
it) is never touched: the caller is told to try again.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from referral_app.db.connection import BUSY_TIMEOUT_S, is_busy, is_damage
from referral_app.files import atomic_path, make_private

if TYPE_CHECKING:
    from sqlite_utils import Database

# Files SQLite keeps beside a database; a copy without them is not the same database.
COMPANIONS = ("-journal", "-wal", "-shm")
BACKUP_PAGES = 256  # copied per step, so a writer waiting on the clinic DB is not starved


class UserDbBusyError(Exception):
    """Another program holds the clinic database; nothing was changed."""


def stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def is_damaged(path: Path) -> bool:
    """SQLite's verdict on the file. Read-only first, touching nothing (so a damaged file is kept
    exactly as found, WAL files included); when that cannot decide (a hot journal left by a power
    cut, a WAL to recover), open it as SQLite itself would, so its recovery runs, and ask again.
    Raises :class:`UserDbBusyError` when another program holds it."""
    verdict = _verdict(f"{path.resolve().as_uri()}?mode=ro", recover=False)
    if verdict is None:
        verdict = _verdict(str(path), recover=True)
    return bool(verdict)


def _verdict(target: str, recover: bool) -> bool | None:
    """True damaged, False healthy, None: undecided without recovery."""
    try:
        conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, uri=True, isolation_level=None)
        try:
            return conn.execute("PRAGMA quick_check").fetchone()[0] != "ok"
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            return True
        if is_busy(exc):
            raise UserDbBusyError(str(exc)) from exc
        if recover:
            raise
        return None


def move_aside(path: Path) -> Path:
    """Keep a damaged file (never deleted) as user.db.corrupt-<timestamp>, with the journal and
    WAL files SQLite needs to read it, so the kept copy is exactly what was on disk."""
    target = path.with_name(f"{path.name}.corrupt-{stamp()}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp()}-{n}")
    path.rename(target)
    for suffix in COMPANIONS:
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            extra.rename(target.with_name(target.name + suffix))
    return target


def _backup_progress(status: int, remaining: int, total: int) -> None:
    """Called between backup steps (tests use it to stop a backup half-way)."""


def backup(db: Database, path: Path) -> Path:
    """A consistent copy of the open database as user.db.bak-<timestamp>: written under a
    temporary name and renamed only when complete, so a kill never leaves a partial backup."""
    target = path.with_name(f"{path.name}.bak-{stamp()}")
    with atomic_path(target) as tmp:
        copy = sqlite3.connect(tmp)
        try:
            db.conn.backup(copy, pages=BACKUP_PAGES, progress=_progress)
        finally:
            copy.close()
        make_private(tmp)
    return target


def _progress(status: int, remaining: int, total: int) -> None:
    _backup_progress(status, remaining, total)
