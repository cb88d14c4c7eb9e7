"""Load and validate the human-edited files in data/ into typed records.

One module per kind of record (citations, conditions, levels, flags, centers, guidance, wording,
changes); this one puts them together. Every problem is collected (file + record + field +
reason) before anything is built, so one run of ``build-data`` reports all of them.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Any

from referral_app.content.centers import load_centers
from referral_app.content.changes import (
    CHANGES_FILE,
    check_change_targets,
    check_release_state,
    hashed_text,
    load_changes,
)
from referral_app.content.citations import load_citations
from referral_app.content.conditions import load_conditions
from referral_app.content.errors import ContentError, Problem
from referral_app.content.flags import load_flags
from referral_app.content.guidance import load_claims, load_guidance, load_notes
from referral_app.content.icd import CodeChecker
from referral_app.content.levels import load_levels
from referral_app.content.licensing import BOARDS_FILE, load_routes
from referral_app.content.model import Content
from referral_app.content.released_grades import check_unrecorded_moves
from referral_app.content.toml_file import read_toml
from referral_app.content.warning_signs import load_warning_signs
from referral_app.content.wording import load_wording

SCHEMA_VERSION = "1"
SOURCE_GLOBS = (
    "meta.toml",
    "citations.toml",
    "flags.toml",
    "levels.toml",
    "claims.toml",
    "guidance.toml",
    "wording.toml",
    "centers.csv",
    "changes.toml",
    "warning_signs.toml",
    BOARDS_FILE,
)


def source_files(data_dir: Path) -> list[Path]:
    """Every file that feeds the reference DB, in a stable order."""
    files = [data_dir / name for name in SOURCE_GLOBS]
    files += sorted((data_dir / "conditions").glob("*.toml"))
    return files


def content_hash(data_dir: Path) -> str:
    """SHA-256 over the schema version and every source file's name and bytes."""
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
    for path in source_files(data_dir):
        if path.exists():
            digest.update(path.relative_to(data_dir).as_posix().encode() + b"\0")
            data = path.read_bytes()
            digest.update((hashed_text(data) if path.name == CHANGES_FILE else data) + b"\0")
    return digest.hexdigest()


def load_content(data_dir: Path, check_code: CodeChecker, *, strict: bool = False) -> Content:
    """Read and validate everything in ``data_dir``; raise ContentError listing every problem.

    ``strict`` also fails on the known rule violations listed in data/rules_backlog.toml.
    """
    problems: list[Problem] = []
    meta = read_toml(data_dir / "meta.toml", problems)
    citations = load_citations(data_dir / "citations.toml", problems)
    keys = set(citations)
    conditions = load_conditions(data_dir, keys, check_code, problems)
    condition_ids = {c.id for c in conditions}
    flags, aliases = load_flags(data_dir / "flags.toml", keys, condition_ids, problems)
    evidence, recommendations, cross = load_levels(data_dir / "levels.toml", keys, problems)
    centers = load_centers(data_dir / "centers.csv", problems)
    claims = load_claims(data_dir / "claims.toml", keys, problems)
    guidance, links = load_guidance(data_dir / "guidance.toml", keys, problems)
    releases = load_changes(data_dir, keys, problems)
    wording = load_wording(data_dir / "wording.toml", problems)
    notes = load_notes(data_dir / "guidance.toml", keys, condition_ids, problems)
    warning_sets = load_warning_signs(
        data_dir / "warning_signs.toml", keys, {f.id for f in flags}, condition_ids, problems
    )
    boards, locators = load_routes(data_dir / BOARDS_FILE, problems)
    version = str(meta.get("data_version", "")).strip()
    if not version and meta:
        problems.append(Problem("meta.toml", "", "data_version", "is missing"))
    digest = content_hash(data_dir)
    content = Content(
        data_version=version,
        content_hash=digest,
        citations=citations,
        conditions=conditions,
        flags=flags,
        evidence_levels=evidence,
        recommendation_levels=recommendations,
        cross_cutting=cross,
        centers=centers,
        claims=claims,
        guidance=guidance,
        links=links,
        releases=releases,
        aliases=aliases,
        wording=wording,
        notes=notes,
        warning_sets=warning_sets,
        boards=boards,
        locators=locators,
    )
    problems.extend(check_release_state(releases, version, digest))
    records: dict[str, dict[str, Any]] = {
        "condition": {c.id: c for c in conditions},
        "flag": {f.id: f for f in flags},
        "citation": citations,
        "claim": {c.id: c for c in claims},
        "center": {c.id: c for c in centers},
    }
    problems.extend(check_change_targets(releases, version, records))
    problems.extend(check_unrecorded_moves(releases, version, conditions))
    from referral_app.content.rules import check_content

    report = check_content(content, data_dir, problems, strict=strict)
    if problems:
        raise ContentError(problems)
    return dataclasses.replace(content, backlog=report.backlog)
