"""BackgroundOp (Anki's QueryOp): the caller returns at once, success and failure arrive on the
GUI thread, an expected refusal is one plain message and a bug reaches the crash hook."""

from __future__ import annotations

import sys
import threading

from PySide6.QtWidgets import QMessageBox, QWidget

from referral_app.services.errors import InputError
from referral_app.ui.worker import BackgroundOp


def test_success_arrives_on_the_gui_thread_after_the_caller_returned(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    gate, seen = threading.Event(), []

    def work(progress, cancelled) -> str:
        gate.wait(10)
        return threading.current_thread().name

    op = BackgroundOp(
        parent, work, lambda result: seen.append((result, threading.current_thread()))
    )
    op.with_progress("Working…").run_in_background()
    assert seen == []  # returned before the work ended: no nested event loop
    gate.set()
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    [(worker_thread, delivered_on)] = seen
    assert worker_thread != threading.main_thread().name
    assert delivered_on is threading.main_thread()


def test_one_failure_handler_gets_the_error(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    failed: list[BaseException] = []

    def work(progress, cancelled) -> None:
        raise InputError("the pack is damaged")

    op = BackgroundOp(parent, work, lambda _: failed.append(None)).failure(failed.append)
    op.run_in_background()
    qtbot.waitUntil(lambda: bool(failed), timeout=10000)
    assert isinstance(failed[0], InputError) and str(failed[0]) == "the pack is damaged"


def test_without_a_handler_refusals_are_a_message_and_bugs_reach_the_crash_hook(
    qtbot, monkeypatch
) -> None:
    parent = QWidget()
    parent.setWindowTitle("Update content")
    qtbot.addWidget(parent)
    shown: list[tuple[str, str]] = []
    crashed: list[type] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda p, title, text: shown.append((title, text)))
    monkeypatch.setattr(sys, "excepthook", lambda kind, exc, tb: crashed.append(kind))

    def refuse(progress, cancelled) -> None:
        raise OSError(28, "No space left on device")

    def bug(progress, cancelled) -> None:
        raise KeyError("oops")

    BackgroundOp(parent, refuse, print).run_in_background()
    BackgroundOp(parent, bug, print).run_in_background()
    qtbot.waitUntil(lambda: bool(shown) and bool(crashed), timeout=10000)
    [(title, text)] = shown
    assert title == "Update content" and "[Errno 28] No space left on device" in text
    assert crashed == [KeyError]
