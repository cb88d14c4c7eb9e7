"""Reading a TOML file into a dict, reporting (not raising) a missing or malformed file."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from referral_app.content.errors import Problem


def read_toml(path: Path, problems: list[Problem]) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        problems.append(Problem(path.name, "", "", "file is missing"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.append(Problem(path.name, "", "", f"is not valid TOML: {exc}"))
    return {}
