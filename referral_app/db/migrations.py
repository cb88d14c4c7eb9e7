"""Versioned schema of the user database (sqlite-utils Migrations; each runs once, in order)."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("referral_app.user")


@migrations()
def m001_initial(db: Database) -> None:
    db["settings"].create({"key": str, "value": str}, pk="key")
    db["recent_conditions"].create({"condition_id": str, "opened_at": str}, pk="condition_id")
