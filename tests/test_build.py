"""The build writes a complete DB atomically and leaves the old one alone on failure."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from referral_app.content.errors import ContentError
from referral_app.db import build as build_module
from referral_app.services.reference_data import build_data, is_stale


def test_built_db_has_tables_foreign_keys_fts_and_meta(reference_db: Path) -> None:
    conn = sqlite3.connect(reference_db)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {
        "conditions",
        "citations",
        "statements",
        "statement_sources",
        "flags",
        "meta",
        "conditions_fts",
        "centers",
        "search_words",
    } <= tables
    fks = conn.execute("PRAGMA foreign_key_list(statement_sources)").fetchall()
    assert {fk[2] for fk in fks} == {"statements", "citations"}
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    assert {"data_version", "build_date", "content_hash"} <= meta.keys()
    hits = conn.execute("SELECT rowid FROM conditions_fts WHERE conditions_fts MATCH 'M54'")
    assert hits.fetchall()


def test_failed_build_leaves_previous_db_byte_for_byte(data_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "reference.db"
    build_data(out, data_copy)
    before = out.read_bytes()
    neck = data_copy / "conditions" / "neck-pain.toml"
    neck.write_text(neck.read_text().replace('"Patel2012"', '"Nope2000"', 1))
    with pytest.raises(ContentError):
        build_data(out, data_copy)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("reference.db")) == [
        "reference.db",
        "reference.db.sig",
    ]


def test_crash_mid_write_leaves_previous_db(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "reference.db"
    build_data(out, data_copy)
    before = out.read_bytes()

    def boom(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(build_module, "write_centers", boom)
    with pytest.raises(OSError):
        build_data(out, data_copy)
    assert out.read_bytes() == before
    assert not list(tmp_path.glob("reference.db.tmp*"))


def test_stale_db_is_detected(data_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "reference.db"
    assert is_stale(out, data_copy)  # missing
    build_data(out, data_copy)
    assert not is_stale(out, data_copy)
    (data_copy / "meta.toml").write_text('data_version = "9999.1"\n')
    assert is_stale(out, data_copy)
