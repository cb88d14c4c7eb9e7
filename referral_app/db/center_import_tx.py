"""A CSV import inside one write transaction: rows are planned against what the database holds
*now* (so two instances importing the same file add its rows once) and written as they come;
the whole import commits, or rolls back (bad rows, a dry run, Cancel, an error).

The rows already seen live in a TEMP table, not in memory, so a million-row file needs no more
memory than a ten-row one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import replace

from sqlite_utils import Database

from referral_app.db import center_checks
from referral_app.db.center_rows import center_from_row, center_to_row
from referral_app.db.connection import write_transaction
from referral_app.domain.center import Center, ClinicCheck

Key = tuple[str, str]


class SeenKeys(MutableMapping[Key, int]):
    """name/postal-code key -> first line, in ``temp.import_seen``."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS import_seen (k TEXT PRIMARY KEY, line INT)")
        db.execute("DELETE FROM temp.import_seen")

    @staticmethod
    def _k(key: Key) -> str:
        return "\x1f".join(key)

    def __getitem__(self, key: Key) -> int:
        row = self.db.execute("SELECT line FROM temp.import_seen WHERE k = ?", [self._k(key)])
        found = row.fetchone()
        if found is None:
            raise KeyError(key)
        return int(found[0])

    def __setitem__(self, key: Key, line: int) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO temp.import_seen VALUES (?, ?)", [self._k(key), line]
        )

    def __delitem__(self, key: Key) -> None:
        self.db.execute("DELETE FROM temp.import_seen WHERE k = ?", [self._k(key)])

    def __iter__(self) -> Iterator[Key]:
        for (k,) in self.db.execute("SELECT k FROM temp.import_seen"):
            yield tuple(k.split("\x1f", 1))

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM temp.import_seen").fetchone()[0])


class ExistingCenters:
    """The clinic's entries for planning, looked up in SQLite: a TEMP table maps each entry's
    match key to its id (filled by streaming the table), so memory does not grow with the list."""

    def __init__(self, db: Database, key_of: Callable[[Center], Key]) -> None:
        self.db = db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS import_existing (k TEXT PRIMARY KEY, id TEXT)")
        db.execute("DELETE FROM temp.import_existing")
        cursor = db.conn.execute("SELECT id, name, postal_code FROM local_centers")
        keys = ((SeenKeys._k(key_of(_stub(*row))), row[0]) for row in cursor)
        db.conn.executemany("INSERT OR IGNORE INTO temp.import_existing VALUES (?, ?)", keys)

    def by_key(self, key: Key) -> Center | None:
        found = self.db.execute(
            "SELECT id FROM temp.import_existing WHERE k = ?", [SeenKeys._k(key)]
        ).fetchone()
        return self.by_id(found[0]) if found else None

    def by_id(self, center_id: str) -> Center | None:
        cursor = self.db.execute("SELECT * FROM local_centers WHERE id = ?", [center_id])
        row = cursor.fetchone()
        if row is None:
            return None
        return center_from_row(
            dict(zip([d[0] for d in cursor.description], row, strict=True)), "local"
        )


def _stub(center_id: str, name: str | None, postal_code: str | None) -> Center:
    return Center(id=center_id, name=name or "", postal_code=postal_code or "", origin="local")


class ImportTx:
    """Writes for one import; ``keep = True`` before leaving the block commits them."""

    def __init__(self, db: Database, key_of: Callable[[Center], Key]) -> None:
        self.db = db
        self.seen = SeenKeys(db)
        self.existing = ExistingCenters(db, key_of)
        self.keep = False
        self._columns: list[str] = [c.name for c in db.table("local_centers").columns]
        self._next = _max_local_number(db) + 1

    def add(self, center: Center) -> str:
        center_id, self._next = f"local-{self._next}", self._next + 1
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        row = center_to_row(center) | {"id": center_id, "created_at": now, "updated_at": now}
        cols = [c for c in self._columns if c in row]
        self.db.execute(
            f"INSERT INTO local_centers ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [row[c] for c in cols],
        )
        return center_id

    def update(self, center: Center) -> None:
        row = center_to_row(center) | {"updated_at": dt.datetime.now(dt.UTC).isoformat()}
        self.db.table("local_centers").update(center.id, row)

    def record_check(self, check: ClinicCheck, center_id: str) -> None:
        center_checks.insert(self.db, replace(check, center_id=center_id))


class _RollbackError(Exception):
    pass


@contextmanager
def import_transaction(db: Database, key_of: Callable[[Center], Key]) -> Iterator[ImportTx]:
    """BEGIN IMMEDIATE; commits only when the block set ``tx.keep``."""
    try:
        with write_transaction(db):
            tx = ImportTx(db, key_of)
            yield tx
            if not tx.keep:
                raise _RollbackError
    except _RollbackError:
        pass
    finally:
        db.execute("DROP TABLE IF EXISTS temp.import_seen")
        db.execute("DROP TABLE IF EXISTS temp.import_existing")


def _max_local_number(db: Database) -> int:
    row = db.execute(
        "SELECT max(CAST(substr(id, 7) AS INTEGER)) FROM local_centers WHERE id LIKE 'local-%'"
    ).fetchone()
    return int(row[0] or 0)
