"""The font sheets are printed in: the bundled family, registered once, and the sheet's font per
size (made once: every page's footer asks again)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

SHEET_FAMILY = "Referral Sheet Sans"  # resources/fonts: made by packaging/make_sheet_font.py
_sheet_family: list[str] = []  # the family in use once looked up (empty string: system font)


def sheet_family() -> str:
    """The bundled sheet font, registered on first use; "" when it cannot be (the system's general
    font is used then). Its two small faces keep a bold heading from costing a second full-size
    font read in every PDF (benchmarks/sheet_render.py)."""
    if not _sheet_family:
        from referral_app import paths

        found = ""
        for face in ("ReferralSheetSans.ttf", "ReferralSheetSans-Bold.ttf"):
            font_id = QFontDatabase.addApplicationFont(str(paths.resource("fonts", face)))
            if font_id >= 0 and SHEET_FAMILY in QFontDatabase.applicationFontFamilies(font_id):
                found = SHEET_FAMILY
        _sheet_family.append(found)
    return _sheet_family[0]


_FONTS: dict[float, QFont] = {}  # made once per size: every page's footer asks again


def document_font(point_size: float = 10.0) -> QFont:
    """The sheet font (else the system's general font) with ligatures off, so PDF text extracts
    as typed. A copy: the caller may change it."""
    font = _FONTS.get(point_size)
    if font is None:
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
        if sheet_family():
            font.setFamilies([sheet_family()])
        font.setPointSizeF(point_size)
        font.setFeature(QFont.Tag("liga"), 0)
        font.setFeature(QFont.Tag("clig"), 0)
        _FONTS[point_size] = font
    return QFont(font)
