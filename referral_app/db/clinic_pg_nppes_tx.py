"""An NPPES import into the shared clinic database, in one PostgreSQL transaction: the twin of
``nppes_tx`` (same interface). Each batch is merged as it comes (other sessions are not blocked:
new rows are invisible to them until the commit); the transaction commits only with ``keep``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from referral_app.db.center_rows import center_from_row, center_to_row
from referral_app.db.nppes_tx import (
    NPPES_SOURCE,
    OWNED,
    Existing,
    Note,
    _now,
    marks,
    merge,
    owned,
    retire,
    update_sql,
)
from referral_app.domain.center import Center


class PgWriter:
    def __init__(self, conn) -> None:
        self.conn = conn

    def existing(self, npis: list[str]) -> dict[str, Existing]:
        cols = ", ".join(("npi", "id", "source_url", *OWNED))
        rows = self.conn.execute(
            f"SELECT {cols} FROM local_centers WHERE npi = ANY(%s)",  # noqa: S608
            [npis],
        ).fetchall()
        found = {}
        for r in rows:
            row = center_to_row(center_from_row(dict(r), "local"))
            found[r["npi"]] = Existing(r["id"], r["source_url"] or "", owned(row))
        return found

    def insert(self, rows: list[dict]) -> list[str]:
        if not rows:
            return []
        serials = self.conn.execute(
            "SELECT nextval('center_serial') AS n FROM generate_series(1, %s)", [len(rows)]
        ).fetchall()
        ids = [f"local-{s['n']}" for s in serials]
        cols = ["id", *(k for k in rows[0] if k != "id")]
        sql = f"INSERT INTO local_centers ({', '.join(cols)}) VALUES ({marks('%s', len(cols))})"  # noqa: S608
        values = [[i, *(r[c] for c in cols[1:])] for i, r in zip(ids, rows, strict=True)]
        with self.conn.cursor() as cur:
            cur.executemany(sql, values)
        return ids

    def update(self, rows: list[dict]) -> None:
        if rows:
            names = (*OWNED, "updated_at", "id")
            with self.conn.cursor() as cur:
                cur.executemany(update_sql("%s"), [[r[k] for k in names] for r in rows])

    def retire(self, npis: list[str], note: str) -> list[tuple[str, str]]:
        found = self.conn.execute(
            "UPDATE local_centers SET retired = 1, status_note = %s, updated_at = %s, "
            "row_version = row_version + 1 WHERE npi = ANY(%s) AND retired = 0 "
            "AND source_url LIKE %s RETURNING id, name",
            [note, _now(), npis, NPPES_SOURCE + "%"],
        ).fetchall()
        return [(r["id"], r["name"]) for r in found]


class PgNppesTx:
    def __init__(self, conn, note: Note, label: str) -> None:
        self.writer = PgWriter(conn)
        self.note, self.label = note, label
        self.keep = False

    def put(self, batch: list[Center]) -> None:
        merge(self.writer, batch, self.note)

    def deactivated(self, npis: list[str]) -> None:
        retire(self.writer, npis, self.label, self.note)

    def finish(self) -> None:
        """Everything was merged as it came; the transaction's end commits or rolls back."""


@contextmanager
def pg_nppes_transaction(conn, note: Note, label: str) -> Iterator[PgNppesTx]:
    import psycopg

    with conn.transaction():
        tx = PgNppesTx(conn, note, label)
        yield tx
        if not tx.keep:
            raise psycopg.Rollback()
