"""The light records of the condition list: what the first screen shows.

Apart from domain/entities.py (which re-exports them) so that painting the search box and the
list does not define every other record type first (each frozen dataclass costs start-up time).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EvidenceLevel:
    id: str
    label: str
    definition: str
    maps_from: tuple[tuple[str, str], ...]  # (grading system id, its wording) pairs
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    name: str
    icd10: tuple[str, ...]
    evidence_level: str
    category: str
    score: float
