"""Typed reads from the reference database: one store made of its parts (conditions and
search, cited content, centers), each in its own module."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from referral_app.db.center_reads import CenterReads
from referral_app.db.connection import open_reference
from referral_app.db.content_reads import ContentReads
from referral_app.db.route_reads import RouteReads
from referral_app.db.search import ConditionSearch


class ReferenceStore(ConditionSearch, ContentReads, CenterReads, RouteReads):
    """Read-only access to ``reference.db``; every method returns typed records."""

    @classmethod
    def open(cls, path: Path) -> ReferenceStore:
        return cls(open_reference(path))

    def close(self) -> None:
        self.db.close()

    @cached_property
    def meta(self) -> dict[str, str]:
        return {row[0]: row[1] for row in self.db.execute("SELECT key, value FROM meta")}
