"""Write validated content into a reference database, atomically.

The database is written to a temporary file beside the target and renamed into place only after
the whole build (including a foreign-key check) succeeded, so a failed build never touches the
previous file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

from sqlite_utils import Database

from referral_app.content.loader import Content
from referral_app.db.center_rows import provenance_to_json
from referral_app.db.connection import open_writable
from referral_app.db.digest import PREFIX_TOP, WHOLE_WORD_BONUS, table_digest
from referral_app.domain.entities import Condition, Statement
from referral_app.domain.query import index_words, normalize_code
from referral_app.files import atomic_path

NAME_WEIGHT = 100
CODE_WEIGHT = 90
SYNONYM_WEIGHT = 70


def build_reference_db(content: Content, out: Path, *, build_date: str | None = None) -> Path:
    """Build ``out`` from ``content``; the old file stays untouched unless everything succeeds."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out, mode=0o644) as tmp:  # bundled, read by every user
        db = open_writable(tmp)
        with db.atomic():
            _create_schema(db)
            _write_content(db, content, build_date or dt.date.today().isoformat())
        problems = db.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"foreign key check failed: {problems[:5]}")
        db.execute("VACUUM")
        with db.atomic():
            db.table("meta").insert({"key": "table_digest", "value": table_digest(db.conn)})
        db.close()
    return out


def _create_schema(db: Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("citations").create(
        {"key": str, "citation": str, "url": str, "doi": str, "pmid": str, "status": str,
         "note": str},
        pk="key",
    )  # fmt: skip
    db.table("conditions").create(
        {"id": str, "position": int, "name": str, "category": str, "evidence_level": str,
         "direction": str, "durability_term": str, "last_reviewed": str, "summary": str,
         "synonyms_text": str, "icd10_text": str, "advice": str, "advice_sources": str},
        pk="id",
    )  # fmt: skip
    db.table("condition_codes").create(
        {"condition_id": str, "code": str, "norm": str, "position": int},
        pk=("condition_id", "code"),
        foreign_keys=[("condition_id", "conditions", "id")],
    )
    db.table("condition_synonyms").create(
        {"condition_id": str, "synonym": str, "position": int},
        pk=("condition_id", "synonym"),
        foreign_keys=[("condition_id", "conditions", "id")],
    )
    db.table("statements").create(
        {"id": int, "condition_id": str, "field": str, "position": int, "text": str,
         "confirmed": int, "session_minutes": int, "sessions_per_week": str, "weeks": int},
        pk="id",
        foreign_keys=[("condition_id", "conditions", "id")],
    )  # fmt: skip
    db.table("statement_sources").create(
        {"statement_id": int, "citation_key": str, "position": int},
        pk=("statement_id", "position"),
        foreign_keys=[("statement_id", "statements", "id"), ("citation_key", "citations", "key")],
    )
    db.table("patient_texts").create(
        {"condition_id": str, "lang": str, "plain_name": str, "what_to_expect": str},
        pk=("condition_id", "lang"),
        foreign_keys=[("condition_id", "conditions", "id")],
    )
    db.table("flags").create(
        {"id": str, "position": int, "label": str, "question": str, "kind": str, "reason": str,
         "instruction": str, "confirmed": int, "needs_service": str, "patient_first": str},
        pk="id",
    )  # fmt: skip
    db.table("flag_overrides").create(
        {"flag_id": str, "condition_id": str, "kind": str, "reason": str, "instruction": str,
         "confirmed": int, "sources": str, "patient_first": str},
        pk=("flag_id", "condition_id"),
        foreign_keys=[("flag_id", "flags", "id"), ("condition_id", "conditions", "id")],
    )  # fmt: skip
    db.table("flag_aliases").create(
        {"old": str, "position": int, "new": str, "yes": str, "why": str}, pk="old"
    )
    db.table("wording").create({"level": str, "key": str, "text": str}, pk=("level", "key"))
    db.table("clinician_notes").create(
        {
            "key": str,
            "title": str,
            "text": str,
            "confirmed": int,
            "sources": str,
            "conditions": str,
        },
        pk="key",
    )
    db.table("flag_sources").create(
        {"flag_id": str, "citation_key": str, "position": int},
        pk=("flag_id", "position"),
        foreign_keys=[("flag_id", "flags", "id"), ("citation_key", "citations", "key")],
    )
    db.table("evidence_levels").create(
        {"id": str, "position": int, "label": str, "definition": str, "maps_from": str,
         "sources": str},
        pk="id",
    )  # fmt: skip
    db.table("recommendation_levels").create(
        {"id": str, "position": int, "label": str, "definition": str, "reason": str}, pk="id"
    )
    db.table("cross_cutting").create(
        {"position": int, "text": str, "confirmed": int, "sources": str}, pk="position"
    )
    db.table("centers").create(
        {"id": str, "name": str, "parent_system": str, "street": str, "city": str,
         "region": str, "postal_code": str, "country": str, "latitude": float,
         "longitude": float, "phone": str, "website": str, "services": str,
         "populations": str, "self_referral": str, "physician_order": str,
         "referral_notes": str, "insurance_notes": str, "languages": str, "hours": str,
         "source_url": str, "last_verified": str, "verified": int, "status": str,
         "status_note": str, "confidence_note": str, "provenance": str,
         "location_basis": str},
        pk="id",
    )  # fmt: skip
    db.table("center_services").create(
        {"center_id": str, "service": str},
        pk=("center_id", "service"),
        foreign_keys=[("center_id", "centers", "id")],
    )
    db.table("claims").create(
        {"id": str, "position": int, "claim": str, "verdict": str, "text": str, "confirmed": int},
        pk="id",
    )
    db.table("claim_sources").create(
        {"claim_id": str, "citation_key": str, "position": int},
        pk=("claim_id", "position"),
        foreign_keys=[("claim_id", "claims", "id"), ("citation_key", "citations", "key")],
    )
    db.table("guidance").create(
        {
            "id": int,
            "section": str,
            "position": int,
            "en": str,
            "es": str,
            "confirmed": int,
            "flags": str,
        },  # fmt: skip
        pk="id",
    )
    db.table("guidance_sources").create(
        {"guidance_id": int, "citation_key": str, "position": int},
        pk=("guidance_id", "position"),
        foreign_keys=[("guidance_id", "guidance", "id"), ("citation_key", "citations", "key")],
    )
    db.table("links").create(
        {"position": int, "lang": str, "label": str, "url": str}, pk="position"
    )
    db.table("releases").create(
        {"version": str, "position": int, "date": str, "summary": str, "content_hash": str},
        pk="version",
    )
    db.table("changes").create(
        {"id": int, "version": str, "position": int, "kind": str, "target": str, "field": str,
         "old": str, "new": str, "why": str},
        pk="id",
        foreign_keys=[("version", "releases", "version")],
    )  # fmt: skip
    db.table("change_sources").create(
        {"change_id": int, "citation_key": str, "position": int},
        pk=("change_id", "position"),
        foreign_keys=[("change_id", "changes", "id"), ("citation_key", "citations", "key")],
    )
    db.table("search_words").create(
        {"word": str, "condition_id": str, "weight": int},
        foreign_keys=[("condition_id", "conditions", "id")],
    )
    db.table("prefix_top").create(
        {"prefix": str, "rank": int, "condition_id": str, "score": int},
        pk=("prefix", "rank"),
        foreign_keys=[("condition_id", "conditions", "id")],
    )


def _write_content(db: Database, content: Content, build_date: str) -> None:
    db.table("meta").insert_all(
        [
            {"key": "data_version", "value": content.data_version},
            {"key": "build_date", "value": build_date},
            {"key": "content_hash", "value": content.content_hash},
            {"key": "condition_count", "value": str(len(content.conditions))},
        ]
    )
    db.table("citations").insert_all(
        {"key": c.key, "citation": c.citation, "url": c.url, "doi": c.doi, "pmid": c.pmid,
         "status": c.status, "note": c.note}
        for c in content.citations.values()
    )  # fmt: skip
    _write_conditions(db, content.conditions)
    _write_flags_and_levels(db, content)
    _write_centers(db, content)
    _write_claims_and_guidance(db, content)
    _write_releases(db, content)
    db.table("search_words").create_index(["word", "weight", "condition_id"])
    db.table("search_words").create_index(["condition_id", "word", "weight"])
    db.table("condition_codes").create_index(["norm"])
    db.table("conditions").enable_fts(
        ["name", "synonyms_text", "icd10_text", "summary"], create_triggers=False
    )


def _write_conditions(db: Database, conditions: list[Condition]) -> None:
    rows, codes, synonyms, patient, words = [], [], [], [], []
    statements: list[dict] = []
    sources: list[dict] = []
    for position, cond in enumerate(conditions):
        rows.append(
            {"id": cond.id, "position": position, "name": cond.name, "category": cond.category,
             "evidence_level": cond.evidence_level, "direction": cond.direction,
             "durability_term": cond.durability_term,
             "last_reviewed": cond.last_reviewed.isoformat(), "summary": cond.summary.text,
             "synonyms_text": " | ".join(cond.synonyms), "icd10_text": " ".join(cond.icd10),
             "advice": cond.advice, "advice_sources": json.dumps(list(cond.advice_sources))}
        )  # fmt: skip
        codes += [
            {"condition_id": cond.id, "code": c, "norm": normalize_code(c), "position": i}
            for i, c in enumerate(cond.icd10)
        ]
        synonyms += [
            {"condition_id": cond.id, "synonym": s, "position": i}
            for i, s in enumerate(cond.synonyms)
        ]
        patient += [
            {"condition_id": cond.id, "lang": lang, "plain_name": t.plain_name,
             "what_to_expect": t.what_to_expect}
            for lang, t in cond.patient.items()
        ]  # fmt: skip
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


def _prefix_top(conditions: list[Condition], words: list[dict]) -> list[dict]:
    """Ranked hits for every one-character prefix, so the first keystroke needs no aggregation.

    Ranking matches the live search: score (best word weight, whole-word bonus), then shorter
    name, then id.
    """
    name_len = {c.id: len(c.name) for c in conditions}
    best: dict[str, dict[str, int]] = {}
    for row in words:
        prefix = row["word"][0]
        score = row["weight"] + (WHOLE_WORD_BONUS if row["word"] == prefix else 0)
        per_prefix = best.setdefault(prefix, {})
        per_prefix[row["condition_id"]] = max(per_prefix.get(row["condition_id"], 0), score)
    rows = []
    for prefix, scores in best.items():
        ranked = sorted(scores, key=lambda c: (-scores[c], name_len[c], c))[:PREFIX_TOP]
        rows += [
            {"prefix": prefix, "rank": i, "condition_id": c, "score": scores[c]}
            for i, c in enumerate(ranked)
        ]
    return rows


def _statement_row(sid: int, cond: Condition, field: str, pos: int, s: Statement) -> dict:
    row = {"id": sid, "condition_id": cond.id, "field": field, "position": pos, "text": s.text,
           "confirmed": int(s.confirmed), "session_minutes": None, "sessions_per_week": None,
           "weeks": None}  # fmt: skip
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


def _write_flags_and_levels(db: Database, content: Content) -> None:
    db.table("flags").insert_all(
        {"id": f.id, "position": i, "label": f.label, "question": f.question, "kind": f.kind,
         "reason": f.reason, "instruction": f.instruction, "confirmed": int(f.confirmed),
         "needs_service": f.needs_service, "patient_first": json.dumps(f.patient_first)}
        for i, f in enumerate(content.flags)
    )  # fmt: skip
    db.table("flag_overrides").insert_all(
        {"flag_id": f.id, "condition_id": o.condition, "kind": o.kind, "reason": o.reason,
         "instruction": o.instruction, "confirmed": int(o.confirmed),
         "sources": json.dumps(list(o.sources)), "patient_first": json.dumps(o.patient_first)}
        for f in content.flags
        for o in f.overrides
    )  # fmt: skip
    db.table("flag_aliases").insert_all(
        {"old": a.old, "position": i, "new": json.dumps(list(a.new)),
         "yes": json.dumps(list(a.yes)), "why": a.why}
        for i, a in enumerate(content.aliases)
    )  # fmt: skip
    db.table("clinician_notes").insert_all(
        {"key": n.key, "title": n.title, "text": n.text, "confirmed": int(n.confirmed),
         "sources": json.dumps(list(n.sources)), "conditions": json.dumps(list(n.conditions))}
        for n in content.notes
    )  # fmt: skip
    db.table("wording").insert_all(
        {"level": level, "key": key, "text": text}
        for level, texts in content.wording.items()
        for key, text in texts.items()
    )
    db.table("flag_sources").insert_all(
        {"flag_id": f.id, "citation_key": key, "position": i}
        for f in content.flags
        for i, key in enumerate(f.sources)
    )
    db.table("evidence_levels").insert_all(
        {
            **asdict(e),
            "position": i,
            "sources": json.dumps(list(e.sources)),
            "maps_from": json.dumps(dict(e.maps_from)),
        }
        for i, e in enumerate(content.evidence_levels)
    )
    db.table("recommendation_levels").insert_all(
        {**asdict(r), "position": i} for i, r in enumerate(content.recommendation_levels)
    )
    db.table("cross_cutting").insert_all(
        {"position": i, "text": s.text, "confirmed": int(s.confirmed),
         "sources": json.dumps(list(s.sources))}
        for i, s in enumerate(content.cross_cutting)
    )  # fmt: skip


def _write_centers(db: Database, content: Content) -> None:
    rows, services = [], []
    for center in content.centers:
        row = asdict(center)
        for local_only in ("origin", "kind", "notes", "accepted_insurances", "typical_wait",
                           "preferred", "check"):  # fmt: skip
            row.pop(local_only)
        row["provenance"] = provenance_to_json(center)
        for key in ("services", "populations", "languages"):
            row[key] = ";".join(row[key])
        row["verified"] = int(center.verified)
        rows.append(row)
        services += [{"center_id": center.id, "service": s} for s in center.services]
    db.table("centers").insert_all(rows, batch_size=1000)
    db.table("center_services").insert_all(services, batch_size=2000)
    db.table("centers").create_index(["latitude"])
    db.execute(
        "CREATE VIRTUAL TABLE centers_rtree USING rtree(rid, min_lat, max_lat, min_lon, max_lon)"
    )
    db.execute(
        "INSERT INTO centers_rtree SELECT rowid, latitude, latitude, longitude, longitude "
        "FROM centers WHERE latitude IS NOT NULL AND longitude IS NOT NULL"
    )


def _write_claims_and_guidance(db: Database, content: Content) -> None:
    db.table("claims").insert_all(
        {"id": c.id, "position": i, "claim": c.claim, "verdict": c.verdict,
         "text": c.finding.text, "confirmed": int(c.finding.confirmed)}
        for i, c in enumerate(content.claims)
    )  # fmt: skip
    db.table("claim_sources").insert_all(
        {"claim_id": c.id, "citation_key": key, "position": i}
        for c in content.claims
        for i, key in enumerate(c.finding.sources)
    )
    rows: list[dict[str, object]] = []
    sources: list[dict[str, object]] = []
    for section, entries in content.guidance.items():
        for position, entry in enumerate(entries):
            gid = len(rows) + 1
            rows.append(
                {"id": gid, "section": section, "position": position,
                 "en": entry.text.get("en", ""), "es": entry.text.get("es", ""),
                 "confirmed": int(entry.confirmed), "flags": ",".join(entry.flags)}
            )  # fmt: skip
            sources += [
                {"guidance_id": gid, "citation_key": key, "position": i}
                for i, key in enumerate(entry.sources)
            ]
    db.table("guidance").insert_all(rows)
    db.table("guidance_sources").insert_all(sources)
    db.table("links").insert_all(
        {"position": i, "lang": link.lang, "label": link.label, "url": link.url}
        for i, link in enumerate(content.links)
    )


def _write_releases(db: Database, content: Content) -> None:
    """The change record per content version (data/changes.toml)."""
    changes: list[dict[str, object]] = []
    sources: list[dict[str, object]] = []
    for release in content.releases:
        for position, change in enumerate(release.changes):
            cid = len(changes) + 1
            changes.append(
                {"id": cid, "version": release.version, "position": position,
                 "kind": change.kind, "target": change.target, "field": change.field,
                 "old": change.old, "new": change.new, "why": change.why}
            )  # fmt: skip
            sources += [
                {"change_id": cid, "citation_key": key, "position": i}
                for i, key in enumerate(change.sources)
            ]
    db.table("releases").insert_all(
        {"version": r.version, "position": i, "date": r.date.isoformat(), "summary": r.summary,
         "content_hash": r.content_hash}
        for i, r in enumerate(content.releases)
    )  # fmt: skip
    db.table("changes").insert_all(changes)
    db.table("change_sources").insert_all(sources)
