"""``centers import-nppes`` on a generated national file: time against a plain ``csv.reader`` pass
over the same file in the same run, and the import's peak memory (issue 22, point 3).

    python benchmarks/nppes_import.py [--rows N] [--dir DIR] [--state XX]...

Writes an NPPES file in the real 330-column layout (benchmarks/nppes_data.py: seeded random rows,
1 % massage therapists, 3 % deactivated, sparse where the import does not look) to a temporary
folder (DIR, default the system's), then runs, each in a child process of its own: a plain
``csv.reader`` pass, the real command (every state, so every massage therapist is written), and
the plain pass again (the baseline is the mean of the two, so the page cache favours neither).
Each child is measured by itself (``os.wait4``): its peak RSS, and its CPU seconds (user + system)
beside its wall time. The goal is judged on CPU seconds: the import and the plain pass are both
single-threaded and read the same file, and CPU time is what a busy shared machine (a CI runner,
a server with other work) does not distort; the wall-time ratio and the load are printed too.

Goals: time <= 2 x the plain pass; peak RSS <= 300 MB. Exits 1 when one is missed.
The CMS file has about 8 million rows (``--rows 8000000``: about 10 GB on disk while it runs);
``make bench`` uses the default, which runs in about two minutes on two cores.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.nppes_data import FILE_NAME, random_rows, write_file  # noqa: E402

DEFAULT_ROWS = 600_000
GOAL_RATIO = 2.0
GOAL_RSS_MB = 300.0
# The baseline reads the file as the import does (UTF-8, undecodable bytes replaced), no more.
PLAIN_PASS = """
import csv, io, sys
csv.field_size_limit(1 << 16)
n = 0
with open(sys.argv[1], "rb") as raw:
    for _row in csv.reader(io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")):
        n += 1
print(f"{n} rows")
"""


@dataclass(frozen=True, slots=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child
    rss_mb: float  # its peak resident set
    last: str  # the last line it printed


def child(args: list[str], env: dict[str, str]) -> Run:
    """One child process, measured by itself (os.wait4)."""
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = out.read().strip().splitlines()
    if proc.returncode != 0:
        raise SystemExit(f"{args[:4]} failed: {lines[-3:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, usage.ru_maxrss / 1024, lines[-1] if lines else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="NPI rows in the file")
    parser.add_argument("--dir", type=Path, default=None, help="where to write the file")
    parser.add_argument("--state", action="append", default=[], help="states to import")
    options = parser.parse_args()
    env = os.environ | {"PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryDirectory(dir=options.dir) as scratch:
        folder = Path(scratch)
        path = folder / FILE_NAME
        start = time.perf_counter()
        write_file(path, random_rows(random.Random(22), options.rows))
        size_gb = path.stat().st_size / 1e9
        print(
            f"{options.rows:,} rows, 330 columns, {size_gb:.2f} GB written in "
            f"{time.perf_counter() - start:.0f} s"
        )
        plain = [sys.executable, "-c", PLAIN_PASS, str(path)]
        states = [a for s in options.state for a in ("--state", s)]
        command = [
            sys.executable,
            "-m",
            "referral_app",
            "--data-dir",
            str(folder / "data"),
            "centers",
            "import-nppes",
            str(path),
            *states,
        ]
        before = child(plain, env)
        imported = child(command, env)
        after = child(plain, env)
    wall = imported.wall / ((before.wall + after.wall) / 2)
    cpu = imported.cpu / ((before.cpu + after.cpu) / 2)
    print(
        f"plain csv.reader pass:  {before.wall:7.1f} s and {after.wall:.1f} s wall, "
        f"{before.cpu:.1f} s and {after.cpu:.1f} s CPU (peak RSS {after.rss_mb:.0f} MB)"
    )
    print(
        f"centers import-nppes:   {imported.wall:7.1f} s wall, {imported.cpu:.1f} s CPU, "
        f"peak RSS {imported.rss_mb:.0f} MB"
    )
    print(f"  {imported.last}")
    ok_time, ok_rss = cpu <= GOAL_RATIO, imported.rss_mb <= GOAL_RSS_MB
    print(
        f"\ntime {cpu:.2f} x the plain pass in CPU seconds ({wall:.2f} x in wall time on a "
        f"machine with load {os.getloadavg()[0]:.1f}); goal <= {GOAL_RATIO:.0f} x: "
        f"{'met' if ok_time else 'NOT met'}"
    )
    print(
        f"peak RSS {imported.rss_mb:.0f} MB; goal <= {GOAL_RSS_MB:.0f} MB: "
        f"{'met' if ok_rss else 'NOT met'}"
    )
    return 0 if ok_time and ok_rss else 1


if __name__ == "__main__":
    sys.exit(main())
