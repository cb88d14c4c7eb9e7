"""The per-user database: clinic settings, recent conditions (never patient identity by default)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import astuple
from pathlib import Path

from sqlite_utils import Database

from referral_app.db import recent_conditions, referral_log
from referral_app.db.connection import is_busy, open_writable, write_transaction
from referral_app.db.migrations import migrations
from referral_app.db.referral_log import LogEntry
from referral_app.db.store_errors import StoreConflictError, StoreError
from referral_app.db.user_centers import LocalCenters
from referral_app.db.user_file import UserDbBusyError, backup, is_damaged, move_aside
from referral_app.domain.outcomes import Reply
from referral_app.domain.referral import Practice, Referral
from referral_app.files import make_private

STORE_IDENTITY = "store_patient_identity"
# In the order of Practice's fields (dataclasses.astuple)
PRACTICE_KEYS = (
    "practice_name",
    "practice_address",
    "practice_phone",
    "clinician_name",
    "clinician_credentials",
    "clinician_npi",
    "fhir_identifier_base",
    "practice_fax",
)


class UserDbError(StoreError):
    """The user database cannot be used (newer version, no write access); nothing was changed."""


class UserStore(LocalCenters):
    def __init__(self, db: Database, notices: list[str] | None = None) -> None:
        super().__init__(db)
        self.notices = notices or []  # things the user should be told (moved, backed up)

    @classmethod
    def open(cls, path: Path) -> UserStore:
        """Open (or create) user.db: damaged files are moved aside (never busy ones), a newer one
        is refused, and a backup is written before any migration."""
        notices: list[str] = []
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists() and is_damaged(path):
                moved = move_aside(path)
                notices.append(
                    f"The clinic database was damaged and has been kept as {moved}; "
                    "a new, empty one was created."
                )
            db = open_writable(path)
            try:
                _prepare(db, path, notices)
            except BaseException:
                db.close()
                raise
        except UserDbBusyError as exc:
            raise UserDbError(_busy_message(path)) from exc
        except sqlite3.OperationalError as exc:
            if is_busy(exc):
                raise UserDbError(_busy_message(path)) from exc
            raise UserDbError(f"cannot write the clinic database {path}: {exc}") from exc
        except OSError as exc:
            raise UserDbError(
                f"cannot use the data folder {path.parent}: {exc.strerror or exc}"
            ) from exc
        return cls(db, notices)

    @property
    def path(self) -> Path:
        """The database file (a worker thread opens its own connection to it)."""
        return Path(self.db.execute("PRAGMA database_list").fetchone()[2])

    def close(self) -> None:
        self.db.close()

    def reopen(self) -> UserStore:
        """The same store on a new connection."""
        return UserStore.open(self.path)

    def opener(self) -> Callable[[], UserStore]:
        """Made on this thread; opens the same store on a new connection on a worker thread."""
        path = self.path
        return lambda: UserStore.open(path)

    def import_transaction(self, key_of):
        """A CSV import's writes, in one transaction (db/center_import_tx.py)."""
        from referral_app.db.center_import_tx import import_transaction

        return import_transaction(self.db, key_of)

    def local_box(self):
        """The clinic's entries read by place, for ranking (db/local_box.py)."""
        from referral_app.db.local_box import LocalBox, sqlite_rows

        return LocalBox(sqlite_rows(self.db), "?")

    def nppes_transaction(self, note, label: str):
        """An NPPES import's writes (db/nppes_tx.py): staged, then merged in one transaction."""
        from referral_app.db.nppes_tx import nppes_transaction

        return nppes_transaction(self.db, note, label)

    def describe(self) -> str:
        return f"This computer only ({self.path})"

    def reachable(self) -> bool:
        return True

    def applied_migrations(self) -> list[str]:
        return [m.name for m in migrations.applied(self.db)]

    def get_setting(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with write_transaction(self.db):
            self.db.table("settings").upsert({"key": key, "value": value}, pk="key")

    def add_recent(self, condition_id: str) -> None:
        with write_transaction(self.db):
            recent_conditions.add(self.db.conn, condition_id)

    def recent(self) -> list[str]:
        return recent_conditions.newest_first(self.db.conn)

    # -- settings the sheet needs ---------------------------------------------------------
    def practice(self) -> Practice:
        values = [self.get_setting(k) for k in PRACTICE_KEYS]
        return Practice(*values)

    def set_practice(self, practice: Practice) -> None:
        with write_transaction(self.db):
            for key, value in zip(PRACTICE_KEYS, astuple(practice), strict=True):
                self.db.table("settings").upsert({"key": key, "value": value}, pk="key")

    @property
    def stores_patient_identity(self) -> bool:
        return self.get_setting(STORE_IDENTITY) == "1"

    # -- referral log (SQL in db/referral_log.py) ------------------------------------------
    def reserve_referral(self, referral: Referral) -> Referral:
        """Give ``referral`` the next number and log it as 'pending', in one write transaction,
        before its sheet is written: two instances can never hand out the same number."""
        with write_transaction(self.db):
            return referral_log.reserve(self.db, referral, self.stores_patient_identity)

    def log_referral(self, referral: Referral) -> LogEntry:
        """Record a printed referral: its reserved row becomes 'printed' (a referral that was
        never reserved is inserted; a number already printed is refused by the UNIQUE index)."""
        with write_transaction(self.db):
            referral_log.mark_printed(self.db, referral, self.stores_patient_identity)
        entry = self.get_referral(referral.number)
        if entry is None:  # only another program removing the row just written
            raise StoreConflictError(f"referral {referral.number} vanished from the log")
        return entry

    def void_referral(self, referral: Referral) -> None:
        """The sheet for a reserved number was not written: keep the number used, out of the log."""
        with write_transaction(self.db):
            referral_log.void(self.db, referral.number)

    def referrals(self) -> list[LogEntry]:
        """Printed referrals, newest first (reserved-but-unwritten and void numbers are not)."""
        return referral_log.printed(self.db)

    def get_referral(self, key: str) -> LogEntry | None:
        return referral_log.get(self.db, key)

    def set_follow_up(self, number: str, status: str) -> None:
        """Sent, scheduled, seen or reply received: where a referral stands."""
        with write_transaction(self.db):
            referral_log.set_follow_up(self.db, number, status)

    def record_reply(self, number: str, reply: Reply) -> None:
        """The reply slip's sessions and PEG-3 (the referral's status: reply received)."""
        with write_transaction(self.db):
            referral_log.record_reply(self.db, number, reply)


def _busy_message(path: Path) -> str:
    return (
        f"the clinic database {path} is in use by another program (another copy of the app, "
        "or a backup); nothing was changed. Close it and try again."
    )


def _prepare(db: Database, path: Path, notices: list[str]) -> None:
    make_private(path)
    db.execute("PRAGMA journal_mode = WAL")
    _check_version(db, path)
    if migrations.pending(db) and migrations.applied(db):
        notices.append(f"Backup before upgrading: {backup(db, path)}")
    with write_transaction(db):  # two first starts: one migrates, the other waits, then skips
        migrations.apply(db)


def _check_version(db: Database, path: Path) -> None:
    known = {m.name for m in migrations.pending(Database(memory=True))}
    unknown = [m.name for m in migrations.applied(db) if m.name not in known]
    if unknown:
        raise UserDbError(
            f"{path} was written by a newer version of the app ({unknown[-1]}); it was left "
            "untouched. Install the newer version, or move the file away to start afresh."
        )
