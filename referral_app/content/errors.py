"""Validation problems found in data/ files."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a data file was rejected: where (file, record, field) and why."""

    file: str
    record: str
    field: str
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.record:
            where += f" [{self.record}]"
        if self.field:
            where += f" {self.field}"
        return f"{where}: {self.reason}"


class ContentError(Exception):
    """Raised when data/ does not validate; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
