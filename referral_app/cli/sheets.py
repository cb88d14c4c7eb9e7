"""The ``sheet`` and ``log`` commands."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from referral_app.cli.resolve import resolve_condition
from referral_app.db.clinic_store import ClinicStore
from referral_app.db.reference import ReferenceStore
from referral_app.domain.center import Center
from referral_app.domain.eligibility import PatientGroups, assess, patient_groups
from referral_app.domain.entities import Condition
from referral_app.domain.provenance import exclusion_reason
from referral_app.domain.recommend import Screen
from referral_app.domain.referral import ORDER_TEXT_LIMIT, PARTS, Orders, Patient
from referral_app.domain.scale import DELIVERIES
from referral_app.services.errors import InputError
from referral_app.services.log_export import entry_json, write_log_csv
from referral_app.services.recommendation import flag_ids_now, make_recommendation
from referral_app.services.referral_override import (
    DeferredReferralError,
    NotAdvisedReferralError,
)
from referral_app.services.referrals import (
    export_and_log,
    footer,
    print_and_log,
)
from referral_app.services.reprints import ReprintError, reprint


def _fail(message: str) -> InputError:
    return InputError(message)


def _screen(store: ReferenceStore, flags: list[str], no_flags: bool) -> Screen:
    """Older flag ids are read as what they mean now (noted on stderr)."""
    present, notes = flag_ids_now(store, flags)
    for note in notes:
        print(f"referral-guide: note: {note}", file=sys.stderr)
    all_flags = store.flags()
    return (
        Screen.with_present(all_flags, present)
        if no_flags
        else Screen(dict.fromkeys(present, "yes"))
    )


def _parts(text: str) -> tuple[str, ...]:
    parts = tuple(p.strip() for p in text.split(",") if p.strip())
    bad = [p for p in parts if p not in PARTS]
    if bad or not parts:
        raise _fail(f"--parts takes a comma-separated list of: {', '.join(PARTS)}")
    return parts


def _dob(text: str) -> str:
    if text:
        try:
            dt.date.fromisoformat(text)
        except ValueError as exc:
            raise _fail(f"--dob must be a date like 1970-01-02, not {text!r}") from exc
    return text


def _one_line(option: str, text: str) -> str:
    """Typed order text folded to one line (as the dialog's fields hold it), within the cap."""
    folded = " ".join(text.split())
    if len(folded) > ORDER_TEXT_LIMIT:
        raise _fail(
            f"{option} is {len(folded)} characters; at most {ORDER_TEXT_LIMIT} fit on the sheet"
        )
    return folded


def _sessions(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    if not text.isdigit() or not 1 <= int(text) <= 100:
        raise _fail(f"--sessions must be a whole number from 1 to 100, not {text!r}")
    return str(int(text))


def _orders(args: argparse.Namespace) -> Orders:
    return Orders(
        medications=_one_line("--medications", args.medications),
        note=_one_line("--note", args.note),
        goals=_one_line("--goals", args.goals),
        sessions=_sessions(args.sessions),
        treat=_one_line("--treat", args.treat),
        avoid=_one_line("--avoid", args.avoid),
    )


def _peg(condition: Condition, text: str | None):
    """--peg P,E,G: for a pain condition only (domain/outcomes.py)."""
    if not text:
        return None
    from referral_app.domain.outcomes import is_pain_condition
    from referral_app.services.outcomes import parse_peg

    if not is_pain_condition(condition):
        raise _fail(f"{condition.name} is not a pain condition: --peg is not recorded for it")
    return parse_peg(text)


def _center(store: ReferenceStore, user: ClinicStore, condition: Condition, given: str | None):
    """The referral's center; None for a condition no therapist gives (it takes no --center)."""
    if not condition.by_therapist:
        if given:
            who = DELIVERIES.get(condition.delivery, condition.delivery).lower()
            raise _fail(
                f"{condition.name} is not a referral to a massage therapist (given by {who}): "
                "it takes no --center; the sheet prints the instructions"
            )
        return None
    if not given:
        raise _fail("give --center ID (see: referral-guide centers --condition ...)")
    from referral_app.services.center_import import known_center

    center = known_center(store, user, given)  # with the clinic's latest check
    if center is None:
        raise _fail(f"unknown center: {given!r} (see: referral-guide centers)")
    if exclusion_reason(center):
        raise _fail(f"{center.name} is not offered for referral: {exclusion_reason(center)}")
    return center


def sheet(store: ReferenceStore, user: ClinicStore, args: argparse.Namespace) -> int:
    from referral_app.printing.qt_app import ensure_gui_app
    from referral_app.services.referrals import build_referral

    if not args.out and not args.printer and not args.fhir:
        raise _fail("give --out FILE.pdf, --printer NAME or --fhir FILE.json")
    condition = resolve_condition(store, args.condition)
    center = _center(store, user, condition, args.center)
    if args.fhir and center is None:
        raise _fail(f"{condition.name} is not a referral: a FHIR referral is not made for it")
    patient = Patient(name=args.patient, dob=_dob(args.dob), phone=args.phone)
    orders = _orders(args)
    peg = _peg(condition, args.peg)
    screen = _screen(store, args.flag, args.no_flags)
    ensure_gui_app()
    _check_outputs(args)  # before a referral number is taken: a bad target uses none
    rec = make_recommendation(store, condition, screen)
    level = rec.level
    reason = args.override_advice if level == "not_advised" else args.override_defer
    near = getattr(args, "near", None)
    far = _reach_note(store, user, condition, screen, center.id, near) if center else ()
    try:
        built = build_referral(
            store,
            user,
            condition,
            center,
            screen,
            patient,
            args.lang,
            _parts(args.parts),
            args.urgency,
            override_defer=reason,
            orders=orders,
            reach_note=far,
            peg=peg,
        )
    except DeferredReferralError as exc:
        raise _fail(f'{exc}: give it with --override-defer "REASON"') from exc
    except NotAdvisedReferralError as exc:
        raise _fail(f'{exc}: give it with --override-advice "REASON"') from exc
    if center is not None:  # said once the sheet is sure to be made; a refusal stays one line
        _warn_if_not_for_patient(center, patient_groups(condition, list(rec.present)))
    if args.out or args.printer:
        _emit(store, user, built, args.out, args.printer)
    if args.fhir:  # only once the sheet was written or printed (and logged)
        _write_fhir(store, user, built, args.fhir, logged=bool(args.out or args.printer))
    return 0


def _warn_if_not_for_patient(center: Center, groups: PatientGroups) -> None:
    """A center whose booking rule leaves this patient out is still printed (the clinician
    chose it; the sheet says who may book), but said on stderr, as the window's picker does."""
    booking = assess(center, groups)
    if not booking.belongs:
        print(f"referral-guide: warning: {center.name} is {booking.words}", file=sys.stderr)


def _reach_note(store, user, condition, screen, center_id: str, near: str | None):
    """With ``--near``: when the center is not within the clinic's reach, what the sheets say."""
    if not near:
        return ()
    from referral_app.services.center_import import find_outlook
    from referral_app.services.routes import reach_note

    flags = [f for f in store.flags() if screen.answers.get(f.id) == "yes"]
    found = find_outlook(store, user, condition, flags, near, 200)
    return reach_note(found, center_id)


def _check_outputs(args: argparse.Namespace) -> None:
    """Refuse what cannot work before anything is reserved, written or printed: an unknown
    printer (never the default queue instead) and a file in a folder that is not there."""
    if args.printer:
        from referral_app.printing.queues import PrinterNotFoundError, check_printer

        try:
            check_printer(args.printer)
        except PrinterNotFoundError as exc:
            raise _fail(str(exc)) from exc
    for option, path in (("--out", args.out), ("--fhir", args.fhir)):
        if path is not None and not path.parent.is_dir():
            raise _fail(f"could not write {path} ({option}): no such folder; nothing was written")
        if path is not None and path.is_dir():
            raise _fail(f"could not write {path} ({option}): it is a folder; give a file name")


def _write_fhir(store: ReferenceStore, user: ClinicStore, built, path: Path, logged: bool) -> None:
    """The Bundle, written like the PDF (owner-only, whole or not at all). Alone (no PDF or
    printer) it is the referral's output: its number is logged once the file is written, and
    voided if it cannot be."""
    from referral_app.services.fhir_export import bundle_for, write_bundle

    try:
        write_bundle(path, bundle_for(store, built.referral))
    except OSError as exc:
        if not logged:
            user.void_referral(built.referral)
        done = "; the sheet itself was written and logged" if logged else "; nothing was logged"
        raise _fail(f"could not write {path}: {exc.strerror or exc}{done}") from exc
    print(f"wrote {path} (FHIR R4 Bundle)")
    if not logged:
        print(f"referral {user.log_referral(built.referral).number}")


def _emit(store, user, built, out: Path | None, printer: str | None) -> None:
    for warning in built.warnings:
        print(f"referral-guide: warning: {warning}", file=sys.stderr)
    try:
        if printer:
            printed, entry = print_and_log(store, user, built, printer)
            print(
                f"sent {printed.pages} page(s) to {printer}; referral {entry.number}; "
                f"{printed.status()}"
            )
        else:
            if out is None:  # the parser asks for one of them
                raise InputError("give --out FILE.pdf or --printer NAME")
            pages, entry = export_and_log(store, user, built, out)
            print(f"wrote {out} ({pages} pages); referral {entry.number}")
    except OSError as exc:
        doing = "print" if printer else "write"
        raise _fail(f"could not {doing} the sheet: {exc.strerror or exc}") from exc


def log(store: ReferenceStore, user: ClinicStore, args: argparse.Namespace) -> int:
    if args.record_reply:
        from referral_app.cli import outcomes

        return outcomes.record(store, user, args)
    if args.chart_note:
        from referral_app.services.chart_note import logged_chart_note

        print(logged_chart_note(store, user, args.chart_note))
        return 0
    entries = user.referrals()
    if args.reprint:
        return _reprint(store, user, args.reprint, args.out)
    if args.csv:
        write_log_csv(args.csv, entries, store.recommendation_levels())
        print(f"exported {len(entries)} referral(s) to {args.csv}")
    elif args.json:
        print(json.dumps([entry_json(e) for e in entries], ensure_ascii=False, indent=2))
    else:
        labels = {level.id: level.label for level in store.recommendation_levels()}
        for e in entries:  # the words the GUI log shows; --json and --csv keep the ids
            print(
                f"{e.number}  {e.created_at[:10]}  {e.condition_name}  "
                f"[{labels.get(e.level, e.level)}]  -> {e.center_name}"
            )
        if not entries:
            print("No referrals logged yet.")
    return 0


def _reprint(store: ReferenceStore, user: ClinicStore, number: str, out: Path | None) -> int:
    from referral_app.printing.output import export_pdf
    from referral_app.printing.qt_app import ensure_gui_app

    entry = user.get_referral(number)
    if entry is None:
        raise _fail(f"no logged referral {number!r} (see: referral-guide log)")
    if out is None:
        raise _fail("give --out FILE.pdf for the reprint")
    ensure_gui_app()
    try:
        built = reprint(store, user, entry)
    except ReprintError as exc:
        raise _fail(str(exc)) from exc
    pages = export_pdf(out, built.html, built.css, footer(store))
    print(f"wrote {out} ({pages} pages); reprint of {entry.number}")
    return 0
