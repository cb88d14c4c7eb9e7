"""Small reads of a reference DB file, read-only and immutable (meta rows, one release record).

Used before a ReferenceStore exists: the content in use, a content pack being checked or built.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def _open_read_only(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def read_meta(path: Path) -> dict[str, str]:
    """The meta rows of a reference DB (raises sqlite3.Error when it cannot be read)."""
    conn = _open_read_only(path)
    try:
        return {row["key"]: row["value"] for row in conn.execute("SELECT key, value FROM meta")}
    finally:
        conn.close()


def read_meta_or_empty(path: Path) -> dict[str, str]:
    """The meta rows, or {} when the file is missing, damaged or not a reference DB."""
    try:
        return read_meta(path)
    except sqlite3.Error:
        return {}


SOURCES_OF_CHANGE = "SELECT citation_key FROM change_sources WHERE change_id = ? ORDER BY position"


def read_release(path: Path, version: str) -> dict[str, Any] | None:
    """One release's change record as stored in the DB, or None (unknown version, older schema)."""
    conn = _open_read_only(path)
    try:
        release = conn.execute("SELECT * FROM releases WHERE version = ?", [version]).fetchone()
        if release is None:
            return None
        changes = [
            {**dict(row), "sources": [r[0] for r in conn.execute(SOURCES_OF_CHANGE, [row["id"]])]}
            for row in conn.execute(
                "SELECT * FROM changes WHERE version = ? ORDER BY position", [version]
            )
        ]
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    record = dict(release)
    record["change"] = [{k: v for k, v in row.items() if k != "id"} for row in changes]
    return record
