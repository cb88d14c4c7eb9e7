"""The referral log (user.db ``referrals``): SQL only, typed records out. The caller holds the
write transaction, so a number is assigned and recorded in one step.

A row is 'pending' from the moment its number is handed out until its sheet was written
('printed'), or 'void' when the sheet failed; only printed rows are the log.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field, replace

from sqlite_utils import Database

from referral_app.db.clinic_schema import ORDER_COLUMNS, PEG_COLUMNS, REPLY_COLUMNS
from referral_app.domain.outcomes import Peg, Reply
from referral_app.domain.referral import Orders, Referral, referral_number
from referral_app.domain.snapshot import snapshot_of


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
    data_version: str = ""
    snapshot: dict = field(default_factory=dict)  # what the sheet was made from (domain.snapshot)
    follow_up: str = "sent"  # sent | scheduled | seen | reply received (FOLLOW_UPS)
    orders: Orders = field(default_factory=Orders)  # what the therapist was asked (m016)
    peg: Peg | None = None  # the PEG-3 at referral (m018)
    reply: Reply | None = None  # the reply slip as recorded (m018)


FOLLOW_UPS: tuple[str, ...] = ("sent", "scheduled", "seen", "reply received")


def row_of(referral: Referral, keep_identity: bool) -> dict[str, object]:
    """Patient name and DOB only when the clinic opted in."""
    rec = referral.recommendation
    return (
        {
            "number": referral.number,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "condition_id": rec.condition.id,
            "condition_name": rec.condition.name,
            "level": rec.level,
            "answers": json.dumps(referral.answers, sort_keys=True),
            "center_id": referral.center.id,
            "center_name": referral.center.name,
            "center_origin": referral.center.origin,
            "clinician": referral.practice.clinician,
            "lang": referral.lang,
            "parts": ",".join(referral.parts),
            "urgency": referral.urgency,
            "patient_name": referral.patient.name if keep_identity else None,
            "patient_dob": referral.patient.dob if keep_identity else None,
            "override_defer": referral.override_defer or None,
            "data_version": referral.data_version,
            "snapshot": json.dumps(snapshot_of(referral), sort_keys=True, default=str),
        }
        | orders_row(referral.orders)
        | peg_row(referral.peg)
    )


def peg_row(peg: Peg | None) -> dict[str, object]:
    return dict(zip(PEG_COLUMNS, peg.items if peg else (None, None, None), strict=True))


def _column(row: sqlite3.Row | dict, key: str) -> object:
    try:
        return row[key]
    except (KeyError, IndexError):
        return None


def peg_of(row: sqlite3.Row | dict) -> Peg | None:
    a, b, c = (_column(row, k) for k in PEG_COLUMNS)
    return Peg.of((a, b, c))


def reply_of(row: sqlite3.Row | dict) -> Reply | None:
    sessions, *peg = (_column(row, k) for k in REPLY_COLUMNS)
    if sessions is None:
        return None
    a, b, c = peg
    return Reply(int(str(sessions)), Peg.of((a, b, c)), str(_column(row, "reply_at") or ""))


def reply_row(reply: Reply) -> dict[str, object]:
    peg = reply.peg.items if reply.peg else (None, None, None)
    values = (reply.sessions, *peg)
    return dict(zip(REPLY_COLUMNS, values, strict=True)) | {
        "reply_at": reply.recorded_at,
        "follow_up": "reply received",
    }


# Log column -> Orders field (clinic_schema.ORDER_COLUMNS, step m016).
_ORDER_FIELDS = dict(
    zip(ORDER_COLUMNS, ("medications", "note", "goals", "sessions", "treat", "avoid"), strict=True)
)


def orders_row(orders: Orders) -> dict[str, object]:
    return {col: getattr(orders, name) or None for col, name in _ORDER_FIELDS.items()}


def _optional(row: sqlite3.Row | dict, key: str) -> str:
    """A column an older row (or an outbox row queued by an older version) may not have."""
    try:
        value = row[key]
    except (KeyError, IndexError):
        return ""
    return str(value or "")


def orders_of(row: sqlite3.Row | dict) -> Orders:
    return Orders(**{name: _optional(row, col) for col, name in _ORDER_FIELDS.items()})


def reserve(db: Database, referral: Referral, keep_identity: bool) -> Referral:
    serial = db.execute("SELECT coalesce(max(id), 0) + 1 FROM referrals").fetchone()[0]
    numbered = replace(referral, number=referral_number(serial, referral.date))
    row = row_of(numbered, keep_identity) | {"id": serial, "status": "pending"}
    db.table("referrals").insert(row)
    return numbered


def mark_printed(db: Database, referral: Referral, keep_identity: bool) -> None:
    cursor = db.execute(
        "UPDATE referrals SET status = 'printed' WHERE number = ? AND status = 'pending'",
        [referral.number],
    )
    if cursor.rowcount == 0:
        db.table("referrals").insert(row_of(referral, keep_identity) | {"status": "printed"})


def void(db: Database, number: str) -> None:
    db.execute(
        "UPDATE referrals SET status = 'void' WHERE number = ? AND status = 'pending'", [number]
    )


def _rows(db: Database, sql: str, params: list[object]) -> list[sqlite3.Row]:
    cursor = db.conn.cursor()
    cursor.row_factory = sqlite3.Row
    return cursor.execute(sql, params).fetchall()


def printed(db: Database) -> list[LogEntry]:
    rows = _rows(db, "SELECT * FROM referrals WHERE status = 'printed' ORDER BY id DESC", [])
    return [entry_of(r) for r in rows]


def get(db: Database, key: str) -> LogEntry | None:
    """By number (R-…) or by row id."""
    rows = _rows(
        db,
        "SELECT * FROM referrals WHERE status = 'printed' AND (number = ? OR id = ?)",
        [key, int(key) if key.isdigit() else -1],
    )
    return entry_of(rows[0]) if rows else None


_PLAIN = (
    "id",
    "number",
    "created_at",
    "condition_id",
    "condition_name",
    "level",
    "center_id",
    "center_name",
    "center_origin",
    "clinician",
    "lang",
    "urgency",
)


def entry_of(row: sqlite3.Row | dict) -> LogEntry:
    return LogEntry(
        **{k: row[k] for k in _PLAIN},
        answers=json.loads(row["answers"] or "{}"),
        parts=tuple(p for p in (row["parts"] or "").split(",") if p),
        patient_name=row["patient_name"] or "",
        patient_dob=row["patient_dob"] or "",
        override_defer=row["override_defer"] or "",
        data_version=row["data_version"] or "",
        snapshot=json.loads(row["snapshot"] or "{}"),
        follow_up=row["follow_up"] or "sent",
        orders=orders_of(row),
        peg=peg_of(row),
        reply=reply_of(row),
    )


def set_follow_up(db: Database, number: str, status: str) -> None:
    if status not in FOLLOW_UPS:
        raise ValueError(f"follow-up must be one of: {', '.join(FOLLOW_UPS)}")
    db.execute("UPDATE referrals SET follow_up = ? WHERE number = ?", [status, number])


def record_reply(db: Database, number: str, reply: Reply) -> None:
    """The reply slip's sessions and PEG-3 on a printed referral (a second reply replaces it)."""
    values = reply_row(reply)
    sets = ", ".join(f"{col} = ?" for col in values)
    sql = f"UPDATE referrals SET {sets} WHERE number = ? AND status = 'printed'"  # noqa: S608
    db.execute(sql, [*values.values(), number])
