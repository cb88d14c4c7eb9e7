"""data/changes.toml: one [[release]] per content version, one [[release.change]] per changed field.

A release's ``content_hash`` (written by ``build-data --seal``) records the content it shipped
with; the hash itself leaves those lines out, so sealing does not change it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from referral_app.content.errors import Problem
from referral_app.content.fields import RecordReader
from referral_app.content.released_grades import SNAPSHOT_BLOCK, read_snapshot
from referral_app.content.toml_file import read_toml
from referral_app.domain import scale
from referral_app.domain.entities import Change, Release

CHANGES_FILE = "changes.toml"
VERSION = re.compile(r"^\d{4}\.\d{1,2}\.\d+$")
HASH = re.compile(r"^[0-9a-f]{64}$")
HASH_LINE = re.compile(r"^[ \t]*content_hash[ \t]*=.*(\n|$)", re.MULTILINE)
KINDS: tuple[str, ...] = ("condition", "flag", "citation", "claim", "center")
# A change to a bundled center (data/centers.csv) cites the pages it rests on by URL: centers
# are sourced per field by URL, not by citations.toml key.
URL_SOURCED = frozenset({"center"})
VOCABULARY = {
    "evidence_level": scale.EVIDENCE_LEVELS,
    "direction": scale.DIRECTIONS,
    "durability_term": scale.DURABILITY_TERMS,
    "advice": ("", *scale.ADVICE_KINDS),
}
ADDED, REMOVED = "added", "removed"
ADVICE = "advice"


def version_key(version: str) -> tuple[int, ...]:
    """'2026.11.2' → (2026, 11, 2), for ordering versions."""
    return tuple(int(part) for part in version.split("."))


def hashed_text(data: bytes) -> bytes:
    """changes.toml as the content hash sees it: without the recorded hashes and grade lists."""
    text = SNAPSHOT_BLOCK.sub("", data.decode("utf-8"))
    return HASH_LINE.sub("", text).encode("utf-8")


def load_changes(data_dir: Path, citations: set[str], problems: list[Problem]) -> list[Release]:
    path = data_dir / CHANGES_FILE
    releases: list[Release] = []
    for i, table in enumerate(read_toml(path, problems).get("release", [])):
        reader = RecordReader(
            CHANGES_FILE, str(table.get("version", f"release #{i + 1}")), problems
        )
        version = reader.text(table, "version")
        if version and not VERSION.match(version):
            reader.problem("version", f"'{version}' is not a version like 2026.11.2")
            version = ""
        sealed = reader.text(table, "content_hash", required=False)
        if sealed and not HASH.match(sealed):
            reader.problem("content_hash", "must be 64 hex digits (written by build-data --seal)")
        changes = table.get("change", [])
        if not isinstance(changes, list):
            reader.problem("change", "must be a list of [[release.change]] tables")
            changes = []
        releases.append(
            Release(
                version=version,
                date=reader.date(table, "date"),
                summary=reader.text(table, "summary"),
                changes=tuple(_change(reader, c, j, citations) for j, c in enumerate(changes)),
                content_hash=sealed,
                grades=read_snapshot(reader, table.get("grades")),
            )
        )
    problems.extend(_order_problems(releases))
    return releases


def _change(reader: RecordReader, table: Any, j: int, citations: set[str]) -> Change:
    sub = RecordReader(CHANGES_FILE, f"{reader.record} change[{j}]", reader.problems)
    if not isinstance(table, dict):
        sub.problem("", "must be a table")
        return Change("", "", "", "", "", "", ())
    kinds = [k for k in KINDS if k in table]
    if len(kinds) != 1:
        sub.problem("condition", f"name exactly one of: {', '.join(KINDS)}")
    kind = kinds[0] if kinds else ""
    old, new = (str(table.get(k, "")).strip() for k in ("old", "new"))
    for key in ("old", "new"):
        if key not in table:
            sub.problem(key, 'is missing (use "" for none)')
    return Change(
        kind=kind,
        target=sub.text(table, kind) if kind else "",
        field=sub.text(table, "field"),
        old=old,
        new=new,
        why=sub.text(table, "why"),
        sources=_urls(sub, table)
        if kind in URL_SOURCED
        else sub.sources(table, "sources", citations),
    )


def _urls(reader: RecordReader, table: dict[str, Any]) -> tuple[str, ...]:
    """A center change's sources: the URLs of the pages it rests on (hosts are checked by the
    center-change-source rule); none only when the change removes a value no page supports."""
    value = table.get("sources")
    if not isinstance(value, list):
        reader.problem("sources", "is missing: give the URL of each page the change rests on")
        return ()
    if not value and str(table.get("new", "")).strip() not in ("", "unconfirmed"):
        reader.problem(
            "sources", "is empty: only a value removed for want of a source may cite none"
        )
    urls = tuple(str(v).strip() for v in value)
    for url in urls:
        if not url.startswith(("https://", "http://")):
            reader.problem("sources", f"'{url[:60]}' is not a URL a person can open (https://...)")
    return urls


def _order_problems(releases: list[Release]) -> Iterator[Problem]:
    seen: set[str] = set()
    previous: tuple[int, ...] = ()
    for release in releases:
        if not release.version:
            continue
        if release.version in seen:
            yield Problem(CHANGES_FILE, release.version, "version", "is listed twice")
        elif version_key(release.version) < previous:
            yield Problem(CHANGES_FILE, release.version, "version", "releases must be oldest first")
        seen.add(release.version)
        previous = max(previous, version_key(release.version))


def check_release_state(
    releases: list[Release], data_version: str, content_hash: str
) -> Iterator[Problem]:
    """The current data version is recorded, none newer exists, and a sealed one is unchanged."""
    if not data_version or not VERSION.match(data_version):
        return
    current = next((r for r in releases if r.version == data_version), None)
    if current is None:
        yield Problem(
            CHANGES_FILE,
            data_version,
            "version",
            f"data_version {data_version} (meta.toml) has no [[release]]: record what changed",
        )
    elif current.content_hash and current.content_hash != content_hash:
        yield Problem(
            "meta.toml",
            data_version,
            "data_version",
            f"content changed but data version {data_version} was already released: bump "
            "data_version in data/meta.toml and record the changes in data/changes.toml",
        )
    for release in releases:
        if release.version and version_key(release.version) > version_key(data_version):
            yield Problem(
                CHANGES_FILE,
                release.version,
                "version",
                f"is newer than data_version {data_version} in meta.toml: bump data_version",
            )


def check_change_targets(
    releases: list[Release], data_version: str, records: dict[str, dict[str, Any]]
) -> Iterator[Problem]:
    """Each change names a record that exists (unless removed); grade values are on the scale,
    and in the current release the newest value of a grade field is the record's value now."""
    for release in releases:
        for j, change in enumerate(release.changes):
            where = (CHANGES_FILE, f"{release.version} change[{j}]")
            known = records.get(change.kind, {})
            if change.kind and change.target not in known and change.field != REMOVED:
                yield Problem(*where, change.kind, f"unknown {change.kind} '{change.target}'")
                continue
            allowed = VOCABULARY.get(change.field) if change.kind == "condition" else None
            for key, value in (("old", change.old), ("new", change.new)):
                if allowed and value not in allowed:
                    yield Problem(*where, key, f"'{value}' is not one of: {', '.join(allowed)}")
    yield from _current_values(releases, data_version, records.get("condition", {}))
    yield from _advice_values(releases, data_version, records.get("condition", {}))


def _current_values(
    releases: list[Release], data_version: str, conditions: dict[str, Any]
) -> Iterator[Problem]:
    current = next((r for r in releases if r.version == data_version), None)
    newest: dict[tuple[str, str], tuple[int, str]] = {}
    for j, change in enumerate(current.changes if current else ()):
        if change.kind == "condition" and change.field in VOCABULARY and change.field != ADVICE:
            newest[(change.target, change.field)] = (j, change.new)
    for (target, field), (j, new) in newest.items():
        record = conditions.get(target)
        now = getattr(record, field, None)
        if record is not None and now != new:
            yield Problem(
                CHANGES_FILE,
                f"{data_version} change[{j}]",
                "new",
                f"says {target} {field} is now '{new}', but the condition file says '{now}'",
            )


def _advice_values(
    releases: list[Release], data_version: str, conditions: dict[str, Any]
) -> Iterator[Problem]:
    """Guideline advice (it sets the level not_advised) is never changed silently: a condition's
    advice is the newest value recorded for it in any release up to the current one, and a
    condition with advice has such a record."""
    newest: dict[str, tuple[str, str]] = {}  # condition -> (release, value)
    for release in releases:
        if not release.version or version_key(release.version) > version_key(data_version):
            continue
        for change in release.changes:
            if change.kind == "condition" and change.field == ADVICE:
                newest[change.target] = (release.version, change.new)
    for cid, record in sorted(conditions.items()):
        now = getattr(record, ADVICE, "")
        version, recorded = newest.get(cid, ("", ""))
        if now != recorded:
            where = f"{version} change" if version else "no change record"
            yield Problem(
                CHANGES_FILE,
                cid,
                ADVICE,
                f"{where} says {cid} advice is now '{recorded}', but the condition file says "
                f"'{now}': record the change (field = \"advice\") in the current release",
            )
