"""A CSV import into the shared clinic database, in one PostgreSQL transaction: the twin of
``center_import_tx`` (same interface), committed only when the import sets ``tx.keep``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from referral_app.db.center_checks import check_row
from referral_app.db.center_rows import center_from_row, center_to_row, update_sql
from referral_app.domain.center import Center, ClinicCheck


def _insert(conn, table: str, row: dict) -> None:
    cols, marks = ", ".join(row), ", ".join(["%s"] * len(row))
    conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))  # noqa: S608


class PgImportTx:
    def __init__(self, conn) -> None:
        self.conn = conn
        self.seen: dict[tuple[str, str], int] = {}
        self.keep = False
        rows = conn.execute("SELECT * FROM local_centers").fetchall()
        self.existing = [center_from_row(r, "local") for r in rows]  # planned against these

    def add(self, center: Center) -> str:
        serial = self.conn.execute("SELECT nextval('center_serial') AS n").fetchone()["n"]
        center_id = f"local-{serial}"
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        row = center_to_row(center) | {"id": center_id, "created_at": now, "updated_at": now}
        _insert(self.conn, "local_centers", row)
        return center_id

    def update(self, center: Center) -> None:
        row = center_to_row(center) | {"updated_at": dt.datetime.now(dt.UTC).isoformat()}
        sql, params = update_sql(row, "%s", check_version=False)
        self.conn.execute(sql, params)

    def record_check(self, check: ClinicCheck, center_id: str) -> None:
        _insert(self.conn, "center_checks", check_row(replace(check, center_id=center_id)))


@contextmanager
def pg_import_transaction(conn) -> Iterator[PgImportTx]:
    import psycopg

    with conn.transaction():
        tx = PgImportTx(conn)
        yield tx
        if not tx.keep:
            raise psycopg.Rollback()  # rolls back, and goes no further
