"""claims.toml (the check of popular claims) and guidance.toml (shared handout text)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from referral_app.content.errors import Problem
from referral_app.content.fields import RecordReader
from referral_app.content.toml_file import read_toml
from referral_app.domain import scale
from referral_app.domain.entities import Claim, ClinicianNote, Guidance, Link, Statement
from referral_app.domain.scale import NOTE_KEYS


def load_claims(path: Path, citations: set[str], problems: list[Problem]) -> list[Claim]:
    claims = []
    for i, table in enumerate(read_toml(path, problems).get("claim", [])):
        reader = RecordReader(path.name, str(table.get("id", f"#{i + 1}")), problems)
        claims.append(
            Claim(
                id=reader.text(table, "id"),
                claim=reader.text(table, "claim"),
                verdict=reader.choice(table, "verdict", tuple(scale.CLAIM_VERDICTS)),
                finding=Statement(
                    reader.text(table, "text"),
                    reader.sources(table, "sources", citations),
                    reader.flag(table, "confirmed", True),
                ),
            )
        )
    return claims


def _guidance(reader: RecordReader, key: str, table: Any, citations: set[str]) -> Guidance:
    if not isinstance(table, dict):
        reader.problem(key, "is missing")
        return Guidance(key, {}, ())
    texts = {"en": reader.text(table, "en")}
    texts["es"] = reader.text(table, "es", required=key != "licensing")
    return Guidance(
        key=key,
        text=texts,
        sources=reader.sources(table, f"{key}.sources", citations),
        flags=tuple(str(f) for f in table.get("flags", ()) if isinstance(f, str)),
        confirmed=reader.flag(table, "confirmed", True),
    )


def load_guidance(
    path: Path, citations: set[str], problems: list[Problem]
) -> tuple[dict[str, list[Guidance]], list[Link]]:
    """Each section → list of entries (singles are one-element lists); plus read-more links."""
    data = read_toml(path, problems)
    reader = RecordReader(path.name, "", problems)
    sections: dict[str, list[Guidance]] = {}
    for key in scale.GUIDANCE_SINGLE:
        sections[key] = [_guidance(reader, key, data.get(key), citations)]
    for key in scale.GUIDANCE_LISTS:
        entries = data.get(key)
        if not isinstance(entries, list) or not entries:
            reader.problem(key, "needs at least one entry")
            entries = []
        sections[key] = [
            _guidance(reader, f"{key}[{i}]", e, citations) for i, e in enumerate(entries)
        ]
    links = []
    read_more = data.get("read_more")
    if not isinstance(read_more, dict):
        read_more = {}
    for i, link in enumerate(read_more.get("links", [])):
        sub = RecordReader(path.name, f"read_more.links[{i}]", problems)
        links.append(
            Link(
                sub.choice(link, "lang", scale.LANGUAGES),
                sub.text(link, "label"),
                sub.text(link, "url"),
            )
        )
    return sections, links


def load_notes(path: Path, citations: set[str], conditions: set[str], problems: list[Problem]):
    """Optional clinician notes (``[cancer_spread]``: text, sources, conditions, confirmed)."""
    data = read_toml(path, problems)
    notes: list[ClinicianNote] = []
    for key in NOTE_KEYS:
        table = data.get(key)
        if table is None:
            continue
        reader = RecordReader(path.name, key, problems)
        if not isinstance(table, dict):
            reader.problem("", "must be a table")
            continue
        listed = reader.text_list(table, "conditions")
        for cid in listed:
            if cid not in conditions:
                reader.problem("conditions", f"'{cid}' is not a condition in data/conditions/")
        notes.append(
            ClinicianNote(
                key=key,
                text=reader.text(table, "text"),
                sources=reader.sources(table, "sources", citations),
                conditions=listed,
                confirmed=reader.flag(table, "confirmed", True),
                title=reader.text(table, "title", required=False) or "Clinician note",
            )
        )
    return notes
