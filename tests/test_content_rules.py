"""Content rules the build enforces (issue 12 item 7): each rule rejects a bad record, naming the
file, record and field, and `build-data` exits 2 on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from referral_app.content.errors import ContentError
from referral_app.content.icd import official_checker
from referral_app.content.loader import load_content
from referral_app.content.rules.sources import is_search_url
from referral_app.content.rules.wording import check_handout_strings, recommending_phrase

NECK = "conditions/neck-pain.toml"
KNEE = "conditions/knee-osteoarthritis.toml"  # low, benefit, short-term
HIP = "conditions/hip-osteoarthritis.toml"


def _problems(data_dir: Path, *, strict: bool = False) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_content(data_dir, official_checker(), strict=strict)
    return [str(p) for p in info.value.problems]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _set_field(path: Path, key: str, value: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(f"{key} = "))
    lines[index] = f"{key} = {value}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _set_statement(path: Path, table: str, text: str) -> None:
    """Replace the text of the [table] statement."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"[{table}]")
    index = next(i for i in range(start, len(lines)) if lines[i].startswith("text = "))
    lines[index] = f'text = "{text}"'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _has(problems: list[str], *parts: str) -> bool:
    return any(all(part in p for part in parts) for p in problems)


def test_main_data_passes_the_rules(data_copy: Path) -> None:
    content = load_content(data_copy, official_checker())
    assert len(content.conditions) >= 50


# -- grades -------------------------------------------------------------------------------------
def test_no_specific_effect_direction_needs_the_no_effect_level(data_copy: Path) -> None:
    _set_field(data_copy / KNEE, "direction", '"no_specific_effect"')
    problems = _problems(data_copy)
    assert _has(
        problems, KNEE, "[knee-osteoarthritis] evidence_level", "'low' contradicts direction"
    )


def test_no_effect_level_with_a_benefit_direction(data_copy: Path) -> None:
    _set_field(data_copy / KNEE, "evidence_level", '"no_effect"')
    problems = _problems(data_copy)
    assert _has(
        problems, KNEE, "[knee-osteoarthritis] direction", "'benefit' contradicts evidence_level"
    )


def test_no_effect_level_must_name_the_control(data_copy: Path) -> None:
    _set_field(data_copy / KNEE, "evidence_level", '"no_effect"')
    _set_field(data_copy / KNEE, "direction", '"no_specific_effect"')
    _set_statement(data_copy / KNEE, "grading", "Two small trials disagreed.")
    _set_statement(data_copy / KNEE, "effect", "Results were inconsistent.")
    problems = _problems(data_copy)
    assert _has(problems, KNEE, "[knee-osteoarthritis] grading", "must name the believable control")


def test_unclear_direction_contradicts_a_low_grade(data_copy: Path) -> None:
    _set_field(data_copy / KNEE, "direction", '"unclear"')
    assert _has(_problems(data_copy), KNEE, "direction", "'unclear' contradicts evidence_level")


def test_moderate_grade_needs_a_source_that_said_moderate(data_copy: Path) -> None:
    _set_field(data_copy / KNEE, "evidence_level", '"moderate"')
    _set_statement(data_copy / KNEE, "grading", "Cochrane rated all trials low certainty.")
    assert _has(_problems(data_copy), KNEE, "grading", "'moderate' needs a source")


def test_benefit_direction_contradicts_a_no_difference_from_sham_finding(data_copy: Path) -> None:
    _set_statement(
        data_copy / KNEE,
        "grading",
        "Cochrane 2024: massage probably makes little or no difference compared with sham.",
    )
    problems = _problems(data_copy)
    assert _has(problems, KNEE, "direction", "'little or no difference'")


# -- durability ---------------------------------------------------------------------------------
def test_short_durability_contradicts_days_only_text(data_copy: Path) -> None:
    _set_statement(data_copy / KNEE, "durability", "Days, not weeks: tracked for up to 72 hours.")
    problems = _problems(data_copy)
    assert _has(problems, KNEE, "durability_term", "'short' contradicts the durability text")


def test_long_durability_needs_a_year_in_the_text(data_copy: Path) -> None:
    _set_field(data_copy / KNEE, "durability_term", '"long"')
    _set_statement(data_copy / KNEE, "durability", "Outcomes were measured at 5 weeks.")
    assert _has(_problems(data_copy), KNEE, "durability_term", "does not say a year or more")


def test_unknown_durability_must_say_it_is_not_known(data_copy: Path) -> None:
    _set_field(data_copy / KNEE, "durability_term", '"unknown"')
    _set_statement(data_copy / KNEE, "durability", "Outcomes were measured at 5 weeks.")
    assert _has(_problems(data_copy), KNEE, "durability_term", "'unknown' but")


def test_immediate_durability_contradicts_months(data_copy: Path) -> None:
    _set_field(data_copy / KNEE, "durability_term", '"immediate"')
    _set_statement(data_copy / KNEE, "durability", "The gain lasted several months.")
    assert _has(_problems(data_copy), KNEE, "'immediate' contradicts", "lasted several months")


# -- words the patient and the therapist read ---------------------------------------------------
def test_patient_line_that_recommends_massage_for_an_insufficient_level(data_copy: Path) -> None:
    hip = data_copy / HIP
    _edit(hip, "We do not know if massage helps hip arthritis", "Massage can help your hip")
    problems = _problems(data_copy)
    assert _has(
        problems, HIP, "patient.en.what_to_expect", "recommends massage", "level 'insufficient'"
    )


def test_spanish_patient_line_that_recommends_massage(data_copy: Path) -> None:
    _edit(data_copy / HIP, "No se sabe si el masaje ayuda", "El masaje le ayudará")
    assert _has(_problems(data_copy), HIP, "patient.es.what_to_expect", "le ayudará")


def test_regimen_on_the_sheet_must_not_recommend(data_copy: Path) -> None:
    _set_statement(data_copy / HIP, "regimen", "Weekly massage is recommended for hip pain.")
    assert _has(_problems(data_copy), HIP, "regimen.text", "is recommended'")


def test_negated_or_questioned_phrases_are_not_recommendations() -> None:
    assert recommending_phrase("There is no good proof that massage helps control it.", "en") == ""
    assert recommending_phrase("We do not know if massage helps.", "en") == ""
    assert recommending_phrase("Pero no está comprobado.", "es") == ""
    assert recommending_phrase("Massage helps. It is proven to work.", "en") == "Massage helps"


def test_handout_string_written_for_a_non_recommending_level() -> None:
    line = "Your clinician suggested massage as one option for:"
    strings = {
        "en": {"opening": {"recommend": line, "not_recommended": line}},
        "es": {"opening": {"insufficient": "Es una buena opción para:"}},
    }
    problems = [str(p) for p in check_handout_strings("handout_strings.toml", strings)]
    assert len(problems) == 2, problems
    assert _has(problems, "en.opening.not_recommended", "level 'not_recommended'")
    assert _has(problems, "es.opening.insufficient", "buena opción")


# -- sources ------------------------------------------------------------------------------------
def test_url_on_a_host_that_is_not_official_or_scholarly(data_copy: Path) -> None:
    _edit(
        data_copy / "citations.toml",
        'url = "https://doi.org/10.7326/M16-2367"',
        'url = "https://www.relaxing-spa.example.com/massage-facts"',
    )
    problems = _problems(data_copy)
    assert _has(problems, "citations.toml [Qaseem2017] url", "'relaxing-spa.example.com' is not")


def test_search_url_where_the_work_has_an_identifier(data_copy: Path) -> None:
    _edit(
        data_copy / "citations.toml",
        'url = "https://doi.org/10.7326/M16-2367"',
        'url = "https://pubmed.ncbi.nlm.nih.gov/?term=Noninvasive+Treatments"',
    )
    problems = _problems(data_copy)
    assert _has(
        problems, "[Qaseem2017] url", "is a search page", "https://doi.org/10.7326/M16-2367"
    )


def test_any_search_url_is_refused() -> None:
    assert is_search_url("https://www.google.com/search?q=massage")
    assert is_search_url("https://scholar.google.com/scholar?q=massage")
    assert is_search_url("https://pubmed.ncbi.nlm.nih.gov/?term=massage")
    assert is_search_url("https://www.nice.org.uk/search?q=back+pain")
    assert not is_search_url("https://pubmed.ncbi.nlm.nih.gov/28192789/")
    assert not is_search_url("https://www.nice.org.uk/guidance/ng59")


def test_read_more_link_to_a_search_page(data_copy: Path) -> None:
    _edit(
        data_copy / "guidance.toml",
        "https://medlineplus.gov/massage.html",
        "https://www.bing.com/search?q=massage",
    )
    assert _has(_problems(data_copy), "guidance.toml [read_more.links[1]] url", "search page")


def test_internal_note_is_not_a_source(data_copy: Path) -> None:
    with (data_copy / "citations.toml").open("a", encoding="utf-8") as handle:
        handle.write(
            '\n[TeamNotes2026]\ncitation = "Our team\'s notes, 2026."\n'
            'url = "https://doi.org/10.1000/x"\nstatus = "internal"\n'
            '\n[GuideReview2027]\ncitation = "A later review, 2027."\n'
            'url = "https://doi.org/10.1000/y"\nstatus = "seen"\n'
        )
    _edit(data_copy / NECK, 'sources = ["Ernst2003"]', 'sources = ["Ernst2003", "TeamNotes2026"]')
    problems = _problems(data_copy)
    assert _has(problems, "citations.toml [TeamNotes2026] status", "internal note", "cited 1 times")
    assert _has(problems, "citations.toml [GuideReview2027] status", "internal note")


def test_condition_without_a_recent_source(data_copy: Path) -> None:
    _set_field(data_copy / NECK, "last_reviewed", "2045-01-01")
    problems = _problems(data_copy)
    assert _has(problems, NECK, "[neck-pain] sources", "no source published in 2035 or later")


def test_recent_source_waiver_says_why(data_copy: Path) -> None:
    _set_field(data_copy / NECK, "last_reviewed", "2045-01-01")
    waiver = 'recent_source_waiver = "No trial since 2024; searched PubMed and Cochrane."'
    _edit(
        data_copy / NECK, 'category = "musculoskeletal"', f'category = "musculoskeletal"\n{waiver}'
    )
    content = load_content(data_copy, official_checker())  # no problem: the reason is given
    neck = next(c for c in content.conditions if c.id == "neck-pain")
    assert neck.recent_source_waiver.startswith("No trial since 2024")


def test_year_override_and_parsed_year(data_copy: Path) -> None:
    content = load_content(data_copy, official_checker())
    assert content.citations["Qaseem2017"].year == 2017
    _edit(data_copy / "citations.toml", 'pmid = "28192789"', 'pmid = "28192789"\nyear = "2017"')
    assert _has(_problems(data_copy), "[Qaseem2017] year", "must be a year")


def test_center_source_must_be_official_or_the_centers_own_site(data_copy: Path) -> None:
    import csv as csv_module

    path = data_copy / "centers.csv"
    rows = list(csv_module.DictReader(path.open(encoding="utf-8")))
    row = next(r for r in rows if r["id"].startswith("mayo-"))
    center_id, website = row["id"], row["website"]
    row["source_url"] = "https://www.massage-blog.example.org/review"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv_module.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    problems = _problems(data_copy)
    assert _has(problems, f"centers.csv [{center_id}] source_url", "massage-blog.example.org")
    assert website.startswith("https://")  # the center's own site stays allowed


# -- codes --------------------------------------------------------------------------------------
BLADDER = "conditions/bladder-pain-syndrome.toml"


def test_header_code_is_refused_naming_its_children(data_copy: Path) -> None:
    _edit(data_copy / BLADDER, '"R10.20"]', '"R10.2"]')
    problems = _problems(data_copy)
    line = (
        "conditions/bladder-pain-syndrome.toml [bladder-pain-syndrome] icd10: 'R10.2' is a "
        "header code, not billable: it has codes below it (R10.20, R10.21, R10.22, R10.23, "
        "R10.24); list the one(s) that fit bladder-pain-syndrome"
    )
    assert problems == [line]


def test_category_code_is_refused_and_an_unknown_code_reported_once(data_copy: Path) -> None:
    _edit(data_copy / NECK, '"M54.2"', '"M54"')
    _edit(data_copy / BLADDER, '"R10.20"]', '"R10.29"]')
    problems = _problems(data_copy)
    assert _has(problems, f"{NECK} [neck-pain] icd10: 'M54' is a header code", "M54.0, M54.1")
    bladder = [p for p in problems if BLADDER in p]
    unknown = "'R10.29' is not an ICD-10-CM code"
    assert bladder == [f"{BLADDER} [bladder-pain-syndrome] icd10: {unknown}"]


def test_build_data_refuses_a_header_code_in_one_line_and_exits_2(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from referral_app import paths
    from referral_app.app import main

    _edit(data_copy / BLADDER, '"R10.20"]', '"R10.2"]')
    monkeypatch.setattr(paths, "data_source_dir", lambda: data_copy)
    out = tmp_path / "reference.db"
    assert main(["build-data", "--out", str(out)]) == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if "R10.2'" in line]
    assert len(lines) == 1 and "header code, not billable" in lines[0] and "R10.24" in lines[0]
    assert not out.exists()


# -- the backlog of known problems --------------------------------------------------------------
def test_fixed_backlog_entry_must_be_removed(data_copy: Path) -> None:
    backlog = data_copy / "rules_backlog.toml"
    _edit(
        backlog,
        "known = [\n",
        'known = [\n  "grade | conditions/neck-pain.toml | neck-pain | x",\n',
    )
    assert _has(
        _problems(data_copy), "rules_backlog.toml [grade | conditions/neck-pain.toml", "is fixed"
    )


def test_a_year_override_counts_as_the_publication_year(data_copy: Path) -> None:
    _set_field(data_copy / KNEE, "last_reviewed", "2045-01-01")
    assert _has(_problems(data_copy), KNEE, "sources", "no source published in 2035 or later")
    citations = data_copy / "citations.toml"
    _edit(citations, 'pmid = "28192789"', 'pmid = "28192789"\nyear = 2040')  # Qaseem2017
    _edit(
        data_copy / KNEE,
        "sources = [",
        'sources = ["Qaseem2017", ',
    )
    content = load_content(data_copy, official_checker())
    assert content.citations["Qaseem2017"].year == 2040


def test_build_data_strict_lists_known_problems_and_exits_2(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from referral_app import paths
    from referral_app.app import main

    monkeypatch.setattr(paths, "data_source_dir", lambda: data_copy)
    out = tmp_path / "reference.db"
    known = load_content(data_copy, official_checker()).backlog
    assert main(["build-data", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert (f"note: {len(known)} known content problem(s)" in err) == bool(known)
    if known:
        assert main(["build-data", "--strict", "--out", str(tmp_path / "strict.db")]) == 2
        err = capsys.readouterr().err
        assert str(known[0]) in err and not (tmp_path / "strict.db").exists()
