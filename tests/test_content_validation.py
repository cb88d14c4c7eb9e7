"""data/ validation: each rejection names the file, record and field, and says why."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from referral_app.content.errors import ContentError
from referral_app.content.icd import official_checker
from referral_app.content.loader import load_content

NECK = "conditions/neck-pain.toml"


def _problems(data_dir: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_content(data_dir, official_checker())
    return [str(p) for p in info.value.problems]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_real_data_validates(data_copy: Path) -> None:
    content = load_content(data_copy, official_checker())
    assert len(content.conditions) >= 10
    assert content.data_version
    assert re.fullmatch(r"[0-9a-f]{64}", content.content_hash)


def test_unknown_citation_key(data_copy: Path) -> None:
    _edit(data_copy / NECK, '"Gross2024", "Sherman2014"', '"Gross2024", "NoSuch1999"')
    problems = _problems(data_copy)
    assert any(
        NECK in p and "summary.sources" in p and "unknown citation key 'NoSuch1999'" in p
        for p in problems
    ), problems


def test_missing_citation(data_copy: Path) -> None:
    _edit(data_copy / NECK, 'sources = ["Ernst2003"]', "sources = []")
    problems = _problems(data_copy)
    assert any(NECK in p and "sources" in p and "at least one citation" in p for p in problems)


def test_icd_code_that_does_not_exist(data_copy: Path) -> None:
    _edit(data_copy / NECK, '"M54.2"', '"M54.99"')
    problems = _problems(data_copy)
    assert any(
        NECK in p and "icd10" in p and "'M54.99' is not an ICD-10-CM code" in p for p in problems
    )


def test_evidence_level_outside_scale(data_copy: Path) -> None:
    _edit(data_copy / NECK, 'evidence_level = "no_effect"', 'evidence_level = "strong"')
    problems = _problems(data_copy)
    assert any(
        NECK in p and "evidence_level" in p and "'strong' is not one of" in p for p in problems
    )


def test_missing_last_reviewed(data_copy: Path) -> None:
    _edit(data_copy / NECK, "last_reviewed = 2026-11-30\n", "")
    problems = _problems(data_copy)
    assert any(NECK in p and "last_reviewed" in p and "missing" in p for p in problems)


def test_duplicate_id(data_copy: Path) -> None:
    source = (data_copy / NECK).read_text(encoding="utf-8")
    (data_copy / "conditions" / "neck-pain-copy.toml").write_text(source, encoding="utf-8")
    problems = _problems(data_copy)
    assert any("neck-pain-copy.toml" in p and "must equal the file name" in p for p in problems)
    assert any("duplicate id" in p for p in problems)


def test_synonym_clash(data_copy: Path) -> None:
    _edit(data_copy / NECK, '"cervicalgia",', '"cervicalgia",\n  "lumbago",')
    problems = _problems(data_copy)
    assert any(NECK in p and "synonyms" in p and "'lumbago' clashes" in p for p in problems)


def test_all_problems_reported_at_once(data_copy: Path) -> None:
    _edit(data_copy / NECK, 'evidence_level = "no_effect"', 'evidence_level = "strong"')
    _edit(data_copy / NECK, '"M54.2"', '"M54.99"')
    assert len(_problems(data_copy)) >= 2


def test_broken_toml_is_reported_not_raised(data_copy: Path) -> None:
    (data_copy / "conditions" / "broken.toml").write_text("id = [unclosed", encoding="utf-8")
    problems = _problems(data_copy)
    assert any("broken.toml" in p and "not valid TOML" in p for p in problems)
