"""The per-user database: clinic settings, recent conditions (never patient identity by default)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlite_utils import Database

from referral_app.db.connection import open_writable
from referral_app.db.migrations import migrations

RECENT_LIMIT = 10


class UserStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    def open(cls, path: Path) -> UserStore:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = open_writable(path)
        db.execute("PRAGMA journal_mode = WAL")
        migrations.apply(db)
        return cls(db)

    def close(self) -> None:
        self.db.close()

    def applied_migrations(self) -> list[str]:
        return [m.name for m in migrations.applied(self.db)]

    def get_setting(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.db.conn:
            self.db["settings"].upsert({"key": key, "value": value}, pk="key")

    def add_recent(self, condition_id: str) -> None:
        now = dt.datetime.now(dt.UTC).isoformat()
        with self.db.conn:
            self.db["recent_conditions"].upsert(
                {"condition_id": condition_id, "opened_at": now}, pk="condition_id"
            )
            self.db.execute(
                "DELETE FROM recent_conditions WHERE condition_id NOT IN ("
                "SELECT condition_id FROM recent_conditions ORDER BY opened_at DESC LIMIT ?)",
                [RECENT_LIMIT],
            )

    def recent(self) -> list[str]:
        sql = "SELECT condition_id FROM recent_conditions ORDER BY opened_at DESC"
        return [r[0] for r in self.db.execute(sql)]
