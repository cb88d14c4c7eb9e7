"""Issue 23: who gives the massage, implied answers and warning signs, read back from the PDF
(command line ``sheet``), and the ``recommend``/``show`` output that carries them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from referral_app.app import main

pytestmark = pytest.mark.usefixtures("use_reference_db", "qapp")  # a QApplication first


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _pages(path: Path) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(path).pages]


def _sheet(capsys, tmp_path: Path, condition: str, *extra: str) -> list[str]:
    out = tmp_path / f"{condition}.pdf"
    code, _out, err = _run(capsys, "sheet", condition, "--out", str(out), *extra)
    assert code == 0, err
    return _pages(out)


def test_perineal_massage_is_self_care_with_pregnancy_signs_and_no_center(capsys, tmp_path) -> None:
    pages = _sheet(
        capsys,
        tmp_path,
        "perineal-massage-antenatal",
        "--no-flags",
        "--parts",
        "therapist,patient,clinic",
    )
    text = " ".join(pages)
    handout = pages[0]
    assert handout.startswith("Your self-care instructions")
    assert "not a referral to a massage therapist" in handout
    for heading in ("How to do it", "How often", "For how long", "When not to do it"):
        assert heading in handout, heading
    assert "thrush or herpes" in handout and "placenta previa" in handout
    # Pregnancy is implied: its warning signs are in the box, the adult list about a session not.
    assert "Your baby moves less than usual" in handout and "fluid leaking" in handout
    assert "severe muscle pain after a session" not in text
    # No therapist, no center, nothing answered "no" about pregnancy.
    for absent in (
        "Service requested",
        "For the massage therapist",
        "Reply slip",
        "Where you are referred",
        "Finding a licensed massage therapist",
    ):
        assert absent not in text, absent
    assert "massage therapist" not in handout.replace("referral to a massage therapist", "")
    clinic = text[text.index("clinic copy") :]
    assert "Implied by the condition (applied as yes): Pregnancy" in clinic
    assert "No center" in clinic
    no_line = clinic[clinic.index("No:") : clinic.index("Sources")]
    assert "Pregnancy;" not in no_line and not no_line.rstrip().endswith("Pregnancy")
    # The pregnancy precautions reach the clinic copy, which stands in for the therapist sheet.
    assert "Precautions" in clinic and "side-lying" in clinic


def test_self_care_refuses_a_center_in_one_line(capsys, tmp_path) -> None:
    out = tmp_path / "x.pdf"
    code, _out, err = _run(
        capsys,
        "sheet",
        "perineal-massage-antenatal",
        "--center",
        "dana-farber-zakim",
        "--no-flags",
        "--out",
        str(out),
    )
    assert code == 2 and not out.exists()
    assert len(err.strip().splitlines()) == 1 and "takes no --center" in err
    code, _out, err = _run(
        capsys,
        "sheet",
        "perineal-massage-antenatal",
        "--parts",
        "therapist",
        "--no-flags",
        "--out",
        str(out),
    )
    assert code == 2 and "no therapist sheet" in err and not out.exists()
    code, _out, err = _run(capsys, "sheet", "neck-pain", "--no-flags", "--out", str(out))
    assert code == 2 and "give --center" in err


def test_infant_colic_prints_a_parents_sheet(capsys, tmp_path) -> None:
    for lang, title, absent in (
        ("en", "Massage for your baby: a sheet for parents", "sessions a week"),
        ("es", "Masaje para su bebé: hoja para los padres", "sesiones por semana"),
    ):
        pages = _sheet(capsys, tmp_path, "infant-colic", "--no-flags", "--lang", lang)
        handout = pages[0]
        assert handout.startswith(title), handout[:80]
        assert absent not in handout and "las personas" not in handout
        assert ("twice a day" if lang == "en" else "dos veces al día") in handout
        # Newborn signs replace the adult list (calf swelling, dark urine after a session).
        assert ("Call 911" if lang == "en" else "Llame al 911") in handout
        assert ("calf" if lang == "en" else "pantorrilla") not in handout


def test_newborn_jaundice_has_warning_signs_for_parents_and_a_ward_order(capsys, tmp_path) -> None:
    pages = _sheet(
        capsys, tmp_path, "neonatal-jaundice", "--no-flags", "--parts", "therapist,patient,clinic"
    )
    text = " ".join(pages)
    assert text.startswith("Referring practice") or "Order note for the ward" in pages[0]
    assert "Order note for the ward" in pages[0] and "Reply slip" not in text
    assert "Service requested" not in text and "Referred to" not in text
    assert "Implied by the condition (applied as yes): Cannot consent" in text
    handout = next(p for p in pages if "a sheet for parents" in p)
    assert "spreads from the face to your baby's belly, arms or legs" in handout
    assert "first 24 hours after birth" in handout and "chalky stools" in handout
    assert "Give it a fair try" not in handout and "calf" not in handout
    es = " ".join(_sheet(capsys, tmp_path, "neonatal-jaundice", "--no-flags", "--lang", "es"))
    assert "fototerapia" in es and "las primeras 24 horas" in es


def test_neck_pain_in_pregnancy_has_pregnancy_warning_signs(capsys, tmp_path) -> None:
    pages = _sheet(
        capsys,
        tmp_path,
        "neck-pain",
        "--center",
        "dana-farber-zakim",
        "--flag",
        "pregnancy",
        "--parts",
        "patient",
    )
    text = " ".join(pages)
    box = text[text.index("Warning signs: stop and get help") :]
    assert "Bleeding from the vagina, or fluid leaking" in box
    assert "changes in your vision" in box and "Your baby moves less than usual" in box
    assert "One leg becomes swollen" in box  # the general list stays for a therapist's session
    es = " ".join(
        _sheet(
            capsys,
            tmp_path,
            "neck-pain",
            "--center",
            "dana-farber-zakim",
            "--flag",
            "pregnancy",
            "--parts",
            "patient",
            "--lang",
            "es",
        )
    )
    assert "Su bebé se mueve menos que de costumbre" in es


def test_recommend_and_show_json_carry_the_delivery(capsys) -> None:
    code, out, _err = _run(
        capsys, "recommend", "perineal-massage-antenatal", "--no-flags", "--json"
    )
    data = json.loads(out)
    assert code == 0 and data["delivery"] == "self_or_parent"
    assert data["implied_flags"][0]["flag"] == "pregnancy"
    assert "pregnancy" in data["flags_present"] and data["level"] == "consider"
    code, out, _err = _run(capsys, "recommend", "neck-pain", "--json")
    assert json.loads(out)["delivery"] == "therapist"
    code, out, _err = _run(capsys, "show", "neonatal-jaundice", "--json")
    data = json.loads(out)
    assert data["delivery"] == "hospital_staff" and data["care"]["text"]["es"]["how"]
    code, out, _err = _run(capsys, "recommend", "perineal-massage-antenatal", "--no-flags")
    assert "Implied:    Pregnancy (implied by the condition)" in out


def test_cancer_spread_statement_in_show_and_recommend(capsys) -> None:
    code, out, _err = _run(capsys, "show", "cancer-related-pain")
    assert code == 0 and "Does massage spread cancer?" in out
    code, out, _err = _run(
        capsys, "recommend", "knee-osteoarthritis", "--flag", "active_cancer_treatment", "--json"
    )
    notes = {n["key"]: n for n in json.loads(out)["clinician_notes"]}
    assert notes["cancer_spread"]["sources"]
    code, out, _err = _run(capsys, "recommend", "knee-osteoarthritis", "--json")
    # every condition carries the harms-and-training note; the cancer note only with cancer
    assert [n["key"] for n in json.loads(out)["clinician_notes"]] == ["safety_and_training"]


def test_gui_self_care_opens_no_center_picker_and_saves_the_instructions(
    qtbot, store, tmp_path, monkeypatch
) -> None:
    """Ctrl+R on perineal massage goes straight to the sheet dialog (no center picker), which
    offers no therapist sheet; the saved PDF is the self-care sheet. The banner says pregnancy
    is implied by the condition."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMessageBox

    from referral_app.db.user import UserStore
    from referral_app.ui.dialogs.center_picker_dialog import CenterPickerDialog
    from referral_app.ui.dialogs.referral_dialog import ReferralDialog
    from referral_app.ui.main_window import MainWindow
    from referral_app.ui.referral_flow import ReferralFlow
    from tests.test_app_flow import flow_ended, when_modal
    from tests.test_clinician_flow import PRACTICE, _open

    user = UserStore.open(tmp_path / "userdata" / "user.db")
    user.set_practice(PRACTICE)
    window = MainWindow(store, user)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    out = tmp_path / "self-care.pdf"
    monkeypatch.setattr(ReferralFlow, "ask_pdf_path", lambda self, number: out)
    picked: list[object] = []
    monkeypatch.setattr(CenterPickerDialog, "ask", classmethod(lambda cls, *a: picked.append(a)))
    _open(qtbot, window, "perineal massage")
    assert "Implied by the condition: yes" in window.screening.questions["pregnancy"].text()
    window.screening.fill_unanswered()
    banner = window.banner.toPlainText()
    assert "Implied by the condition: Pregnancy" in banner and "Given by:" in banner
    card = window.card.toPlainText()
    assert "Given by:" in card and "not a referral to a massage therapist" in card
    seen: list[str] = []

    def fill(dialog: ReferralDialog) -> None:
        seen.append("dialog")
        assert not dialog.parts["therapist"].isVisibleTo(dialog)
        assert not dialog.parts["therapist"].isChecked()
        when_modal(
            qtbot, QMessageBox, lambda box: box.button(QMessageBox.StandardButton.No).click()
        )
        dialog.pdf_button.click()

    when_modal(qtbot, ReferralDialog, fill)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(out.exists, timeout=15000)
    flow_ended(qtbot, window)  # written, then logged on the GUI thread
    assert seen == ["dialog"] and picked == []
    pages = _pages(out)
    assert pages[0].startswith("Your self-care instructions")
    assert not any("For the massage therapist" in p for p in pages)


def test_one_label_for_the_no_specific_effect_level_and_no_lasts_line(capsys) -> None:
    """Neck pain: the same words for the level on the CLI (and so the banner and sheets, which
    print the same label), and no "lasts" line where the level shows no benefit."""
    code, out, _err = _run(capsys, "recommend", "neck-pain", "--no-flags")
    assert code == 0 and "Recommendation: NO SPECIFIC EFFECT SHOWN  (not_recommended)" in out
    assert "Lasts" not in out and "No specific benefit shown" not in out
    code, out, _err = _run(capsys, "show", "neck-pain")
    assert "Evidence:   No specific effect shown" in out and "Lasts:" not in out
    code, out, _err = _run(capsys, "levels", "--json")
    labels = {r["id"]: r["label"] for r in json.loads(out)["recommendation_levels"]}
    evidence = {e["id"]: e["label"] for e in json.loads(out)["evidence_levels"]}
    assert labels["not_recommended"] == evidence["no_effect"] == "No specific effect shown"
    code, out, _err = _run(capsys, "show", "chronic-low-back-pain")
    assert "Lasts:      Short-term" in out


def test_screening_panel_marks_an_implied_answer(qtbot, store) -> None:
    from referral_app.ui.widgets.screening_panel import ScreeningPanel

    panel = ScreeningPanel(store.flags())
    qtbot.addWidget(panel)
    panel.set_condition("perineal-massage-antenatal", ("pregnancy",))
    assert "Implied by the condition: yes" in panel.questions["pregnancy"].text()
    assert not panel.buttons[("pregnancy", "no")].isEnabled()
    panel.set_condition("neck-pain")
    assert "Implied" not in panel.questions["pregnancy"].text()
    assert panel.buttons[("pregnancy", "no")].isEnabled()
