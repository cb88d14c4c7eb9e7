"""Directory review 3's regression cases (recommendation 1) and its finding 8 on city positions:
the on-site program is first in its own ZIP code, and a point placed at a city's mean says that it
is not the site."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from referral_app.app import main

pytestmark = pytest.mark.usefixtures("use_reference_db")


def _first(capsys, postal: str, condition: str) -> dict:
    assert main(["centers", "--near", postal, "--condition", condition, "--json"]) == 0
    return json.loads(capsys.readouterr().out)[0]


@pytest.mark.parametrize(
    ("postal", "center_id"),
    [
        ("10016", "nyu-perlmutter-integrative"),
        ("06510", "yale-smilow-integrative"),
        ("84112", "huntsman-wellness-integrative"),
        ("77030", "mdanderson-integrative"),
    ],
)
def test_the_own_patients_program_on_site_comes_first(capsys, postal: str, center_id: str) -> None:
    first = _first(capsys, postal, "cancer-related-pain")
    assert first["id"] == center_id and first["within_reach"] is True
    assert first["band"] == "within reach, offers what is needed"
    assert "patients only" in first["who_may_book"]


def test_a_city_mean_position_says_it_is_not_the_site(capsys) -> None:
    first = _first(capsys, "77030", "cancer-related-pain")
    distance = next(w for w in first["why"] if " away (" in w)
    assert "(to the middle of Houston; exact site unknown)" in distance
    assert "city center" not in distance


def test_the_picker_note_reads_as_words_not_entities(qtbot, store) -> None:
    from PySide6.QtGui import QTextDocument

    from referral_app.services.destinations import locate
    from referral_app.services.routes import outlook
    from referral_app.ui.dialogs.center_picker_dialog import CenterPickerDialog

    condition = store.get_condition("cancer-related-pain")
    dialog = CenterPickerDialog(
        lambda postal: outlook(store, [], condition, [], locate(postal, store)), "77030"
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.message.textFormat() == Qt.TextFormat.RichText
    shown = QTextDocument()
    shown.setHtml(dialog.message.text())
    assert "the clinic's preferred" in shown.toPlainText() and "&#x27;" not in shown.toPlainText()
