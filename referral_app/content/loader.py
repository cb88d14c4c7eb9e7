"""Load and validate the human-edited files in data/ into typed records.

Every problem is collected (file + record + field + reason) before anything is built, so one run of
``build-data`` reports all of them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
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
from referral_app.content.errors import ContentError, Problem
from referral_app.content.fields import RecordReader
from referral_app.content.flags import REQUIRED_FLAGS as REQUIRED_FLAGS
from referral_app.content.flags import load_flags
from referral_app.content.guidance import load_claims, load_guidance, load_notes
from referral_app.content.icd import CodeChecker, shape_ok
from referral_app.content.released_grades import check_unrecorded_moves
from referral_app.content.toml_file import read_toml
from referral_app.content.wording import load_wording
from referral_app.domain import scale
from referral_app.domain.entities import (
    Center,
    Citation,
    Claim,
    ClinicianNote,
    Condition,
    EvidenceLevel,
    Flag,
    FlagAlias,
    Guidance,
    Link,
    PatientText,
    RecommendationLevel,
    Regimen,
    Release,
    Statement,
)

SCHEMA_VERSION = "1"
SUMMARY_LIMIT = 400
YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SOURCE_GLOBS = (
    "meta.toml", "citations.toml", "flags.toml", "levels.toml", "claims.toml", "guidance.toml",
    "wording.toml", "centers.csv", "changes.toml",
)  # fmt: skip


@dataclass(frozen=True)
class Content:
    data_version: str
    content_hash: str
    citations: dict[str, Citation]
    conditions: list[Condition]
    flags: list[Flag]
    evidence_levels: list[EvidenceLevel]
    recommendation_levels: list[RecommendationLevel]
    cross_cutting: list[Statement] = field(default_factory=list)
    centers: list[Center] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    guidance: dict[str, list[Guidance]] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    releases: list[Release] = field(default_factory=list)
    # Known rule violations still present (data/rules_backlog.toml), tolerated by the build.
    backlog: tuple[Problem, ...] = ()
    aliases: list[FlagAlias] = field(default_factory=list)
    wording: dict[str, dict[str, str]] = field(default_factory=dict)
    notes: list[ClinicianNote] = field(default_factory=list)


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


def load_citations(path: Path, problems: list[Problem]) -> dict[str, Citation]:
    citations: dict[str, Citation] = {}
    for key, table in read_toml(path, problems).items():
        reader = RecordReader(path.name, key, problems)
        if not isinstance(table, dict):
            reader.problem("", "must be a table")
            continue
        citations[key] = Citation(
            key=key,
            citation=reader.text(table, "citation"),
            url=reader.text(table, "url", required=False),
            status=reader.choice(table, "status", scale.CITATION_STATUSES),
            doi=reader.text(table, "doi", required=False),
            pmid=str(table.get("pmid", "")).strip(),
            note=reader.text(table, "note", required=False),
            year=_year(reader, table),
        )
        if citations[key].url and not citations[key].url.startswith(("https://", "http://")):
            reader.problem("url", "must start with https://")
    return citations


def _year(reader: RecordReader, table: dict[str, Any]) -> int | None:
    """The ``year`` field, else the latest plausible year named in the citation text."""
    if "year" in table:
        value = table["year"]
        if isinstance(value, bool) or not isinstance(value, int) or not 1800 <= value <= 2100:
            reader.problem("year", "must be a year such as 2024")
            return None
        return value
    found = [int(y) for y in YEAR.findall(str(table.get("citation", "")))]
    return max(found, default=None)


def _patient_texts(reader: RecordReader, table: dict[str, Any]) -> dict[str, PatientText]:
    patient = table.get("patient")
    texts: dict[str, PatientText] = {}
    for lang in scale.LANGUAGES:
        sub = patient.get(lang) if isinstance(patient, dict) else None
        if not isinstance(sub, dict):
            reader.problem(f"patient.{lang}", "is missing")
            continue
        texts[lang] = PatientText(
            plain_name=reader.text(sub, "plain_name"),
            what_to_expect=reader.text(sub, "what_to_expect"),
        )
    return texts


def _codes(reader: RecordReader, table: dict[str, Any], check_code: CodeChecker) -> tuple[str, ...]:
    codes = reader.text_list(table, "icd10")
    for code in codes:
        if not shape_ok(code):
            reader.problem("icd10", f"'{code}' is not written like an ICD-10-CM code (e.g. M54.2)")
        elif not check_code(code):
            reader.problem("icd10", f"'{code}' is not an ICD-10-CM code")
    return codes


def parse_condition(
    path: Path, table: dict[str, Any], citations: set[str], check_code: CodeChecker, problems: list
) -> Condition:
    """One condition file → a Condition (problems appended, never raised)."""
    record = str(table.get("id", path.stem))
    reader = RecordReader(f"conditions/{path.name}", record, problems)
    cond_id = reader.text(table, "id")
    if cond_id and cond_id != path.stem:
        reader.problem("id", f"'{cond_id}' must equal the file name '{path.stem}'")
    if cond_id and not ID_PATTERN.match(cond_id):
        reader.problem("id", "must be lower-case words joined by hyphens")
    summary = reader.statement(table, "summary", citations)
    if len(summary.text) > SUMMARY_LIMIT:
        reader.problem("summary.text", f"is {len(summary.text)} characters; limit {SUMMARY_LIMIT}")
    regimen_table = table.get("regimen") if isinstance(table.get("regimen"), dict) else {}
    precautions = table.get("precautions")
    if not isinstance(precautions, list) or not precautions:
        reader.problem("precautions", "is missing: at least one precaution is required")
        precautions = []
    return Condition(
        id=cond_id,
        name=reader.text(table, "name"),
        synonyms=reader.text_list(table, "synonyms", required=False),
        icd10=_codes(reader, table, check_code),
        category=reader.choice(table, "category", tuple(scale.CATEGORIES)),
        evidence_level=reader.choice(table, "evidence_level", scale.EVIDENCE_LEVELS),
        direction=reader.choice(table, "direction", scale.DIRECTIONS),
        durability_term=reader.choice(table, "durability_term", scale.DURABILITY_TERMS),
        last_reviewed=reader.date(table, "last_reviewed"),
        summary=summary,
        grading=reader.statement(table, "grading", citations),
        effect=reader.statement(table, "effect", citations),
        durability=reader.statement(table, "durability", citations),
        regimen=Regimen(
            statement=reader.statement(table, "regimen", citations),
            session_minutes=reader.optional_int(regimen_table, "session_minutes"),
            sessions_per_week=str(regimen_table.get("sessions_per_week", "")).strip() or None,
            weeks=reader.optional_int(regimen_table, "weeks"),
        ),
        precautions=tuple(
            reader.statement({"p": p}, "p", citations, field=f"precautions[{i}]")
            for i, p in enumerate(precautions)
            if not _for_referrer(reader, p, i)
        ),
        before_referral=tuple(
            reader.statement({"p": p}, "p", citations, field=f"precautions[{i}]")
            for i, p in enumerate(precautions)
            if _for_referrer(reader, p, i, report=False)
        ),
        patient=_patient_texts(reader, table),
        recent_source_waiver=reader.text(table, "recent_source_waiver", required=False),
        **_advice(reader, table, citations),
    )


def _advice(reader: RecordReader, table: dict[str, Any], citations: set[str]) -> dict[str, Any]:
    """``advice = "avoid"`` needs ``advice_sources`` (the guidelines that advise against massage
    for this purpose); sources without advice are a mistake too."""
    advice = reader.text(table, "advice", required=False)
    if advice and advice not in scale.ADVICE_KINDS:
        reader.problem("advice", f"'{advice}' is not one of: {', '.join(scale.ADVICE_KINDS)}")
    if not advice:
        if "advice_sources" in table:
            reader.problem("advice_sources", "is given without advice")
        return {}
    listed = {"sources": table.get("advice_sources")}
    return {"advice": advice, "advice_sources": reader.sources(listed, "advice_sources", citations)}


def _for_referrer(reader: RecordReader, table: Any, index: int, report: bool = True) -> bool:
    """A precaution with ``audience = "referrer"`` is for the referring clinician (screen first,
    set expectations), not an instruction printed for the therapist."""
    if not isinstance(table, dict):
        return False
    audience = table.get("audience", "therapist")
    if audience not in ("therapist", "referrer") and report:
        reader.problem(f"precautions[{index}].audience", "must be 'therapist' or 'referrer'")
    return audience == "referrer"


def load_conditions(
    data_dir: Path, citations: set[str], check_code: CodeChecker, problems: list[Problem]
) -> list[Condition]:
    folder = data_dir / "conditions"
    paths = sorted(folder.glob("*.toml"))
    if not paths:
        problems.append(Problem("conditions/", "", "", "no condition files found"))
    conditions = []
    for path in paths:
        table = read_toml(path, problems)
        if table:
            conditions.append(parse_condition(path, table, citations, check_code, problems))
    check_uniqueness(conditions, problems)
    return conditions


def check_uniqueness(conditions: list[Condition], problems: list[Problem]) -> None:
    """Duplicate ids, duplicate summaries, and synonyms that clash with another record."""
    owners: dict[str, str] = {}
    ids: set[str] = set()
    summaries: dict[str, str] = {}
    for cond in conditions:
        file = f"conditions/{cond.id}.toml"
        if cond.id in ids:
            problems.append(Problem(file, cond.id, "id", "duplicate id"))
        ids.add(cond.id)
        previous = summaries.setdefault(cond.summary.text.casefold(), cond.id)
        if previous != cond.id:
            problems.append(Problem(file, cond.id, "summary", f"same text as '{previous}'"))
        for term in (cond.name, *cond.synonyms):
            owner = owners.setdefault(term.casefold(), cond.id)
            if owner != cond.id:
                problems.append(
                    Problem(file, cond.id, "synonyms", f"'{term}' clashes with condition '{owner}'")
                )


def load_levels(
    path: Path, citations: set[str], problems: list[Problem]
) -> tuple[list[EvidenceLevel], list[RecommendationLevel], list[Statement]]:
    data = read_toml(path, problems)
    evidence = []
    for table in data.get("evidence", []):
        reader = RecordReader(path.name, str(table.get("id", "?")), problems)
        evidence.append(
            EvidenceLevel(
                id=reader.choice(table, "id", scale.EVIDENCE_LEVELS),
                label=reader.text(table, "label"),
                definition=reader.text(table, "definition"),
                maps_from=_maps_from(reader, table),
                sources=reader.sources(table, "sources", citations),
            )
        )
    recommendations = []
    for table in data.get("recommendation", []):
        reader = RecordReader(path.name, str(table.get("id", "?")), problems)
        recommendations.append(
            RecommendationLevel(
                id=reader.choice(table, "id", scale.RECOMMENDATION_LEVELS),
                label=reader.text(table, "label"),
                definition=reader.text(table, "definition"),
                reason=reader.text(table, "reason"),
            )
        )
    _require_ids(path.name, "evidence", [e.id for e in evidence], scale.EVIDENCE_LEVELS, problems)
    _require_ids(
        path.name,
        "recommendation",
        [r.id for r in recommendations],
        scale.RECOMMENDATION_LEVELS,
        problems,
    )
    reader = RecordReader(path.name, "cross_cutting", problems)
    cross = [
        reader.statement({"s": s}, "s", citations, field=f"cross_cutting[{i}]")
        for i, s in enumerate(data.get("cross_cutting", []))
    ]
    return evidence, recommendations, cross


def _maps_from(reader: RecordReader, table: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    value = table.get("maps_from")
    if not isinstance(value, dict) or not value:
        reader.problem("maps_from", "is missing (a table: grading system = its wording)")
        return ()
    for system in value:
        if system not in scale.GRADING_SYSTEMS:
            reader.problem("maps_from", f"unknown grading system '{system}'")
    return tuple((k, str(v)) for k, v in value.items())


def _require_ids(
    file: str, kind: str, found: list[str], expected: tuple[str, ...], problems: list[Problem]
) -> None:
    if tuple(found) != expected:
        problems.append(
            Problem(file, kind, "id", f"must list exactly {', '.join(expected)} in that order")
        )


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
    )
    problems.extend(check_release_state(releases, version, digest))
    records = {
        "condition": {c.id: c for c in conditions},
        "flag": {f.id: f for f in flags},
        "citation": citations,
        "claim": {c.id: c for c in claims},
    }
    problems.extend(check_change_targets(releases, version, records))
    problems.extend(check_unrecorded_moves(releases, version, conditions))
    from referral_app.content.rules import check_content

    report = check_content(content, data_dir, problems, strict=strict)
    if problems:
        raise ContentError(problems)
    return dataclasses.replace(content, backlog=report.backlog)
