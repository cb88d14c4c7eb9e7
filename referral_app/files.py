"""Writing files whole or not at all (every non-Qt writer: CSV exports, reports, backups, builds).

A temporary file with an unpredictable name is created exclusively (``O_EXCL``, mode 0600) in the
target folder, filled, flushed to disk and renamed over the target; on any failure it is removed
and the target is left as it was. A planted symlink at a guessable name cannot redirect the write,
and a killed writer leaves only a hidden ``.NAME.*.tmp`` file, never a half-written target.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

PRIVATE = 0o600  # patient data, the clinic's files, user settings
PUBLIC = 0o644  # what is published or bundled: content packs, signatures, data/ sources
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _temp_in(path: Path) -> tuple[int, Path]:
    if not path.parent.is_dir():
        raise FileNotFoundError(2, "folder does not exist", str(path.parent))
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    return fd, Path(name)


def sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every system can open a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: Path, mode: int = PRIVATE) -> Iterator[Path]:
    """A fresh temporary path beside ``path`` for writers that need a file name (SQLite backups,
    the reference build); renamed onto ``path`` with ``mode`` when the block succeeds."""
    fd, tmp = _temp_in(path)
    os.close(fd)
    try:
        yield tmp
        fsync_path(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


@contextlib.contextmanager
def atomic_write(
    path: Path,
    mode: str = "w",
    encoding: str | None = "utf-8",
    newline: str | None = None,
    permissions: int = PRIVATE,
) -> Iterator[IO]:
    """``with atomic_write(path) as handle: handle.write(...)``: all of it lands, or nothing;
    the file is private (0600) unless ``permissions`` says otherwise (PUBLIC for what is
    published)."""
    fd, tmp = _temp_in(path)
    try:
        binary = "b" in mode
        with os.fdopen(
            fd, mode, encoding=None if binary else encoding, newline=None if binary else newline
        ) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, permissions)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def make_private(path: Path) -> None:
    """Readable and writable by the owner only (the clinic DB, its backups, referral PDFs)."""
    with contextlib.suppress(OSError):
        os.chmod(path, PRIVATE)


def spreadsheet_cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula: a leading = + - @ gets a ' first."""
    return "'" + text if text.startswith(FORMULA_START) else text


def from_spreadsheet_cell(text: str) -> str:
    """Undo :func:`spreadsheet_cell` when a file we exported is imported again."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text
