"""Writing an NPPES import: entries found by NPI (a re-import updates, never doubles), all in one
transaction that commits only when the import sets ``tx.keep``.

SQLite (this computer): rows kept from the file are first staged in a TEMP table, which takes
no lock on the clinic's file, so another window or the command line can keep writing while the
9 GB file is read; only the merge at the end (seconds) holds the write lock. The PostgreSQL twin
(``clinic_pg_nppes_tx``) merges each batch as it comes: the server's other sessions are not
blocked by it. Both share :func:`merge` and call ``note(action, center, id)`` per entry.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from sqlite_utils import Database

from referral_app.db.center_rows import center_from_row, center_to_row
from referral_app.db.connection import write_transaction
from referral_app.domain.center import Center

NPPES_SOURCE = "imported from NPPES"  # how an entry this import owns begins its source_url
# What the file says about an entry; the clinic's own fields (notes, preferred, wait, retired)
# are never touched by a re-import.
OWNED = (
    "name",
    "street",
    "city",
    "region",
    "postal_code",
    "country",
    "latitude",
    "longitude",
    "location_basis",
    "phone",
    "fax",
    "services",
    "source_url",
    "last_verified",
    "status",
    "status_note",
    "confidence_note",
    "kind",
)
BATCH = 500
Note = Callable[[str, Center, str], None]  # (add | update | unchanged | kept | retired, entry, id)


@dataclass(frozen=True, slots=True)
class Existing:
    id: str
    source_url: str
    values: tuple


class Writer(Protocol):
    def existing(self, npis: list[str]) -> dict[str, Existing]: ...
    def insert(self, rows: list[dict]) -> list[str]: ...
    def update(self, rows: list[dict]) -> None: ...
    def retire(self, npis: list[str], note: str) -> list[tuple[str, str]]: ...


def owned(row: dict) -> tuple:
    return tuple(row[k] for k in OWNED)


def merge(writer: Writer, batch: list[Center], note: Note) -> None:
    """Add new NPIs, update changed ones this import owns; an entry the clinic typed with that
    NPI is kept as it is (``kept``)."""
    latest = {c.npi: c for c in batch}  # the same NPI twice in a batch: the later row wins
    found = writer.existing(list(latest))
    adds: list[tuple[Center, dict]] = []
    changes: list[tuple[Center, dict]] = []
    now = _now()
    for npi, center in latest.items():
        row = center_to_row(center)
        old = found.get(npi)
        if old is None:
            adds.append((center, row | {"created_at": now, "updated_at": now}))
        elif not old.source_url.startswith(NPPES_SOURCE):
            note("kept", center, old.id)
        elif old.values == owned(row):
            note("unchanged", center, old.id)
        else:
            changes.append((center, {k: row[k] for k in OWNED} | {"id": old.id, "updated_at": now}))
    for (center, _row), new_id in zip(adds, writer.insert([r for _c, r in adds]), strict=True):
        note("add", center, new_id)
    writer.update([r for _c, r in changes])
    for center, row in changes:
        note("update", center, row["id"])


def retire(writer: Writer, npis: list[str], label: str, note: Note) -> None:
    for center_id, name in writer.retire(npis, f"NPI deactivated ({label})"):
        note("retired", Center(id=center_id, name=name), center_id)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def update_sql(mark: str) -> str:
    sets = ", ".join(f"{k} = {mark}" for k in (*OWNED, "updated_at"))
    return f"UPDATE local_centers SET {sets}, row_version = row_version + 1 WHERE id = {mark}"  # noqa: S608


def marks(mark: str, n: int) -> str:
    return ", ".join([mark] * n)


class SqliteWriter:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.columns = [c.name for c in db.table("local_centers").columns]
        self.next = 0  # set inside the write transaction

    def existing(self, npis: list[str]) -> dict[str, Existing]:
        sql = f"SELECT npi, id, source_url, {', '.join(OWNED)} FROM local_centers WHERE npi IN ({marks('?', len(npis))})"  # noqa: S608, E501
        cursor = self.db.conn.execute(sql, npis)
        names = [d[0] for d in cursor.description]
        found = {}
        for values in cursor:
            row = center_to_row(center_from_row(dict(zip(names, values, strict=True)), "local"))
            found[values[0]] = Existing(values[1], values[2] or "", owned(row))
        return found

    def insert(self, rows: list[dict]) -> list[str]:
        if not rows:
            return []
        if not self.next:
            top = self.db.execute(
                "SELECT max(CAST(substr(id, 7) AS INTEGER)) FROM local_centers "
                "WHERE id LIKE 'local-%'"
            ).fetchone()[0]
            self.next = int(top or 0) + 1
        ids = [f"local-{n}" for n in range(self.next, self.next + len(rows))]
        self.next += len(rows)
        cols = [c for c in self.columns if c in rows[0] or c == "id"]
        sql = f"INSERT INTO local_centers ({', '.join(cols)}) VALUES ({marks('?', len(cols))})"  # noqa: S608
        self.db.conn.executemany(
            sql, ([i if c == "id" else r[c] for c in cols] for i, r in zip(ids, rows, strict=True))
        )
        return ids

    def update(self, rows: list[dict]) -> None:
        names = (*OWNED, "updated_at", "id")
        self.db.conn.executemany(update_sql("?"), ([r[k] for k in names] for r in rows))

    def retire(self, npis: list[str], note: str) -> list[tuple[str, str]]:
        where = f"npi IN ({marks('?', len(npis))}) AND retired = 0 AND source_url LIKE ?"
        found = self.db.execute(
            f"SELECT id, name FROM local_centers WHERE {where}",  # noqa: S608
            [*npis, NPPES_SOURCE + "%"],
        ).fetchall()
        self.db.conn.executemany(
            "UPDATE local_centers SET retired = 1, status_note = ?, updated_at = ?, "
            "row_version = row_version + 1 WHERE id = ?",
            [(note, _now(), i) for i, _n in found],
        )
        return [(i, n) for i, n in found]


class _DryRunError(Exception):
    pass


class NppesTx:
    """Stages kept rows and deactivated NPIs in TEMP tables; :meth:`finish` merges them in one
    write transaction (rolled back unless ``keep``)."""

    def __init__(self, db: Database, note: Note, label: str) -> None:
        self.db, self.note, self.label = db, note, label
        self.keep = False
        db.execute("DROP TABLE IF EXISTS temp.nppes_stage")
        db.execute("CREATE TEMP TABLE nppes_stage (seq INTEGER PRIMARY KEY, gone INT, value TEXT)")

    def put(self, batch: list[Center]) -> None:
        rows = ((0, json.dumps(center_to_row(c))) for c in batch)
        self.db.conn.executemany("INSERT INTO temp.nppes_stage (gone, value) VALUES (?, ?)", rows)

    def deactivated(self, npis: list[str]) -> None:
        self.db.conn.executemany(
            "INSERT INTO temp.nppes_stage (gone, value) VALUES (1, ?)", ([n] for n in npis)
        )

    def finish(self) -> None:
        """Merge what was staged; commit when ``keep``, else (a dry run) roll the merge back."""
        writer = SqliteWriter(self.db)
        try:
            with write_transaction(self.db):
                for gone, values in self._staged():
                    if gone:
                        retire(writer, values, self.label, self.note)
                    else:
                        centers = [center_from_row(json.loads(v), "local") for v in values]
                        merge(writer, centers, self.note)
                if not self.keep:
                    raise _DryRunError
        except _DryRunError:
            pass

    def _staged(self) -> Iterator[tuple[int, list[str]]]:
        last = 0
        while True:
            got = self.db.execute(
                "SELECT seq, gone, value FROM temp.nppes_stage WHERE seq > ? ORDER BY seq LIMIT ?",
                [last, BATCH],
            ).fetchall()
            if not got:
                return
            last = got[-1][0]
            for kind in (1, 0):
                values = [v for _s, g, v in got if g == kind]
                if values:
                    yield kind, values


@contextmanager
def nppes_transaction(db: Database, note: Note, label: str) -> Iterator[NppesTx]:
    tx = NppesTx(db, note, label)
    try:
        yield tx
    finally:
        db.execute("DROP TABLE IF EXISTS temp.nppes_stage")
