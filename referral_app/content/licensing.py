"""Load data/licensing_boards.toml: a massage-therapy board per state (50 states, DC, Puerto
Rico) and the national locators, each checked (every URL one a person can open: http(s), no
search query; every confirmed row has a source and its date)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from referral_app.content.errors import Problem
from referral_app.content.toml_file import read_toml
from referral_app.domain.routes import AUDIENCES, REGULATION, Board, Locator

BOARDS_FILE = "licensing_boards.toml"
JURISDICTIONS: dict[str, str] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "PR": "Puerto Rico",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
}
_TEXT = ("name", "url", "lookup_url", "source", "date", "note")


def url_problem(url: str) -> str:
    """'' when ``url`` is one a person can open: http(s), a host, no search query."""
    if not url:
        return ""
    parts = urlparse(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"'{url}' is not an http(s) address"
    if parts.query:
        return f"'{url}' is a search or tool address (it has a query): link the page itself"
    return ""


def _text(raw: dict[str, Any], key: str) -> str:
    value = raw.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def _board(raw: dict[str, Any], problems: list[Problem]) -> Board | None:
    state = _text(raw, "state").upper()

    def bad(field: str, reason: str) -> None:
        problems.append(Problem(BOARDS_FILE, state or "?", field, reason))

    if state not in JURISDICTIONS:
        bad("state", f"'{state}' is not a state, DC or PR")
        return None
    values = {k: _text(raw, k) for k in _TEXT}
    regulates = _text(raw, "regulates")
    if regulates not in REGULATION:
        bad("regulates", f"'{regulates}' must be one of {', '.join(REGULATION)}")
    for key in ("url", "lookup_url", "source"):
        if reason := url_problem(values[key]):
            bad(key, reason)
    if regulates != "unconfirmed" and not (values["source"] and values["date"]):
        bad("source", "a confirmed row needs a source and its date (or regulates = unconfirmed)")
    if regulates in ("license", "registration") and not values["name"]:
        bad("name", "a board that licenses has a name")
    return Board(state, JURISDICTIONS[state], regulates, **values)


def _locator(raw: dict[str, Any], problems: list[Problem]) -> Locator | None:
    key = _text(raw, "id")
    values = {k: _text(raw, k) for k in ("name", "serves", "url", "what", "source", "date")}
    confirmed = raw.get("confirmed", True) is True
    reasons = [r for k in ("url", "source") if (r := url_problem(values[k]))]
    if values["serves"] not in AUDIENCES:
        reasons.append(f"serves '{values['serves']}' must be one of {', '.join(AUDIENCES)}")
    if not (key and values["name"] and values["url"] and values["what"]):
        reasons.append("needs an id, a name, a url and what it lists")
    if confirmed and not (values["source"] and values["date"]):
        reasons.append("a confirmed locator needs a source and its date")
    for reason in reasons:
        problems.append(Problem(BOARDS_FILE, key or "?", "locator", reason))
    return None if reasons else Locator(key, confirmed=confirmed, **values)


def load_routes(path: Path, problems: list[Problem]) -> tuple[list[Board], list[Locator]]:
    raw = read_toml(path, problems)
    boards = [b for r in raw.get("board", []) if (b := _board(r, problems))]
    seen = [b.state for b in boards]
    missing = sorted(set(JURISDICTIONS) - set(seen))
    twice = sorted({s for s in seen if seen.count(s) > 1})
    if raw and (missing or twice):
        problems.append(
            Problem(
                BOARDS_FILE,
                "board",
                "state",
                f"one row per state, DC and PR: missing {missing}, twice {twice}",
            )
        )
    locators = [loc for r in raw.get("locator", []) if (loc := _locator(r, problems))]
    return boards, locators
