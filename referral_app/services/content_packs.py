"""Installed content packs: which content is in use, install (atomically), rollback, status.

Layout in the user data folder (the bundle stays read-only)::

    content/packs/VERSION-SHA8/{reference.db, manifest.json, manifest.sig}
    content/state.json   {"active": {"dir", "installed"} | null, "previous": [...]}

An install extracts and checks the pack in a staging folder, fsyncs it, renames it into
``packs/``, then replaces ``state.json`` (temporary name, fsync, rename): a process killed at any
point leaves the previous content in use. Installs and rollbacks hold ``content/install.lock``
(an OS file lock, released by the OS when a process dies), so two at once never remove each
other's staging folder or write over each other's state. At start the active pack is checked
again (manifest signature and database hash); if it is not valid, or the app's own content is
newer, the bundled database is used.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from referral_app import __version__
from referral_app.db.reference_file import read_meta_or_empty
from referral_app.files import atomic_write, sync_folder
from referral_app.services import signing
from referral_app.services.content_in_use import (
    LOG,
    ActiveContent,
    active_content,
    content_dir,
    read_state,
    state_path,
)
from referral_app.services.content_pack_file import (
    DATABASE,
    MANIFEST,
    MANIFEST_SIG,
    NotNewerPackError,
    PackError,
    VerifiedPack,
    extract_database,
    read_pack,
    refuse_write_error,
    version_key,
)


def _write_state(state: dict) -> None:
    with atomic_write(state_path()) as fh:  # temporary name, fsync, rename, folder fsync
        json.dump(state, fh, indent=2)


LOCK_WAIT = 120.0  # seconds an install waits for another one to finish


@contextlib.contextmanager
def install_lock(wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold content/install.lock (fcntl.flock / msvcrt.locking): one install or rollback at a
    time across processes. PackError when another holds it for longer than ``wait``."""
    folder = content_dir()
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / "install.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise PackError("another content install is still running; try again when it ends")
            time.sleep(0.1)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def check_installable(pack: VerifiedPack, in_use: ActiveContent, allow_older: bool) -> None:
    """Refuse a pack that needs a newer app, or is not newer than the content in use."""
    manifest = pack.manifest
    if version_key(manifest.min_app_version) > version_key(__version__):
        raise PackError(
            f"{pack.path.name} needs app version {manifest.min_app_version} or newer "
            f"(this is {__version__}); update the app first"
        )
    if in_use.version == "?" or allow_older:
        return
    if version_key(manifest.data_version) <= version_key(in_use.version):
        same = manifest.data_version == in_use.version
        raise NotNewerPackError(
            f"{pack.path.name} holds content {manifest.data_version}, "
            + ("the version already in use" if same else f"older than the {in_use.version} in use")
        )


def install(
    path: Path, bundled: Path, *, allow_older: bool = False, keys: dict[str, bytes] | None = None
) -> ActiveContent:
    """Verify ``path`` and make it the content in use. Raises PackError (one plain line)."""
    off = signing.updates_off_reason() if keys is None else ""
    if off:
        raise PackError(f"{path.name} was not installed: {off}")
    pack = read_pack(path, keys)  # the manifest (size-capped) and its fields checked first
    with install_lock():
        return _install(pack, path, bundled, allow_older, keys)


def _install(
    pack: VerifiedPack,
    path: Path,
    bundled: Path,
    allow_older: bool,
    keys: dict[str, bytes] | None,
) -> ActiveContent:
    in_use = active_content(bundled, keys)
    # the database is checked against the signed hash first, so a damaged pack says so
    folder = _unpack(pack, lambda: check_installable(pack, in_use, allow_older))
    if allow_older and version_key(pack.manifest.data_version) <= version_key(in_use.version):
        LOG.warning(
            "content %s installed over %s with --allow-older (%s)",
            pack.manifest.data_version,
            in_use.version,
            path.name,
        )
    state = read_state()
    if state["active"] and state["active"].get("dir") != folder.name:
        state["previous"].append(state["active"])
    import datetime as dt

    now = dt.datetime.now().isoformat("T", "seconds")
    state["active"] = {"dir": folder.name, "installed": now, "pinned": allow_older}
    try:
        _write_state(state)
    except OSError as exc:
        raise refuse_write_error(exc, content_dir()) from exc
    LOG.info("content %s installed from %s", pack.manifest.data_version, path.name)
    return active_content(bundled, keys)


def _unpack(pack: VerifiedPack, check: Callable[[], None]) -> Path:
    """Extract and check into a staging folder; if ``check()`` passes too, rename it into
    packs/ (fsynced)."""
    packs = content_dir() / "packs"
    packs.mkdir(parents=True, exist_ok=True)
    for old in content_dir().glob(".staging-*"):  # left by a process killed mid-install
        shutil.rmtree(old, ignore_errors=True)
    target = packs / f"{pack.manifest.data_version}-{pack.manifest.db_sha256[:8]}"
    import uuid  # uuid loads platform: not on the start-up path

    staging = content_dir() / f".staging-{uuid.uuid4().hex}"
    try:
        _stage(pack, staging, target, packs, check)
    except OSError as exc:  # writing the staging folder: a full disk says so
        raise refuse_write_error(exc, content_dir()) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _stage(
    pack: VerifiedPack, staging: Path, target: Path, packs: Path, check: Callable[[], None]
) -> None:
    staging.mkdir()
    with (staging / DATABASE).open("wb") as out:
        extract_database(pack, out)
        out.flush()
        os.fsync(out.fileno())
    meta = read_meta_or_empty(staging / DATABASE)
    if meta.get("data_version") != pack.manifest.data_version:
        raise PackError(f"{pack.path.name} was refused: its database is not readable content")
    for name, data in (
        (MANIFEST, pack.manifest_bytes),
        (MANIFEST_SIG, pack.signature.to_json().encode()),
    ):
        with (staging / name).open("wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    sync_folder(staging)
    check()
    if target.exists():
        shutil.rmtree(target)  # the same pack again: replace a possibly damaged copy
    os.replace(staging, target)
    sync_folder(packs)


def rollback(bundled: Path, keys: dict[str, bytes] | None = None) -> ActiveContent:
    """Go back to the content used before the last install (at the end: the bundled content)."""
    with install_lock():
        state = read_state()
        if not state["active"]:
            raise PackError("the bundled content is already in use; there is nothing to roll back")
        state["active"] = state["previous"].pop() if state["previous"] else None
        _write_state(state)
    content = active_content(bundled, keys)
    LOG.info("content rolled back to %s (%s)", content.version, content.origin)
    return content


def installed_packs() -> list[str]:
    folder = content_dir() / "packs"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
