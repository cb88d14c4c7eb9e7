"""Building content packs for tests: a copy of the session's reference DB with another version."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from referral_app import __version__
from referral_app.services.content_pack_file import Manifest, file_sha256, write_pack
from referral_app.services.signing import dev_key_file


def versioned_db(source: Path, folder: Path, version: str) -> Path:
    db = folder / f"reference-{version}.db"
    shutil.copy(source, db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'data_version'", [version])
    conn.commit()
    conn.close()
    return db


def make_pack(
    source: Path,
    folder: Path,
    version: str,
    *,
    key_file: Path | None = None,
    min_app: str = __version__,
) -> Path:
    db = versioned_db(source, folder, version)
    manifest = Manifest(
        data_version=version,
        build_date="2026-12-01",
        content_hash="test",
        db_sha256=file_sha256(db),
        db_size=db.stat().st_size,
        min_app_version=min_app,
        changes={"version": version, "summary": "test pack"},
    )
    out = folder / f"referral-content-{version}.rgpack"
    return write_pack(out, db, manifest, key_file or dev_key_file())
