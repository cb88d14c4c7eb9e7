"""Hostile text and full disks on the way out (issue 14, point 6): rich text in dialogs, bidi
overrides and undrawable characters on the sheet, spreadsheet formulas in exports, planted
symlinks, full disks. Each reproduces a failure first seen in review 2."""

from __future__ import annotations

import csv
import errno
import os
import subprocess
from pathlib import Path

import pytest

from referral_app.app import main
from referral_app.content.center_csv import plan_import, write_csv
from referral_app.db.user import UserStore
from referral_app.domain.center import Center
from referral_app.domain.recommend import Screen
from referral_app.domain.referral import Patient
from referral_app.services.referrals import build_referral

SHOUT = '<span style="font-size:28pt;color:red">CALL 555-0199 INSTEAD</span>'
FORMULA = '=HYPERLINK("http://x.example","Click")'


# -- rich text ------------------------------------------------------------------------------------
def test_a_center_name_with_markup_is_shown_as_typed_in_the_referral_dialog(qtbot) -> None:
    from PySide6.QtWidgets import QLabel

    from referral_app.ui.dialogs.referral_dialog import ReferralDialog

    dialog = ReferralDialog(Center(id="x", name=SHOUT, origin="local"), "Neck pain <i>")
    qtbot.addWidget(dialog)
    intro = next(label for label in dialog.findChildren(QLabel) if "→" in label.text())
    assert "&lt;span style=" in intro.text() and "<span" not in intro.text()
    assert "Neck pain &lt;i&gt;" in intro.text()


def test_richtext_helpers_escape_everything() -> None:
    from referral_app.ui import richtext

    assert richtext.bold("<img src=/etc/passwd>") == "<b>&lt;img src=/etc/passwd&gt;</b>"
    assert richtext.plain("a <b>\nb") == "<p>a &lt;b&gt;<br>b</p>"
    assert richtext.link('x" onmouseover="y') == (
        '<a href="x&quot; onmouseover=&quot;y">x&quot; onmouseover=&quot;y</a>'
    )


# -- the sheet ------------------------------------------------------------------------------------
@pytest.mark.usefixtures("qapp")
def test_typed_values_are_bidi_isolated_on_the_sheet(store, tmp_path: Path) -> None:
    user = UserStore.open(tmp_path / "user.db")
    condition, center = store.get_condition("neck-pain"), store.get_center("ucsf-osher")
    name = "Ann \u202eeeL"  # a right-to-left override inside the name
    built = build_referral(store, user, condition, center, Screen(), Patient(name, "1970-01-02"))
    html = built.parts[0][1]
    assert "Ann eeL" in html and "\u202e" not in html  # the override is gone
    assert center.name in html
    built = build_referral(store, user, condition, center, Screen(), Patient("\u05d3\u05df 5"))
    assert "\u202b\u05d3\u05df 5\u202c" in built.parts[0][1]  # Hebrew keeps its direction


@pytest.mark.usefixtures("qapp")
def test_characters_no_font_can_draw_are_reported(store, tmp_path: Path) -> None:
    from referral_app.printing.glyphs import undrawable

    assert undrawable(["Ann Lee", "José Núñez"]) == []
    assert undrawable(["Ann \ue000 Lee", "\ue000"]) == ["\ue000"]  # private use: no font has it
    user = UserStore.open(tmp_path / "user.db")
    condition, center = store.get_condition("neck-pain"), store.get_center("ucsf-osher")
    built = build_referral(store, user, condition, center, Screen(), Patient("Ann \ue000"))
    assert len(built.warnings) == 1 and "U+E000" in built.warnings[0].upper()


def test_the_cli_warns_before_printing_undrawable_characters(
    tmp_path, capsys, use_reference_db
) -> None:
    out = tmp_path / "x.pdf"
    argv = ["sheet", "neck", "--center", "dana-farber-zakim", "--no-flags", "--out", str(out)]
    assert main([*argv, "--patient", "Ann \ue000 Lee"]) == 0
    err = capsys.readouterr().err
    assert "warning: the sheet's fonts cannot draw" in err and "U+E000" in err.upper()


# -- CSV exports ----------------------------------------------------------------------------------
def test_center_export_neutralises_formulas_and_imports_back_unchanged(tmp_path: Path) -> None:
    user = UserStore.open(tmp_path / "user.db")
    user.add_local(Center(id="", name=FORMULA, phone="+1 415 555 0100", origin="local"))
    out = tmp_path / "centers.csv"
    write_csv(out, user.local_centers(True))
    with out.open(encoding="utf-8-sig", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert row["name"] == "'" + FORMULA and row["phone"] == "'+1 415 555 0100"
    plan = plan_import(out.read_bytes(), user.local_centers(True), update=True)
    assert plan.ok and [r.action for r in plan.rows] == ["unchanged"]


def test_log_export_neutralises_formulas(store, tmp_path: Path, qapp) -> None:
    from referral_app.services.log_export import write_log_csv

    user = UserStore.open(tmp_path / "user.db")
    condition = store.get_condition("neck-pain")
    built = build_referral(
        store, user, condition, Center(id="c", name="@SUM(A1)", origin="local"), Screen(), Patient()
    )
    user.log_referral(built.referral)
    out = tmp_path / "log.csv"
    write_log_csv(out, user.referrals())
    with out.open(encoding="utf-8-sig", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert row["center_name"] == "'@SUM(A1)"


# -- writes: planted symlinks, full disks, permissions ---------------------------------------------
def test_a_planted_part_symlink_does_not_redirect_writes(store, tmp_path: Path, qapp) -> None:
    from referral_app.printing.output import export_pdf
    from referral_app.services.referrals import footer

    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    for name in ("referral.pdf.part", "centers.csv.part"):
        (tmp_path / name).symlink_to(victim)
    user = UserStore.open(tmp_path / "user.db")
    built = build_referral(
        store,
        user,
        store.get_condition("neck-pain"),
        store.get_center("ucsf-osher"),
        Screen(),
        Patient("Ann"),
    )
    export_pdf(tmp_path / "referral.pdf", built.html, built.css, footer(store))
    write_csv(tmp_path / "centers.csv", [])
    assert victim.read_text() == "precious"
    assert (tmp_path / "referral.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "referral.pdf").stat().st_mode & 0o077 == 0  # the owner's only


def test_a_failed_write_leaves_neither_target_nor_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space"):
        write_csv(tmp_path / "centers.csv", [Center(id="x", name="A", origin="local")])
    assert list(tmp_path.iterdir()) == []


def _sheet_to(out: Path, data: Path) -> tuple[int, str]:
    argv = ["--data-dir", str(data), "sheet", "neck", "--center", "dana-farber-zakim", "--no-flags"]
    return main([*argv, "--patient", "Zebulon Quixote", "--out", str(out)]), ""


def test_a_pdf_that_cannot_be_written_is_never_a_logged_referral(
    tmp_path, capsys, use_reference_db, monkeypatch
) -> None:
    from PySide6.QtCore import QSaveFile

    monkeypatch.setattr(QSaveFile, "commit", lambda self: False)  # what a full disk does
    code, _ = _sheet_to(tmp_path / "out" / "x.pdf", tmp_path / "data")
    err = capsys.readouterr().err
    assert code == 2 and "could not write" in err and "Traceback" not in err
    monkeypatch.undo()
    assert UserStore.open(tmp_path / "data" / "user.db").referrals() == []


@pytest.fixture()
def tiny_disk(tmp_path: Path):
    """A 200 kB tmpfs (needs root; skipped elsewhere, where the test above stands in)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    (mount / "filler").write_bytes(b"x" * 185_000)  # about 12 kB left: less than a sheet
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_gives_an_error_and_logs_nothing(
    tiny_disk: Path, tmp_path, capsys, use_reference_db
) -> None:
    code, _ = _sheet_to(tiny_disk / "referral.pdf", tmp_path / "data")
    err = capsys.readouterr().err
    assert code == 2 and "No space left" in err and "Traceback" not in err
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler"]
    assert UserStore.open(tmp_path / "data" / "user.db").referrals() == []
