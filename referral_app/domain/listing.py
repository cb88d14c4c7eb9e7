"""The light records of the condition list: what the first screen shows.

Apart from domain/entities.py (which re-exports them) so that painting the search box and the
list does not define every other record type first. They are NamedTuples, not dataclasses:
immutable all the same, and defining one costs about a tenth (a frozen dataclass takes ~0.5 ms
to define, and the first screen would import the dataclasses module for them).
"""

from __future__ import annotations

from typing import NamedTuple


class EvidenceLevel(NamedTuple):
    id: str
    label: str
    definition: str
    maps_from: tuple[tuple[str, str], ...]  # (grading system id, its wording) pairs
    sources: tuple[str, ...] = ()


class SearchHit(NamedTuple):
    id: str
    name: str
    icd10: tuple[str, ...]
    evidence_level: str
    category: str
    score: float
