"""Where the content pipeline meets the store: build reference.db, rebuild when stale, open."""

from __future__ import annotations

from pathlib import Path

from referral_app import paths
from referral_app.db.connection import ReferenceDbError, verify_reference
from referral_app.db.reference import ReferenceStore


def _checker():
    """The official ICD-10-CM check (content modules load only when data/ is built)."""
    from referral_app.content.errors import ContentError, Problem
    from referral_app.content.icd import official_checker

    try:
        return official_checker()
    except ImportError as exc:
        problem = Problem(
            "icd10", "", "", "the build-time tool simple-icd-10-cm is not installed "
            "(pip install -e '.[dev]')"
        )  # fmt: skip
        raise ContentError([problem]) from exc


def build_data(out: Path, data_dir: Path | None = None, *, strict: bool = False) -> Path:
    """Validate ``data/`` and write ``out`` atomically; raises ContentError on bad data."""
    return build_content(out, data_dir, strict=strict)[0]


def build_content(
    out: Path, data_dir: Path | None = None, *, strict: bool = False, seal: bool = False
):
    """Validate, optionally seal the current release, and build; returns (path, content).

    ``seal`` records the content hash in the current data version's [[release]] in
    data/changes.toml (the hash leaves those lines out, so the content does not change).
    """
    from referral_app.content.loader import load_content
    from referral_app.content.seal import seal_release
    from referral_app.db.build import build_reference_db

    folder = data_dir or paths.data_source_dir()
    content = load_content(folder, _checker(), strict=strict)
    if seal and seal_release(folder, content.data_version, content.content_hash):
        content = load_content(folder, _checker(), strict=strict)
    return build_reference_db(content, out), content


def is_stale(db_path: Path, data_dir: Path) -> bool:
    """True when the DB is missing or was built from different data/ files."""
    if not db_path.is_file():
        return True
    try:
        store = ReferenceStore.open(db_path)
    except ReferenceDbError:
        return True
    from referral_app.content.loader import content_hash

    try:
        return store.meta.get("content_hash") != content_hash(data_dir)
    finally:
        store.close()


def open_reference_store(db_path: Path | None = None) -> ReferenceStore:
    """Open the reference DB, first rebuilding it from data/ when running from source and stale."""
    path = db_path or paths.reference_db()
    auto = db_path is None and paths.reference_db_is_default() and paths.has_data_sources()
    if auto and is_stale(path, paths.data_source_dir()):
        build_data(path)
    store = ReferenceStore.open(path)
    verify_reference(store.db, path)
    return store
