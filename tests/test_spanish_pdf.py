"""Issue 15 point 8, the Spanish referral looked at page by page: therapist sheet, Spanish
handout and the clinic copy, read back from the PDF (pypdf) as the reviewer read them."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

from referral_app.app import main


def _pages(tmp_path: Path) -> list[str]:
    out = tmp_path / "es.pdf"
    code = main(
        [
            "--data-dir",
            str(tmp_path / "d"),
            "sheet",
            "chronic low-back pain",
            "--center",
            "dana-farber-zakim",
            "--flag",
            "anticoagulant",
            "--no-flags",
            "--patient",
            "María López",
            "--lang",
            "es",
            "--parts",
            "therapist,patient,clinic",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(out).pages]


def test_spanish_referral_every_part_reads_whole(qapp, tmp_path: Path, use_reference_db) -> None:
    """(qapp: the sheet command must not make its own application before the GUI tests.)"""
    pages = _pages(tmp_path)
    text = " ".join(pages)
    # Therapist sheet: the patient's language, from the handout's, and US spelling.
    assert "Preferred language Spanish (handout in Spanish)" in text
    assert "license no." in text and "licence" not in text
    # Handout: sessions said in words, not "sesión(es)".
    assert "1 sesión por semana durante 10 semanas" in text and "(es)" not in text
    # Clinic copy: the Sources heading is on the page of its first source, and that source is
    # read whole on one page (no item split, no heading left alone at the foot of a page).
    # (A heading left at the foot of a page would not be on the page that starts the list.)
    heading = [i for i, p in enumerate(pages) if re.search(r"Sources 1\. AHRQ2018:", p)]
    assert heading, "the Sources heading is parted from its first source"
    assert "doi.org/10.23970/AHRQEPCCER209" in pages[heading[0]]
