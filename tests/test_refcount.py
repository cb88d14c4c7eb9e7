"""Void Qt calls must not drop references to None (PySide6 6.12.0 does; Python 3.11 then aborts).

Python 3.12+ makes None immortal, so the count never moves there; on 3.11 it is the real guard.
"""

from __future__ import annotations

import json
import sys

import pytest

from referral_app.diagnostics.refcount import TOLERANCE, none_refcount_drop, void_calls

CALLS = 100_000


@pytest.mark.usefixtures("qapp")
@pytest.mark.parametrize(
    "method",
    ["QTextDocument.setHtml", "QWidget.setEnabled", "QLineEdit.setText", "QObject.setObjectName"],
)
def test_void_qt_calls_keep_none_alive(method: str) -> None:
    call = void_calls()[method]

    drop = none_refcount_drop(call, CALLS)

    assert drop <= TOLERANCE, f"{method}: refcount(None) fell by {drop} (up to {CALLS:,} calls)"


@pytest.mark.usefixtures("qapp")
def test_the_check_sees_a_leak() -> None:
    """The measuring helper itself: a call that really drops None's count is caught."""
    leaked: list[None] = [None] * 50

    def leaky(_i: int) -> None:
        if leaked:
            leaked.pop()  # each pop releases one reference to None

    assert none_refcount_drop(leaky, 50) >= 49
    assert sys.getrefcount(None) > 0


def test_self_test_fails_on_a_leaking_binding(
    use_reference_db, tmp_path, monkeypatch: pytest.MonkeyPatch, qapp
) -> None:
    from referral_app import selftest
    from referral_app.diagnostics import refcount

    held: list[None] = [None] * 100_000
    monkeypatch.setattr(refcount, "void_calls", lambda: {"Leaky.call": lambda _i: held.pop()})
    report = tmp_path / "self-test.json"

    assert selftest.run_self_test(report) == 1

    failed = json.loads(report.read_text(encoding="utf-8"))
    assert failed["failed"] == "none_refcount"
    detail = next(c["detail"] for c in failed["checks"] if c["name"] == "none_refcount")
    assert "Leaky.call" in detail
