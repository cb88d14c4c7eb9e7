"""Write validated content into a reference database, atomically.

The database is written to a temporary file beside the target and renamed into place only after
the whole build (including a foreign-key check) succeeded, so a failed build never touches the
previous file. The steps: the tables (``build_schema``), the conditions and their search index
(``build_conditions``), the rest of the content (``build_content``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlite_utils import Database

from referral_app.content.model import Content
from referral_app.db.build_conditions import write_conditions
from referral_app.db.build_content import (
    write_centers,
    write_claims_and_guidance,
    write_flags_and_levels,
    write_releases,
    write_routes,
)
from referral_app.db.build_schema import create_schema
from referral_app.db.connection import open_writable
from referral_app.files import atomic_path


def build_reference_db(content: Content, out: Path, *, build_date: str | None = None) -> Path:
    """Build ``out`` from ``content``; the old file stays untouched unless everything succeeds."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out, mode=0o644) as tmp:  # bundled, read by every user
        db = open_writable(tmp)
        with db.atomic():
            create_schema(db)
            _write_content(db, content, build_date or dt.date.today().isoformat())
        problems = db.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"foreign key check failed: {problems[:5]}")
        db.execute("VACUUM")
        db.close()
    return out


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
        {
            "key": c.key,
            "citation": c.citation,
            "url": c.url,
            "doi": c.doi,
            "pmid": c.pmid,
            "status": c.status,
            "note": c.note,
        }
        for c in content.citations.values()
    )
    write_conditions(db, content.conditions)
    write_flags_and_levels(db, content)
    write_centers(db, content)
    write_claims_and_guidance(db, content)
    write_releases(db, content)
    write_routes(db, content)
    db.table("search_words").create_index(["word", "weight", "condition_id"])
    db.table("search_words").create_index(["condition_id", "word", "weight"])
    db.table("condition_codes").create_index(["norm"])
    db.table("conditions").enable_fts(
        ["name", "synonyms_text", "icd10_text", "summary"], create_triggers=False
    )
