"""Benchmarks can fail: a goal missed beyond the stated margin makes the benchmark exit 1."""

from __future__ import annotations

import pytest

from benchmarks import startup
from benchmarks.goals import MARGIN, check, status


def test_a_goal_is_met_within_its_margin_and_missed_beyond_it(capsys) -> None:
    assert check("x", 10, 10, " ms") and "met (10.00 ms)" in capsys.readouterr().out
    assert check("x", 10 * (1 + MARGIN) - 0.01, 10) and "within the" in capsys.readouterr().out
    assert not check("x", 10 * (1 + MARGIN) + 0.01, 10) and "NOT met" in capsys.readouterr().out


def test_the_exit_status_is_1_when_any_goal_is_missed() -> None:
    assert status(True, True) == 0
    assert status(True, False) == 1


def test_startup_without_pyinstaller_says_so_in_one_line(monkeypatch, capsys) -> None:
    """Run with a Python that cannot freeze (the dev venv): one plain line and exit 2, not a
    traceback from PyInstaller's subprocess; nothing is built."""
    monkeypatch.setattr(startup.importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(startup, "build_bare", lambda: pytest.fail("built without PyInstaller"))
    with pytest.raises(SystemExit) as ended:
        startup.main([])
    assert ended.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "PyInstaller is not installed" in err and "make package" in err
