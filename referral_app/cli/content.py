"""``referral-guide content install|status|rollback|pack|keygen``: signed content packs."""

from __future__ import annotations

import argparse
import json
import sys

from referral_app import __version__, paths
from referral_app.cli.parser import PROG, CliError


def run_content(args: argparse.Namespace) -> int:
    from referral_app.diagnostics.crash import setup_logging

    command = args.content_command
    if command is None:
        raise CliError("content needs a command: install, status, rollback, pack or keygen")
    if command in ("install", "rollback"):
        setup_logging()  # installs, refusals overridden with --allow-older and rollbacks are logged
    return {
        "install": _install,
        "status": _status,
        "rollback": _rollback,
        "pack": _pack,
        "keygen": _keygen,
    }[command](args)


def _bundled():
    """The bundled reference DB (rebuilt from data/ first when running from source)."""
    from referral_app.services.reference_data import open_reference_store

    open_reference_store(paths.reference_db()).close()
    return paths.reference_db()


def _install(args: argparse.Namespace) -> int:
    from referral_app.services import content_packs

    if not args.file.is_file():
        raise CliError(f"no such file: {args.file}")
    content = content_packs.install(args.file, _bundled(), allow_older=args.allow_older)
    if args.allow_older:
        print(f"{PROG}: --allow-older: this is recorded in the app log", file=sys.stderr)
    print(f"installed: {content.label}")
    return 0


def _rollback(_args: argparse.Namespace) -> int:
    from referral_app.services import content_packs

    content = content_packs.rollback(_bundled())
    print(f"now in use: {content.label}")
    return 0


def _status(args: argparse.Namespace) -> int:
    from referral_app.services import content_in_use, content_packs, signing
    from referral_app.services.content_in_use import signed_by

    content = content_in_use.active_content(_bundled())
    names = signing.key_names()
    state = content_in_use.read_state()
    key = names.get(content.key_id, content.key_id)
    off = signing.updates_off_reason()
    packs = content_packs.installed_packs()
    previous = [str(entry.get("dir")) for entry in state["previous"]]
    trusted = sorted(names.values())
    info: dict[str, object] = {
        "app_version": __version__,
        "in_use": {
            "version": content.version,
            "origin": content.origin,
            "installed": content.installed,
            "build_date": content.build_date,
            "key": key,
            "path": str(content.path),
        },
        "note": content.note,
        "installed_packs": packs,
        "previous": previous,
        "trusted_keys": trusted,
        "signed_by": signed_by(content),
        "content_updates": "off" if off else "on",
        "content_updates_note": off,
    }
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    print(f"in use: {content.label} (signed by {signed_by(content)})")
    print(f"content updates: {off}" if off else "content updates: on")
    if content.note:
        print(f"note: {content.note}")
    print(f"installed packs: {', '.join(packs) or 'none'}")
    print(
        f"rollback goes to: {previous[-1] if previous else 'the bundled content'}"
        if state["active"]
        else "rollback: nothing to roll back"
    )
    print(f"trusted keys: {', '.join(trusted) or 'none'}")
    return 0


def _pack(args: argparse.Namespace) -> int:
    from referral_app.content.errors import ContentError
    from referral_app.services.content_build import build_pack

    if not paths.has_data_sources():
        raise CliError("content pack needs the data/ folder of a source checkout")
    from referral_app.services.signing import dev_key_file, signing_key_file

    if (args.key or signing_key_file()).resolve() == dev_key_file().resolve():
        print(
            f"{PROG}: signing with the DEVELOPMENT key: source runs trust this pack, an installed "
            "app refuses it (set REFERRAL_CONTENT_KEY to the release key)",
            file=sys.stderr,
        )
    try:
        out = build_pack(args.out, key_file=args.key, min_app_version=args.min_app or __version__)
    except ContentError as exc:
        for problem in exc.problems:
            print(f"{PROG}: data error: {problem}", file=sys.stderr)
        return 2
    print(f"wrote {out}")
    return 0


def _keygen(args: argparse.Namespace) -> int:
    from referral_app.services.signing import generate_key

    if args.file.exists():
        raise CliError(f"{args.file} exists; choose a new file name")
    pub = generate_key(args.file, args.label)
    print(f"wrote {args.file} (private: keep it off the repository) and {pub}")
    print(f"to trust it, copy {pub.name} into resources/keys/")
    return 0
