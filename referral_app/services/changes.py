"""What changed in the content: releases newer than a version, and a condition's grade change.

Plain words for clinicians live here too, so the command line and the app say the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from referral_app.db.reference import ReferenceStore
from referral_app.domain.entities import GRADE_FIELDS, Change, Release
from referral_app.domain.scale import DURABILITY_LABELS
from referral_app.services.errors import InputError

VERSION = re.compile(r"^\d{4}\.\d{1,2}\.\d+$")
FIELD_WORDS = {
    "evidence_level": "evidence level",
    "direction": "direction of the evidence",
    "durability_term": "how long benefit lasts",
    "advice": "guideline advice",
    "added": "new topic",
    "removed": "removed",
}
ADVICE_WORDS = {"": "none", "avoid": "guidelines advise against massage for this purpose"}
DIRECTION_WORDS = {
    "benefit": "benefit",
    "mixed": "mixed",
    "no_specific_effect": "no specific effect",
    "unclear": "unclear",
}


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def releases_since(store: ReferenceStore, since: str | None) -> list[Release]:
    """Releases newer than ``since``, oldest first; without it, the current version's release."""
    releases = store.releases()
    if since is None:
        current = store.meta.get("data_version", "")
        return [r for r in releases if r.version == current]
    since = since.strip()
    if not VERSION.match(since):
        raise InputError(f"'{since}' is not a data version like 2026.11.1")
    return [r for r in releases if version_key(r.version) > version_key(since)]


@dataclass(frozen=True, slots=True)
class GradeChange:
    version: str
    changes: tuple[Change, ...]


def grade_change(store: ReferenceStore, condition_id: str) -> GradeChange | None:
    """The grade fields of ``condition_id`` that changed in the current data version, if any."""
    current = releases_since(store, None)
    if not current:
        return None
    newest: dict[str, Change] = {}  # the last recorded change per field wins
    for change in current[0].changes:
        if change.is_grade and change.target == condition_id:
            newest[change.field] = change
    found = tuple(newest[f] for f in GRADE_FIELDS if f in newest)
    return GradeChange(current[0].version, found) if found else None


def value_words(store: ReferenceStore, field: str, value: str) -> str:
    """A field's value as a clinician reads it ('very_low' → 'Very low / insufficient')."""
    if field == "evidence_level":
        labels = {e.id: e.label for e in store.evidence_levels()}
        return labels.get(value, value.replace("_", " "))
    if field == "direction":
        return DIRECTION_WORDS.get(value, value.replace("_", " "))
    if field == "durability_term":
        return DURABILITY_LABELS.get(value, value)
    if field == "advice":
        return ADVICE_WORDS.get(value, value)
    return value.replace("_", " ") if re.fullmatch(r"[a-z_]+", value) else value


def field_words(field: str) -> str:
    return FIELD_WORDS.get(field, field.replace("_", " "))


def target_name(store: ReferenceStore, change: Change) -> str:
    """The record a change is about, by name where the content has one."""
    if change.kind == "condition":
        condition = store.get_condition(change.target)
        return condition.name if condition else change.target
    if change.kind == "flag":
        labels = {f.id: f.label for f in store.flags()}
        return labels.get(change.target, change.target)
    return change.target
