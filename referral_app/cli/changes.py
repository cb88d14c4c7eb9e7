"""`referral-guide changes`: the change record per content version, as text or JSON."""

from __future__ import annotations

import json
import textwrap

from referral_app.db.reference import ReferenceStore
from referral_app.domain.entities import Change, Release
from referral_app.services.changes import field_words, releases_since


def change_json(change: Change) -> dict:
    return {
        change.kind: change.target,
        "kind": change.kind,
        "target": change.target,
        "field": change.field,
        "old": change.old,
        "new": change.new,
        "why": change.why,
        "sources": list(change.sources),
    }


def release_json(release: Release) -> dict:
    return {
        "version": release.version,
        "date": release.date.isoformat(),
        "summary": release.summary,
        "changes": [change_json(c) for c in release.changes],
    }


def format_release(release: Release) -> str:
    lines = [f"{release.version} ({release.date.isoformat()}): {release.summary}"]
    if not release.changes:
        lines.append("  (no changes recorded)")
    for change in release.changes:
        if change.field == "added":
            move = f"(evidence {change.new})" if change.new else ""
        elif change.field == "removed":
            move = ""
        else:
            move = f"{change.old or '(none)'} → {change.new or '(none)'}"
        what = f"{field_words(change.field)} {move}".rstrip()
        lines.append(f"  {change.kind} {change.target}: {what}")
        lines += textwrap.wrap(
            change.why, 96, initial_indent="    why: ", subsequent_indent="         "
        )
        lines.append(f"    sources: {', '.join(change.sources)}")
    return "\n".join(lines)


def changes(store: ReferenceStore, since: str | None, *, as_json: bool) -> int:
    releases = releases_since(store, since)
    version = store.meta.get("data_version", "")
    if as_json:
        value = {
            "data_version": version,
            "since": since,
            "releases": [release_json(r) for r in releases],
        }
        print(json.dumps(value, ensure_ascii=False, indent=2))
    elif releases:
        print("\n\n".join(format_release(r) for r in releases))
    else:
        newer = f"newer than {since}" if since else f"for data version {version}"
        print(f"No changes recorded {newer}.")
    return 0
