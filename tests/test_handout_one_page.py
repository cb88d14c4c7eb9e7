"""Issue 26 (newcomer review 3, point 23): with the practice named (Settings asks for it before the
first referral) the chronic low-back-pain handout, English and Spanish, is one page again (its
"Where to read more" spilled onto a second sheet of paper), read back from the PDF with every
section still there; a part is never shrunk by more than a tenth."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.recommend import Screen
from referral_app.domain.referral import Patient, Practice
from referral_app.printing import output
from referral_app.printing.sheet import handout_strings
from referral_app.services.referrals import build_referral, footer

PRACTICE = Practice(
    "Fenway Family Health",
    "1340 Boylston St, Boston, MA 02215",
    "617-555-0100",
    "Dr. Riya Shah",
    "MD",
    "1245319599",
    fax="617-555-0101",
)


@pytest.mark.usefixtures("qapp")
@pytest.mark.parametrize("lang", ["en", "es"])
def test_handout_with_the_practice_named_is_one_page(
    store: ReferenceStore, tmp_path: Path, monkeypatch, lang: str
) -> None:
    user = UserStore.open(tmp_path / "user.db")
    user.set_practice(PRACTICE)
    built = build_referral(
        store,
        user,
        store.get_condition("chronic-low-back-pain"),
        store.get_center("dana-farber-zakim"),
        Screen.none_found(store.flags()),
        Patient("Ann Lee"),
        lang,
        parts=("patient",),
    )
    shrunk: list[float] = []
    documents = output._documents

    def watched(*args, **kwargs):
        laid_out = documents(*args, **kwargs)
        shrunk.extend(factor for _doc, factor in laid_out)
        return laid_out

    monkeypatch.setattr(output, "_documents", watched)
    out = tmp_path / f"handout-{lang}.pdf"
    assert output.export_pdf(out, built.html, built.css, footer(store)) == 1
    [page] = PdfReader(out).pages
    text = re.sub(r"\s+", " ", page.extract_text())
    s = handout_strings()[lang]
    for key in ("expect", "visit", "stop", "where", "find", "cost", "more"):
        assert s[key] in text, key
    assert "Fenway Family Health" in text and "617-555-0100" in text
    assert s["small_print"][:40] in text
    assert shrunk and all(1.0 <= factor <= 1.1 for factor in shrunk)
