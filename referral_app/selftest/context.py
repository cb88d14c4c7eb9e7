"""What the self-test's checks share: the record of one check and what each leaves for the next."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class SkippedError(Exception):
    """A check could not run because an earlier one failed."""


@dataclass
class Check:
    name: str
    status: str  # ok | failed | skipped
    detail: str
    seconds: float
    trace: str = ""


@dataclass
class Context:
    """What one check leaves for the next."""

    workdir: Path
    found: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    qt_messages: list[str] = field(default_factory=list)

    def need(self, key: str) -> Any:
        if key not in self.found:
            raise SkippedError(f"needs {key}, which an earlier check did not provide")
        return self.found[key]
