"""``referral-guide clinic-db``: connect this workstation to the shared clinic database, see its
status, migrate it (administrator), copy this computer's data into it."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from typing import TypeVar

from referral_app import paths
from referral_app.cli.parser import PROG, CliError
from referral_app.db.clinic_conninfo import ConninfoError, validate
from referral_app.services import clinic_db

T = TypeVar("T")
PGPASS_HINT = "add it to ~/.pgpass (docs/CLINIC_DATABASE.md), or run this in a terminal"


def _with_password(attempt: Callable[[str | None], T]) -> T:
    """Try without a password (libpq reads ~/.pgpass); asked once, on a terminal, if needed.
    The password typed is used for this run only."""
    try:
        return attempt(None)
    except clinic_db.PasswordNeededError as exc:
        if not sys.stdin.isatty():
            raise clinic_db.ClinicConnectError(f"{exc}: {PGPASS_HINT}") from exc
        return attempt(getpass.getpass("Clinic database password: "))


def open_for_cli():
    return _with_password(lambda pw: clinic_db.open_store(paths.user_db(), pw))


def run_clinic_db(args: argparse.Namespace) -> int:
    command = args.clinic_command
    if command is None:
        raise CliError(
            "clinic-db needs a command: connect, local, status, migrate, migrate-from-local, "
            "publish-content"
        )
    from referral_app.db.user import UserStore

    if command in ("connect", "local"):
        local = UserStore.open(paths.user_db())
        try:
            return _connect(local, args.address) if command == "connect" else _local(local)
        finally:
            local.close()
    if command == "migrate":
        return _migrate(args.address)
    if command == "publish-content":
        return _publish(args.file, args.address)
    store = open_for_cli()
    try:
        return _status(store, args.json) if command == "status" else _from_local(store)
    finally:
        store.close()


def _connect(local, address: str) -> int:
    try:
        validate(address)
    except ConninfoError as exc:
        raise CliError(str(exc)) from exc
    name = _with_password(lambda pw: clinic_db.connect(local, address, pw))
    print(f"This workstation now uses the shared clinic database: {name}")
    return 0


def _local(local) -> int:
    clinic_db.use_local(local)
    print("This workstation now uses this computer only (the shared database is left as it is)")
    return 0


def _address(address: str | None) -> str:
    """The address given, else the one this workstation uses; checked."""
    if address is None:
        from referral_app.db.user import UserStore

        local = UserStore.open(paths.user_db())
        address = local.get_setting(clinic_db.CONNINFO_KEY)
        local.close()
        if not address:
            raise CliError("give the address (this workstation is not connected to one)")
    try:
        validate(address)
    except ConninfoError as exc:
        raise CliError(str(exc)) from exc
    return address


def _publish(path, address: str | None) -> int:
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    where = _address(address)
    version = _with_password(lambda pw: clinic_db.publish_content(where, path, pw))
    print(f"published content {version}: each workstation installs it at its next start")
    return 0


def _migrate(address: str | None) -> int:
    address = _address(address)
    done = _with_password(lambda pw: clinic_db.migrate(address, pw))
    print("\n".join(f"applied {name}" for name in done) or "already up to date")
    return 0


def _status(store, as_json: bool) -> int:
    status = clinic_db.status(store)
    if as_json:
        info = {
            "mode": status.mode,
            "database": status.description,
            "reachable": status.reachable,
            "detail": status.detail,
            "migrations": list(status.migrations),
            "waiting_referrals": status.waiting,
            "workstations": [ws._asdict() for ws in clinic_db.workstation_content(store)],
        }
        print(json.dumps(info, indent=2))
        return 0
    state = "reachable" if status.reachable else f"NOT reachable ({status.detail})"
    print(f"{status.description}: {state}")
    if status.migrations:
        print(f"schema: {status.migrations[-1]} ({len(status.migrations)} steps)")
    if status.waiting:
        print(f"{status.waiting} referral(s) logged here wait to be written to the server")
    for ws in clinic_db.workstation_content(store):
        note = f" ({ws.note})" if ws.note else ""
        name = ws.workstation_id[:8].upper()
        print(f"workstation {name}: {ws.content}, reported {ws.reported_at[:16]}{note}")
    return 0


def _from_local(store) -> int:
    copied = clinic_db.migrate_from_local(store)
    print(
        f"copied {copied.centers} center(s), {copied.checks} check(s), "
        f"{copied.referrals} referral(s), {copied.settings} setting(s)"
    )
    if not any((copied.centers, copied.checks, copied.referrals, copied.settings)):
        print(f"{PROG}: nothing new to copy", file=sys.stderr)
    return 0
