"""The reference database's tables (the centers table's columns come from the Center fields)."""

from __future__ import annotations

from sqlite_utils import Database

from referral_app.db.center_rows import REFERENCE_COLUMNS, column_types


def create_schema(db: Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("citations").create(
        {
            "key": str,
            "citation": str,
            "url": str,
            "doi": str,
            "pmid": str,
            "status": str,
            "note": str,
        },
        pk="key",
    )
    db.table("conditions").create(
        {
            "id": str,
            "position": int,
            "name": str,
            "category": str,
            "evidence_level": str,
            "direction": str,
            "durability_term": str,
            "last_reviewed": str,
            "summary": str,
            "synonyms_text": str,
            "icd10_text": str,
            "advice": str,
            "advice_sources": str,
            "delivery": str,
            "implies": str,
            "care": str,
        },
        pk="id",
    )
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
        {
            "id": int,
            "condition_id": str,
            "field": str,
            "position": int,
            "text": str,
            "confirmed": int,
            "session_minutes": int,
            "sessions_per_week": str,
            "weeks": int,
        },
        pk="id",
        foreign_keys=[("condition_id", "conditions", "id")],
    )
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
        {
            "id": str,
            "position": int,
            "label": str,
            "question": str,
            "kind": str,
            "reason": str,
            "instruction": str,
            "confirmed": int,
            "needs_service": str,
            "patient_first": str,
        },
        pk="id",
    )
    db.table("flag_overrides").create(
        {
            "flag_id": str,
            "condition_id": str,
            "kind": str,
            "reason": str,
            "instruction": str,
            "confirmed": int,
            "sources": str,
            "patient_first": str,
        },
        pk=("flag_id", "condition_id"),
        foreign_keys=[("flag_id", "flags", "id"), ("condition_id", "conditions", "id")],
    )
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
        {
            "id": str,
            "position": int,
            "label": str,
            "definition": str,
            "maps_from": str,
            "sources": str,
        },
        pk="id",
    )
    db.table("recommendation_levels").create(
        {"id": str, "position": int, "label": str, "definition": str, "reason": str}, pk="id"
    )
    db.table("cross_cutting").create(
        {"position": int, "text": str, "confirmed": int, "sources": str}, pk="position"
    )
    db.table("centers").create(column_types(REFERENCE_COLUMNS), pk="id")
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
        },
        pk="id",
    )
    db.table("guidance_sources").create(
        {"guidance_id": int, "citation_key": str, "position": int},
        pk=("guidance_id", "position"),
        foreign_keys=[("guidance_id", "guidance", "id"), ("citation_key", "citations", "key")],
    )
    db.table("warning_signs").create(
        {
            "id": str,
            "position": int,
            "flags": str,
            "conditions": str,
            "replaces_general": int,
            "en": str,
            "es": str,
            "sources": str,
            "confirmed": int,
        },
        pk="id",
    )
    db.table("links").create(
        {"position": int, "lang": str, "label": str, "url": str}, pk="position"
    )
    db.table("licensing_boards").create(
        {
            "state": str,
            "state_name": str,
            "regulates": str,
            "name": str,
            "url": str,
            "lookup_url": str,
            "source": str,
            "date": str,
            "note": str,
        },
        pk="state",
    )
    db.table("locators").create(
        {
            "id": str,
            "position": int,
            "name": str,
            "serves": str,
            "url": str,
            "what": str,
            "source": str,
            "date": str,
            "confirmed": int,
        },
        pk="id",
    )
    db.table("releases").create(
        {"version": str, "position": int, "date": str, "summary": str, "content_hash": str},
        pk="version",
    )
    db.table("changes").create(
        {
            "id": int,
            "version": str,
            "position": int,
            "kind": str,
            "target": str,
            "field": str,
            "old": str,
            "new": str,
            "why": str,
        },
        pk="id",
        foreign_keys=[("version", "releases", "version")],
    )
    # A change's sources: citation keys, or for a change to a bundled center (kind "center") the
    # URLs of the pages it rests on, so the key is not tied to the citations table.
    db.table("change_sources").create(
        {"change_id": int, "citation_key": str, "position": int},
        pk=("change_id", "position"),
        foreign_keys=[("change_id", "changes", "id")],
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
