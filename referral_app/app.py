"""``main(argv) -> int``: the command line when a command is given, the GUI otherwise."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from referral_app import paths

if TYPE_CHECKING:  # the desktop app's start-up never loads argparse (the command line does)
    import argparse

PROG = "referral-guide"
PAINT_PROBE_ENV = "REFERRAL_APP_QUIT_AFTER_PAINT"  # benchmarks/startup.py: FILE for the timing


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        return run_gui()  # the desktop app: no command-line parser on its start-up path
    from referral_app.cli.parser import CliError, parse

    try:
        args = parse(argv)
    except CliError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    if args.data_dir is not None:
        paths.set_data_dir_override(args.data_dir)
    if args.self_test:
        return run_self_test(args.report)
    if args.command is None and not args.version:
        return run_gui()  # the GUI reports its own errors in dialogs
    return run_cli(args)


def run_cli(args: argparse.Namespace) -> int:
    """A command: bad input is one line and exit 2; a broken install one line and exit 1."""
    from referral_app.cli.commands import CliError, run
    from referral_app.content.errors import ContentError
    from referral_app.db.connection import ReferenceDbError
    from referral_app.db.store_errors import StoreError
    from referral_app.db.user import UserDbError
    from referral_app.services.errors import InputError

    try:
        return run(args)
    except (CliError, InputError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except ReferenceDbError as exc:
        print(f"{PROG}: {exc}. Reinstall the app (or run: make data).", file=sys.stderr)
        return 1
    except ContentError as exc:
        print(f"{PROG}: the data in data/ does not validate:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except UserDbError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    except StoreError as exc:  # refused by the clinic's data store: nothing was changed
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - last resort: a log entry and one line, no traceback
        from referral_app.diagnostics.crash import log_unexpected

        where = log_unexpected(exc)
        print(f"{PROG}: internal error ({type(exc).__name__}); details in {where}", file=sys.stderr)
        return 1


def run_gui() -> int:
    """Start the desktop window (Qt is imported only here)."""
    import gc

    # No cycle collection during start-up (ui/app_setup.py freezes what it made and turns the
    # collector back on once the panels are built): start-up makes many objects, almost no
    # cyclic garbage, and each pass of the collector would walk them all again.
    gc.disable()
    try:
        from referral_app.diagnostics import mark

        mark("python")  # the interpreter, the bundle's run-time hooks and this module
        # First of all, while this process has one thread and no Qt: the reference database's
        # whole-file check starts in a child process and runs on another core meanwhile.
        from referral_app.services import reference_check

        forked = reference_check.start()
        # The Qt-free modules the first screen needs, before Qt: once PySide6 is imported it
        # reads the source of every module imported after it (to see whether it uses PySide6's
        # feature switches), which costs more start-up time than importing them.
        import referral_app.db.clinic_store
        import referral_app.diagnostics.crash
        import referral_app.domain.scale
        import referral_app.services.content_in_use
        import referral_app.services.reference_data
        import referral_app.typing_compat  # noqa: F401
        from referral_app.ui.app_setup import run

        mark("qt imported")  # with the app's Qt-free modules the first screen needs
        out = os.environ.get(PAINT_PROBE_ENV)  # benchmarks/startup.py: time the paint, quit
        return run(paint_probe=Path(out) if out else None, forked=forked)
    finally:
        gc.enable()


def run_self_test(report: Path | None) -> int:
    """``--self-test [--report FILE.json] [--data-dir DIR]``: check this install, write a report
    (without --report to a temporary file, named on stderr)."""
    from referral_app.selftest import run_self_test as run_checks

    return run_checks(report)
