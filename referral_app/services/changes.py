"""What changed in the content: releases newer than a version, and a condition's grade change.

Plain words for clinicians live here too, so the command line and the app say the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from referral_app.db.reference import ReferenceStore
from referral_app.domain.entities import GRADE_FIELDS, Change, Condition, Release
from referral_app.domain.recommend import condition_level
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
    "text": "wording",
    "icd10": "ICD-10-CM codes",
}
ADVICE_WORDS = {"": "none", "avoid": "guidelines advise against massage for this purpose"}
ADVICE_NOW = {  # an advice change as the card says it
    "": "guidelines no longer advise against massage for this purpose",
    "avoid": "guidelines now advise against massage for this purpose",
}
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
    """The grade fields of ``condition_id`` that changed in the current data version, if any
    (read for that condition alone: the whole change record loads only where it is shown)."""
    current = store.meta.get("data_version", "")
    newest: dict[str, Change] = {}  # the last recorded change per field wins
    for change in store.changes_to(current, condition_id):
        if change.is_grade:
            newest[change.field] = change
    found = tuple(newest[f] for f in GRADE_FIELDS if f in newest)
    return GradeChange(current, found) if found else None


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
    if change.kind == "center":
        center = store.get_center(change.target)
        return center.name if center else change.target
    return change.target


def _before(condition: Condition, changes: tuple[Change, ...]) -> Condition:
    """The condition as it was graded before ``changes`` (its grade fields only)."""
    old = {c.field: c.old for c in changes}
    return replace(
        condition,
        evidence_level=old.get("evidence_level", condition.evidence_level),
        direction=old.get("direction", condition.direction),
        advice=old.get("advice", condition.advice),
    )


def grade_change_words(store: ReferenceStore, condition: Condition, found: GradeChange) -> str:
    """What a clinician reads on the card: "Updated in content 2026.11.3: now 'Not advised:
    guidelines advise against' (was 'Evidence insufficient')." The result the card shows, then
    each grade field that moved, as now/was; never the change record's own notes."""
    labels = {level.id: level.label for level in store.recommendation_levels()}
    now, was = condition_level(condition), condition_level(_before(condition, found.changes))
    parts = [f"now '{labels.get(now, now)}' (was '{labels.get(was, was)}')"] if now != was else []
    for change in found.changes:
        if change.field == "advice" and now != was:
            continue  # the result above already says it
        if change.field == "advice":
            parts.append(ADVICE_NOW.get(change.new, ADVICE_NOW["avoid"]))
        else:
            new, old = (value_words(store, change.field, v) for v in (change.new, change.old))
            parts.append(f"{field_words(change.field)} now '{new}' (was '{old}')")
    sources = ", ".join(dict.fromkeys(k for c in found.changes for k in c.sources))
    return f"Updated in content {found.version}: " + "; ".join(parts) + f". [{sources}]"
