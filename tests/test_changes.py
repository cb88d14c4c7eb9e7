"""The change record (data/changes.toml): validated, sealed per version, stored, and shown by
`referral-guide changes` (issue 12 item 8)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from referral_app.app import main
from referral_app.content.errors import ContentError
from referral_app.content.icd import official_checker
from referral_app.content.loader import content_hash, load_content
from referral_app.content.seal import seal_release
from referral_app.db.reference import ReferenceStore
from referral_app.domain.entities import Change
from referral_app.domain.recommend import condition_level
from referral_app.services.changes import GradeChange, grade_change_words
from referral_app.services.reference_data import build_data

NECK = "conditions/neck-pain.toml"
NECK_LEVEL = tomllib.loads((Path(__file__).parent.parent / "data" / NECK).read_text())[
    "evidence_level"
]
OLD_LEVEL = "moderate" if NECK_LEVEL != "moderate" else "low"
GRADE_CHANGE = f"""
[[release.change]]
condition = "neck-pain"
field = "evidence_level"
old = "{OLD_LEVEL}"
new = "{NECK_LEVEL}"
why = "Test: re-graded against the 2024 Cochrane update."
sources = ["Gross2024"]
"""


def _problems(data_dir: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_content(data_dir, official_checker())
    return [str(p) for p in info.value.problems]


def _version(data_dir: Path) -> str:
    return tomllib.loads((data_dir / "meta.toml").read_text())["data_version"]


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_sealing_records_the_hash_without_changing_it(data_copy: Path) -> None:
    version, before = _version(data_copy), content_hash(data_copy)
    grades = 'grades = [\n  "neck-pain no_effect no_specific_effect short",\n]\n'
    assert seal_release(data_copy, version, before, grades) is True
    text = (data_copy / "changes.toml").read_text()
    assert f'version = "{version}"\ncontent_hash = "{before}"\n{grades}' in text
    assert content_hash(data_copy) == before
    assert seal_release(data_copy, version, before, grades) is False  # already recorded
    releases = tomllib.loads((data_copy / "changes.toml").read_text())["release"]
    assert [r.get("content_hash") for r in releases if r["version"] == version] == [before]


def test_changed_content_under_a_released_version_is_refused(data_copy: Path) -> None:
    version = _version(data_copy)
    seal_release(data_copy, version, content_hash(data_copy))
    load_content(data_copy, official_checker())  # sealed and unchanged: fine
    _edit(data_copy / NECK, 'plain_name = "Neck pain"', 'plain_name = "Sore neck"')
    problems = _problems(data_copy)
    assert any(
        f"content changed but data version {version} was already released" in p
        and "bump data_version in data/meta.toml" in p
        for p in problems
    ), problems


def test_a_new_version_with_its_release_builds_again(data_copy: Path) -> None:
    version = _version(data_copy)
    seal_release(data_copy, version, content_hash(data_copy))
    _edit(data_copy / NECK, 'plain_name = "Neck pain"', 'plain_name = "Sore neck"')
    (data_copy / "meta.toml").write_text('data_version = "2099.1.1"\n')
    assert any("2099.1.1 (meta.toml) has no [[release]]" in p for p in _problems(data_copy))
    _append(
        data_copy / "changes.toml",
        '\n[[release]]\nversion = "2099.1.1"\ndate = 2099-01-01\nsummary = "Test release."\n',
    )
    assert load_content(data_copy, official_checker()).data_version == "2099.1.1"


def test_build_data_seal_command(data_copy: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    from referral_app import paths

    monkeypatch.setattr(paths, "data_source_dir", lambda: data_copy)
    out = tmp_path / "reference.db"
    assert main(["build-data", "--seal", "--out", str(out)]) == 0
    digest = content_hash(data_copy)
    assert f"sealed data version {_version(data_copy)}: {digest}" in capsys.readouterr().out
    store = ReferenceStore.open(out)
    current = [r for r in store.releases() if r.version == _version(data_copy)]
    assert current[0].content_hash == digest


def test_release_newer_than_the_data_version(data_copy: Path) -> None:
    _append(
        data_copy / "changes.toml",
        '\n[[release]]\nversion = "2099.1.1"\ndate = 2099-01-01\nsummary = "Test release."\n',
    )
    assert any("[2099.1.1] version: is newer than data_version" in p for p in _problems(data_copy))


def test_change_naming_an_unknown_condition_or_off_scale_value(data_copy: Path) -> None:
    bad = GRADE_CHANGE.replace('"neck-pain"', '"no-such-condition"')
    bad += GRADE_CHANGE.replace(f'new = "{NECK_LEVEL}"', 'new = "strong"')
    _append(data_copy / "changes.toml", bad)
    problems = _problems(data_copy)
    assert any("change[" in p and "unknown condition 'no-such-condition'" in p for p in problems)
    assert any("new: 'strong' is not one of" in p for p in problems), problems


def test_change_must_name_exactly_one_record_and_a_source(data_copy: Path) -> None:
    bad = GRADE_CHANGE.replace('condition = "neck-pain"', 'condition = "neck-pain"\nflag = "dvt"')
    bad += GRADE_CHANGE.replace('sources = ["Gross2024"]', "sources = []")
    _append(data_copy / "changes.toml", bad)
    problems = _problems(data_copy)
    assert any("name exactly one of: condition, flag, citation, claim" in p for p in problems)
    assert any("sources: is missing" in p for p in problems), problems


def test_grade_change_must_match_the_condition_file(data_copy: Path) -> None:
    wrong = "very_low" if NECK_LEVEL != "very_low" else "low"
    _append(
        data_copy / "changes.toml",
        GRADE_CHANGE.replace(f'new = "{NECK_LEVEL}"', f'new = "{wrong}"'),
    )
    problems = _problems(data_copy)
    assert any(
        f"says neck-pain evidence_level is now '{wrong}', but the condition file says "
        f"'{NECK_LEVEL}'" in p
        for p in problems
    ), problems


def build_with_grade_change(data_copy: Path, out: Path) -> Path:
    """data/ with a recorded grade change for neck pain in the current version, built."""
    _append(data_copy / "changes.toml", GRADE_CHANGE)
    return build_data(out, data_copy)


@pytest.fixture()
def changed_db(data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from referral_app import paths

    out = build_with_grade_change(data_copy, tmp_path / "changed.db")
    monkeypatch.setenv(paths.REFERENCE_DB_ENV, str(out))
    return out


def test_changes_since_lists_grade_moves_with_sources(changed_db: Path, capsys) -> None:
    assert main(["changes", "--since", "2026.11.1"]) == 0
    out = capsys.readouterr().out
    assert f"condition neck-pain: evidence level {OLD_LEVEL} → {NECK_LEVEL}" in out
    assert "why: Test: re-graded against the 2024 Cochrane update." in out
    assert "sources: Gross2024" in out
    assert main(["changes", "--since", "2099.1.1"]) == 0
    assert "No changes recorded newer than 2099.1.1." in capsys.readouterr().out


def test_changes_json(changed_db: Path, capsys) -> None:
    assert main(["changes", "--since", "2026.11.1", "--json"]) == 0
    value = json.loads(capsys.readouterr().out)
    changes = [c for r in value["releases"] for c in r["changes"]]
    assert {
        "condition": "neck-pain",
        "kind": "condition",
        "target": "neck-pain",
        "field": "evidence_level",
        "old": OLD_LEVEL,
        "new": NECK_LEVEL,
        "why": "Test: re-graded against the 2024 Cochrane update.",
        "sources": ["Gross2024"],
    } in changes
    assert all(r["version"] > "2026.11.1" for r in value["releases"])


def test_changes_with_a_bad_version_is_one_line_exit_2(changed_db: Path, capsys) -> None:
    assert main(["changes", "--since", "latest"]) == 2
    err = capsys.readouterr().err
    assert "'latest' is not a data version like 2026.11.1" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def _compare_with_the_first_release(data: Path) -> None:
    """Keep only 2026.11.1's grade list, so the build compares today's grades with that release
    whatever later versions were sealed since (grade lists are outside the content hash)."""
    from referral_app.content.released_grades import SNAPSHOT_BLOCK

    path = data / "changes.toml"
    text = path.read_text(encoding="utf-8")
    first = SNAPSHOT_BLOCK.search(text)
    assert first is not None
    rest = SNAPSHOT_BLOCK.sub("", text[first.end() :])
    path.write_text(text[: first.end()] + rest, encoding="utf-8")


def test_grade_that_moved_without_a_change_record(data_copy: Path) -> None:
    _compare_with_the_first_release(data_copy)
    knee = data_copy / "conditions" / "knee-osteoarthritis.toml"
    _edit(knee, 'durability_term = "short"', 'durability_term = "immediate"')
    problems = _problems(data_copy)
    assert any(
        "[knee-osteoarthritis] durability_term: moved from 'short' to 'immediate' since data "
        "version 2026.11.1, but changes.toml records no change for it" in p
        for p in problems
    ), problems


def test_condition_added_or_removed_without_a_change_record(data_copy: Path) -> None:
    _compare_with_the_first_release(data_copy)
    _edit(
        data_copy / "changes.toml",
        'condition = "sciatica"\nfield = "added"',
        'condition = "sciatica"\nfield = "synonyms"',
    )
    (data_copy / "conditions" / "migraine.toml").unlink()
    problems = _problems(data_copy)
    assert any(
        "[sciatica] id: is a new condition since data version 2026.11.1" in p for p in problems
    ), problems
    assert any("[migraine] id: was removed since data version 2026.11.1" in p for p in problems)


def test_main_data_records_every_grade_that_moved_since_the_first_release(data_copy) -> None:
    """2026.11.1's grade list is in changes.toml; the build checks every move against it."""
    releases = tomllib.loads((data_copy / "changes.toml").read_text())["release"]
    first = next(r for r in releases if r["version"] == "2026.11.1")
    assert len(first["grades"]) == 48
    load_content(data_copy, official_checker())  # no unrecorded move


def test_the_shipped_content_is_sealed_under_its_version() -> None:
    """What ships is a released version: its hash is recorded, so any later edit needs a new
    data_version and a change record (the build refuses otherwise)."""
    data = Path(__file__).parent.parent / "data"
    version = tomllib.loads((data / "meta.toml").read_text())["data_version"]
    releases = tomllib.loads((data / "changes.toml").read_text())["release"]
    mine = [r for r in releases if r["version"] == version]
    assert mine, f"data_version {version} has no [[release]] in data/changes.toml"
    assert mine[0].get("content_hash") == content_hash(data), (
        "data/ changed since its version was sealed: bump data_version, record the changes, "
        "then run: referral-guide build-data --seal"
    )


def test_card_words_say_the_result_now_and_before(store: ReferenceStore) -> None:
    """Guideline advice that appears or goes reads as the result the card shows, now and before;
    the record's note on how the software behaved is not shown."""
    pressure = store.get_condition("pressure-injury-risk-skin")
    why = "'Evidence insufficient' understated this advice and let a sheet print."
    added = Change("condition", pressure.id, "advice", "", "avoid", why, ("NICE-CG179",))
    words = grade_change_words(store, pressure, GradeChange("2026.11.3", (added,)))
    assert words == (
        "Updated in content 2026.11.3: now 'Not advised: guidelines advise against' "
        "(was 'Evidence insufficient'). [NICE-CG179]"
    )
    neck = store.get_condition("neck-pain")
    dropped = Change("condition", neck.id, "advice", "avoid", "", why, ("Gross2024",))
    words = grade_change_words(store, neck, GradeChange("2026.11.9", (dropped,)))
    level = next(v.label for v in store.recommendation_levels() if v.id == condition_level(neck))
    assert words.startswith(f"Updated in content 2026.11.9: now '{level}' (was 'Not advised: ")
    assert "understated" not in words and "→" not in words


def test_a_cards_changes_are_those_of_the_whole_record(store: ReferenceStore) -> None:
    """Opening a condition reads only its own changes in one release: they must be exactly the
    whole record's (same order, same sources)."""
    seen = 0
    for release in store.releases():
        for target in {c.target for c in release.changes}:
            expected = [c for c in release.changes if c.target == target]
            assert store.changes_to(release.version, target) == expected
            seen += len(expected)
    assert seen > 100 and any(c.sources for r in store.releases() for c in r.changes)
    assert store.changes_to("1999.1.1", "neck-pain") == []
    assert store.changes_to(store.releases()[-1].version, "no-such-condition") == []
