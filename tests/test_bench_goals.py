"""Benchmarks can fail: a goal missed beyond the stated margin makes the benchmark exit 1."""

from __future__ import annotations

from benchmarks.goals import MARGIN, check, status


def test_a_goal_is_met_within_its_margin_and_missed_beyond_it(capsys) -> None:
    assert check("x", 10, 10, " ms") and "met (10.00 ms)" in capsys.readouterr().out
    assert check("x", 10 * (1 + MARGIN) - 0.01, 10) and "within the" in capsys.readouterr().out
    assert not check("x", 10 * (1 + MARGIN) + 0.01, 10) and "NOT met" in capsys.readouterr().out


def test_the_exit_status_is_1_when_any_goal_is_missed() -> None:
    assert status(True, True) == 0
    assert status(True, False) == 1
