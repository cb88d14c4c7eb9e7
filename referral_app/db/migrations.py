"""Versioned schema of the user database: the one history (``clinic_schema.STEPS``), SQLite side.

sqlite-utils' ``Migrations`` runs each step once, in order, in a transaction with its record in
``_sqlite_migrations`` (the record every user.db already has, from any version of the app).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database, Migrations

from referral_app.db.clinic_schema import STEPS

migrations = Migrations("referral_app.user")


def _sql_step(statements: tuple[str, ...]) -> Callable[[Database], None]:
    def run(db: Database) -> None:
        for sql in statements:
            db.execute(sql)

    return run


for _step in STEPS:
    migrations(name=_step.name)(_sql_step(_step.sqlite))
