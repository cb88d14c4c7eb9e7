"""Logging to a rotating file in the user data folder, and the last-resort exception hook.

Logs never hold patient identity: an unexpected error is logged as its type and the code frames
of its traceback, not its message (a message can quote user input). Works in the windowed frozen
build, where sys.stdout and sys.stderr are None.

A crash below Python (a segfault in Qt, an abort) ends the process before any hook runs: the
GUI has faulthandler write the Python stack of every thread to ``native-crash.log`` beside the
log (file, line and function names only, no values).
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TextIO

from referral_app import paths

LOG_NAME = "referral-guide.log"
NATIVE_LOG_NAME = "native-crash.log"
LOG = logging.getLogger("referral_app")
_native_log: TextIO | None = None  # open while faulthandler may write to it


def log_path() -> Path:
    return paths.user_data_dir() / "logs" / LOG_NAME


class _FileOnFirstRecord(logging.Handler):
    """The log file's place until something is logged: the first record attaches the rotating
    file handler (logging.handlers loads only then) and goes to it."""

    def emit(self, record: logging.LogRecord) -> None:
        if setup_logging() is not None:  # removes this stand-in
            LOG.handle(record)


def log_when_needed() -> None:
    """The GUI's start-up: records (INFO and up) go to the log file, opened at the first one."""
    if not LOG.handlers:
        LOG.addHandler(_FileOnFirstRecord())
        LOG.setLevel(logging.INFO)


def setup_logging() -> Path | None:
    """Attach the rotating file handler once; None when the folder cannot be written."""
    from logging.handlers import RotatingFileHandler  # not on the GUI's first-paint path

    for stand_in in [h for h in LOG.handlers if isinstance(h, _FileOnFirstRecord)]:
        LOG.removeHandler(stand_in)
    path = log_path()
    for handler in [h for h in LOG.handlers if isinstance(h, RotatingFileHandler)]:
        if Path(handler.baseFilename) == path.absolute():
            return path
        LOG.removeHandler(handler)  # the data folder changed (tests, --data-dir)
        handler.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=256_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    LOG.addHandler(handler)
    LOG.setLevel(logging.INFO)
    return path


def describe(exc_type: type[BaseException], tb: TracebackType | None) -> str:
    """The error's type and where it happened: no message, no values."""
    frames = "".join(traceback.format_tb(tb)) if tb else ""
    return f"{exc_type.__module__}.{exc_type.__qualname__}\n{frames}"


def log_unexpected(exc: BaseException) -> Path | None:
    path = setup_logging()
    LOG.error("unexpected error: %s", describe(type(exc), exc.__traceback__))
    return path


def record_native_crashes() -> Path | None:
    """From now on a native crash leaves the Python stack of every thread in native-crash.log
    (appended; opened now and kept open, as faulthandler writes with no Python left to open a
    file). None when the log folder cannot be written, or when native crashes are already
    reported elsewhere (``python -X faulthandler``, pytest): that is left as it is."""
    import faulthandler  # built in: nothing loads

    global _native_log
    if faulthandler.is_enabled() and _native_log is None:
        return None
    path = log_path().with_name(NATIVE_LOG_NAME)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        stream = open(path, "a", encoding="utf-8")  # noqa: SIM115 - kept open on purpose
    except OSError:
        return None
    faulthandler.enable(file=stream, all_threads=True)
    if _native_log is not None:  # another data folder (tests, --data-dir)
        _native_log.close()
    _native_log = stream
    return path


def install_hook(show: Callable[[str], None]) -> None:
    """Route uncaught exceptions to the log and a dialog naming the log's location."""

    def hook(exc_type, exc, tb) -> None:
        path = setup_logging()
        LOG.error("uncaught exception: %s", describe(exc_type, tb))
        where = str(path) if path else "(the log folder could not be written)"
        show(
            "Something went wrong and the action was stopped; it may not have finished. What "
            "was saved before it is kept.\n\nDetails for support are in:\n"
            f"{where}"
        )

    sys.excepthook = hook
