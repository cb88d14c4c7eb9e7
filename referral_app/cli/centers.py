"""The ``centers`` commands: match, import, export (printing only; the work is in services)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from referral_app.content.center_csv import write_csv
from referral_app.db.user import UserStore
from referral_app.domain.matching import Match
from referral_app.services.center_import import format_plan, read_plan
from referral_app.services.errors import InputError


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
        raise InputError(f"could not save ({exc}); nothing was imported") from exc
    print(f"imported: {plan.summary()} ({written} written)")
    return 0


def export_file(user: UserStore, path: Path) -> int:
    centers = user.local_centers(include_retired=True)
    try:
        write_csv(path, centers)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    print(f"exported {len(centers)} entr{'y' if len(centers) == 1 else 'ies'} to {path}")
    return 0
