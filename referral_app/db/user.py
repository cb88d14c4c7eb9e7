"""The per-user database: clinic settings, recent conditions (never patient identity by default)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from sqlite_utils import Database

from referral_app.content.center_csv import ImportPlan
from referral_app.db import center_checks, referral_log
from referral_app.db.center_rows import center_from_row, center_to_row, update_sql
from referral_app.db.clinic_store import CenterChangedError
from referral_app.db.connection import is_busy, open_writable, write_transaction
from referral_app.db.migrations import migrations
from referral_app.db.referral_log import LogEntry
from referral_app.db.user_file import UserDbBusyError, backup, is_damaged, move_aside
from referral_app.domain.entities import Center, ClinicCheck
from referral_app.domain.referral import Practice, Referral
from referral_app.files import make_private

STORE_IDENTITY = "store_patient_identity"
PRACTICE_KEYS = ("practice_name", "practice_address", "practice_phone", "clinician_name",
                 "clinician_credentials")  # fmt: skip


RECENT_LIMIT = 10


class UserDbError(Exception):
    """The user database cannot be used (newer version, no write access); nothing was changed."""


class UserStore:
    def __init__(self, db: Database, notices: list[str] | None = None) -> None:
        self.db = db
        self.notices = notices or []  # things the user should be told (moved, backed up)
        self._versions: dict[str, int] = {}  # row version of each local center when last read

    @classmethod
    def open(cls, path: Path) -> UserStore:
        """Open (or create) user.db: damaged files are moved aside (never busy ones), a newer one
        is refused, and a backup is written before any migration."""
        notices: list[str] = []
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists() and is_damaged(path):
                moved = move_aside(path)
                notices.append(f"The clinic database was damaged and has been kept as {moved}; "
                               "a new, empty one was created.")  # fmt: skip
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
        now = dt.datetime.now(dt.UTC).isoformat()
        with write_transaction(self.db):
            self.db.table("recent_conditions").upsert(
                {"condition_id": condition_id, "opened_at": now}, pk="condition_id"
            )
            self.db.execute(
                "DELETE FROM recent_conditions WHERE condition_id NOT IN ("
                "SELECT condition_id FROM recent_conditions ORDER BY opened_at DESC LIMIT ?)",
                [RECENT_LIMIT],
            )

    def recent(self) -> list[str]:
        sql = "SELECT condition_id FROM recent_conditions ORDER BY opened_at DESC"
        return [r[0] for r in self.db.execute(sql)]

    # -- the clinic's own list ------------------------------------------------------------
    def local_centers(self, include_retired: bool = False) -> list[Center]:
        sql = "SELECT * FROM local_centers WHERE retired = 0 OR ? ORDER BY name"
        cursor = self.db.execute(sql, [include_retired])
        cols = [d[0] for d in cursor.description]
        rows = [dict(zip(cols, r, strict=True)) for r in cursor]
        self._versions.update({r["id"]: r["row_version"] for r in rows})
        return [center_from_row(r, "local") for r in rows]

    def get_local(self, center_id: str) -> Center | None:
        """One entry by primary key (not a scan of the whole list)."""
        rows = self._rows("SELECT * FROM local_centers WHERE id = ?", [center_id])
        if not rows:
            return None
        self._versions[center_id] = rows[0]["row_version"]  # what an edit is checked against
        return center_from_row(dict(rows[0]), "local")

    def _rows(self, sql: str, params: list[object]) -> list[sqlite3.Row]:
        cursor = self.db.conn.cursor()
        cursor.row_factory = sqlite3.Row
        return cursor.execute(sql, params).fetchall()

    def _next_id(self) -> str:
        row = self.db.execute("SELECT count(*) FROM local_centers").fetchone()
        n = row[0] + 1
        while self.db.execute(
            "SELECT 1 FROM local_centers WHERE id = ?", [f"local-{n}"]
        ).fetchone():
            n += 1
        return f"local-{n}"

    def _insert(self, center: Center) -> str:
        now = _now()
        center_id = center.id or self._next_id()
        row = center_to_row(center) | {"id": center_id, "created_at": now, "updated_at": now}
        self.db.table("local_centers").insert(row)
        return center_id

    def _update(self, center: Center, overwrite: bool = False) -> None:
        """Refused (:class:`CenterChangedError`) when another instance changed the row since
        this store read it, unless ``overwrite``."""
        row = center_to_row(center) | {"updated_at": _now()}
        expected = None if overwrite else self._versions.get(center.id)
        sql, params = update_sql(row, "?", expected is not None)
        if expected is not None:
            params.append(expected)
        if self.db.execute(sql, params).rowcount == 0 and expected is not None:
            raise CenterChangedError(center.id)
        version = self.db.execute("SELECT row_version FROM local_centers WHERE id = ?", [center.id])
        self._versions[center.id] = (version.fetchone() or [0])[0]

    def add_local(self, center: Center) -> str:
        with write_transaction(self.db):
            return self._insert(center)

    def update_local(self, center: Center, overwrite: bool = False) -> None:
        with write_transaction(self.db):
            self._update(center, overwrite)

    def retire_local(self, center_id: str, retired: bool = True) -> None:
        with write_transaction(self.db):
            self.db.execute(
                "UPDATE local_centers SET retired = ?, updated_at = ?, "
                "row_version = row_version + 1 WHERE id = ?",
                [int(retired), _now(), center_id],
            )

    def apply_import(self, plan: ImportPlan) -> int:
        """Apply a valid plan in one transaction: all rows or none. Returns rows written."""
        if not plan.ok:
            raise ValueError("refusing to apply an import plan with bad rows")
        written = 0
        with write_transaction(self.db):
            for row in plan.rows:
                center_id = row.existing_id
                if row.action == "add":
                    center_id = self._insert(row.center)
                elif row.action == "update":
                    self._update(row.center)
                elif row.action != "check":
                    continue
                if row.check is not None:  # the clinic's verification travels with the row
                    center_checks.insert(self.db, replace(row.check, center_id=center_id))
                written += 1
        return written

    # -- the clinic's verifications (keyed by center id: they survive data updates) -------
    def record_check(self, check: ClinicCheck) -> None:
        with write_transaction(self.db):
            center_checks.insert(self.db, check)

    def center_checks(self) -> dict[str, ClinicCheck]:
        """The latest check per center id."""
        return center_checks.latest(self.db)

    def check_history(self, center_id: str) -> list[ClinicCheck]:
        return center_checks.history(self.db, center_id)

    # -- settings the sheet needs ---------------------------------------------------------
    def practice(self) -> Practice:
        values = [self.get_setting(k) for k in PRACTICE_KEYS]
        return Practice(*values)

    def set_practice(self, practice: Practice) -> None:
        with write_transaction(self.db):
            for key, value in zip(PRACTICE_KEYS, (practice.name, practice.address,
                                                  practice.phone, practice.clinician,
                                                  practice.credentials), strict=True):  # fmt: skip
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
        assert entry is not None
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


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
