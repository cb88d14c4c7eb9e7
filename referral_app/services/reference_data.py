"""Where the content pipeline meets the store: build reference.db, rebuild when stale, open."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from referral_app import paths
from referral_app.db.connection import ReferenceDbError
from referral_app.db.reference import ReferenceStore
from referral_app.services.reference_check import ForkedCheck, verify_signature

if TYPE_CHECKING:
    from referral_app.services.content_in_use import ActiveContent


def _checker():
    """The official ICD-10-CM check (content modules load only when data/ is built)."""
    from referral_app.content.errors import ContentError, Problem
    from referral_app.content.icd import official_checker

    try:
        return official_checker()
    except ImportError as exc:
        problem = Problem(
            "icd10",
            "",
            "",
            "the build-time tool simple-icd-10-cm is not installed (pip install -e '.[dev]')",
        )
        raise ContentError([problem]) from exc


def build_data(
    out: Path, data_dir: Path | None = None, *, strict: bool = False, sign: bool = True
) -> Path:
    """Validate ``data/`` and write ``out`` atomically; raises ContentError on bad data.

    ``out.sig`` gets a signature over the whole file (the release key named by
    REFERRAL_CONTENT_KEY, else the development key): the app refuses the file without it."""
    return build_content(out, data_dir, strict=strict, sign=sign)[0]


def build_content(
    out: Path,
    data_dir: Path | None = None,
    *,
    strict: bool = False,
    seal: bool = False,
    sign: bool = True,
):
    """Validate, optionally seal the current release, build and sign; returns (path, content).

    ``seal`` records the content hash in the current data version's [[release]] in
    data/changes.toml (the hash leaves those lines out, so the content does not change).
    """
    from referral_app.content.loader import load_content
    from referral_app.content.released_grades import snapshot_text
    from referral_app.content.seal import seal_release
    from referral_app.db.build import build_reference_db

    folder = data_dir or paths.data_source_dir()
    content = load_content(folder, _checker(), strict=strict)
    grades = snapshot_text(content.conditions)
    if seal and seal_release(folder, content.data_version, content.content_hash, grades):
        content = load_content(folder, _checker(), strict=strict)
    build_reference_db(content, out)
    if sign:
        from referral_app.services.signing import sign_file

        sign_file(out)
    return out, content


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


def open_reference_store(db_path: Path | None = None, verify: bool = True) -> ReferenceStore:
    """Open the reference DB, first rebuilding it from data/ when running from source and stale.

    Without ``db_path``: an installed content pack when one is active and valid (see
    services.content_packs), else the bundled DB, whose whole file must match its signature.
    ``verify=False`` leaves that whole-file check to verify_reference() (the GUI runs it after
    its first paint, before any condition opens)."""
    from referral_app.services.content_in_use import active_content, bundled_content

    path = db_path or paths.reference_db()
    auto = db_path is None and paths.reference_db_is_default() and paths.has_data_sources()
    if auto and (is_stale(path, paths.data_source_dir()) or not _signature_ok(path)):
        build_data(path)  # from source: a stale or unsigned build is simply rebuilt
    content = active_content(path) if db_path is None else bundled_content(path)
    store = ReferenceStore.open(content.path)
    store.content = content  # type: ignore[attr-defined]
    if verify:
        verify_reference(store)
    return store


def verify_reference(store: ReferenceStore, forked: ForkedCheck | None = None) -> None:
    """The bundled DB's whole file against its signature; ReferenceDbError when it fails.
    ``forked``: the same check started in a child process (services/reference_check), whose
    verdict is used when it checked this file."""
    content = content_of(store)
    early = forked.verdict(content.path) if forked is not None else None  # reaps the child
    if content.origin != "bundled" or content.path == Path():
        return
    if early is None:
        verify_signature(content.path)
    elif early:
        raise ReferenceDbError(early)


def _signature_ok(path: Path) -> bool:
    try:
        verify_signature(path)
    except ReferenceDbError:
        return False
    return True


def content_of(store: ReferenceStore) -> ActiveContent:
    """The content a store was opened from (bundled when opened directly, as tests do)."""
    from referral_app.services.content_in_use import ActiveContent

    known = store.__dict__.get("content")
    if known is not None:
        return known
    meta = store.meta
    return ActiveContent(
        Path(), meta.get("data_version", "?"), "bundled", build_date=meta.get("build_date", "")
    )
