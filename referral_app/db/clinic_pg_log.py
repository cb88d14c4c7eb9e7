"""The referral log on PostgreSQL: SQL only. Numbers come from the ``referral_serial`` sequence,
so workstations logging at the same moment never share one; every row written by the app carries
the client-generated ``client_id``, so a row sent twice (an outbox flushed again after a crash) is
written once.
"""

from __future__ import annotations

from dataclasses import replace

from referral_app.db import referral_log
from referral_app.db.referral_log import LogEntry
from referral_app.domain.referral import Referral, referral_number

_WRITE = """
INSERT INTO referrals ({cols}, id) VALUES ({marks}, nextval('referral_serial'))
ON CONFLICT (client_id) DO UPDATE SET status = EXCLUDED.status
WHERE referrals.status = 'pending'
RETURNING *
"""


def reserve(conn, referral: Referral, keep_identity: bool, client_id: str) -> Referral:
    """Take the next number and record it ('pending'). No transaction is needed: a number taken
    whose row was never written is only a gap, never handed out twice."""
    serial = conn.execute("SELECT nextval('referral_serial') AS n").fetchone()["n"]
    numbered = replace(referral, number=referral_number(serial, referral.date))
    row = referral_log.row_of(numbered, keep_identity)
    row |= {"id": serial, "status": "pending", "client_id": client_id}
    cols, marks = ", ".join(row), ", ".join(["%s"] * len(row))
    conn.execute(f"INSERT INTO referrals ({cols}) VALUES ({marks})", list(row.values()))  # noqa: S608
    return numbered


def write_row(conn, row: dict[str, object]) -> LogEntry | None:
    """Insert a whole row (from the outbox, or a printed referral never reserved) or move its
    reserved row on to the row's status; idempotent by ``client_id``. The row as written, or
    None when it was there already."""
    values = {k: v for k, v in row.items() if k != "id"}
    sql = _WRITE.format(cols=", ".join(values), marks=", ".join(["%s"] * len(values)))
    written = conn.execute(sql, list(values.values())).fetchone()
    return referral_log.entry_of(written) if written else None


def void(conn, number: str) -> None:
    conn.execute(
        "UPDATE referrals SET status = 'void' WHERE number = %s AND status = 'pending'", [number]
    )


def printed(conn) -> list[LogEntry]:
    rows = conn.execute("SELECT * FROM referrals WHERE status = 'printed' ORDER BY id DESC")
    return [referral_log.entry_of(r) for r in rows]


def get(conn, key: str) -> LogEntry | None:
    row = conn.execute(
        "SELECT * FROM referrals WHERE status = 'printed' AND (number = %s OR id = %s)",
        [key, int(key) if key.isdigit() else -1],
    ).fetchone()
    return referral_log.entry_of(row) if row else None


def set_follow_up(conn, number: str, status: str) -> None:
    if status not in referral_log.FOLLOW_UPS:
        raise ValueError(f"unknown follow-up status: {status}")
    conn.execute("UPDATE referrals SET follow_up = %s WHERE number = %s", [status, number])
