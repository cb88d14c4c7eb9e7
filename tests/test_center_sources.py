"""Every per-field source of a bundled center (address_source, phone_source, ...) goes through the
same host rule as `source_url` and is a page a person can open (directory review 3, finding 9)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from referral_app import paths
from referral_app.app import main
from referral_app.content.errors import ContentError
from referral_app.content.icd import official_checker
from referral_app.content.loader import load_content

ROW = {
    "id": "test-center",
    "name": "Test Integrative Center",
    "city": "Boston",
    "region": "MA",
    "country": "US",
    "phone": "617-555-0100",
    "website": "https://www.testhospital.org/integrative",
    "services": "therapeutic_massage",
    "populations": "adults",
    "source_url": "https://www.testhospital.org/integrative",
    "last_verified": "2026-12-07",
    "status": "active",
    "address_source": "no source",
    "phone_source": "https://www.testhospital.org/integrative/contact",
    "phone_date": "2026",
    "website_source": "https://www.testhospital.org/integrative",
    "website_date": "undated",
    "services_source": "https://pubmed.ncbi.nlm.nih.gov/12345678/",
    "services_date": "2020",
    "status_source": "https://www.testhospital.org/integrative",
    "status_date": "2026",
    "location_basis": "city",
}


def _tiny_data(data_copy: Path, **changes: str) -> Path:
    """The copied data folder with a one-row directory (and no known problems of other rows)."""
    path = data_copy / "centers.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        columns = list(csv.DictReader(handle).fieldnames or [])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerow(dict.fromkeys(columns, "") | ROW | changes)
    backlog = data_copy / "rules_backlog.toml"  # known problems of the other rows no longer apply
    lines = backlog.read_text(encoding="utf-8").splitlines(keepends=True)
    backlog.write_text("".join(x for x in lines if "centers.csv" not in x), encoding="utf-8")
    # the directory's own change records go (they name rows no longer here); later releases stay
    text = (data_copy / "changes.toml").read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=\[\[)", text)
    kept = [b for b in blocks if not b.startswith("[[release.change]]\ncenter = ")]
    (data_copy / "changes.toml").write_text("\n".join(kept), encoding="utf-8")
    return data_copy


def _problems(data_dir: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_content(data_dir, official_checker())
    return [str(p) for p in info.value.problems]


def test_a_tiny_directory_with_official_and_own_site_sources_builds(data_copy: Path) -> None:
    content = load_content(_tiny_data(data_copy), official_checker())
    assert [c.id for c in content.centers] == ["test-center"]


@pytest.mark.parametrize(
    ("field", "source", "words"),
    [
        (
            "phone_source",
            "https://studylib.net/doc/5748559/slides",
            "'studylib.net' is not an official",
        ),
        (
            "services_source",
            "https://www.skincancerchampions.org/post/x",
            "'skincancerchampions.org'",
        ),
        ("status_source", "http://www.lcxart.com/press-releases/2025/05/x", "'lcxart.com'"),
        (
            "address_source",
            "public data: public GitHub list (GitHub file 62441029991)",
            "not a page a person can open",
        ),
        ("website_source", "https://www.testhospital.org/search?q=massage", "is a search page"),
    ],
)
def test_a_field_source_outside_the_allow_list_is_refused(
    data_copy: Path, field: str, source: str, words: str
) -> None:
    problems = _problems(_tiny_data(data_copy, address_date="undated", **{field: source}))
    assert any(f"centers.csv [test-center] {field}:" in p and words in p for p in problems), (
        problems
    )


def test_build_data_refuses_it_with_one_plain_line_and_exit_2(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    data = _tiny_data(data_copy, services_source="https://docslib.org/doc/2145358/x")
    monkeypatch.setattr(paths, "data_source_dir", lambda: data)
    out = tmp_path / "reference.db"
    assert main(["build-data", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    line = next(x for x in err.splitlines() if "services_source" in x)
    assert "centers.csv [test-center] services_source: 'docslib.org' is not an official" in line
    assert "Traceback" not in err and not out.exists()


def test_a_center_change_record_cites_pages_on_allowed_hosts(data_copy: Path) -> None:
    data = _tiny_data(data_copy)
    record = (
        '\n[[release.change]]\ncenter = "test-center"\nfield = "status"\nold = "unknown"\n'
        'new = "active"\nwhy = "Its own page lists massage."\nsources = ["{url}"]\n'
    )
    path = data / "changes.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + record.format(url="https://www.testhospital.org/x"), encoding="utf-8")
    load_content(data, official_checker())
    path.write_text(text + record.format(url="https://studylib.net/doc/1"), encoding="utf-8")
    assert any("changes.toml" in p and "'studylib.net'" in p for p in _problems(data))
    path.write_text(text + record.format(url="GitHub file 62441029991"), encoding="utf-8")
    assert any("is not a URL a person can open" in p for p in _problems(data))
    path.write_text(
        text
        + record.format(url="https://www.testhospital.org/x").replace(
            '"test-center"', '"no-such-center"'
        ),
        encoding="utf-8",
    )
    assert any("unknown center 'no-such-center'" in p for p in _problems(data))
