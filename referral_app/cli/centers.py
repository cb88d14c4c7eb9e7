"""The ``centers`` commands: match, verify, import, export (printing only; the work is in
services)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from referral_app.db.clinic_store import ClinicStore
from referral_app.db.reference import ReferenceStore
from referral_app.db.store_errors import STORE_ERRORS
from referral_app.domain.center import Center, ClinicCheck
from referral_app.domain.matching import Match, distance_text
from referral_app.domain.provenance import (
    FIELDS,
    NO_SOURCE,
    exclusion_reason,
    from_words,
    phone_words,
    when,
)
from referral_app.services.center_import import (
    export,
    needs_checking,
)
from referral_app.services.errors import InputError
from referral_app.services.routes import Outlook


def provenance_json(center: Center) -> dict:
    """Per field: its source, the source's own date and the words the app shows."""
    out = {}
    for name in FIELDS:
        source = center.source_of(name)
        if center.origin == "local":
            out[name] = {"source": "clinic's list", "date": "", "words": "from the clinic's list"}
        elif source is None or source.source == NO_SOURCE:
            out[name] = {"source": NO_SOURCE, "date": "", "words": f"no {name} source"}
        else:
            words = from_words(center, name, name) or ""
            out[name] = {"source": source.source, "date": when(source), "words": words}
    out["phone"]["words"] = phone_words(center)
    return out


def check_json(check: ClinicCheck | None) -> dict | None:
    if check is None:
        return None
    return {
        "checked_on": check.checked_on.isoformat(),
        "by": check.by,
        "method": check.method,
        "note": check.note,
        "corrections": check.corrections(),
        "result": check.result,
    }


def match_json(match: Match) -> dict:
    c = match.center
    return {
        "id": c.id,
        "name": c.name,
        "city": c.city,
        "region": c.region,
        "postal_code": c.postal_code,
        "phone": c.phone,
        "npi": c.npi,
        "services": list(c.services),
        "distance_km": None if match.distance_km is None else round(match.distance_km, 1),
        "verified": c.verified,
        "origin": c.origin,
        "why": list(match.why),
        "band": match.band_label,
        "band_rank": match.band,
        "within_reach": match.within_reach if match.distance_km is not None else None,
        "who_may_book": match.eligibility,
        "street": c.street,
        "website": c.website,
        "status": c.status,
        "location_basis": c.location_basis,
        "provenance": provenance_json(c),
        "clinic_check": check_json(c.check),
    }


def format_matches(
    matches: list[Match], reach_ends_after: int | None = None, reach: str = ""
) -> str:
    """The ranked list; ``reach_ends_after`` rows are within reach and a line marks the end."""
    lines = []
    for i, m in enumerate(matches, 1):
        if reach_ends_after is not None and i == reach_ends_after + 1:
            lines.append(f"---- reach ends here: the centers below are more than {reach} away ----")
        c = m.center
        where = ", ".join(p for p in (c.city, c.region) if p)
        contact = c.phone or c.website or "no phone or website confirmed"
        npi = f"  NPI {c.npi}" if c.npi else ""
        lines.append(f"{i:>2}. {c.name}  [{c.id}]  {where}  {contact}{npi}")
        lines.append(f"    {m.band_label}: {'; '.join(m.why)}")
    return "\n".join(lines)


def format_outlook(found: Outlook) -> str:
    """Nothing within reach first (with the routes that work anywhere), then the list."""
    reach = distance_text(found.policy.reach_km, found.policy.units)
    lines = []
    if found.nothing_near:
        lines.append(found.headline())
        lines.append("Routes that work anywhere:")
        for route in found.routes:
            url = f" {route.url}" if route.url else ""
            lines.append(f"  - {route.title}: {route.text}.{url} {route.cite()}".rstrip())
        if found.matches:
            lines.append("Listed centers, nearest first (none pre-selected):")
    if not found.matches:
        return "\n".join(lines + ["No matching center."])
    ends = found.reach_ends_after()
    ends = None if ends in (None, 0, len(found.matches)) else ends
    return "\n".join(lines + [format_matches(found.matches, ends, reach)])


def outlook_json(found: Outlook) -> dict:
    """``centers --json`` with ``--outlook``: the list and what to say when nothing is near."""
    return {
        "nothing_within_reach": found.nothing_near,
        "headline": found.headline(),
        "reach_km": found.policy.reach_km,
        "routes": [
            {
                "title": r.title,
                "text": r.text,
                "url": r.url,
                "source": r.source,
                "date": r.date,
                "confirmed": r.confirmed,
            }
            for r in found.routes
        ],
        "centers": [match_json(m) for m in found.matches],
    }


def checks(store: ReferenceStore, user: ClinicStore, as_json: bool, near: str = "") -> int:
    """``centers checks``: every center that can be offered, those within the clinic's reach
    first (of ``near``, else the clinic's ZIP code in Settings), then oldest clinic check first."""
    rows = needs_checking(store, user, near=near)
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "id": r.center.id,
                        "name": r.center.name,
                        "due": r.due,
                        "near": r.near,
                        "words": r.words,
                        "clinic_check": check_json(r.center.check),
                    }
                    for r in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for r in rows:
        due, near = "DUE " if r.due else "ok  ", "near us  " if r.near else ""
        print(f"{due} {near}{r.center.name}  [{r.center.id}]  {r.words}")
    return 0


def excluded(store: ReferenceStore, user: ClinicStore | None = None) -> int:
    """``centers excluded``: centers never offered, with the reason (the clinic's own checks that
    took a center out come first)."""
    from referral_app.services.center_import import excluded_centers

    for center in excluded_centers(store, user):
        print(f"{center.name}  [{center.id}]: {exclusion_reason(center)}")
    return 0


def import_file(
    user: ClinicStore,
    path: Path,
    dry_run: bool,
    update: bool,
    store: ReferenceStore | None = None,
    skip_bad: bool = False,
) -> int:
    """Streamed, in one transaction: all rows or none, or with ``skip_bad`` the good rows (see
    services/csv_import). Each row is named; the last line says what was and was not imported."""
    from referral_app.services.csv_import import import_csv

    bundled = frozenset(c.id for c in store.all_centers()) if store is not None else None
    try:
        report = import_csv(
            user,
            path,
            update=update,
            dry_run=dry_run,
            bundled_ids=bundled,
            progress=progress_line(),
            skip_bad=skip_bad,
        )
    except STORE_ERRORS as exc:
        raise InputError(f"could not save ({exc}); nothing was imported") from exc
    if not report.ok and not skip_bad:
        for line in report.report_lines():
            print(line, file=sys.stderr)
        print(
            f"{report.headline()}. Fix those rows and import again, or import only the good "
            "rows with --skip-bad-rows.",
            file=sys.stderr,
        )
        return 2
    for line in report.report_lines():
        print(line)
    if dry_run:
        print(f"dry run: {report.summary()}; nothing was written")
        return 0
    print(f"{report.headline()} ({report.summary()})")
    return 0


def progress_line():
    """Progress on stderr for a large file (an NPPES file of 9 GB takes minutes), when someone
    is watching (a terminal)."""
    if not sys.stderr.isatty():
        return None

    def say(done: int, total: int) -> None:
        print(f"\r{done * 100 // max(total, 1)} % read", end="", file=sys.stderr, flush=True)

    return say


def export_file(user: ClinicStore, store: ReferenceStore, path: Path) -> int:
    try:
        rows = export(user, store, path)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    print(f"exported {rows} entr{'y' if rows == 1 else 'ies'} to {path}")
    return 0


def import_fhir(user: ClinicStore, path: Path | list[Path], dry_run: bool) -> int:
    """FHIR directory files (a Bundle, NDJSON): a line per entry (kept, used or skipped and why),
    then one write."""
    from referral_app.services.fhir_import import plan_file

    result = plan_file(path, user.local_centers(include_retired=True))
    for line in result.report():
        print(line)
    if dry_run:
        print(f"dry run: {result.summary()}; nothing was written")
        return 0
    try:
        written = user.apply_import(result.plan)
    except STORE_ERRORS as exc:
        raise InputError(f"could not save ({exc}); nothing was imported") from exc
    print(f"imported ({result.source}): {result.summary()} ({written} written)")
    return 0
