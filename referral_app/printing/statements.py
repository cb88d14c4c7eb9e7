"""A cited statement and its "unconfirmed" mark, written one way for every output: the sheet
(Jinja templates), the Qt widgets (rich text) and the command line (plain text).

A statement whose sources do not fully confirm it says so in the same words everywhere; so does a
source that was not verified. The patient handout says it in the patient's language instead
(resources/templates/handout_strings.toml).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the card and the banner load this at start-up, before any record is read
    from referral_app.domain.entities import Statement

UNCONFIRMED = "(unconfirmed)"


def unconfirmed_mark(confirmed: bool) -> str:
    """' (unconfirmed)' after a fact its sources do not confirm, else ''."""
    return "" if confirmed else f" {UNCONFIRMED}"


def unconfirmed_html(confirmed: bool) -> str:
    return "" if confirmed else f" <i>{UNCONFIRMED}</i>"


def statement_text(statement: Statement) -> str:
    """Plain text: 'text [key; key] (unconfirmed)'."""
    sources = "; ".join(statement.sources)
    return f"{statement.text} [{sources}]{unconfirmed_mark(statement.confirmed)}"


def sources_html(keys: Sequence[str], links: bool = False) -> str:
    """'[key; key]', or with ``links`` each key a ``cite:`` link the card and banner follow."""
    if links:
        return "[" + ", ".join(f'<a href="cite:{escape(k)}">{escape(k)}</a>' for k in keys) + "]"
    return f"[{escape('; '.join(keys))}]"


def statement_html(statement: Statement, links: bool = False) -> str:
    """Rich text, every part escaped: 'text [sources] <i>(unconfirmed)</i>'."""
    sources = sources_html(statement.sources, links)
    return f"{escape(statement.text)} {sources}{unconfirmed_html(statement.confirmed)}"
