"""The grades each released version shipped with, so the build can insist every move is recorded.

``build-data --seal`` writes, next to the release's content hash, one line per condition:

    grades = [
      "neck-pain no_effect no_specific_effect short",
      ...
    ]

(id, evidence_level, direction, durability_term). Like the hash, these lines are left out of the
content hash. The build compares the current content with the newest earlier release that has such
a list: a grade field that moved, a condition added or removed, needs a [[release.change]] in a
later release.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from referral_app.content.errors import Problem
from referral_app.content.fields import RecordReader
from referral_app.domain.entities import Condition, Release

SNAPSHOT_BLOCK = re.compile(r"^grades[ \t]*=[ \t]*\[.*?^\][ \t]*(\n|$)", re.MULTILINE | re.DOTALL)
TRACKED: tuple[str, ...] = ("evidence_level", "direction", "durability_term")
Grades = dict[str, tuple[str, ...]]


def snapshot_text(conditions: Iterable[Condition]) -> str:
    rows = sorted(
        " ".join((c.id, c.evidence_level, c.direction, c.durability_term)) for c in conditions
    )
    return "grades = [\n" + "".join(f'  "{row}",\n' for row in rows) + "]\n"


def read_snapshot(reader: RecordReader, value: object) -> Grades:
    """The ``grades`` list of a [[release]] → {condition id: (level, direction, durability)}."""
    if value is None:
        return {}
    rows = value if isinstance(value, list) else None
    if rows is None or not all(isinstance(r, str) and len(r.split()) == 4 for r in rows):
        reader.problem("grades", "must be lines of 'id evidence_level direction durability_term'")
        return {}
    return {r.split()[0]: tuple(r.split()[1:]) for r in rows}


def check_unrecorded_moves(
    releases: list[Release], data_version: str, conditions: list[Condition]
) -> Iterator[Problem]:
    """Every grade that moved since the last release with a grade list has a change record."""
    key = _version_key
    if not data_version or not all(r.version for r in releases):
        return
    earlier = [r for r in releases if r.grades and key(r.version) < key(data_version)]
    if not earlier:
        return
    base = max(earlier, key=lambda r: key(r.version))
    recorded = {
        (c.target, c.field)
        for r in releases
        if key(base.version) < key(r.version) <= key(data_version)
        for c in r.changes
        if c.kind == "condition"
    }
    now = {c.id: (c.evidence_level, c.direction, c.durability_term) for c in conditions}
    hint = f"since data version {base.version}, but changes.toml records no change for it"
    for cid in sorted(now.keys() | base.grades.keys()):
        file = f"conditions/{cid}.toml"
        if cid not in base.grades and (cid, "added") not in recorded:
            yield Problem(file, cid, "id", f'is a new condition {hint} (field = "added")')
        elif cid not in now and (cid, "removed") not in recorded:
            yield Problem(file, cid, "id", f'was removed {hint} (field = "removed")')
        elif cid in now and cid in base.grades:
            for field, old, new in zip(TRACKED, base.grades[cid], now[cid], strict=True):
                if old != new and (cid, field) not in recorded:
                    yield Problem(file, cid, field, f"moved from '{old}' to '{new}' {hint}")


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))
