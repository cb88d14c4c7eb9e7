"""``make content-pack``: build ``referral-content-VERSION.rgpack`` from data/ and sign it."""

from __future__ import annotations

import datetime as dt
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from referral_app import __version__, paths
from referral_app.db.reference_file import read_meta, read_release
from referral_app.services.content_pack_file import (
    PACK_SUFFIX,
    Manifest,
    file_sha256,
    write_pack,
)


def change_record(db_path: Path, data_dir: Path, version: str) -> dict[str, Any] | None:
    """The change record of ``version``: from the database's releases/changes tables when the
    build wrote them, else from data/changes.toml; None when neither has one."""
    from_db = read_release(db_path, version)
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
    from referral_app.services.reference_data import build_data

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
        return write_pack(
            out_dir / f"referral-content-{version}{PACK_SUFFIX}", db_path, manifest, key_file
        )
