"""The per-user database: clinic settings, recent conditions (never patient identity by default)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path

from sqlite_utils import Database

from referral_app.content.center_csv import ImportPlan
from referral_app.db import center_checks
from referral_app.db.center_rows import center_from_row, center_to_row
from referral_app.db.connection import open_writable
from referral_app.db.migrations import migrations
from referral_app.domain.entities import Center, ClinicCheck
from referral_app.domain.referral import Practice, Referral, referral_number

STORE_IDENTITY = "store_patient_identity"
PRACTICE_KEYS = ("practice_name", "practice_address", "practice_phone", "clinician_name",
                 "clinician_credentials")  # fmt: skip


@dataclass(frozen=True, slots=True)
class LogEntry:
    id: int
    number: str
    created_at: str
    condition_id: str
    condition_name: str
    level: str
    answers: dict[str, str]
    center_id: str
    center_name: str
    center_origin: str
    clinician: str
    lang: str
    parts: tuple[str, ...]
    urgency: str
    patient_name: str
    patient_dob: str
    override_defer: str = ""


RECENT_LIMIT = 10


class UserDbError(Exception):
    """The user database cannot be used (newer version, no write access); nothing was changed."""


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def _is_healthy(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


def _move_aside(path: Path) -> Path:
    """Keep a damaged file (never deleted) as user.db.corrupt-<timestamp>, with its WAL files."""
    target = path.with_name(f"{path.name}.corrupt-{_stamp()}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            extra.rename(target.with_name(target.name + suffix))
    return target


def _backup(db: Database, path: Path) -> Path:
    target = path.with_name(f"{path.name}.bak-{_stamp()}")
    copy = sqlite3.connect(target)
    try:
        db.conn.backup(copy)
    finally:
        copy.close()
    return target


class UserStore:
    def __init__(self, db: Database, notices: list[str] | None = None) -> None:
        self.db = db
        self.notices = notices or []  # things the user should be told (moved, backed up)

    @classmethod
    def open(cls, path: Path) -> UserStore:
        """Open (or create) user.db: damaged files are moved aside, a newer one is refused, and a
        backup is written before any migration."""
        notices: list[str] = []
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists() and not _is_healthy(path):
                moved = _move_aside(path)
                notices.append(f"The clinic database was damaged and has been kept as {moved}; "
                               "a new, empty one was created.")  # fmt: skip
            db = open_writable(path)
            _check_version(db, path)
            pending = migrations.pending(db)
            if pending and migrations.applied(db):
                notices.append(f"Backup before upgrading: {_backup(db, path)}")
            db.execute("PRAGMA journal_mode = WAL")
            migrations.apply(db)
        except sqlite3.OperationalError as exc:
            raise UserDbError(f"cannot write the clinic database {path}: {exc}") from exc
        except OSError as exc:
            raise UserDbError(
                f"cannot use the data folder {path.parent}: {exc.strerror or exc}"
            ) from exc
        return cls(db, notices)

    def close(self) -> None:
        self.db.close()

    def applied_migrations(self) -> list[str]:
        return [m.name for m in migrations.applied(self.db)]

    def get_setting(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.db.atomic():
            self.db["settings"].upsert({"key": key, "value": value}, pk="key")

    def add_recent(self, condition_id: str) -> None:
        now = dt.datetime.now(dt.UTC).isoformat()
        with self.db.atomic():
            self.db["recent_conditions"].upsert(
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
        where = "1" if include_retired else "retired = 0"
        cursor = self.db.execute(f"SELECT * FROM local_centers WHERE {where} ORDER BY name")  # noqa: S608
        cols = [d[0] for d in cursor.description]
        return [center_from_row(dict(zip(cols, r, strict=True)), "local") for r in cursor]

    def get_local(self, center_id: str) -> Center | None:
        return next((c for c in self.local_centers(True) if c.id == center_id), None)

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
        self.db["local_centers"].insert(row)
        return center_id

    def _update(self, center: Center) -> None:
        row = center_to_row(center) | {"updated_at": _now()}
        self.db["local_centers"].update(center.id, row)

    def add_local(self, center: Center) -> str:
        with self.db.atomic():
            return self._insert(center)

    def update_local(self, center: Center) -> None:
        with self.db.atomic():
            self._update(center)

    def retire_local(self, center_id: str, retired: bool = True) -> None:
        with self.db.atomic():
            self.db["local_centers"].update(
                center_id, {"retired": int(retired), "updated_at": _now()}
            )

    def apply_import(self, plan: ImportPlan) -> int:
        """Apply a valid plan in one transaction: all rows or none. Returns rows written."""
        if not plan.ok:
            raise ValueError("refusing to apply an import plan with bad rows")
        written = 0
        with self.db.atomic():
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
        with self.db.atomic():
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
        with self.db.atomic():
            for key, value in zip(PRACTICE_KEYS, (practice.name, practice.address,
                                                  practice.phone, practice.clinician,
                                                  practice.credentials), strict=True):  # fmt: skip
                self.db["settings"].upsert({"key": key, "value": value}, pk="key")

    @property
    def stores_patient_identity(self) -> bool:
        return self.get_setting(STORE_IDENTITY) == "1"

    # -- referral log ----------------------------------------------------------------------
    def next_referral_number(self, date: dt.date) -> str:
        row = self.db.execute("SELECT coalesce(max(id), 0) + 1 FROM referrals").fetchone()
        return referral_number(row[0], date)

    def log_referral(self, referral: Referral) -> LogEntry:
        """Record a printed referral. Patient name and DOB only when the clinic opted in."""
        keep = self.stores_patient_identity
        rec = referral.recommendation
        row = {
            "number": referral.number, "created_at": _now(),
            "condition_id": rec.condition.id, "condition_name": rec.condition.name,
            "level": rec.level, "answers": json.dumps(referral.answers, sort_keys=True),
            "center_id": referral.center.id, "center_name": referral.center.name,
            "center_origin": referral.center.origin,
            "clinician": referral.practice.clinician, "lang": referral.lang,
            "parts": ",".join(referral.parts), "urgency": referral.urgency,
            "patient_name": referral.patient.name if keep else None,
            "patient_dob": referral.patient.dob if keep else None,
            "override_defer": referral.override_defer or None,
        }  # fmt: skip
        with self.db.atomic():
            self.db["referrals"].insert(row)
        return self.referrals()[0]

    def referrals(self) -> list[LogEntry]:
        cursor = self.db.execute("SELECT * FROM referrals ORDER BY id DESC")
        cols = [d[0] for d in cursor.description]
        return [_log_entry(dict(zip(cols, r, strict=True))) for r in cursor]

    def get_referral(self, key: str) -> LogEntry | None:
        return next((e for e in self.referrals() if key in (e.number, str(e.id))), None)


def _check_version(db: Database, path: Path) -> None:
    known = {m.name for m in migrations.pending(Database(memory=True))}
    unknown = [m.name for m in migrations.applied(db) if m.name not in known]
    if unknown:
        db.close()
        raise UserDbError(
            f"{path} was written by a newer version of the app ({unknown[-1]}); it was left "
            "untouched. Install the newer version, or move the file away to start afresh."
        )


def _log_entry(row: dict) -> LogEntry:
    return LogEntry(
        **{k: row[k] for k in ("id", "number", "created_at", "condition_id", "condition_name",
                               "level", "center_id", "center_name", "center_origin",
                               "clinician", "lang", "urgency")},
        answers=json.loads(row["answers"] or "{}"),
        parts=tuple(p for p in (row["parts"] or "").split(",") if p),
        patient_name=row["patient_name"] or "",
        patient_dob=row["patient_dob"] or "",
        override_defer=row.get("override_defer") or "",
    )  # fmt: skip


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
