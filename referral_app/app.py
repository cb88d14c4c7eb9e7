"""``main(argv) -> int``: the command line when a command is given, the GUI otherwise."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from referral_app import paths

PROG = "referral-guide"
PAINT_PROBE_ENV = "REFERRAL_APP_QUIT_AFTER_PAINT"  # benchmarks/startup.py: FILE for the timing


def _wants_gui(argv: list[str]) -> bool:
    rest = list(argv)
    if "--data-dir" in rest:
        index = rest.index("--data-dir")
        del rest[index : index + 2]
    rest = [a for a in rest if not a.startswith("--data-dir=")]
    return not rest


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--self-test" in argv:
        return run_self_test(argv)
    if _wants_gui(argv):
        return run_gui(argv)  # the GUI reports its own errors in dialogs
    return run_cli(argv)


def run_cli(argv: list[str]) -> int:
    """A command: bad input is one line and exit 2; a broken install one line and exit 1."""
    from referral_app.cli.commands import CliError, run
    from referral_app.content.errors import ContentError
    from referral_app.db.connection import ReferenceDbError
    from referral_app.db.user import UserDbError
    from referral_app.services.errors import InputError

    try:
        return run(argv)
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
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - last resort: a log entry and one line, no traceback
        from referral_app.diagnostics.crash import log_unexpected

        where = log_unexpected(exc)
        print(f"{PROG}: internal error ({type(exc).__name__}); details in {where}", file=sys.stderr)
        return 1


def run_gui(argv: list[str]) -> int:
    """Start the desktop window (Qt is imported only here)."""
    if "--data-dir" in argv:
        paths.set_data_dir_override(Path(argv[argv.index("--data-dir") + 1]))
    from referral_app.ui.app_setup import run

    _install_paint_probe()
    return run()


def _install_paint_probe() -> None:
    """For benchmarks/startup.py: quit after the first paint of the main window."""
    out = os.environ.get(PAINT_PROBE_ENV)
    if out:
        from referral_app.diagnostics.startup_probe import quit_after_first_paint
        from referral_app.ui.app_setup import make_app

        quit_after_first_paint(make_app(), Path(out))


def run_self_test(argv: list[str]) -> int:
    """``--self-test --report FILE.json [--data-dir DIR]``: check this install, write a report."""
    parser = argparse.ArgumentParser(prog=PROG, add_help=False)
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("--report", type=Path, metavar="FILE.json")
    parser.add_argument("--data-dir", type=Path)
    args, extra = parser.parse_known_args(argv)
    if extra or args.report is None:
        print(f"{PROG}: error: usage: {PROG} --self-test --report FILE.json", file=sys.stderr)
        return 2
    if args.data_dir:
        paths.set_data_dir_override(args.data_dir)
    from referral_app.diagnostics.selftest import run_self_test as run_checks

    return run_checks(args.report)
