"""The bundled reference database's whole-file check, run on another core while the GUI starts.

The check (read the file, SHA-512 it, verify the Ed25519 signature; most of its CPU is loading
PyNaCl) needs nothing of Qt. The GUI starts it first thing, before Qt is loaded, in a forked child
process: a second core does it while the first imports Qt and builds the window, and the GUI
reads the verdict before any condition can open (ui/app_setup.ReferenceCheck). The child writes
the refusal (empty when the file matched) to a pipe and exits.

It forks only where that is safe and useful: os.fork exists, the process has a single thread
(forking a threaded process can leave a lock held in the child), and the database cannot be
rebuilt from data/ during start-up (a source checkout rebuilds a stale one). Otherwise, or when the
child gives no verdict, the check runs in process, as it always did (services/reference_data).
"""

from __future__ import annotations

import os
from pathlib import Path

from referral_app import paths


class ForkedCheck:
    """A check running in a child process; ``verdict`` waits for it (once) and reaps it."""

    def __init__(self, path: Path, pid: int, fd: int) -> None:
        self.path, self.pid, self._fd = path, pid, fd
        self._verdict: str | None = None
        self._done = False

    def verdict(self, path: Path) -> str | None:
        """The refusal for ``path`` ("" when the file matched its signature), or None when the
        child checked another file or gave no verdict: then check in process."""
        if not self._done:
            self._done = True
            chunks = []
            while chunk := os.read(self._fd, 65536):
                chunks.append(chunk)
            os.close(self._fd)
            _pid, status = os.waitpid(self.pid, 0)
            if os.waitstatus_to_exitcode(status) == 0:
                self._verdict = b"".join(chunks).decode("utf-8", "replace")
        return self._verdict if path == self.path else None


def start() -> ForkedCheck | None:
    """Start the bundled database's check in a child process, or None where it must run in
    process (see the module's docstring)."""
    if not hasattr(os, "fork") or not _single_threaded():
        return None
    if paths.reference_db_is_default() and paths.has_data_sources():
        return None  # a source checkout: open_reference_store() may rebuild the file first
    path = paths.reference_db()
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: check, report, leave; it never returns into the caller
        code = 1
        try:
            os.close(read)
            refusal = _check(path).encode("utf-8", "replace")
            while refusal:
                refusal = refusal[os.write(write, refusal) :]
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    return ForkedCheck(path, pid, read)


def verify_signature(path: Path) -> str:
    """Refuse a reference DB whose bytes do not match its detached signature (``PATH.sig``);
    returns the signing key's id."""
    from referral_app.db.connection import ReferenceDbError
    from referral_app.services.signing import SignatureError, verify_file

    try:
        return verify_file(path)
    except SignatureError as exc:
        message = f"reference database has been altered or damaged: {path} ({exc})"
        raise ReferenceDbError(message) from exc


def _check(path: Path) -> str:
    from referral_app.db.connection import ReferenceDbError

    try:
        verify_signature(path)
    except ReferenceDbError as exc:
        return str(exc)
    return ""


def _single_threaded() -> bool:
    """True when this process runs one thread (Linux: /proc; elsewhere: unknown, so False)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False
