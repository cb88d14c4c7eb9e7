"""Plain-text and JSON shapes of records for the command line."""

from __future__ import annotations

import textwrap

from referral_app.domain.entities import Citation, Condition, EvidenceLevel, SearchHit, Statement
from referral_app.domain.scale import CATEGORIES, DURABILITY_LABELS

UNCONFIRMED = "[unconfirmed]"


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
    }


def condition_json(condition: Condition, citations: list[Citation]) -> dict:
    regimen = condition.regimen
    return {
        "id": condition.id,
        "name": condition.name,
        "synonyms": list(condition.synonyms),
        "icd10": list(condition.icd10),
        "category": condition.category,
        "evidence_level": condition.evidence_level,
        "direction": condition.direction,
        "durability_term": condition.durability_term,
        "last_reviewed": condition.last_reviewed.isoformat(),
        "summary": statement_json(condition.summary),
        "grading": statement_json(condition.grading),
        "effect": statement_json(condition.effect),
        "durability": statement_json(condition.durability),
        "regimen": {
            **statement_json(regimen.statement),
            "session_minutes": regimen.session_minutes,
            "sessions_per_week": regimen.sessions_per_week,
            "weeks": regimen.weeks,
        },
        "precautions": [statement_json(p) for p in condition.precautions],
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
    mark = f" {UNCONFIRMED}" if not statement.confirmed else ""
    body = f"{statement.text} [{'; '.join(statement.sources)}]{mark}"
    return textwrap.fill(body, width=96, initial_indent=f"{label:<12}", subsequent_indent=" " * 12)


def format_condition(
    condition: Condition, citations: list[Citation], levels: dict[str, EvidenceLevel]
) -> str:
    level = levels.get(condition.evidence_level)
    lines = [
        condition.name,
        f"ICD-10-CM:  {', '.join(condition.icd10)}",
        f"Category:   {CATEGORIES.get(condition.category, condition.category)}",
        f"Evidence:   {level.label if level else condition.evidence_level}",
        f"Lasts:      {DURABILITY_LABELS.get(condition.durability_term, '')}",
        "",
        _wrap("Summary", condition.summary),
        _wrap("Grading", condition.grading),
        _wrap("Effect", condition.effect),
        _wrap("Durability", condition.durability),
        _wrap("Regimen", condition.regimen.statement),
    ]
    lines += [_wrap("Precaution", p) for p in condition.precautions]
    lines += ["", "Sources:"]
    for citation in citations:
        mark = f" {UNCONFIRMED}" if not citation.confirmed else ""
        lines.append(
            textwrap.fill(
                f"{citation.key}: {citation.citation} {citation.url}{mark}",
                width=96,
                initial_indent="  ",
                subsequent_indent="    ",
            )
        )
    lines += ["", f"Last reviewed: {condition.last_reviewed.isoformat()}"]
    return "\n".join(lines)
