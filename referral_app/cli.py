"""The command line: the app's second face over the same code paths the GUI uses.

No Qt is imported here, so commands start fast and run on machines without a display.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import NoReturn

from referral_app import __version__, paths
from referral_app.cli_format import condition_json, format_condition, format_hits, hit_json

PROG = "referral-guide"


class CliError(Exception):
    """Bad input from the user: one line on stderr, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Massage Referral Guide")
    parser.add_argument("--version", action="store_true", help="show app and data versions")
    parser.add_argument("--data-dir", type=Path, help="user data folder (default: per-user)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    search = sub.add_parser("search", help="find conditions by name, synonym or ICD-10-CM code")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--json", action="store_true")

    show = sub.add_parser("show", help="show one condition with its evidence and sources")
    show.add_argument("condition", help="id, ICD-10-CM code or text")
    show.add_argument("--json", action="store_true")

    build = sub.add_parser("build-data", help="validate data/ and write reference.db")
    build.add_argument("--out", type=Path, help="where to write (default: data/reference.db)")
    return parser


def run(argv: list[str]) -> int:
    """Parse and run a command; raises CliError for bad input."""
    args = build_parser().parse_args(argv)
    if args.data_dir:
        paths.set_data_dir_override(args.data_dir)
    if args.command == "build-data":
        return _build_data(args)
    if args.version:
        return _version()
    handler = {"search": _search, "show": _show}[args.command]
    return handler(args)


def _store():
    from referral_app.datastore import open_reference_store

    return open_reference_store()


def _print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def _version() -> int:
    store = _store()
    meta = store.meta
    print(f"{PROG} {__version__}")
    print(f"data {meta.get('data_version', '?')} built {meta.get('build_date', '?')}")
    return 0


def _search(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    hits = _store().search(args.query, limit=args.limit)
    if args.json:
        _print_json([hit_json(h) for h in hits])
    else:
        print(format_hits(hits) if hits else "No matching condition.")
    return 0


def _show(args: argparse.Namespace) -> int:
    store = _store()
    condition = store.resolve(args.condition)
    if condition is None:
        raise CliError(f"unknown condition: {args.condition!r} (try: {PROG} search TEXT)")
    citations = store.citations(condition.source_keys())
    if args.json:
        _print_json(condition_json(condition, citations))
    else:
        levels = {lvl.id: lvl for lvl in store.evidence_levels()}
        print(format_condition(condition, citations, levels))
    return 0


def _build_data(args: argparse.Namespace) -> int:
    from referral_app.content.errors import ContentError
    from referral_app.datastore import build_data

    out = args.out or paths.reference_db()
    try:
        build_data(out)
    except ContentError as exc:
        for problem in exc.problems:
            print(f"{PROG}: data error: {problem}", file=sys.stderr)
        print(f"{PROG}: {len(exc.problems)} problem(s); {out} was not changed", file=sys.stderr)
        return 2
    print(f"wrote {out}")
    return 0
