"""Referral sheet parts as HTML, from Jinja2 templates with autoescaping on. No Qt here."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field, fields, replace
from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from referral_app import paths
from referral_app.domain.center import Center
from referral_app.domain.eligibility import assess, patient_groups
from referral_app.domain.entities import Citation, ClinicianNote, Guidance, Link, WarningSet
from referral_app.domain.flags import Flag
from referral_app.domain.listing import EvidenceLevel
from referral_app.domain.needs import listed_needs
from referral_app.domain.provenance import sheet_lines
from referral_app.domain.recommend import Recommendation
from referral_app.domain.referral import PARTS, Referral
from referral_app.domain.scale import DURABILITY_LABELS, SERVICES
from referral_app.printing.letter import letter_context
from referral_app.printing.sheet_screen import screen_context, templates_for
from referral_app.printing.statements import unconfirmed_mark

BLANK = "________________"


@dataclass(frozen=True)
class SheetContent:
    """What the templates need from the reference data besides the referral itself."""

    evidence: dict[str, EvidenceLevel]
    flags: list[Flag]
    guidance: dict[str, list[Guidance]]
    links: list[Link]
    citations: list[Citation]
    needs: list[str]
    wording: dict[str, dict[str, str]] = field(default_factory=dict)  # level -> words
    notes: list[ClinicianNote] = field(default_factory=list)  # shown to the therapist
    warning_sets: list[WarningSet] = field(default_factory=list)  # the handout's warning signs


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(paths.resource("templates"))),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def handout_strings() -> dict[str, dict[str, str]]:
    return tomllib.loads(paths.resource("templates", "handout_strings.toml").read_text("utf-8"))


@cache
def stylesheet() -> str:
    return paths.resource("templates", "base.css").read_text("utf-8")


def address_line(center: Center) -> str:
    place = " ".join(p for p in (center.region, center.postal_code) if p)
    parts = [center.street, center.city, place]
    return ", ".join(p for p in parts if p) or "Address not on file"


LRE, RLE, PDF = "\u202a", "\u202b", "\u202c"
# Explicit direction controls a typed value may carry (embeddings, overrides, isolates).
BIDI_CONTROLS = dict.fromkeys(range(0x202A, 0x202F)) | dict.fromkeys(range(0x2066, 0x206A))


def isolate(text: str) -> str:
    """Typed text in its own bidi island: a U+202E inside a patient's name cannot mirror the
    rest of the line, and a right-to-left name keeps its own direction.

    The value's own direction controls are dropped; a value with right-to-left letters is then
    wrapped in one embedding in the direction of its first strong letter, closed by PDF.
    (FSI/PDI, U+2068/U+2069, would say the same, but Qt 6.11 embeds a fallback font just to
    place them, and the sheet font carries no direction controls.)"""
    if not text:
        return text
    clean = text.translate(BIDI_CONTROLS)
    if not any(unicodedata.bidirectional(c) in ("R", "AL", "AN") for c in clean):
        return clean  # left-to-right text in a left-to-right sheet: nothing left to reorder
    strong = (unicodedata.bidirectional(c) for c in clean)
    first = next((d for d in strong if d in ("L", "R", "AL")), "L")
    return f"{RLE if first != 'L' else LRE}{clean}{PDF}"


def typed_values(referral: Referral) -> list[str]:
    """What people typed (not our content): the patient, the practice, the center's name, the
    orders."""
    p, pr, c, o = referral.patient, referral.practice, referral.center, referral.orders
    return [
        p.name,
        p.dob,
        p.phone,
        p.language,
        pr.name,
        pr.address,
        pr.phone,
        pr.fax,
        pr.clinician,
        pr.credentials,
        c.name,
        c.phone,
        c.fax,
        c.street,
        c.city,
        referral.override_defer,
        *(getattr(o, f.name) for f in fields(o)),
    ]


def _isolated(referral: Referral) -> Referral:
    p, pr, c, o = referral.patient, referral.practice, referral.center, referral.orders
    return replace(
        referral,
        patient=replace(p, name=isolate(p.name), phone=isolate(p.phone)),
        practice=replace(
            pr, name=isolate(pr.name), address=isolate(pr.address), clinician=isolate(pr.clinician)
        ),
        center=replace(c, name=isolate(c.name)),
        override_defer=isolate(referral.override_defer),
        orders=replace(o, **{f.name: isolate(getattr(o, f.name)) for f in fields(o)}),
    )


def _context(referral: Referral, content: SheetContent) -> dict:
    referral = _isolated(referral)
    rec = referral.recommendation
    first = {f.instruction for f in rec.deferring}
    listed, unlisted = listed_needs(referral.center, content.needs)
    services = [SERVICES.get(n, n) for n in listed] or ["Massage therapy"]
    lang = referral.lang
    return {
        "referral": referral,
        "blank": BLANK,
        "address": address_line(referral.center),
        "contact_lines": sheet_lines(referral.center),
        "services": "; ".join(services),
        "unlisted": [SERVICES.get(n, n).lower() for n in unlisted],
        "who_may_book": assess(
            referral.center, patient_groups(rec.condition, list(rec.present))
        ).words,
        "evidence_label": content.evidence[rec.condition.evidence_level].label,
        "durability_label": DURABILITY_LABELS.get(rec.condition.durability_term, "unknown"),
        "citations": content.citations,
        "lang": lang,
        "s": handout_strings()[lang],
        "plain": rec.condition.patient[lang],
        "g": content.guidance,
        "links": [link for link in content.links if link.lang == lang],
        "w": content.wording[rec.level],
        "advice_w": _advice_wording(rec, content.wording),
        "deferring": rec.deferring,
        "override": referral.override_defer,
        "precautions": [p for p in rec.precautions if p.text not in first],
        "notes": content.notes,
        **screen_context(referral, content.flags, content.guidance, content.warning_sets),
        "sessions_lines": sessions_lines(referral, handout_strings()[lang]),
        "cite": _citer(content.citations),
        "unconfirmed": unconfirmed_mark,
        **letter_context(referral, content.citations),
    }


def _advice_wording(rec: Recommendation, wording: dict[str, dict[str, str]]) -> dict[str, str]:
    """The not_advised banner words for a not_advised result, or a defer that won over one. By the
    printed level, so a reprint of a sheet made before the advice existed stays a true copy."""
    shown = rec.level == "not_advised" or (rec.level == "defer" and rec.condition.advised_against)
    return wording.get("not_advised", {}) if shown else {}


def count(value: object, s: dict[str, str], word: str) -> str:
    """'1 session', '2–3 sessions', '1 sesión', '2–3 sesiones': a number or a range (en dash)
    with the word in the singular only for exactly one."""
    text = re.sub(r"\s*[-–]\s*", "\u2013", str(value).strip())
    return s[f"{word}_one" if text == "1" else f"{word}_many"].format(n=text)


def sessions_lines(referral: Referral, s: dict[str, str]) -> list[str]:
    """The number of sessions studied (patients ask), and the number authorized, if typed."""
    regimen = referral.recommendation.condition.regimen
    lines = []
    per_week = count(regimen.sessions_per_week, s, "session")
    if regimen.sessions_per_week and regimen.weeks:
        lines.append(
            s["sessions_week"].format(per_week=per_week, weeks=count(regimen.weeks, s, "week"))
        )
    elif regimen.sessions_per_week:
        lines.append(s["sessions_total"].format(per_week=per_week))
    if regimen.session_minutes:
        lines.append(s["session_minutes"].format(minutes=regimen.session_minutes))
    if referral.orders.sessions:
        lines.append(
            s["sessions_yours"].format(sessions=count(referral.orders.sessions, s, "session"))
        )
    return lines


def _citer(citations: list[Citation]):
    """Source keys → "[1, 3]", numbered as the References list at the end of the sheet."""
    numbers = {c.key: i for i, c in enumerate(citations, start=1)}

    def cite(keys) -> str:
        return "[" + ", ".join(str(numbers.get(k, k)) for k in keys) + "]" if keys else ""

    return cite


def render_parts(referral: Referral, content: SheetContent) -> list[tuple[str, str]]:
    """(part, HTML) for each part asked for, in the fixed order therapist, patient, clinic."""
    context = _context(referral, content)
    env = _environment()
    templates = templates_for(referral.recommendation.condition.delivery)
    return [
        (part, env.get_template(templates[part]).render(context))
        for part in PARTS
        if part in referral.parts and part in templates
    ]
