"""Where sheets break pages, read back from the PDF: headings stay with what they head, the
signature block stays whole, no page holds only the small print; session counts read as words."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.recommend import Screen
from referral_app.domain.referral import Patient
from referral_app.printing.output import export_pdf
from referral_app.printing.sheet import handout_strings
from referral_app.services.referrals import build_referral, footer

# The body of a Letter page in PDF points (from the bottom): below the 14 mm top margin, above
# the 14 mm bottom margin and the 8 mm footer. Lines outside it are clipped leftovers of a
# neighbouring page that a PDF still carries (and pypdf still reads).
BODY_TOP, BODY_BOTTOM = 792 - 14 / 25.4 * 72 + 1, (14 + 8) / 25.4 * 72 - 3

SHEETS = {  # name: (condition, lang, flags present, clinician's reason)
    "neck-en": ("neck-pain", "en", (), ""),
    "neck-es": ("neck-pain", "es", (), ""),
    "clbp-es": ("chronic-low-back-pain", "es", (), ""),
    "pressure-en": ("pressure-injury-risk-skin", "en", (), "massage of the shoulders for stress"),
    "dvt-en": ("neck-pain", "en", ("dvt",), "cleared by vascular surgery"),
}


def _lines(page) -> list[str]:
    """The page's visible lines, top to bottom (the footer left out)."""
    found: list[tuple[float, str]] = []

    def visit(text, cm, tm, _font, _size) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and BODY_BOTTOM < y < BODY_TOP:
            found.append((y, " ".join(text.split())))

    page.extract_text(visitor_text=visit)
    return [text for _y, text in found]


def _sheet(store: ReferenceStore, tmp_path: Path, name: str) -> list[list[str]]:
    condition, lang, flags, reason = SHEETS[name]
    user = UserStore.open(tmp_path / "user.db")
    built = build_referral(
        store,
        user,
        store.get_condition(condition),
        store.get_center("bmc-integrative"),
        Screen.with_present(store.flags(), list(flags)),
        Patient("", ""),
        lang,
        override_defer=reason,
    )
    out = tmp_path / f"{name}.pdf"
    export_pdf(out, built.html, built.css, footer(store))
    return [_lines(page) for page in PdfReader(out).pages]


@pytest.mark.usefixtures("qapp")
@pytest.mark.parametrize("name", list(SHEETS))
def test_page_breaks_keep_headings_signature_and_small_print_with_content(
    store: ReferenceStore, tmp_path: Path, name: str
) -> None:
    pages = _sheet(store, tmp_path, name)
    lang = SHEETS[name][1]
    small_print = handout_strings()[lang]["small_print"][:30]
    for number, lines in enumerate(pages, start=1):
        text = " ".join(lines)
        assert lines, f"page {number} is blank"
        own = [line for line in lines if not small_print.startswith(line[:30])]
        assert small_print not in text or len(own) > 2, f"page {number} holds only the small print"
    on = {
        head: [i for i, lines in enumerate(pages) if head in lines]
        for head in ("References", "Referring clinician")
    }
    assert len(on["References"]) == 1 and len(on["Referring clinician"]) == 1, on
    refs = pages[on["References"][0]]
    assert refs.index("References") < len(refs) - 2  # the first reference follows on the page
    assert refs[refs.index("References") + 1].startswith("1.")
    signed = pages[on["Referring clinician"][0]]
    assert any(line.startswith("Signature: ____") for line in signed)
    assert signed.index("Referring clinician") > 0  # kept with the precaution before it
    s = handout_strings()[lang]
    headings = {
        s[k]
        for k in ("expect", "sessions_heading", "visit", "tell", "where", "find", "cost", "more")
    } | {"References", "Referring clinician"}
    assert not [lines[-1] for lines in pages if lines[-1] in headings]  # no heading ends a page


@pytest.mark.usefixtures("qapp")
def test_handout_counts_sessions_in_words_and_hides_an_empty_tell_list(
    store: ReferenceStore, tmp_path: Path
) -> None:
    english = " ".join(" ".join(page) for page in _sheet(store, tmp_path, "neck-en"))
    spanish = " ".join(" ".join(page) for page in _sheet(store, tmp_path, "clbp-es"))
    assert "about 2–3 sessions a week for 4 weeks" in english
    assert "alrededor de 1 sesión por semana" in spanish
    assert "(s)" not in english and "(es)" not in spanish
    # nothing to tell the therapist after a screen that found nothing: no empty heading
    assert "Tell your therapist" not in english
    assert "Avísele a su terapeuta" not in spanish
