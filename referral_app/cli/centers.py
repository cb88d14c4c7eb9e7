"""The ``centers`` commands: match, import, export (shared by the CLI and the GUI)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from referral_app.content.center_csv import CsvFileError, ImportPlan, plan_import, write_csv
from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.entities import Condition, Flag
from referral_app.domain.matching import Match
from referral_app.services.destinations import UnknownLocationError, locate, match_centers


class CenterCommandError(Exception):
    """Bad input for a centers command (one clear line, exit 2)."""


def find(
    store: ReferenceStore,
    user: UserStore,
    condition: Condition | None,
    flags: list[Flag],
    near: str | None,
    limit: int,
) -> list[Match]:
    try:
        where = locate(near, store) if near else None
    except UnknownLocationError as exc:
        raise CenterCommandError(str(exc)) from exc
    return match_centers(store, user.local_centers(), condition, flags, where, limit)


def match_json(match: Match) -> dict:
    c = match.center
    return {
        "id": c.id,
        "name": c.name,
        "city": c.city,
        "region": c.region,
        "postal_code": c.postal_code,
        "phone": c.phone,
        "services": list(c.services),
        "distance_km": None if match.distance_km is None else round(match.distance_km, 1),
        "verified": c.verified,
        "origin": c.origin,
        "why": list(match.why),
    }


def format_matches(matches: list[Match]) -> str:
    lines = []
    for i, m in enumerate(matches, 1):
        c = m.center
        where = ", ".join(p for p in (c.city, c.region) if p)
        lines.append(f"{i:>2}. {c.name}  [{c.id}]  {where}  {c.phone or 'phone unknown'}")
        lines.append(f"    {'; '.join(m.why)}")
    return "\n".join(lines)


def read_plan(user: UserStore, path: Path, update: bool) -> ImportPlan:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CenterCommandError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return plan_import(data, user.local_centers(include_retired=True), update)
    except CsvFileError as exc:
        raise CenterCommandError(f"{path}: {exc}") from exc


def format_plan(plan: ImportPlan) -> list[str]:
    lines = [f"read as {plan.encoding}"] + plan.warnings
    lines += [f"line {b.line}: {b.reason}" for b in plan.bad]
    lines += [
        f"line {r.line}: {r.action}: {r.center.name}"
        + (" (already listed; use --update to change it)" if r.action == "skip" else "")
        for r in plan.rows
        if r.action != "unchanged"
    ]
    return lines


def import_file(user: UserStore, path: Path, dry_run: bool, update: bool) -> int:
    plan = read_plan(user, path, update)
    if not plan.ok:
        for line in format_plan(plan):
            print(line, file=sys.stderr)
        print(f"{len(plan.bad)} bad row(s): nothing was imported", file=sys.stderr)
        return 2
    for line in format_plan(plan):
        print(line)
    if dry_run:
        print(f"dry run: {plan.summary()}; nothing was written")
        return 0
    try:
        written = user.apply_import(plan)
    except sqlite3.Error as exc:
        raise CenterCommandError(f"could not save ({exc}); nothing was imported") from exc
    print(f"imported: {plan.summary()} ({written} written)")
    return 0


def export_file(user: UserStore, path: Path) -> int:
    centers = user.local_centers(include_retired=True)
    try:
        write_csv(path, centers)
    except OSError as exc:
        raise CenterCommandError(f"cannot write {path}: {exc.strerror or exc}") from exc
    print(f"exported {len(centers)} entr{'y' if len(centers) == 1 else 'ies'} to {path}")
    return 0
