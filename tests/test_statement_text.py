"""One renderer for a cited statement and one wording for "unconfirmed", in every output."""

from __future__ import annotations

import re
from pathlib import Path

import referral_app
from referral_app.cli.format import format_condition
from referral_app.domain.entities import Citation
from referral_app.printing.statements import UNCONFIRMED, statement_html, statement_text
from referral_app.ui.widgets.condition_card import condition_html
from referral_app.ui.widgets.evidence_scale import scale_html
from tests.test_decision_engine import condition, said

PACKAGE = Path(referral_app.__file__).parent
TEMPLATES = PACKAGE.parent / "resources" / "templates"
SHAKY = said("may ease pain <for a while>", confirmed=False)
UNVERIFIED = Citation("src-1", "Someone 2020", "", "unverified")


def test_plain_text_and_rich_text_say_it_the_same_way() -> None:
    assert statement_text(SHAKY) == "may ease pain <for a while> [src-1] (unconfirmed)"
    assert statement_html(SHAKY) == "may ease pain &lt;for a while&gt; [src-1] <i>(unconfirmed)</i>"
    assert 'href="cite:src-1"' in statement_html(SHAKY, links=True)
    assert UNCONFIRMED not in statement_text(said("certain"))


def test_card_scale_and_command_line_use_the_one_wording() -> None:
    shaky = condition(summary=SHAKY)
    outputs = {  # output: (text, marks expected: the summary and, listed, the unverified source)
        "card": (condition_html(shaky, [UNVERIFIED], None), 2),
        "scale": (scale_html([], [], [SHAKY], "test"), 1),
        "cli": (format_condition(shaky, [UNVERIFIED], {}), 2),
    }
    for name, (text, marks) in outputs.items():
        assert text.count(UNCONFIRMED) == marks, name
        assert "[unconfirmed]" not in text and "(unverified)" not in text, name


def test_no_other_module_or_template_writes_the_mark_itself() -> None:
    mark = re.compile(r"[(\[]un(confirmed|verified)[)\]]")
    own = PACKAGE / "printing" / "statements.py"
    files = [p for p in PACKAGE.rglob("*.py") if p != own] + list(TEMPLATES.glob("*.j2"))
    writers = [p.name for p in files if mark.search(p.read_text(encoding="utf-8"))]
    assert not writers, f"write the mark with referral_app.printing.statements: {writers}"
