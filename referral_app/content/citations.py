"""citations.toml → Citation records (a published source per key; the year for the recency rule)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from referral_app.content.errors import Problem
from referral_app.content.fields import RecordReader
from referral_app.content.toml_file import read_toml
from referral_app.domain import scale
from referral_app.domain.entities import Citation

YEAR = re.compile(r"\b((?:19|20)\d\d)\b")


def load_citations(path: Path, problems: list[Problem]) -> dict[str, Citation]:
    citations: dict[str, Citation] = {}
    for key, table in read_toml(path, problems).items():
        reader = RecordReader(path.name, key, problems)
        if not isinstance(table, dict):
            reader.problem("", "must be a table")
            continue
        citations[key] = Citation(
            key=key,
            citation=reader.text(table, "citation"),
            url=reader.text(table, "url", required=False),
            status=reader.choice(table, "status", scale.CITATION_STATUSES),
            doi=reader.text(table, "doi", required=False),
            pmid=str(table.get("pmid", "")).strip(),
            note=reader.text(table, "note", required=False),
            year=_year(reader, table),
        )
        if citations[key].url and not citations[key].url.startswith(("https://", "http://")):
            reader.problem("url", "must start with https://")
    return citations


def _year(reader: RecordReader, table: dict[str, Any]) -> int | None:
    """The ``year`` field, else the latest plausible year named in the citation text."""
    if "year" in table:
        value = table["year"]
        if isinstance(value, bool) or not isinstance(value, int) or not 1800 <= value <= 2100:
            reader.problem("year", "must be a year such as 2024")
            return None
        return value
    found = [int(y) for y in YEAR.findall(str(table.get("citation", "")))]
    return max(found, default=None)
