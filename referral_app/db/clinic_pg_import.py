"""Copying a workstation's user.db into the shared database (``clinic-db migrate-from-local``):
SQL only. One transaction; running it again copies nothing twice.

- Settings: only keys the server does not have yet (the first workstation's practice details).
- Centers keep their ids (the clinic's checks and logged referrals name them), unless another
  workstation already put a different center under that id: then it gets a new one.
- Referrals keep their printed numbers; each carries ``client_id = migrated-<workstation>-<id>``,
  so a second run skips it; a number the server already has for another referral gets
  ``-<workstation>`` appended (nothing is lost). The sequences move past every copied number.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from sqlite_utils import Database

from referral_app.db.clinic_store import WORKSTATION_KEYS


@dataclass(frozen=True, slots=True)
class Copied:
    settings: int = 0
    centers: int = 0
    checks: int = 0
    referrals: int = 0


def _rows(db: Database, sql: str) -> list[dict]:
    cursor = db.conn.cursor()
    cursor.row_factory = sqlite3.Row
    return [dict(r) for r in cursor.execute(sql)]


def _insert(conn, table: str, row: dict) -> None:
    cols, marks = ", ".join(row), ", ".join(["%s"] * len(row))
    conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))  # noqa: S608


def copy_local(db: Database, conn, workstation: str) -> Copied:
    with conn.transaction():
        settings = _settings(db, conn)
        ids, centers = _centers(db, conn)
        checks = _checks(db, conn, ids)
        referrals = _referrals(db, conn, workstation)
    return Copied(settings, centers, checks, referrals)


def _settings(db: Database, conn) -> int:
    n = 0
    for row in _rows(db, "SELECT key, value FROM settings"):
        if row["key"] not in WORKSTATION_KEYS:
            n += conn.execute(
                "INSERT INTO settings (key, value) VALUES (%s, %s) ON CONFLICT (key) DO NOTHING",
                [row["key"], row["value"]],
            ).rowcount
    return n


def _centers(db: Database, conn) -> tuple[dict[str, str], int]:
    ids: dict[str, str] = {}
    n = 0
    for row in _rows(db, "SELECT * FROM local_centers ORDER BY id"):
        there = conn.execute(
            "SELECT name, postal_code FROM local_centers WHERE id = %s", [row["id"]]
        ).fetchone()
        if there and (there["name"], there["postal_code"]) == (row["name"], row["postal_code"]):
            ids[row["id"]] = row["id"]  # copied before
            continue
        new_id = row["id"]
        if there:
            serial = conn.execute("SELECT nextval('center_serial') AS n").fetchone()["n"]
            new_id = f"local-{serial}"
        _insert(conn, "local_centers", row | {"id": new_id})
        ids[row["id"]] = new_id
        n += 1
    top = max(
        (int(m[1]) for i in ids.values() if (m := re.fullmatch(r"local-(\d+)", i))), default=0
    )
    if top:
        conn.execute(
            "SELECT setval('center_serial', GREATEST(%s, (SELECT last_value FROM center_serial)))",
            [top],
        )
    return ids, n


def _checks(db: Database, conn, ids: dict[str, str]) -> int:
    n = 0
    for row in _rows(db, "SELECT * FROM center_checks ORDER BY id"):
        row = {k: v for k, v in row.items() if k != "id"}
        row["center_id"] = ids.get(row["center_id"], row["center_id"])
        same = conn.execute(
            "SELECT 1 FROM center_checks WHERE center_id = %s AND checked_on = %s AND "
            "recorded_at IS NOT DISTINCT FROM %s AND by_initials IS NOT DISTINCT FROM %s",
            [row["center_id"], row["checked_on"], row["recorded_at"], row["by_initials"]],
        ).fetchone()
        if not same:
            _insert(conn, "center_checks", row)
            n += 1
    return n


def _referrals(db: Database, conn, workstation: str) -> int:
    n, top = 0, 0
    for row in _rows(db, "SELECT * FROM referrals ORDER BY id"):
        top = max(top, row["id"])
        client_id = row["client_id"] or f"migrated-{workstation}-{row['id']}"
        if conn.execute("SELECT 1 FROM referrals WHERE client_id = %s", [client_id]).fetchone():
            continue
        number = row["number"]
        if conn.execute("SELECT 1 FROM referrals WHERE number = %s", [number]).fetchone():
            number = f"{number}-{workstation[:4].upper()}"
        serial = conn.execute("SELECT nextval('referral_serial') AS n").fetchone()["n"]
        _insert(conn, "referrals", row | {"id": serial, "number": number, "client_id": client_id})
        n += 1
    if top:  # later numbers from the sequence never meet a copied one of the same day
        conn.execute(
            "SELECT setval('referral_serial', GREATEST(%s, (SELECT last_value FROM "
            "referral_serial)))",
            [top],
        )
    return n
