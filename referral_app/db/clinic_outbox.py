"""This workstation's side of the shared clinic database (user.db): the outbox of referrals logged
while the server was away, and the last copy of the clinic's data read from it. SQL only.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlite_utils import Database

from referral_app.db.connection import write_transaction


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def put(db: Database, client_id: str, row: dict[str, object]) -> None:
    """Queue (or update: a reserved row becomes printed) one referral row."""
    with write_transaction(db):
        db.execute(
            "INSERT INTO clinic_outbox (client_id, row, queued_at) VALUES (?, ?, ?) "
            "ON CONFLICT (client_id) DO UPDATE SET row = excluded.row",
            [client_id, json.dumps(row), _now()],
        )


def drop(db: Database, client_id: str) -> None:
    with write_transaction(db):
        db.execute("DELETE FROM clinic_outbox WHERE client_id = ?", [client_id])


def queued(db: Database) -> list[dict[str, object]]:
    sql = "SELECT row FROM clinic_outbox ORDER BY queued_at, rowid"
    return [json.loads(r[0]) for r in db.execute(sql)]


def remember(db: Database, key: str, value: object) -> None:
    with write_transaction(db):
        db.execute(
            "INSERT INTO clinic_cache (key, value, read_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, read_at = excluded.read_at",
            [key, json.dumps(value), _now()],
        )


def recall(db: Database, key: str) -> tuple[object, str] | None:
    """(value, read at) of the last copy kept under ``key``."""
    row = db.execute("SELECT value, read_at FROM clinic_cache WHERE key = ?", [key]).fetchone()
    return (json.loads(row[0]), row[1]) if row else None


def next_serial(db: Database) -> int:
    """This workstation's own counter for numbers handed out while the server is away."""
    with write_transaction(db):
        row = db.execute("SELECT value FROM settings WHERE key = 'offline_serial'").fetchone()
        serial = int(row[0]) + 1 if row else 1
        db.table("settings").upsert({"key": "offline_serial", "value": str(serial)}, pk="key")
    return serial
