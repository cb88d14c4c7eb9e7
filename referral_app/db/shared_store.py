"""The "Shared clinic database" home: the clinic's data on PostgreSQL, this workstation's own on
the local user.db, and the local file as a safety net while the server is away (the connection
and its fallbacks are in shared_connection.py).

Away means: the connection failed or broke. Then the network list and the clinic's checks and
settings come from the last copy read (read-only: editing raises :class:`ClinicOfflineError`),
and each referral logged is kept in the local outbox under a number of this workstation's own
(R-date-XXXX-n) and a client-generated id; when the server answers again the outbox is written
there, each row exactly once (``ON CONFLICT (client_id)``), before anything else is done.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import astuple, replace
from typing import Any

from referral_app.content.center_csv import ImportPlan
from referral_app.db import clinic_outbox as outbox
from referral_app.db import clinic_pg, referral_log
from referral_app.db.center_checks import check_from_row
from referral_app.db.center_rows import center_from_row
from referral_app.db.clinic_store import WORKSTATION_KEYS
from referral_app.db.referral_log import LogEntry
from referral_app.db.shared_connection import SharedConnection
from referral_app.db.store_errors import StoreConflictError
from referral_app.db.user import PRACTICE_KEYS, STORE_IDENTITY, UserStore
from referral_app.domain.center import Center, ClinicCheck
from referral_app.domain.outcomes import Reply
from referral_app.domain.referral import Practice, Referral


class SharedStore(SharedConnection):
    """The clinic's data on the server, with the local copy while it is away."""

    def reopen(self) -> SharedStore:
        """The same store on new connections."""
        return self.opener()()

    def opener(self) -> Callable[[], SharedStore]:
        """Made on this thread; opens the same store on new connections on a worker thread."""
        path, args = self.local.path, (self.conninfo, self._password, self.retry_s, self.timeout)
        return lambda: SharedStore(UserStore.open(path), *args)

    # -- settings -------------------------------------------------------------------------
    def _settings(self) -> dict[str, str]:
        def read(pg: clinic_pg.PgClinic) -> dict[str, str]:
            values = pg.settings()
            kept = outbox.recall(self.local.db, "settings")
            if kept is None or kept[0] != values:
                outbox.remember(self.local.db, "settings", values)
            return values

        return self._run(read, lambda: dict(self._kept("settings", {})), read=True)

    def _kept(self, key: str, empty: Any) -> Any:
        kept = outbox.recall(self.local.db, key)
        return kept[0] if kept else empty

    def get_setting(self, key: str, default: str = "") -> str:
        if key in WORKSTATION_KEYS:
            return self.local.get_setting(key, default)
        return self._settings().get(key, default)

    def set_setting(self, key: str, value: str) -> None:
        if key in WORKSTATION_KEYS:
            return self.local.set_setting(key, value)
        return self._run(lambda pg: pg.set_settings({key: value}), self._read_only)

    def add_recent(self, condition_id: str) -> None:
        self.local.add_recent(condition_id)

    def recent(self) -> list[str]:
        return self.local.recent()

    def practice(self) -> Practice:
        values = self._settings()
        return Practice(*(values.get(k, "") for k in PRACTICE_KEYS))

    def set_practice(self, practice: Practice) -> None:
        values = dict(zip(PRACTICE_KEYS, astuple(practice), strict=True))
        self._run(lambda pg: pg.set_settings(values), self._read_only)

    @property
    def stores_patient_identity(self) -> bool:
        return self._settings().get(STORE_IDENTITY) == "1"

    # -- centers and checks ---------------------------------------------------------------
    def _center_rows(self) -> list[dict]:
        def read(pg: clinic_pg.PgClinic) -> list[dict]:
            rows = pg.center_rows()
            stamp = [len(rows), sum(r["row_version"] for r in rows)]
            if self._kept("centers_stamp", None) != stamp:  # rewrite the copy only on change
                outbox.remember(self.local.db, "centers", rows)
                outbox.remember(self.local.db, "centers_stamp", stamp)
            return rows

        return self._run(read, lambda: self._kept("centers", []), read=True)

    def local_centers(self, include_retired: bool = False) -> list[Center]:
        rows = self._center_rows()
        return [center_from_row(r, "local") for r in rows if include_retired or not r["retired"]]

    def get_local(self, center_id: str) -> Center | None:
        return next((c for c in self.local_centers(True) if c.id == center_id), None)

    def add_local(self, center: Center) -> str:
        return self._run(lambda pg: pg.add_local(center), self._read_only)

    def update_local(self, center: Center, overwrite: bool = False) -> None:
        self._run(lambda pg: pg.update_local(center, overwrite), self._read_only)

    def retire_local(self, center_id: str, retired: bool = True) -> None:
        self._run(lambda pg: pg.retire_local(center_id, retired), self._read_only)

    def apply_import(self, plan: ImportPlan) -> int:
        return self._run(lambda pg: pg.apply_import(plan), self._read_only)

    def record_check(self, check: ClinicCheck) -> None:
        self._run(lambda pg: pg.record_check(check), self._read_only)

    def center_checks(self) -> dict[str, ClinicCheck]:
        def read(pg: clinic_pg.PgClinic) -> dict[str, ClinicCheck]:
            rows = pg.conn.execute(clinic_pg.checks_sql.LATEST_SQL).fetchall()
            if self._kept("checks", None) != rows:
                outbox.remember(self.local.db, "checks", rows)
            return {r["center_id"]: check_from_row(r) for r in rows}

        def away() -> dict[str, ClinicCheck]:
            return {r["center_id"]: check_from_row(r) for r in self._kept("checks", [])}

        return self._run(read, away, read=True)

    def check_history(self, center_id: str) -> list[ClinicCheck]:
        latest = self.center_checks().get(center_id)
        return self._run(
            lambda pg: pg.check_history(center_id), lambda: [latest] if latest else [], read=True
        )

    # -- the referral log -----------------------------------------------------------------
    def workstation_id(self) -> str:
        return self._workstation()

    def _workstation(self) -> str:
        """This workstation's id: made once, and made again when the data folder was copied to
        another computer or folder (a cloned folder must not number referrals like the one it
        was copied from)."""
        ws = self.local.get_setting("workstation_id")
        home = _home_of(self.local)
        if not ws or self.local.get_setting("workstation_home") != home:
            ws = uuid.uuid4().hex
            self.local.set_setting("workstation_id", ws)
            self.local.set_setting("workstation_home", home)
        return ws

    def reserve_referral(self, referral: Referral) -> Referral:
        client_id, keep = str(uuid.uuid4()), self.stores_patient_identity

        def away() -> Referral:
            serial = outbox.next_serial(self.local.db)
            number = f"R-{referral.date:%Y%m%d}-{self._workstation()[:8].upper()}-{serial:04d}"
            numbered = replace(referral, number=number)
            row = referral_log.row_of(numbered, keep) | {
                "status": "pending",
                "client_id": client_id,
            }
            outbox.put(self.local.db, client_id, row)
            return numbered

        numbered = self._run(lambda pg: pg.reserve(referral, keep, client_id), away)
        self._reserved[numbered.number] = (client_id, keep)
        return numbered

    def log_referral(self, referral: Referral) -> LogEntry:
        reserved = self._reserved.pop(referral.number, None)
        client_id, keep = reserved or (str(uuid.uuid4()), self.stores_patient_identity)
        row = referral_log.row_of(referral, keep)
        row |= {"status": "printed", "client_id": client_id}

        def away() -> LogEntry:
            outbox.put(self.local.db, client_id, row)
            return referral_log.entry_of({"follow_up": None} | row | {"id": 0})

        def write(pg: clinic_pg.PgClinic) -> LogEntry:
            entry = pg.write_row(row) or pg.get_referral(referral.number)
            if entry is None:  # only someone removing the row just written
                raise StoreConflictError(f"referral {referral.number} vanished from the log")
            return entry

        return self._run(write, away)

    def void_referral(self, referral: Referral) -> None:
        client_id = self._reserved.pop(referral.number, ("", False))[0]
        outbox.drop(self.local.db, client_id)
        self._run(lambda pg: pg.void(referral.number), lambda: None)

    def set_follow_up(self, number: str, status: str) -> None:
        """Where a referral stands (on the server; refused while it is away)."""
        self._run(lambda pg: pg.set_follow_up(number, status), self._read_only)

    def record_reply(self, number: str, reply: Reply) -> None:
        """The reply slip (on the server; refused while it is away)."""
        self._run(lambda pg: pg.record_reply(number, reply), self._read_only)

    def _queued(self) -> list[LogEntry]:
        rows = [r for r in outbox.queued(self.local.db) if r["status"] == "printed"]
        return [referral_log.entry_of({"follow_up": None} | r | {"id": 0}) for r in reversed(rows)]

    def referrals(self) -> list[LogEntry]:
        """The server's log; while it is away, the referrals waiting in the outbox."""
        return self._run(lambda pg: pg.referrals(), self._queued, read=True)

    def get_referral(self, key: str) -> LogEntry | None:
        def away() -> LogEntry | None:
            return next((e for e in self._queued() if e.number == key), None)

        return self._run(lambda pg: pg.get_referral(key), away, read=True)


def _home_of(local: UserStore) -> str:
    """Where this data folder lives: the computer (its machine id where there is one, else its
    name) and the folder's path."""
    import platform
    from pathlib import Path

    machine = ""
    for source in (Path("/etc/machine-id"), Path("/var/lib/dbus/machine-id")):
        try:
            machine = source.read_text(encoding="ascii").strip()
            break
        except OSError:
            continue
    return f"{machine or platform.node()}:{local.path.resolve().parent}"
