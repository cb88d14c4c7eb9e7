"""One way for every benchmark to say whether its goal was met, and to fail when it was not.

The machines this runs on (a developer's, CI's) are small and shared: 2 cores, other work going
on. A goal therefore counts as missed only beyond a stated margin over it (MARGIN); the line
says "met", "within the margin" or "NOT met", with the figure, and the benchmark's exit status
is 1 when any goal is missed, so `make bench` (and CI, which runs it) fails.
"""

from __future__ import annotations

MARGIN = 0.15  # 15 %: the spread of repeated runs of these benchmarks on a busy 2-core machine


def check(label: str, value: float, goal: float, unit: str = "") -> bool:
    """Print the verdict for ``value`` against ``goal`` (lower is better); True unless missed."""
    limit = goal * (1 + MARGIN)
    if value <= goal:
        verdict = "met"
    elif value <= limit:
        verdict = f"within the {MARGIN:.0%} margin"
    else:
        verdict = "NOT met"
    print(f"goal: {label} <= {goal:g}{unit}: {verdict} ({value:.2f}{unit})")
    return value <= limit


def status(*results: bool) -> int:
    """The exit status: 0 when every goal was met (or within the margin), else 1."""
    return 0 if all(results) else 1
