"""Characters the sheet's fonts cannot draw (an emoji typed into a patient's name, say).

Qt leaves such characters out of the PDF, or prints an empty box, without telling anyone; the
sheet build asks here first so the clinician is warned before printing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache

SKIPPED_CATEGORIES = ("Cc", "Cf", "Zs", "Zl", "Zp")  # controls, bidi marks, spaces: not drawn


def undrawable(texts: Iterable[str]) -> list[str]:
    """The distinct characters in ``texts`` that neither the sheet font nor any installed
    fallback font can draw, in order of first appearance. Empty without a Qt application."""
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        return []
    chars = dict.fromkeys(ch for text in texts for ch in text)
    return [
        ch
        for ch in chars
        if unicodedata.category(ch) not in SKIPPED_CATEGORIES and not _drawable(ord(ch))
    ]


@cache
def _drawable(code: int) -> bool:
    from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF

    from referral_app.printing.output import document_font

    if QFontMetricsF(document_font()).inFontUcs4(code):
        return True
    return any(QFontMetricsF(QFont(f)).inFontUcs4(code) for f in QFontDatabase.families())


def describe(chars: list[str]) -> str:
    names = ", ".join(f"{ch} ({unicodedata.name(ch, f'U+{ord(ch):04X}').lower()})" for ch in chars)
    return (
        f"the sheet's fonts cannot draw {names}; they will be missing or blank on the printed "
        "sheet. Type the text without them, or check the preview."
    )
