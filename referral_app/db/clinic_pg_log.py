"""The referral log on PostgreSQL: SQL only. Numbers come from the ``referral_serial`` sequence,
so workstations logging at the same moment never share one; every row written by the app carries
the client-generated ``client_id``, so a row sent twice (an outbox flushed again after a crash) is
written once.
"""

from __future__ import annotations

from dataclasses import replace

from referral_app.db import referral_log
from referral_app.db.referral_log import LogEntry
from referral_app.domain.outcomes import Reply
from referral_app.domain.referral import Referral, referral_number

_UPDATE_RESERVED = """
UPDATE referrals SET status = %s WHERE client_id = %s AND status = 'pending' RETURNING *
"""
_INSERT = """
INSERT INTO referrals ({cols}, id) VALUES ({marks}, nextval('referral_serial'))
ON CONFLICT DO NOTHING RETURNING *
"""


def can_log(conn) -> bool:
    """Whether this role may write the log as a sheet needs: reserve a number (INSERT), then
    mark it printed or void (UPDATE)."""
    row = conn.execute(
        "SELECT has_table_privilege('referrals', 'INSERT') AND "
        "has_table_privilege('referrals', 'UPDATE') AND "
        "has_sequence_privilege('referral_serial', 'USAGE') AS ok"
    ).fetchone()
    return bool(row["ok"])


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
    """Move a reserved row on to the row's status, or insert a whole row (from the outbox, or a
    printed referral never reserved); idempotent by ``client_id``. The row as written, or None
    when it was there already.

    A reserved row is updated, never re-inserted: ``INSERT … ON CONFLICT`` evaluates ``nextval``
    before it finds the conflict, so every sheet used two numbers (0001, 0003, 0005 …). An
    outbox row whose number another workstation's row holds (a cloned data folder) is written
    under the server's next number, the printed one kept as ``away_number``."""
    values = {k: v for k, v in row.items() if k != "id"}
    updated = conn.execute(_UPDATE_RESERVED, [values["status"], values["client_id"]]).fetchone()
    if updated:
        return referral_log.entry_of(updated)
    there = "SELECT 1 FROM referrals WHERE client_id = %s"
    if conn.execute(there, [values["client_id"]]).fetchone():
        return None
    taken = "SELECT 1 FROM referrals WHERE number = %s"
    if not conn.execute(taken, [values["number"]]).fetchone():
        sql = _INSERT.format(cols=", ".join(values), marks=", ".join(["%s"] * len(values)))
        written = conn.execute(sql, list(values.values())).fetchone()
        return referral_log.entry_of(written) if written else None
    serial = conn.execute("SELECT nextval('referral_serial') AS n").fetchone()["n"]
    day = str(values["number"]).split("-")[1]
    values |= {"id": serial, "away_number": values["number"], "number": f"R-{day}-{serial:04d}"}
    cols, marks = ", ".join(values), ", ".join(["%s"] * len(values))
    sql = f"INSERT INTO referrals ({cols}) VALUES ({marks}) ON CONFLICT DO NOTHING RETURNING *"
    written = conn.execute(sql, list(values.values())).fetchone()  # noqa: S608
    return referral_log.entry_of(written) if written else None


def void(conn, number: str) -> None:
    conn.execute(
        "UPDATE referrals SET status = 'void' WHERE number = %s AND status = 'pending'", [number]
    )


def printed(conn) -> list[LogEntry]:
    rows = conn.execute("SELECT * FROM referrals WHERE status = 'printed' ORDER BY id DESC")
    return [referral_log.entry_of(r) for r in rows]


def get(conn, key: str) -> LogEntry | None:
    """By number, by the number printed while away (``away_number``), or by id."""
    row = conn.execute(
        "SELECT * FROM referrals WHERE status = 'printed' "
        "AND (number = %s OR away_number = %s OR id = %s) ORDER BY number = %s DESC LIMIT 1",
        [key, key, int(key) if key.isdigit() else -1, key],
    ).fetchone()
    return referral_log.entry_of(row) if row else None


def set_follow_up(conn, number: str, status: str) -> None:
    if status not in referral_log.FOLLOW_UPS:
        raise ValueError(f"unknown follow-up status: {status}")
    conn.execute("UPDATE referrals SET follow_up = %s WHERE number = %s", [status, number])


def record_reply(conn, number: str, reply: Reply) -> None:
    values = referral_log.reply_row(reply)
    sets = ", ".join(f"{col} = %s" for col in values)  # column names are our own
    sql = f"UPDATE referrals SET {sets} WHERE number = %s AND status = 'printed'"  # noqa: S608
    conn.execute(sql, [*values.values(), number])
