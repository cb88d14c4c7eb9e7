"""flags.toml: the screening flags, their per-condition overrides and the old ids (aliases).

Every id a flag ever had keeps working: a flag id that is no longer asked must be listed as an
``[[alias]]`` saying what it means now, or the build fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from referral_app.content.errors import Problem
from referral_app.content.fields import RecordReader
from referral_app.content.toml_file import read_toml
from referral_app.domain import scale
from referral_app.domain.flags import Flag, FlagAlias, FlagOverride

# Flags the app must always ask (the review's core screen).
REQUIRED_FLAGS: tuple[str, ...] = (
    "dvt",
    "anticoagulant",
    "low_platelets",
    "severe_thrombocytopenia",
    "fever",
    "open_wound",
    "recent_fracture",
    "surgery_not_cleared",
    "surgery_cleared",
    "osteoporosis",
    "pregnancy",
    "active_cancer_treatment",
    "uncontrolled_hypertension",
    "severe_hypertension",
    "red_flag_spinal_cord",
    "red_flag_chest",
    "red_flag_suicidal",
    "red_flag_other",
)
# Every flag id shipped in data version 2026.11.1: each must still be a flag or an alias.
PUBLISHED_FLAG_IDS: tuple[str, ...] = (
    "dvt",
    "anticoagulant",
    "low_platelets",
    "fever",
    "open_wound",
    "recent_fracture",
    "recent_surgery",
    "osteoporosis",
    "pregnancy",
    "active_cancer_treatment",
    "uncontrolled_hypertension",
    "red_flag_symptoms",
    "local_infection",
    "varicose_veins",
    "neuropathy",
    "fragile_skin",
    "contagious_skin",
    "implanted_device",
    "trauma_history",
    "unexplained_pain",
    "heart_failure",
    "lymphedema_risk",
)


def _patient_first(reader: RecordReader, table: dict[str, Any], kind: str) -> dict[str, str]:
    """What must happen first, in the patient's words; required (both languages) for defer."""
    value = table.get("patient_first")
    if value is None and kind != "defer":
        return {}
    if not isinstance(value, dict):
        reader.problem(
            "patient_first", "is missing: a defer flag tells the patient what comes first"
        )
        return {}
    return {lang: reader.text(value, lang) for lang in scale.LANGUAGES}


def _override(
    reader: RecordReader, i: int, table: Any, citations: set[str], conditions: set[str]
) -> FlagOverride | None:
    name = f"override[{i}]"
    if not isinstance(table, dict):
        reader.problem(name, "must be a table")
        return None
    sub = RecordReader(reader.file, f"{reader.record}.{name}", reader.problems)
    condition = sub.text(table, "condition")
    if condition and condition not in conditions:
        sub.problem("condition", f"'{condition}' is not a condition in data/conditions/")
    kind = sub.choice(table, "kind", scale.FLAG_KINDS)
    return FlagOverride(
        condition=condition,
        kind=kind,
        reason=sub.text(table, "reason"),
        instruction=sub.text(table, "instruction"),
        sources=sub.sources(table, "sources", citations),
        confirmed=sub.flag(table, "confirmed", True),
        patient_first=_patient_first(sub, table, kind),
    )


def _flag(table: dict[str, Any], reader: RecordReader, citations: set[str], conditions: set[str]):
    needs = reader.text(table, "needs_service", required=False)
    if needs and needs not in scale.SERVICES:
        reader.problem("needs_service", f"'{needs}' is not a known service")
    kind = reader.choice(table, "kind", scale.FLAG_KINDS)
    raw = table.get("override", [])
    overrides = [_override(reader, i, o, citations, conditions) for i, o in enumerate(raw)]
    seen = [o.condition for o in overrides if o]
    for dup in {c for c in seen if seen.count(c) > 1}:
        reader.problem("override", f"two overrides for condition '{dup}'")
    return Flag(
        id=reader.text(table, "id"),
        label=reader.text(table, "label"),
        question=reader.text(table, "question"),
        kind=kind,
        reason=reader.text(table, "reason"),
        instruction=reader.text(table, "instruction"),
        sources=reader.sources(table, "sources", citations),
        confirmed=reader.flag(table, "confirmed", True),
        needs_service=needs,
        patient_first=_patient_first(reader, table, kind),
        overrides=tuple(o for o in overrides if o),
    )


def _alias(table: Any, i: int, file: str, flag_ids: set[str], problems: list[Problem]):
    if not isinstance(table, dict):
        problems.append(Problem(file, f"alias[{i}]", "", "must be a table"))
        return None
    reader = RecordReader(file, f"alias {table.get('old', i)}", problems)
    old = reader.text(table, "old")
    if old in flag_ids:
        reader.problem(
            "old", f"'{old}' is still a flag; an alias is only for an id no longer asked"
        )
    new = reader.text_list(table, "new")
    yes = reader.text_list(table, "yes", required=False) or new
    for key, ids in (("new", new), ("yes", yes)):
        for target in ids:
            if target not in flag_ids:
                reader.problem(key, f"'{target}' is not a flag id")
    for target in yes:
        if target not in new:
            reader.problem("yes", f"'{target}' must also be listed in new")
    return FlagAlias(old=old, new=new, yes=yes, why=reader.text(table, "why"))


def load_flags(
    path: Path, citations: set[str], conditions: set[str], problems: list[Problem]
) -> tuple[list[Flag], list[FlagAlias]]:
    data = read_toml(path, problems)
    flags = [
        _flag(
            table,
            RecordReader(path.name, str(table.get("id", f"#{i + 1}")), problems),
            citations,
            conditions,
        )
        for i, table in enumerate(data.get("flag", []))
    ]
    seen = [f.id for f in flags]
    for dup in {i for i in seen if seen.count(i) > 1}:
        problems.append(Problem(path.name, dup, "id", "duplicate id"))
    for missing in (i for i in REQUIRED_FLAGS if i not in seen):
        problems.append(Problem(path.name, missing, "id", "required flag is missing"))
    raw = data.get("alias", [])
    aliases = [a for i, t in enumerate(raw) if (a := _alias(t, i, path.name, set(seen), problems))]
    olds = [a.old for a in aliases]
    for dup in {o for o in olds if olds.count(o) > 1}:
        problems.append(Problem(path.name, f"alias {dup}", "old", "listed twice"))
    for gone in (i for i in PUBLISHED_FLAG_IDS if i not in seen and i not in olds):
        problems.append(
            Problem(
                path.name, gone, "id", "a published flag id must stay a flag or get an [[alias]]"
            )
        )
    return flags, aliases
