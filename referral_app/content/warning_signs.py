"""warning_signs.toml: sets of warning signs for the handout's "stop and get help" box.

A set is shown when one of its ``flags`` is answered yes or implied by the condition, or for one of
its ``conditions``; ``replaces_general`` leaves out the general (adult) list of guidance.toml, for a
newborn whose parents need other signs. Every set has both languages and at least one source.
"""

from __future__ import annotations

from pathlib import Path

from referral_app.content.errors import Problem
from referral_app.content.fields import RecordReader
from referral_app.content.toml_file import read_toml
from referral_app.domain import scale
from referral_app.domain.entities import WarningSet

WARNING_FILE = "warning_signs.toml"


def load_warning_signs(
    path: Path, citations: set[str], flag_ids: set[str], conditions: set[str], problems: list
) -> list[WarningSet]:
    if not path.is_file():
        return []
    sets: list[WarningSet] = []
    for i, table in enumerate(read_toml(path, problems).get("set", [])):
        reader = RecordReader(path.name, str(table.get("id", f"set #{i + 1}")), problems)
        flags = reader.text_list(table, "flags", required=False)
        listed = reader.text_list(table, "conditions", required=False)
        for flag in flags:
            if flag not in flag_ids:
                reader.problem("flags", f"'{flag}' is not a flag id in flags.toml")
        for cid in listed:
            if cid not in conditions:
                reader.problem("conditions", f"'{cid}' is not a condition in data/conditions/")
        if not flags and not listed:
            reader.problem("flags", "a set names the flags or the conditions it is shown for")
        text = {lang: reader.text_list(table, lang) for lang in scale.LANGUAGES}
        if len({len(v) for v in text.values()}) > 1:
            reader.problem("es", "must list as many signs as en")
        sets.append(
            WarningSet(
                id=reader.text(table, "id"),
                text=text,
                sources=reader.sources(table, "sources", citations),
                confirmed=reader.flag(table, "confirmed", True),
                flags=flags,
                conditions=listed,
                replaces_general=reader.flag(table, "replaces_general", False),
            )
        )
    ids = [s.id for s in sets]
    for dup in {i for i in ids if ids.count(i) > 1}:
        problems.append(Problem(path.name, dup, "id", "duplicate id"))
    return sets
