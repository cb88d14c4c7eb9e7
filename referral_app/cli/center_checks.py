"""The ``centers verify`` / ``hide`` / ``unhide`` commands: what the clinic learned about a center
(printing only; the work is in services.center_import.record_check)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from referral_app.db.clinic_store import ClinicStore
from referral_app.db.reference import ReferenceStore
from referral_app.db.store_errors import StoreConflictError
from referral_app.domain.center import CHECK_RESULTS, HIDDEN, SHOWN, ClinicCheck
from referral_app.services.center_import import record_check
from referral_app.services.errors import InputError


def _day(text: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if text else dt.date.today()
    except ValueError as exc:
        raise InputError(f"--date must be YYYY-MM-DD, not {text!r}") from exc


def verify(store: ReferenceStore, user: ClinicStore, args) -> int:
    """``centers verify ID --by INITIALS [--result R] [--date] [--phone] [--note]``."""
    day = _day(args.date)
    result = getattr(args, "result", None) or "confirmed"
    if result not in CHECK_RESULTS:  # argparse checks choices; a script calling in may not
        raise InputError(f"--result must be one of {', '.join(CHECK_RESULTS)}")
    check = ClinicCheck(
        center_id=args.id,
        checked_on=day,
        by=args.by,
        note=args.note.strip(),
        phone=args.phone.strip(),
        result=result,
    )
    center = record_check(store, user, check)
    if center.check is None:  # record_check returns the center with this check applied
        raise StoreConflictError(f"the check of {center.id} vanished from the clinic's list")
    recorded = replace(check, by=check.by.strip().upper())  # as record_check stores it
    print(
        f"recorded: {center.name} [{center.id}] {check_said(recorded)}"
        + (f"; phone now {center.phone}" if check.phone else "")
    )
    return 0


def check_said(check: ClinicCheck) -> str:
    """What a recorded check does to the ranking, in words."""
    said = f"by {check.by} on {check.checked_on}"
    if check.confirms:
        return f"verified {said}"
    if check.result == "no-answer":
        return f"no answer {said}: ranked after the others within reach until a check confirms it"
    if check.removes:
        out = "taken out of the ranking on this clinic's data (see: centers excluded)"
        return f"{check.result} {said}: {out}"
    return f"shown again {said}"


def hide(store: ReferenceStore, user: ClinicStore, args, hidden: bool) -> int:
    """``centers hide ID --by INITIALS --reason TEXT`` / ``centers unhide ID --by INITIALS``."""
    reason = (getattr(args, "reason", "") or "").strip()
    if hidden and not reason:
        raise InputError("--reason is required: say why the center is hidden")
    check = ClinicCheck(
        center_id=args.id,
        checked_on=dt.date.today(),
        by=args.by,
        method="clinic",
        note=reason,
        result=HIDDEN if hidden else SHOWN,
    )
    center = record_check(store, user, check)
    if center.check is None:
        raise StoreConflictError(f"the check of {center.id} vanished from the clinic's list")
    print(f"recorded: {center.name} [{center.id}] {check_said(center.check)}")
    return 0
