"""The command line: the app's second face over the same code paths the GUI uses.

No Qt is imported here, so commands start fast and run on machines without a display.
"""

from __future__ import annotations

import argparse
import json
import sys

from referral_app import __version__, paths
from referral_app.cli.format import (
    condition_json,
    format_condition,
    format_hits,
    format_recommendation,
    hit_json,
    recommendation_json,
)
from referral_app.cli.format_screen import flag_json, format_flags, format_levels, levels_json
from referral_app.cli.parser import PROG, CliError, parse


def run(args: argparse.Namespace | list[str]) -> int:
    """Run a parsed command (``app.main`` parses); raises CliError for bad input."""
    if isinstance(args, list):
        args = parse(args)
        if args.data_dir is not None:
            paths.set_data_dir_override(args.data_dir)
    if args.command == "build-data":
        return _build_data(args)
    if args.version:
        return _version()
    if args.command is None:
        raise CliError("no command given")
    handlers = {
        "search": _search,
        "show": _show,
        "levels": _levels,
        "flags": _flags,
        "recommend": _recommend,
        "centers": _centers,
        "sheet": _sheet,
        "log": _log,
        "outcomes": _outcomes,
        "practice": _practice,
        "changes": _changes,
        "content": _content,
        "clinic-db": _clinic_db,
    }
    handler = handlers[args.command]
    return handler(args)


def _store():
    from referral_app.services.reference_data import open_reference_store

    return open_reference_store()


def _print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def _version() -> int:
    from referral_app.services.reference_data import content_of

    content = content_of(_store())
    print(f"{PROG} {__version__}")
    print(content.label)
    if content.note:
        print(f"note: {content.note}")
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
    condition = _resolve(store, args.condition)
    notes = clinician_notes(store, condition)
    keys = condition.source_keys() + tuple(k for n in notes for k in n.sources)
    citations = store.citations(list(dict.fromkeys(keys)))
    if args.json:
        _print_json(condition_json(condition, citations, notes))
    else:
        levels = {lvl.id: lvl for lvl in store.evidence_levels()}
        print(format_condition(condition, citations, levels, notes))
    return 0


def clinician_notes(store, condition, flags_present=()):
    from referral_app.services.recommendation import clinician_notes as notes_for

    return notes_for(store, condition, flags_present)


def _resolve(store, text: str):
    from referral_app.cli.resolve import resolve_condition

    return resolve_condition(store, text)


def _levels(args: argparse.Namespace) -> int:
    store = _store()
    evidence, recs = store.evidence_levels(), store.recommendation_levels()
    if args.json:
        _print_json(levels_json(evidence, recs))
    else:
        print(format_levels(evidence, recs))
    return 0


def _flags(args: argparse.Namespace) -> int:
    store = _store()
    flags, aliases = store.flags(), store.flag_aliases()
    if args.json:
        _print_json([flag_json(f, aliases) for f in flags])
    else:
        print(format_flags(flags, aliases))
    return 0


def _recommend(args: argparse.Namespace) -> int:
    from referral_app.domain.recommend import Screen
    from referral_app.services.recommendation import make_recommendation

    store = _store()
    flags = store.flags()
    present = _flags_now(store, args.flag)
    condition = _resolve(store, args.condition)
    if args.no_flags:
        screen = Screen.with_present(flags, present)
    else:
        screen = Screen(dict.fromkeys(present, "yes"))
    result = make_recommendation(store, condition, screen)
    notes = clinician_notes(store, condition, result.flags_present)
    before = tuple(k for s in condition.before_referral for k in s.sources)
    keys = result.source_keys() + before + tuple(k for n in notes for k in n.sources)
    citations = store.citations(list(dict.fromkeys(keys)))
    labels = {f.id: f.label for f in flags}
    if args.json:
        _print_json(recommendation_json(result, citations, notes, labels))
    else:
        print(format_recommendation(result, citations, notes, labels))
    return 0


def _flags_now(store, ids: list[str]) -> list[str]:
    """Current flag ids for ``ids``; an older id is accepted and noted on stderr."""
    from referral_app.services.recommendation import flag_ids_now

    now, notes = flag_ids_now(store, ids)  # InputError: one line, exit 2 (as CliError)
    for note in notes:
        print(f"{PROG}: note: {note}", file=sys.stderr)
    return now


def _user_store():
    from referral_app.cli.clinic_db import open_for_cli

    store = open_for_cli()
    for notice in store.notices:
        print(f"{PROG}: {notice}", file=sys.stderr)
    return store


def _centers(args: argparse.Namespace) -> int:
    from referral_app.cli import centers as center_commands

    if args.centers_command == "import":
        return center_commands.import_file(
            _user_store(), args.file, args.dry_run, args.update, _store(), args.skip_bad_rows
        )
    if args.centers_command == "import-fhir":
        return center_commands.import_fhir(_user_store(), args.file, args.dry_run)
    if args.centers_command == "import-nppes":
        from referral_app.cli.nppes import import_nppes_file

        return import_nppes_file(_user_store(), args.file, args.state, args.dry_run)
    if args.centers_command == "export":
        return center_commands.export_file(_user_store(), _store(), args.file)
    if args.centers_command in ("verify", "hide", "unhide"):
        from referral_app.cli import center_checks

        if args.centers_command == "verify":
            return center_checks.verify(_store(), _user_store(), args)
        hidden = args.centers_command == "hide"
        return center_checks.hide(_store(), _user_store(), args, hidden)
    if args.centers_command == "excluded":
        return center_commands.excluded(_store(), _user_store())
    if args.centers_command == "checks":
        return center_commands.checks(_store(), _user_store(), args.checks_json, args.checks_near)
    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    if args.reach_km is not None and not 0 < args.reach_km <= 20000:
        raise CliError("--reach-km must be a distance in km, more than 0")
    if args.reach_mi is not None and not 0 < args.reach_mi <= 12000:
        raise CliError("--reach-mi must be a distance in miles, more than 0")
    from referral_app.services.center_import import find_outlook, km_from

    units = "mi" if args.reach_mi is not None else "km" if args.reach_km is not None else None
    reach_km = km_from(args.reach_mi, "mi") if args.reach_mi is not None else args.reach_km
    store = _store()
    flags = {f.id: f for f in store.flags()}
    present = _flags_now(store, args.flag)
    condition = _resolve(store, args.condition) if args.condition else None
    if condition is not None and not condition.by_therapist:  # scripts read stdout: note on stderr
        print(
            f"referral-guide: note: {condition.name} is not a referral to a massage therapist "
            f"({condition.delivery}); its sheet prints instructions and takes no center",
            file=sys.stderr,
        )
    found = find_outlook(
        store,
        _user_store(),
        condition,
        [flags[f] for f in present],
        args.near,
        args.limit,
        reach_km,
        units,
    )
    if args.json and args.routes:
        _print_json(center_commands.outlook_json(found))
    elif args.json:
        if found.nothing_near:
            print(
                f"{PROG}: note: {found.headline()} (--routes lists what works anywhere)",
                file=sys.stderr,
            )
        _print_json([center_commands.match_json(m) for m in found.matches])
    else:
        print(center_commands.format_outlook(found))
    return 0


def _sheet(args: argparse.Namespace) -> int:
    from referral_app.cli import sheets as sheet_commands

    return sheet_commands.sheet(_store(), _user_store(), args)


def _log(args: argparse.Namespace) -> int:
    from referral_app.cli import sheets as sheet_commands

    return sheet_commands.log(_store(), _user_store(), args)


def _outcomes(args: argparse.Namespace) -> int:
    from referral_app.cli import outcomes

    return outcomes.show(_user_store(), args)


def _practice(args: argparse.Namespace) -> int:
    from referral_app.cli.practice import run_practice

    return run_practice(_user_store(), args)


def _clinic_db(args: argparse.Namespace) -> int:
    from referral_app.cli.clinic_db import run_clinic_db

    return run_clinic_db(args)


def _content(args: argparse.Namespace) -> int:
    from referral_app.cli.content import run_content

    return run_content(args)


def _build_data(args: argparse.Namespace) -> int:
    from referral_app.content.errors import ContentError
    from referral_app.services.reference_data import build_content

    out = args.out or paths.reference_db()
    try:
        _, content = build_content(out, strict=args.strict, seal=args.seal)
    except ContentError as exc:
        for problem in exc.problems:
            print(f"{PROG}: data error: {problem}", file=sys.stderr)
        print(f"{PROG}: {len(exc.problems)} problem(s); {out} was not changed", file=sys.stderr)
        return 2
    if content.backlog:
        print(
            f"{PROG}: note: {len(content.backlog)} known content problem(s) still to fix "
            f"(data/rules_backlog.toml); list them with: {PROG} build-data --strict",
            file=sys.stderr,
        )
    if args.seal:
        print(f"sealed data version {content.data_version}: {content.content_hash}")
    print(f"wrote {out}")
    return 0


def _changes(args: argparse.Namespace) -> int:
    from referral_app.cli.changes import changes

    return changes(_store(), args.since, as_json=args.json)
