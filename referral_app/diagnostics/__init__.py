"""Crash log, frozen self-test and start-up probe.

``mark``: the process's CPU time at each step of the GUI's start (``MARKS``), so that
benchmarks/startup.py can say where the app's start-up goes against the bare window's (the probe,
diagnostics/startup_probe.py, writes them with its readings). Here, in a package the start-up
imports anyway: recording costs a dictionary entry, no module.
"""

from __future__ import annotations

import time

MARKS: dict[str, float] = {}  # step -> time.process_time() when it was done (first time only)


def mark(step: str) -> None:
    """Note the CPU time at which ``step`` of the start-up was done (once)."""
    MARKS.setdefault(step, time.process_time())
