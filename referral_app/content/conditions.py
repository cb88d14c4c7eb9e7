"""conditions/*.toml → Condition records, each checked on its own and against the others."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from referral_app.content.errors import Problem
from referral_app.content.fields import RecordReader
from referral_app.content.icd import CodeChecker, shape_ok
from referral_app.content.toml_file import read_toml
from referral_app.domain import scale
from referral_app.domain.entities import Care, CareText, Condition, PatientText, Regimen

SUMMARY_LIMIT = 400
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


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
    regimen = table.get("regimen")
    regimen_table: dict[str, Any] = regimen if isinstance(regimen, dict) else {}
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
        **_delivery(reader, table, citations),
        defers_with=_defers_with(reader, precautions),
    )


def _defers_with(reader: RecordReader, precautions: list) -> dict[str, tuple[str, ...]]:
    """Each precaution's ``defers_with`` (flag ids), keyed by its text."""
    named: dict[str, tuple[str, ...]] = {}
    for p in precautions:
        if isinstance(p, dict) and "defers_with" in p:
            flags = reader.text_list(p, "defers_with")
            named[str(p.get("text", "")).strip()] = flags
    return named


CARE_FIELDS: tuple[str, ...] = ("how", "how_often", "how_long", "stop")


def _delivery(reader: RecordReader, table: dict[str, Any], citations: set[str]) -> dict[str, Any]:
    """``delivery`` (default therapist), ``implies`` (flag ids, checked against flags.toml by the
    rules) and ``[care]``: the instructions sheet, whose completeness the rules check."""
    delivery = reader.text(table, "delivery", required=False) or "therapist"
    if delivery not in scale.DELIVERIES:
        reader.problem("delivery", f"'{delivery}' is not one of: {', '.join(scale.DELIVERIES)}")
    result: dict[str, Any] = {
        "delivery": delivery,
        "implies": reader.text_list(table, "implies", required=False),
    }
    raw = table.get("care")
    if raw is None:
        return result
    if not isinstance(raw, dict):
        reader.problem("care", "must be a table")
        return result
    texts = {}
    for lang in scale.LANGUAGES:
        sub = raw.get(lang)
        if isinstance(sub, dict):
            values = [str(sub.get(f, "")).strip() for f in CARE_FIELDS]
            texts[lang] = CareText(*values)
    sources = reader.sources(raw, "care.sources", citations)
    result["care"] = Care(texts, sources, reader.flag(raw, "confirmed", True))
    return result


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
