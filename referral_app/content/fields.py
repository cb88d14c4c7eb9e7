"""Small typed readers for TOML tables that record a Problem instead of raising."""

from __future__ import annotations

import datetime as dt
from typing import Any

from referral_app.content.errors import Problem
from referral_app.domain.entities import Statement


class RecordReader:
    """Reads fields of one record; every bad field becomes a Problem naming file, record, field."""

    def __init__(self, file: str, record: str, problems: list[Problem]) -> None:
        self.file = file
        self.record = record
        self.problems = problems

    def problem(self, field: str, reason: str) -> None:
        self.problems.append(Problem(self.file, self.record, field, reason))

    def text(self, table: dict[str, Any], key: str, *, required: bool = True) -> str:
        value = table.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(key, "is missing")
            return ""
        if not isinstance(value, str):
            self.problem(key, f"must be text, not {type(value).__name__}")
            return ""
        return value.strip()

    def choice(self, table: dict[str, Any], key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(table, key)
        if value and value not in allowed:
            self.problem(key, f"'{value}' is not one of: {', '.join(allowed)}")
        return value

    def text_list(
        self, table: dict[str, Any], key: str, *, required: bool = True
    ) -> tuple[str, ...]:
        value = table.get(key)
        if value is None:
            if required:
                self.problem(key, "is missing")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(key, "must be a list of text")
            return ()
        items = tuple(v.strip() for v in value if v.strip())
        if required and not items:
            self.problem(key, "is empty")
        return items

    def date(self, table: dict[str, Any], key: str) -> dt.date:
        value = table.get(key)
        if value is None:
            self.problem(key, "is missing (a review date such as 2026-11-27 is required)")
            return dt.date.min
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            self.problem(key, f"must be a date like 2026-11-27, not {value!r}")
            return dt.date.min
        return value

    def optional_int(self, table: dict[str, Any], key: str) -> int | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            self.problem(key, "must be a positive whole number")
            return None
        return value

    def flag(self, table: dict[str, Any], key: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.problem(key, "must be true or false")
            return default
        return value

    def statement(
        self, table: dict[str, Any], key: str, citations: set[str], *, field: str | None = None
    ) -> Statement:
        """Read ``table[key]`` as a statement: text, sources (known keys), confirmed."""
        name = field or key
        raw = table.get(key)
        if not isinstance(raw, dict):
            self.problem(name, "is missing (a table with text and sources)")
            return Statement("", ())
        sub = RecordReader(self.file, self.record, self.problems)
        text = sub.text(raw, "text") if "text" in raw else ""
        if not text:
            self.problem(f"{name}.text", "is missing")
        sources = self.sources(raw, f"{name}.sources", citations)
        return Statement(text, sources, sub.flag(raw, "confirmed", True))

    def sources(self, table: dict[str, Any], name: str, citations: set[str]) -> tuple[str, ...]:
        value = table.get("sources")
        if not isinstance(value, list) or not value:
            self.problem(name, "is missing: every statement needs at least one citation key")
            return ()
        keys = tuple(str(v).strip() for v in value)
        for key in keys:
            if key not in citations:
                self.problem(name, f"unknown citation key '{key}' (not in citations.toml)")
        return keys
