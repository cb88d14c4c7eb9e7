"""Plain-text and JSON shapes of records for the command line."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from referral_app.domain.entities import Citation, ClinicianNote, Condition, Regimen, Statement
from referral_app.domain.listing import EvidenceLevel, SearchHit
from referral_app.domain.recommend import Recommendation, shows_benefit
from referral_app.domain.scale import CATEGORIES, DELIVERIES, DURABILITY_LABELS
from referral_app.printing.statements import statement_text, unconfirmed_mark


def hit_json(hit: SearchHit) -> dict:
    return {
        "id": hit.id,
        "name": hit.name,
        "icd10": list(hit.icd10),
        "evidence_level": hit.evidence_level,
        "category": hit.category,
    }


def statement_json(statement: Statement) -> dict:
    return {
        "text": statement.text,
        "sources": list(statement.sources),
        "confirmed": statement.confirmed,
    }


def citation_json(citation: Citation) -> dict:
    return {
        "key": citation.key,
        "citation": citation.citation,
        "url": citation.url,
        "status": citation.status,
        "doi": citation.doi,
        "pmid": citation.pmid,
        "note": citation.note,
    }


def regimen_json(regimen: Regimen) -> dict:
    return {
        **statement_json(regimen.statement),
        "session_minutes": regimen.session_minutes,
        "sessions_per_week": regimen.sessions_per_week,
        "weeks": regimen.weeks,
    }


ADVICE_TEXT = {"avoid": "Guidelines advise against massage for this purpose"}


def advice_json(condition: Condition) -> dict | None:
    """The record's cited guideline advice (added in content 2026.11.3); None when it has none."""
    if not condition.advice:
        return None
    return {
        "kind": condition.advice,
        "text": ADVICE_TEXT.get(condition.advice, condition.advice),
        "sources": list(condition.advice_sources),
    }


def care_json(condition: Condition) -> dict | None:
    """The instructions sheet of a condition no therapist gives (content 2026.12.1), else None."""
    care = condition.care
    if care is None:
        return None
    texts = {
        lang: {"how": t.how, "how_often": t.how_often, "how_long": t.how_long, "stop": t.stop}
        for lang, t in care.text.items()
    }
    return {"text": texts, "sources": list(care.sources), "confirmed": care.confirmed}


def note_json(note: ClinicianNote) -> dict:
    return {"key": note.key, "title": note.title, **statement_json(note_statement(note))}


def note_statement(note: ClinicianNote) -> Statement:
    return Statement(note.text, note.sources, note.confirmed)


def condition_json(
    condition: Condition, citations: list[Citation], notes: Sequence[ClinicianNote] = ()
) -> dict:
    return {
        "id": condition.id,
        "name": condition.name,
        "synonyms": list(condition.synonyms),
        "icd10": list(condition.icd10),
        "category": condition.category,
        "evidence_level": condition.evidence_level,
        "direction": condition.direction,
        "durability_term": condition.durability_term,
        "advice": advice_json(condition),
        "delivery": condition.delivery,
        "implies": list(condition.implies),
        "care": care_json(condition),
        "clinician_notes": [note_json(n) for n in notes],
        "last_reviewed": condition.last_reviewed.isoformat(),
        "summary": statement_json(condition.summary),
        "grading": statement_json(condition.grading),
        "effect": statement_json(condition.effect),
        "durability": statement_json(condition.durability),
        "regimen": regimen_json(condition.regimen),
        "precautions": [statement_json(p) for p in condition.precautions],
        "before_referral": [statement_json(s) for s in condition.before_referral],
        "patient": {
            lang: {"plain_name": t.plain_name, "what_to_expect": t.what_to_expect}
            for lang, t in condition.patient.items()
        },
        "sources": [citation_json(c) for c in citations],
    }


def format_hits(hits: list[SearchHit]) -> str:
    width = max(len(h.id) for h in hits)
    return "\n".join(
        f"{h.id:<{width}}  {h.name}  [{', '.join(h.icd10)}]  evidence: {h.evidence_level}"
        for h in hits
    )


def _wrap(label: str, statement: Statement) -> str:
    body = statement_text(statement)
    return textwrap.fill(body, width=96, initial_indent=f"{label:<12}", subsequent_indent=" " * 12)


def _delivery_lines(condition: Condition, implied: Sequence[str] = ()) -> list[str]:
    lines = [f"Given by:   {DELIVERIES.get(condition.delivery, condition.delivery)}"]
    if implied:
        lines.append(f"Implied:    {'; '.join(implied)} (implied by the condition)")
    return lines


def _lasts_lines(condition: Condition) -> list[str]:
    if not shows_benefit(condition):  # the level shows no benefit: nothing to last
        return []
    return [f"Lasts:      {DURABILITY_LABELS.get(condition.durability_term, '')}"]


def _note_lines(notes: Sequence[ClinicianNote]) -> list[str]:
    return [_wrap("Note", Statement(f"{n.title} {n.text}", n.sources, n.confirmed)) for n in notes]


def format_condition(
    condition: Condition,
    citations: list[Citation],
    levels: dict[str, EvidenceLevel],
    notes: Sequence[ClinicianNote] = (),
) -> str:
    level = levels.get(condition.evidence_level)
    lines = [
        condition.name,
        f"ICD-10-CM:  {', '.join(condition.icd10)}",
        f"Category:   {CATEGORIES.get(condition.category, condition.category)}",
        f"Evidence:   {level.label if level else condition.evidence_level}",
        *_lasts_lines(condition),
        *_advice_lines(condition),
        *_delivery_lines(condition),
        "",
        _wrap("Summary", condition.summary),
        _wrap("Grading", condition.grading),
        _wrap("Effect", condition.effect),
        _wrap("Durability", condition.durability),
        _wrap("Regimen", condition.regimen.statement),
    ]
    lines += _before_lines(condition)
    lines += [_wrap("Precaution", p) for p in condition.precautions]
    lines += _note_lines(notes)
    lines += ["", "Sources:"]
    for citation in citations:
        mark = unconfirmed_mark(citation.confirmed)
        lines.append(
            textwrap.fill(
                f"{citation.key}: {citation.citation} {citation.url or '(no link)'}{mark}",
                width=96,
                initial_indent="  ",
                subsequent_indent="    ",
            )
        )
    lines += ["", f"Last reviewed: {condition.last_reviewed.isoformat()}"]
    return "\n".join(lines)


def _before_lines(condition: Condition) -> list[str]:
    """The referrer's own checks (the GUI's "Before referring"); never on the therapist's sheet."""
    if not condition.before_referral:
        return []
    return ["Before referring (for you; not printed for the therapist):"] + [
        textwrap.fill(statement_text(s), 96, initial_indent="  - ", subsequent_indent="    ")
        for s in condition.before_referral
    ]


def _advice_lines(condition: Condition) -> list[str]:
    advice = advice_json(condition)
    if advice is None:
        return []
    return [f"Advice:     {advice['text'].upper()} [{'; '.join(advice['sources'])}]"]


def recommendation_json(
    result: Recommendation,
    citations: list[Citation],
    notes: Sequence[ClinicianNote] = (),
    labels: dict[str, str] | None = None,
) -> dict:
    """``labels``: flag id -> label, for the implied answers."""
    condition = result.condition
    return {
        "condition": {"id": condition.id, "name": condition.name, "icd10": list(condition.icd10)},
        "level": result.level,
        "label": result.label,
        "reasons": [statement_json(r) for r in result.reasons],
        "precautions": [statement_json(p) for p in result.precautions],
        "before_referral": [statement_json(s) for s in condition.before_referral],
        "unknowns": list(result.unknowns),
        "flags_present": list(result.flags_present),
        "implied_flags": [
            {"flag": f, "label": (labels or {}).get(f, f), "why": "implied by the condition"}
            for f in result.implied
        ],
        "delivery": condition.delivery,
        "clinician_notes": [note_json(n) for n in notes],
        "advice": advice_json(condition),
        "must_happen_first": [
            {"flag": f.id, "instruction": f.instruction, "patient": dict(f.patient_first)}
            for f in result.deferring
        ],
        "durability": {
            "term": condition.durability_term,
            "label": DURABILITY_LABELS.get(condition.durability_term, ""),
            **statement_json(result.durability),
        },
        "regimen": regimen_json(result.regimen),
        "sources": [citation_json(c) for c in citations],
    }


def format_recommendation(
    result: Recommendation,
    citations: list[Citation],
    notes: Sequence[ClinicianNote] = (),
    labels: dict[str, str] | None = None,
) -> str:
    condition = result.condition
    implied = [(labels or {}).get(f, f) for f in result.implied]
    lines = [
        f"{condition.name}  [{', '.join(condition.icd10)}]",
        f"Recommendation: {result.label.upper()}  ({result.level})",
        *_advice_lines(condition),
        *_delivery_lines(condition, implied),
        "",
    ]
    lines += [_wrap("Reason", r) for r in result.reasons]
    if shows_benefit(condition):  # no "lasts" where the level shows no benefit
        lines.append(_wrap("Lasts", result.durability))
    lines.append(_wrap("Regimen", result.regimen.statement))
    lines += _before_lines(condition)
    lines += [_wrap("Precaution", p) for p in result.precautions]
    lines += [
        textwrap.fill(u, 96, initial_indent="Unknown     ", subsequent_indent=" " * 12)
        for u in result.unknowns
    ]
    lines += _note_lines(notes)
    lines += ["", "Sources:"]
    lines += [
        f"  {c.key}: {c.url or c.citation}" + unconfirmed_mark(c.confirmed) for c in citations
    ]
    lines += ["", "Options for a clinician to weigh, not orders. Not for emergencies."]
    return "\n".join(lines)
