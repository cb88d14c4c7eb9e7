"""``make content-pack``: build ``referral-content-VERSION.rgpack`` from data/ and sign it."""

from __future__ import annotations

import datetime as dt
import sqlite3
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from referral_app import __version__, paths
from referral_app.services.content_pack_file import (
    PACK_SUFFIX,
    Manifest,
    file_sha256,
    write_pack,
)


def change_record(db_path: Path, data_dir: Path, version: str) -> dict[str, Any] | None:
    """The change record of ``version``: from the database's releases/changes tables when the
    build wrote them, else from data/changes.toml; None when neither has one."""
    from_db = _changes_from_db(db_path, version)
    if from_db is not None:
        return from_db
    try:
        releases = tomllib.loads((data_dir / "changes.toml").read_text("utf-8")).get("release", [])
    except (OSError, tomllib.TOMLDecodeError):
        return None
    for release in releases:
        if str(release.get("version")) == version:
            return _plain(release)
    return None


def _changes_from_db(db_path: Path, version: str) -> dict[str, Any] | None:
    conn = sqlite3.connect(db_path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        release = conn.execute("SELECT * FROM releases WHERE version = ?", [version]).fetchone()
        if release is None:
            return None
        changes = [
            {**dict(row), "sources": [r[0] for r in conn.execute(
                "SELECT citation_key FROM change_sources WHERE change_id = ? ORDER BY position",
                [row["id"]])]}
            for row in conn.execute(
                "SELECT * FROM changes WHERE version = ? ORDER BY position", [version])
        ]  # fmt: skip
    except sqlite3.Error:
        return None  # an older schema without the change tables
    finally:
        conn.close()
    record = dict(release)
    record["change"] = [{k: v for k, v in row.items() if k != "id"} for row in changes]
    return record


def _plain(value: Any) -> Any:
    """TOML values as JSON ones (dates become ISO strings)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def build_pack(
    out_dir: Path,
    data_dir: Path | None = None,
    key_file: Path | None = None,
    min_app_version: str = __version__,
) -> Path:
    """Validate and build data/ into a fresh database, then write the signed pack."""
    from referral_app.services.reference_data import build_data, read_meta

    data_dir = data_dir or paths.data_source_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir) as tmp:
        db_path = build_data(Path(tmp) / "reference.db", data_dir, sign=False)
        meta = read_meta(db_path)
        version = meta["data_version"]
        manifest = Manifest(
            data_version=version,
            build_date=meta.get("build_date", ""),
            content_hash=meta.get("content_hash", ""),
            db_sha256=file_sha256(db_path),
            db_size=db_path.stat().st_size,
            min_app_version=min_app_version,
            changes=change_record(db_path, data_dir, version),
        )
        return write_pack(out_dir / f"referral-content-{version}{PACK_SUFFIX}", db_path, manifest,
                          key_file)  # fmt: skip
