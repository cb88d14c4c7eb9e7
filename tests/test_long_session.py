"""A clinic's long day in one process: 2,000 typed searches and 1,000 referral sheets to PDF
through the real main window, offscreen. PySide6 6.12.0 aborted this after ~165 searches or ~330
sheets ("none_dealloc"); here the process must survive and None's count must not fall.

Also a guard for the same class of bug elsewhere: the counts of True, False and the empty tuple
(also mortal on Python 3.11) must not fall either.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.diagnostics.refcount import TOLERANCE
from referral_app.domain.referral import Patient, Practice
from referral_app.services.referrals import SheetDetails
from referral_app.ui.dialogs.center_picker_dialog import CenterPickerDialog
from referral_app.ui.dialogs.referral_dialog import ReferralDialog, ReferralRequest
from referral_app.ui.main_window import MainWindow
from referral_app.ui.referral_flow import ReferralFlow
from tests.test_app_flow import flow_ended

SEARCHES = 2_000
SHEETS = 1_000
WATCHED = {"None": None, "True": True, "False": False, "()": ()}


def _counts() -> dict[str, int]:
    gc.collect()
    return {name: sys.getrefcount(obj) for name, obj in WATCHED.items()}


def _falls(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: before[k] - after[k] for k in before if before[k] - after[k] > TOLERANCE}


def _queries(store: ReferenceStore) -> list[str]:
    """What a clinician types: names, prefixes, codes, lay terms and typos, in rotation."""
    names = [store.get_condition(cid).name for cid in store.condition_ids()]
    typed = [n.lower()[: 3 + i % 6] for i, n in enumerate(names)]
    typed += ["M54.2", "m542", "lumbago", "stiff neck", "fibromialgia", "nek pain", "zzz"]
    return [typed[i % len(typed)] for i in range(SEARCHES)]


@pytest.fixture()
def window(qtbot, store: ReferenceStore, tmp_path: Path) -> MainWindow:
    user = UserStore.open(tmp_path / "userdata" / "user.db")
    user.set_practice(Practice("Springfield Family Practice", "", "555-0100", "Dr. Shah", "MD"))
    win = MainWindow(store, user)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    return win


def _search(qtbot, window: MainWindow, text: str, open_it: bool) -> None:
    window.search_box.selectAll()
    qtbot.keyClick(window.search_box, Qt.Key.Key_Backspace)
    qtbot.keyClicks(window.search_box, text)
    if open_it:
        qtbot.keyClick(window.search_box, Qt.Key.Key_Return)


def _refer_by_keyboard(window: MainWindow, tmp_path: Path, monkeypatch) -> list[Path]:
    """Ctrl+R with the two dialogs answered at once (their own tests drive them by hand): the
    real center finder picks, the request alternates language and parts, the PDF is saved."""
    saved: list[Path] = []
    turn = {"n": 0}

    def pick(find, postal_code: str = "", parent=None):
        return find("94115")[0].center

    def request(center, condition_name: str, parent=None, details=None) -> ReferralRequest:
        n = turn["n"] = turn["n"] + 1
        parts = ("therapist", "patient", "clinic") if n % 3 == 0 else ("therapist", "patient")
        details = SheetDetails(Patient(f"Ann Lee {n}", "1970-01-02"), ("en", "es")[n % 2], parts)
        return ReferralRequest(details, "pdf")

    def pdf_path(self, number: str) -> Path:
        saved.append(tmp_path / f"sheet-{len(saved) % 2}.pdf")
        return saved[-1]

    monkeypatch.setattr(CenterPickerDialog, "ask", classmethod(lambda cls, *a: pick(*a)))
    monkeypatch.setattr(ReferralDialog, "ask", classmethod(lambda cls, *a, **k: request(*a)))
    monkeypatch.setattr(ReferralFlow, "ask_pdf_path", pdf_path)
    # The same patient all day: the "new patient?" offer after each sheet is answered "keep".
    monkeypatch.setattr(MainWindow, "offer_new_patient", lambda self, outcome: None)
    return saved


def _ctrl_r(qtbot, window: MainWindow) -> None:
    """Refer… by keyboard, then wait until its sheet is written (off the GUI thread)."""
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    flow_ended(qtbot, window)


def test_a_days_searches_and_sheets_in_one_session(
    qtbot, window: MainWindow, store: ReferenceStore, tmp_path: Path, monkeypatch
) -> None:
    saved = _refer_by_keyboard(window, tmp_path, monkeypatch)
    queries = _queries(store)

    def checkpoint() -> dict[str, int]:
        """The counts, always in the same state (neck pain open, one sheet saved): what the
        window shows holds references to None too, so only like is compared with like."""
        _search(qtbot, window, "neck", open_it=True)
        _ctrl_r(qtbot, window)
        return _counts()

    checkpoint()  # warm-up: first-use caches are not leaks
    before = checkpoint()
    for i, text in enumerate(queries, 1):
        _search(qtbot, window, text, open_it=i % 10 == 0)
        if i % 100 == 0:  # fail while the process is still alive to say so
            assert _falls(before, checkpoint()) == {}, f"after {i} searches"
    _search(qtbot, window, "neck", open_it=True)
    for i in range(1, SHEETS + 1):
        _ctrl_r(qtbot, window)
        if i % 50 == 0:
            assert _falls(before, checkpoint()) == {}, f"after {i} sheets"
    after = checkpoint()

    assert _falls(before, after) == {}, (before, after)
    sheets = SHEETS + 3 + SEARCHES // 100 + SHEETS // 50  # the loop's and the checkpoints'
    assert len(saved) == sheets and all(p.stat().st_size > 1000 for p in set(saved))
    assert len(window.user.referrals()) == sheets
    assert window.current_condition is not None and window.current_condition.id == "neck-pain"
