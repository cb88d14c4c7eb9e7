"""Finding centers for a patient and planning a CSV import: shared by the CLI and the GUI."""

from __future__ import annotations

from pathlib import Path

from referral_app.content.center_csv import CsvFileError, ImportPlan, plan_import
from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.entities import Condition, Flag
from referral_app.domain.matching import Match
from referral_app.services.destinations import UnknownLocationError, locate, match_centers
from referral_app.services.errors import InputError


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
        raise InputError(str(exc)) from exc
    return match_centers(store, user.local_centers(), condition, flags, where, limit)


def read_plan(user: UserStore, path: Path, update: bool) -> ImportPlan:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return plan_import(data, user.local_centers(include_retired=True), update)
    except CsvFileError as exc:
        raise InputError(f"{path}: {exc}") from exc


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
