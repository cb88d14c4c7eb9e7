"""CSV import of a very large file: wall time and peak memory of ``centers import`` (issue 14).

    python benchmarks/csv_import.py [ROWS]      # default 1,000,000 rows

Runs the real command in a child process on a fresh data folder and reports its peak RSS
(resource.getrusage of the child), then imports the same file again (every row unchanged).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def write_rows(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("name,postal_code,services,city,notes\n")
        for i in range(rows):
            handle.write(
                f"Therapist {i},{10000 + i % 89999:05d},therapeutic_massage,Town {i % 97},"
                f"note {i}\n"
            )


def run(data: Path, csv_path: Path) -> tuple[float, float, str]:
    env = os.environ | {"PYTHONPATH": str(REPO)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "referral_app",
            "--data-dir",
            str(data),
            "centers",
            "import",
            str(csv_path),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    last = (done.stdout.strip().splitlines() or [done.stderr.strip()])[-1]
    return seconds, max(peak, before) / 1024, last


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        csv_path = folder / "big.csv"
        write_rows(csv_path, rows)
        size = csv_path.stat().st_size / 1e6
        for label in ("first import", "same file again"):
            seconds, peak_mb, last = run(folder / "data", csv_path)
            print(
                f"{label}: {rows:,} rows ({size:.0f} MB) in {seconds:.1f} s, "
                f"peak RSS {peak_mb:.0f} MB: {last}"
            )


if __name__ == "__main__":
    main()
