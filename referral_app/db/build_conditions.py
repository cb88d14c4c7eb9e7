"""Conditions into the reference database: records, codes, statements and the search index."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict

from sqlite_utils import Database

from referral_app.db.digest import BUSY_PREFIX_MAX, PREFIX_TOP, WHOLE_WORD_BONUS
from referral_app.domain.entities import Condition, Statement
from referral_app.domain.query import index_words, normalize_code

NAME_WEIGHT = 100
CODE_WEIGHT = 90
SYNONYM_WEIGHT = 70


def write_conditions(db: Database, conditions: list[Condition]) -> None:
    rows, codes, synonyms, patient, words = [], [], [], [], []
    statements: list[dict] = []
    sources: list[dict] = []
    for position, cond in enumerate(conditions):
        rows.append(
            {
                "id": cond.id,
                "position": position,
                "name": cond.name,
                "category": cond.category,
                "evidence_level": cond.evidence_level,
                "direction": cond.direction,
                "durability_term": cond.durability_term,
                "last_reviewed": cond.last_reviewed.isoformat(),
                "summary": cond.summary.text,
                "synonyms_text": " | ".join(cond.synonyms),
                "icd10_text": " ".join(cond.icd10),
                "advice": cond.advice,
                "advice_sources": json.dumps(list(cond.advice_sources)),
                "delivery": cond.delivery,
                "implies": json.dumps(list(cond.implies)),
                "care": _care_json(cond),
            }
        )
        codes += [
            {"condition_id": cond.id, "code": c, "norm": normalize_code(c), "position": i}
            for i, c in enumerate(cond.icd10)
        ]
        synonyms += [
            {"condition_id": cond.id, "synonym": s, "position": i}
            for i, s in enumerate(cond.synonyms)
        ]
        patient += [
            {
                "condition_id": cond.id,
                "lang": lang,
                "plain_name": t.plain_name,
                "what_to_expect": t.what_to_expect,
            }
            for lang, t in cond.patient.items()
        ]
        words += _search_words(cond)
        for field, pos, statement in _condition_statements(cond):
            sid = len(statements) + 1
            statements.append(_statement_row(sid, cond, field, pos, statement))
            sources += [
                {"statement_id": sid, "citation_key": key, "position": i}
                for i, key in enumerate(statement.sources)
            ]
    db.table("conditions").insert_all(rows)
    db.table("condition_codes").insert_all(codes)
    db.table("condition_synonyms").insert_all(synonyms)
    db.table("patient_texts").insert_all(patient)
    db.table("statements").insert_all(statements, batch_size=500)
    db.table("statement_sources").insert_all(sources, batch_size=500)
    db.table("search_words").insert_all(words, batch_size=2000)
    db.table("prefix_top").insert_all(_prefix_top(conditions, words), batch_size=2000)


def _care_json(cond: Condition) -> str:
    """The instructions sheet as JSON ('' when the condition has none)."""
    care = cond.care
    if care is None:
        return ""
    texts = {lang: asdict(text) for lang, text in care.text.items()}
    return json.dumps({"text": texts, "sources": list(care.sources), "confirmed": care.confirmed})


def _prefix_top(conditions: list[Condition], words: list[dict]) -> list[dict]:
    """Ranked hits for every one-character prefix, so the first keystroke needs no aggregation,
    and for every longer prefix (up to BUSY_PREFIX_MAX characters) that PREFIX_TOP or more
    conditions match ("pa", "pain" when thousands of names end in "pain"), so typing a common
    word does not rank every condition that has it on each keystroke.

    Ranking matches the live search: score (best word weight, whole-word bonus), then shorter
    name, then id.
    """
    from referral_app.domain.query import looks_like_code

    name_len = {c.id: len(c.name) for c in conditions}
    best: dict[str, dict[str, int]] = {}
    for row in words:
        word = row["word"]
        for length in range(1, min(len(word), BUSY_PREFIX_MAX) + 1):
            prefix = word[:length]
            score = row["weight"] + (WHOLE_WORD_BONUS if word == prefix else 0)
            per_prefix = best.setdefault(prefix, {})
            per_prefix[row["condition_id"]] = max(per_prefix.get(row["condition_id"], 0), score)
    rows = []
    for prefix, scores in best.items():
        if len(prefix) > 1 and (len(scores) < PREFIX_TOP or looks_like_code(prefix)):
            continue  # few enough to rank live (a code-like prefix adds code matches live)
        ranked = sorted(scores, key=lambda c: (-scores[c], name_len[c], c))[:PREFIX_TOP]
        rows += [
            {"prefix": prefix, "rank": i, "condition_id": c, "score": scores[c]}
            for i, c in enumerate(ranked)
        ]
    return rows


def _statement_row(sid: int, cond: Condition, field: str, pos: int, s: Statement) -> dict:
    row = {
        "id": sid,
        "condition_id": cond.id,
        "field": field,
        "position": pos,
        "text": s.text,
        "confirmed": int(s.confirmed),
        "session_minutes": None,
        "sessions_per_week": None,
        "weeks": None,
    }
    if field == "regimen":
        row.update(
            session_minutes=cond.regimen.session_minutes,
            sessions_per_week=cond.regimen.sessions_per_week,
            weeks=cond.regimen.weeks,
        )
    return row


def _condition_statements(cond: Condition) -> Iterator[tuple[str, int, Statement]]:
    yield "summary", 0, cond.summary
    yield "grading", 0, cond.grading
    yield "effect", 0, cond.effect
    yield "durability", 0, cond.durability
    yield "regimen", 0, cond.regimen.statement
    for i, precaution in enumerate(cond.precautions):
        yield "precaution", i, precaution
    for i, note in enumerate(cond.before_referral):
        yield "before_referral", i, note


def _search_words(cond: Condition) -> list[dict]:
    """Best weight per distinct word: name words beat code prefixes beat synonym words."""
    best: dict[str, int] = {}
    sources = [(cond.name, NAME_WEIGHT)] + [(s, SYNONYM_WEIGHT) for s in cond.synonyms]
    sources += [(c, CODE_WEIGHT) for c in cond.icd10]
    for text, weight in sources:
        for word in index_words(text):
            best[word] = max(best.get(word, 0), weight)
    return [{"word": w, "condition_id": cond.id, "weight": v} for w, v in best.items()]
