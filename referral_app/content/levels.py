"""levels.toml → the evidence and recommendation levels and the cross-cutting statements."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from referral_app.content.errors import Problem
from referral_app.content.fields import RecordReader
from referral_app.content.toml_file import read_toml
from referral_app.domain import scale
from referral_app.domain.entities import RecommendationLevel, Statement
from referral_app.domain.listing import EvidenceLevel


def load_levels(
    path: Path, citations: set[str], problems: list[Problem]
) -> tuple[list[EvidenceLevel], list[RecommendationLevel], list[Statement]]:
    data = read_toml(path, problems)
    evidence = []
    for table in data.get("evidence", []):
        reader = RecordReader(path.name, str(table.get("id", "?")), problems)
        evidence.append(
            EvidenceLevel(
                id=reader.choice(table, "id", scale.EVIDENCE_LEVELS),
                label=reader.text(table, "label"),
                definition=reader.text(table, "definition"),
                maps_from=_maps_from(reader, table),
                sources=reader.sources(table, "sources", citations),
            )
        )
    recommendations = []
    for table in data.get("recommendation", []):
        reader = RecordReader(path.name, str(table.get("id", "?")), problems)
        recommendations.append(
            RecommendationLevel(
                id=reader.choice(table, "id", scale.RECOMMENDATION_LEVELS),
                label=reader.text(table, "label"),
                definition=reader.text(table, "definition"),
                reason=reader.text(table, "reason"),
            )
        )
    _require_ids(path.name, "evidence", [e.id for e in evidence], scale.EVIDENCE_LEVELS, problems)
    _require_ids(
        path.name,
        "recommendation",
        [r.id for r in recommendations],
        scale.RECOMMENDATION_LEVELS,
        problems,
    )
    reader = RecordReader(path.name, "cross_cutting", problems)
    cross = [
        reader.statement({"s": s}, "s", citations, field=f"cross_cutting[{i}]")
        for i, s in enumerate(data.get("cross_cutting", []))
    ]
    return evidence, recommendations, cross


def _maps_from(reader: RecordReader, table: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    value = table.get("maps_from")
    if not isinstance(value, dict) or not value:
        reader.problem("maps_from", "is missing (a table: grading system = its wording)")
        return ()
    for system in value:
        if system not in scale.GRADING_SYSTEMS:
            reader.problem("maps_from", f"unknown grading system '{system}'")
    return tuple((k, str(v)) for k, v in value.items())


def _require_ids(
    file: str, kind: str, found: list[str], expected: tuple[str, ...], problems: list[Problem]
) -> None:
    if tuple(found) != expected:
        problems.append(
            Problem(file, kind, "id", f"must list exactly {', '.join(expected)} in that order")
        )
