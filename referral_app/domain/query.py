"""Turning typed search text into normalized words. Pure: no SQL, no Qt."""

from __future__ import annotations

import re
import unicodedata

MAX_QUERY_CHARS = 200
MAX_WORDS = 8
_WORD = re.compile(r"[0-9a-z]+(?:\.[0-9a-z]+)*")
_CODE = re.compile(r"^[a-z][0-9][0-9a-z](?:\.?[0-9a-z]{1,4})?$")


# Words too common to narrow a search (also FTS5 operators typed as words).
STOP_WORDS: frozenset[str] = frozenset(
    {"a", "an", "and", "or", "not", "near", "the", "of", "in", "on", "with", "for", "to", "by"}
)


def fold(text: str) -> str:
    """Lower-case, strip accents, so 'Fibromialgía' matches 'fibromialgia'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_code(code: str) -> str:
    """'M54.2', 'm54.2' and 'M542' all become 'm542'."""
    return fold(code).replace(".", "").strip()


def looks_like_code(word: str) -> bool:
    return bool(_CODE.match(word)) and any(ch.isdigit() for ch in word[1:3])


def words(text: str) -> list[str]:
    """Index/search words: folded, dots kept only inside codes then removed, capped in number."""
    found = _WORD.findall(fold(text[:MAX_QUERY_CHARS]))
    result: list[str] = []
    for word in found:
        if looks_like_code(word):
            result.append(word.replace(".", ""))
        else:
            result.extend(part for part in word.split(".") if part)
    meaningful = [w for w in result if w not in STOP_WORDS]
    return meaningful[:MAX_WORDS]


def index_words(text: str) -> list[str]:
    """Like :func:`words` but uncapped, for building the index."""
    found = _WORD.findall(fold(text))
    result: list[str] = []
    for word in found:
        result.extend(word.split(".") if not looks_like_code(word) else [word.replace(".", "")])
    return [w for w in result if w]
