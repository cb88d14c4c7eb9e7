"""Plain-text and JSON shapes of the scale and the screening flags (``levels``, ``flags``)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from referral_app.domain.entities import RecommendationLevel
from referral_app.domain.flags import Flag, FlagAlias
from referral_app.domain.listing import EvidenceLevel
from referral_app.domain.scale import GRADING_SYSTEMS
from referral_app.printing.statements import unconfirmed_mark


def levels_json(evidence: list[EvidenceLevel], recs: list[RecommendationLevel]) -> dict:
    return {
        "evidence_levels": [
            {
                "id": e.id,
                "label": e.label,
                "definition": e.definition,
                "maps_from": dict(e.maps_from),
                "sources": list(e.sources),
            }
            for e in evidence
        ],
        "recommendation_levels": [
            {"id": r.id, "label": r.label, "definition": r.definition} for r in recs
        ],
    }


def format_levels(evidence: list[EvidenceLevel], recs: list[RecommendationLevel]) -> str:
    lines = ["EVIDENCE SCALE", ""]
    for e in evidence:
        lines.append(f"{e.label}  ({e.id})")
        lines.append(textwrap.fill(e.definition, 96, initial_indent="  ", subsequent_indent="  "))
        for system, wording in e.maps_from:
            name = GRADING_SYSTEMS.get(system, system)
            lines.append(
                textwrap.fill(
                    f"{name}: {wording}", 96, initial_indent="    - ", subsequent_indent="      "
                )
            )
        lines.append(f"  Sources: {'; '.join(e.sources)}")
        lines.append("")
    lines += ["RECOMMENDATION LEVELS", ""]
    for r in recs:
        lines.append(f"{r.label}  ({r.id})")
        lines.append(textwrap.fill(r.definition, 96, initial_indent="  ", subsequent_indent="  "))
        lines.append("")
    return "\n".join(lines).rstrip()


def flag_json(flag: Flag, aliases: Sequence[FlagAlias] = ()) -> dict:
    """One flag as asked now; ``aliases``: older ids whose *yes* now means this flag."""
    return {
        "id": flag.id,
        "label": flag.label,
        "question": flag.question,
        "kind": flag.kind,
        "reason": flag.reason,
        "instruction": flag.instruction,
        "sources": list(flag.sources),
        "confirmed": flag.confirmed,
        "needs_service": flag.needs_service or None,
        "patient_first": dict(flag.patient_first) or None,
        "condition_overrides": [
            {
                "condition": o.condition,
                "kind": o.kind,
                "reason": o.reason,
                "instruction": o.instruction,
                "sources": list(o.sources),
                "confirmed": o.confirmed,
            }
            for o in flag.overrides
        ],
        "aliases": [
            {"old": a.old, "yes_means": list(a.yes), "covers": list(a.new), "why": a.why}
            for a in aliases
            if flag.id in a.new
        ],
    }


def format_flags(flags: list[Flag], aliases: Sequence[FlagAlias] = ()) -> str:
    width = max(len(f.id) for f in flags)
    lines = []
    for f in flags:
        mark = unconfirmed_mark(f.confirmed)
        lines.append(f"{f.id:<{width}}  {f.kind:<7}  {f.label}{mark}")
        for o in f.overrides:
            lines.append(f"{'':<{width}}  {o.kind:<7}  ... for condition {o.condition}")
    if aliases:
        lines += ["", "Older ids (still accepted):"]
        lines += [f"  {a.old} -> yes means {', '.join(a.yes)}" for a in aliases]
    return "\n".join(lines)
