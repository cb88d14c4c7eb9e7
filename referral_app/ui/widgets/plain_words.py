"""Developer notes out of text shown to clinicians: file paths, module names and internal codes.

The method page is written for both audiences (docs/METHOD.md); in the app, a code span that names a
file, a module, a command or an internal code is replaced by words, or dropped when it only repeats
what the sentence already says in words.
"""

from __future__ import annotations

import re

_PAREN_CODE = re.compile(r"\s*\(`[^`]*`(?:,\s*`[^`]*`)*(?:[^()`]*)\)")
_CODE = re.compile(r"`([^`]+)`")


def _words(code: str) -> str:
    if code.startswith("referral-guide"):
        return "the command-line tool"
    if code.startswith("data/") or code.endswith(".toml"):
        return "the app's content files"
    if "/" in code or code.endswith(".py") or code.startswith("referral_app"):
        return "the app"
    if code.startswith("[") or code.startswith("--") or "_" in code:
        return "a setting in the content files"
    return code


def for_clinicians(markdown: str) -> str:
    """``markdown`` without file paths, module names or internal codes."""
    text = _PAREN_CODE.sub("", markdown)
    return _CODE.sub(lambda m: _words(m.group(1)), text)
