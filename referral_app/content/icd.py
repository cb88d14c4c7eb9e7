"""ICD-10-CM code checks.

Imports ``simple_icd_10_cm`` lazily: build time only, never at app start.
"""

from __future__ import annotations

import re
from collections.abc import Callable

CODE_PATTERN = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")

CodeChecker = Callable[[str], bool]
# The codes directly below a code in the official code set: none for a leaf (billable) code,
# and none for a code the set does not have (the existence check reports those).
ChildrenOf = Callable[[str], tuple[str, ...]]


def shape_ok(code: str) -> bool:
    """True when the code is written like an ICD-10-CM code (letter, two characters, dot, rest)."""
    return bool(CODE_PATTERN.match(code))


def official_checker() -> CodeChecker:
    """A checker backed by the official code set (raises ImportError when the tool is missing)."""
    import simple_icd_10_cm as icd

    def check(code: str) -> bool:
        return shape_ok(code) and bool(icd.is_valid_item(code))

    return check


def official_children() -> ChildrenOf:
    """The official code set's children of a code (raises ImportError when the tool is missing).

    A code with children is a header (category or subcategory): ICD-10-CM reports only the
    most detailed code, so a header is not billable."""
    import simple_icd_10_cm as icd

    def children(code: str) -> tuple[str, ...]:
        if not shape_ok(code) or not icd.is_valid_item(code) or icd.is_leaf(code):
            return ()
        return tuple(icd.get_children(code))

    return children
