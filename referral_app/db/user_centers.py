"""The clinic's own list in user.db: its centers and therapists, edits checked against the row
version last read, CSV imports in one transaction, and the clinic's verifications."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace

from sqlite_utils import Database

from referral_app.content.center_csv import ImportPlan
from referral_app.db import center_checks
from referral_app.db.center_rows import center_from_row, center_to_row, update_sql
from referral_app.db.clinic_store import CenterChangedError
from referral_app.db.connection import write_transaction
from referral_app.domain.center import Center, ClinicCheck


class LocalCenters:
    """The local-center part of :class:`referral_app.db.user.UserStore`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._versions: dict[str, int] = {}  # row version of each local center when last read

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


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
