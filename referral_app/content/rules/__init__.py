"""Content rules the build enforces beyond the shape of each record (docs/DATA_FORMAT.md, "Rules").

Each rule yields Problems naming file, record and field; `build-data` reports them with the shape
errors and refuses to write the database. Violations that main's content had when a rule was
introduced are listed in data/rules_backlog.toml: the build tolerates exactly those (and says how
many remain), fails on any new one, and fails when a listed one is gone so the list only shrinks.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from referral_app import paths
from referral_app.content.errors import Problem
from referral_app.content.rules.codes import check_billable_codes
from referral_app.content.rules.delivery import (
    check_clear_first,
    check_delivery,
    check_implied,
    check_patient_verification,
)
from referral_app.content.rules.grades import check_durability, check_grade_fields
from referral_app.content.rules.policy import load_policy
from referral_app.content.rules.sources import (
    check_center_changes,
    check_centers,
    check_citations,
    check_links,
    check_recent_sources,
    citation_uses,
)
from referral_app.content.rules.wording import check_condition_wording, check_handout_strings
from referral_app.content.toml_file import read_toml

if TYPE_CHECKING:
    from referral_app.content.model import Content

HANDOUT_STRINGS = ("templates", "handout_strings.toml")
BACKLOG_FILE = "rules_backlog.toml"


@dataclass(frozen=True)
class RulesReport:
    """What the rules found beyond the problems that fail the build."""

    backlog: tuple[Problem, ...] = ()  # known violations still present (tolerated)


def _rules(content: Content, data_dir: Path, problems: list[Problem]) -> dict[str, Callable]:
    policy = load_policy(data_dir, problems)
    uses = citation_uses(
        content.conditions,
        [k for f in content.flags for k in f.sources],
        [k for c in content.conditions if c.care for k in c.care.sources],
        [k for w in content.warning_sets for k in w.sources],
    )
    return {
        "grade": lambda: check_grade_fields(content.conditions),
        "durability": lambda: check_durability(content.conditions),
        "wording": lambda: check_condition_wording(content.conditions),
        "handout": _handout_problems,
        "level-wording": lambda: _wording_problems(content.wording),
        "citation": lambda: check_citations(content.citations, policy, uses),
        "link": lambda: check_links(content.links, policy),
        "center-source": lambda: check_centers(content.centers, policy),
        "center-change-source": lambda: check_center_changes(
            content.releases, content.centers, policy
        ),
        "recent-source": lambda: check_recent_sources(content.conditions, content.citations),
        "delivery": lambda: check_delivery(content.conditions),
        "implied-flag": lambda: check_implied(content.conditions, content.flags),
        "clear-first": lambda: check_clear_first(content.conditions, content.flags),
        "patient-verification": lambda: check_patient_verification(content.conditions),
        "icd-leaf": lambda: check_billable_codes(content.conditions),
    }


def rule_key(rule: str, problem: Problem) -> str:
    return " | ".join((rule, problem.file, problem.record, problem.field))


def check_content(
    content: Content, data_dir: Path, problems: list[Problem], *, strict: bool = False
) -> RulesReport:
    """Append every new rule violation to ``problems``; known ones only with ``strict``."""
    known = set() if strict else _load_backlog(data_dir, problems)
    found: dict[str, list[Problem]] = {}
    for rule, check in _rules(content, data_dir, problems).items():
        for problem in check():
            found.setdefault(rule_key(rule, problem), []).append(problem)
    tolerated: list[Problem] = []
    for key, listed in found.items():
        (tolerated if key in known else problems).extend(listed)
    for key in sorted(known - found.keys()):
        problems.append(
            Problem(BACKLOG_FILE, key, "", "is fixed: remove it from the list of known problems")
        )
    return RulesReport(tuple(tolerated))


def _load_backlog(data_dir: Path, problems: list[Problem]) -> set[str]:
    path = data_dir / BACKLOG_FILE
    if not path.is_file():
        return set()
    known = read_toml(path, problems).get("known", [])
    if not isinstance(known, list) or not all(isinstance(k, str) for k in known):
        problems.append(Problem(BACKLOG_FILE, "", "known", "must be a list of text"))
        return set()
    return {" | ".join(part.strip() for part in k.split("|")) for k in known}


def _wording_problems(wording: dict[str, dict[str, str]]) -> Iterable[Problem]:
    """data/wording.toml, per level: sheet words are English, handout words per language."""
    by_lang: dict[str, dict[str, dict[str, str]]] = {}
    for level, texts in wording.items():
        for key, text in texts.items():
            lang, _, name = key.rpartition(".")
            by_lang.setdefault(level, {}).setdefault(lang or "en", {})[name] = text
    return check_handout_strings("wording.toml", by_lang)


def _handout_problems() -> Iterable[Problem]:
    path = paths.resource(*HANDOUT_STRINGS)
    if not path.is_file():
        return []
    with path.open("rb") as handle:
        strings = tomllib.load(handle)
    return check_handout_strings("resources/" + "/".join(HANDOUT_STRINGS), strings)
