"""What the build and the reader share without importing sqlite-utils (fast app start)."""

from __future__ import annotations

import sqlite3

WHOLE_WORD_BONUS = 10
PREFIX_TOP = 100  # ranked hits kept per one-character prefix

DIGEST_TABLES = (
    "citations", "conditions", "condition_codes", "condition_synonyms", "statements",
    "statement_sources", "patient_texts", "flags", "flag_sources", "evidence_levels",
    "recommendation_levels", "cross_cutting", "centers", "center_services", "claims",
    "claim_sources", "guidance", "guidance_sources", "links", "search_words", "prefix_top",
    "releases", "changes", "change_sources",
    "flag_overrides", "flag_aliases", "wording", "clinician_notes",
)  # fmt: skip


def table_digest(db: sqlite3.Connection) -> str:
    """SHA-256 over every content table's rows, in rowid order (stored in meta; re-checked when
    the app opens the file, so a truncated or altered database is refused)."""
    import hashlib  # only when building or checking: hashlib loads OpenSSL (app start)

    digest = hashlib.sha256()
    for table in DIGEST_TABLES:
        digest.update(table.encode())
        for row in db.execute(f"SELECT * FROM [{table}] ORDER BY rowid"):  # noqa: S608
            digest.update(repr(row).encode())
    return digest.hexdigest()
