"""Content published through the shared clinic database: SQL only (PostgreSQL).

An administrator stores a signed ``.rgpack`` once; each workstation reads the newest one, checks
it exactly as a pack from a file (services/content_packs.py), and reports which content it runs.
"""

from __future__ import annotations

from typing import NamedTuple


class Published(NamedTuple):
    data_version: str
    sha256: str
    size: int
    published_at: str


class WorkstationContent(NamedTuple):
    workstation_id: str
    content: str
    note: str
    reported_at: str


def publish(conn, data_version: str, pack: bytes, sha256: str) -> bool:
    """Store a pack; False when that version is there already (with the same bytes)."""
    row = conn.execute(
        "INSERT INTO content_packs (data_version, pack, sha256, size) VALUES (%s, %s, %s, %s) "
        "ON CONFLICT (data_version) DO NOTHING RETURNING data_version",
        [data_version, pack, sha256, len(pack)],
    ).fetchone()
    return row is not None


def published_sha(conn, data_version: str) -> str | None:
    row = conn.execute(
        "SELECT sha256 FROM content_packs WHERE data_version = %s", [data_version]
    ).fetchone()
    return row["sha256"] if row else None


def all_published(conn) -> list[Published]:
    rows = conn.execute(
        "SELECT data_version, sha256, size, published_at::text AS published_at FROM content_packs"
    ).fetchall()
    return [Published(**r) for r in rows]


def pack_bytes(conn, data_version: str) -> bytes:
    row = conn.execute(
        "SELECT pack FROM content_packs WHERE data_version = %s", [data_version]
    ).fetchone()
    return bytes(row["pack"]) if row else b""


def report(conn, workstation_id: str, content: str, note: str) -> None:
    conn.execute(
        "INSERT INTO workstation_content (workstation_id, content, note) VALUES (%s, %s, %s) "
        "ON CONFLICT (workstation_id) DO UPDATE SET content = EXCLUDED.content, "
        "note = EXCLUDED.note, reported_at = now()",
        [workstation_id, content, note],
    )


def workstations(conn) -> list[WorkstationContent]:
    rows = conn.execute(
        "SELECT workstation_id, content, note, reported_at::text AS reported_at "
        "FROM workstation_content ORDER BY reported_at DESC"
    ).fetchall()
    return [WorkstationContent(**r) for r in rows]
