"""Rich text for the change record: the card's grade-change marker and the What-changed page.

Written for clinicians: record names and plain values, never file names or field ids.
"""

from __future__ import annotations

from html import escape

from referral_app.db.reference import ReferenceStore
from referral_app.domain.entities import Change, Release
from referral_app.services.changes import (
    field_words,
    grade_change,
    grade_change_words,
    target_name,
    value_words,
)


def _move(store: ReferenceStore, change: Change) -> str:
    old = value_words(store, change.field, change.old) or "none"
    new = value_words(store, change.field, change.new) or "none"
    return f"{escape(old)} → {escape(new)}"


def grade_change_html(store: ReferenceStore, condition_id: str) -> str:
    """ "Updated in content 2026.11.3: now 'Not advised: guidelines advise against' (was 'Evidence
    insufficient')." for a condition whose grade changed in this version, or ''. Plain clinical
    words: the change record's notes (why) are for Help → What changed, not the card."""
    found = grade_change(store, condition_id)
    condition = store.get_condition(condition_id)
    if found is None or condition is None:
        return ""
    words = grade_change_words(store, condition, found)
    return f'<p style="background:#fff4d6; padding:4px">{escape(words)}</p>'


def _change_html(store: ReferenceStore, change: Change) -> str:
    name = escape(target_name(store, change))
    kind = {
        "flag": "Screening question",
        "citation": "Source",
        "claim": "Popular claim",
        "center": "Referral center",
    }
    label = f"{kind[change.kind]}: {name}" if change.kind in kind else name
    if change.field == "added":
        what = f"new topic (evidence: {escape(value_words(store, 'evidence_level', change.new))})"
    elif change.field == "removed":
        what = "removed"
    elif not (change.old or change.new):  # a rewording: the record keeps why, not the text
        what = f"{escape(field_words(change.field))} revised"
    else:
        what = f"{escape(field_words(change.field))} changed: {_move(store, change)}"
    sources = ", ".join(escape(c.citation) for c in store.citations(change.sources)) or escape(
        ", ".join(change.sources)
    )
    return (
        f"<li><b>{label}</b> — {what}<br>{escape(change.why)}"
        f"<br><small>Sources: {sources}</small></li>"
    )


def changes_html(store: ReferenceStore, releases: list[Release]) -> str:
    version = store.meta.get("data_version", "?")
    if not releases:
        return f"<p>No changes are recorded for content version {escape(version)}.</p>"
    parts = []
    for release in releases:
        parts.append(
            f"<h2>Content version {escape(release.version)} "
            f"({escape(release.date.isoformat())})</h2>"
            f"<p>{escape(release.summary)}</p>"
        )
        grades = [c for c in release.changes if c.is_grade]
        others = [c for c in release.changes if not c.is_grade]
        if grades:
            parts.append("<h3>Grades that changed</h3><ul>")
            parts += [_change_html(store, c) for c in grades]
            parts.append("</ul>")
        if others:
            parts.append("<h3>Other changes</h3><ul>")
            parts += [_change_html(store, c) for c in others]
            parts.append("</ul>")
        if not release.changes:
            parts.append("<p>No individual changes are recorded for this version.</p>")
    return "\n".join(parts)
