"""What every part of the reference reader shares: the connection and a read-once cache."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar, cast

T = TypeVar("T")


class ReaderBase:
    """Holds the read-only connection to ``reference.db``."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def _memo(self, key: str, load: Callable[[], T]) -> T:
        """Reference data never changes while open (immutable DB): read each list once."""
        cache: dict[str, Any] = self.__dict__.setdefault("_memo_cache", {})
        if key not in cache:
            cache[key] = load()
        value = cache[key]
        return cast(T, list(value) if isinstance(value, list) else dict(value))

    def _keys_by(self, table: str, column: str) -> dict[Any, list[str]]:
        """Owner id → its citation keys in order, from a ``*_sources`` table."""
        sql = f"SELECT {column}, citation_key FROM {table} ORDER BY {column}, position"  # noqa: S608
        keys: dict[Any, list[str]] = defaultdict(list)
        for owner, key in self.db.execute(sql):
            keys[owner].append(key)
        return keys
