"""Frozen start-up, size and memory of the app against a bare PySide6 app frozen the same way.

In one run: builds a bare app (a main window with a line edit and a table view) with PyInstaller and
the options of build.spec (packaging/pyi_options.py: same excludes, plugin and translation pruning,
strip, no UPX), builds the app's bundle if dist/referral-guide is missing, then starts each frozen
GUI executable RUNS times, alternating. Both note the time at the first event-loop turn after the
first paint of their main window (env REFERRAL_APP_QUIT_AFTER_PAINT=FILE: ``time.monotonic()``
there, the benchmark subtracts its own reading taken just before the spawn). The bare app then
quits; the app first finishes the work it queued behind the paint (panels, data check: "ready"),
so its peak RSS counts the whole start-up. Prints absolute figures and ratios.

Like with like: both windows get the app's size on that screen (1280x800 fitted to it), and both
see their paint through an event filter on the window's central widget. A Python filter on the
whole application (as this probe was until 2026-11-30) is handed every internal Qt object and
makes Python types for them: about 20 ms of CPU, paid by both sides, which flattered the ratio
(the same build measured 1.18 that way and 1.22-1.26 this way).

Goals: start-up <= 1.2x the bare app, onedir size <= 1.15x, peak RSS <= 1.3x.

    make package && build/venv/bin/python benchmarks/startup.py [--runs 15] [--rebuild]
    (under xvfb-run -a to measure on X11 instead of offscreen)

--source measures without freezing (quicker, no size figure): the same bare app as a script and
``python -m referral_app`` on the built data/reference.db, both with this Python.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "build" / "bench-startup"
APP = REPO / "dist" / "referral-guide" / "referral-guide"
PROBE_ENV = "REFERRAL_APP_QUIT_AFTER_PAINT"
GOALS = {"start-up": 1.2, "size": 1.15, "peak RSS": 1.3}
TIMEOUT_S = 60

BARE_APP = '''\
"""Bare PySide6 app: a main window with a line edit and a table view."""
import json, os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QApplication, QLineEdit, QMainWindow, QTableView, QVBoxLayout,
                               QWidget)


class Probe(QObject):
    fired = False

    def eventFilter(self, watched, event):
        if not self.fired and event.type() == QEvent.Type.Paint:
            self.fired = True
            QTimer.singleShot(0, self.done)
        return False

    def done(self):
        with open(os.environ["REFERRAL_APP_QUIT_AFTER_PAINT"], "w") as handle:
            json.dump({"painted": time.monotonic(), "cpu": time.process_time(),
                       "pid": os.getpid()}, handle)
        QApplication.instance().quit()


app = QApplication(sys.argv[:1])
window = QMainWindow()
model = QStandardItemModel(20, 3)
for row in range(20):
    for col in range(3):
        model.setItem(row, col, QStandardItem(f"cell {row},{col}"))
table = QTableView()
table.setModel(model)
body = QWidget()
layout = QVBoxLayout(body)
layout.addWidget(QLineEdit())
layout.addWidget(table)
window.setCentralWidget(body)
if os.environ.get("REFERRAL_APP_QUIT_AFTER_PAINT"):  # on the central widget, as the app's probe
    body.installEventFilter(Probe(app))
screen = app.primaryScreen().availableGeometry()  # the app's size: 1280x800 fitted to the screen
window.resize(min(1280, screen.width()), min(800, screen.height() - 40))
window.show()
sys.exit(app.exec())
'''

BARE_SPEC = """\
import sys
from pathlib import Path
sys.path.insert(0, {packaging!r})
import pyi_options as opt
from PyInstaller.depend.bindepend import get_imports

a = Analysis([{script!r}], excludes=opt.EXCLUDES, noarchive=False)
opt.prune(a, lambda src: [Path(name).name for name, _path in get_imports(src)])
pyz = PYZ(a.pure)
exe = EXE(pyz, a.scripts, [], exclude_binaries=True, name="bare-qt", console=False,
          upx=opt.UPX, strip=opt.STRIP)
coll = COLLECT(exe, a.binaries, a.datas, name="bare-qt", upx=opt.UPX, strip=opt.STRIP)
"""


@dataclass
class Runs:
    name: str
    exe: Path
    command: list[str] = field(default_factory=list)  # default: [exe]
    startup_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # CPU time of the process to first paint
    ready_ms: list[float] = field(default_factory=list)  # the app only: start-up work done
    exit_ms: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)


def pyinstaller(spec: Path, workpath: Path, distpath: Path) -> float:
    """Build a spec with the PyInstaller of this interpreter; returns seconds taken."""
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "ERROR",
            "--workpath",
            str(workpath),
            "--distpath",
            str(distpath),
            str(spec),
        ],
        check=True,
        cwd=spec.parent,
    )
    return time.perf_counter() - start


def build_bare() -> tuple[Path, float]:
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    script = WORK / "bare_qt.py"
    script.write_text(BARE_APP, encoding="utf-8")
    spec = WORK / "bare_qt.spec"
    spec.write_text(BARE_SPEC.format(packaging=str(REPO / "packaging"), script=str(script)))
    seconds = pyinstaller(spec, WORK / "work", WORK / "dist")
    return WORK / "dist" / "bare-qt" / "bare-qt", seconds


def build_app() -> float:
    return pyinstaller(REPO / "build.spec", REPO / "build" / "pyinstaller", REPO / "dist")


def disk_usage(folder: Path) -> int:
    """Bytes on disk, like ``du -s`` (hard links counted once)."""
    seen: set[int] = set()
    total = 0
    for path in [folder, *folder.rglob("*")]:
        info = path.lstat()
        if info.st_ino not in seen:
            seen.add(info.st_ino)
            total += info.st_blocks * 512
    return total


def run_once(
    exe: Path, env: dict[str, str], marker: Path, command: list[str] | None = None
) -> tuple[float, float, float, float, float | None]:
    """(ms to first paint, ms to exit, peak RSS in MB, CPU ms to first paint, ms to ready or
    None) for one start. Ready: the app's work queued behind the first paint is done."""
    marker.unlink(missing_ok=True)
    start = time.monotonic()
    proc = subprocess.Popen(
        command or [str(exe)],
        env={**env, PROBE_ENV: str(marker)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    watchdog = threading.Timer(TIMEOUT_S, proc.kill)
    watchdog.start()
    _pid, status, usage = os.wait4(proc.pid, 0)
    ended = time.monotonic()
    watchdog.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0 or not marker.is_file():
        raise RuntimeError(f"{exe} exited with {proc.returncode} before its first paint")
    probe = json.loads(marker.read_text())
    cpu = probe.get("cpu", 0.0) * 1000
    ready = (probe["ready"] - start) * 1000 if "ready" in probe else None
    paint = (probe["painted"] - start) * 1000
    return paint, (ended - start) * 1000, usage.ru_maxrss / 1024, cpu, ready


def measure(apps: list[Runs], runs: int, env: dict[str, str], scratch: Path) -> None:
    for app in apps:  # one warm-up start each: page cache, font cache, user.db created
        run_once(app.exe, env, scratch / "marker.json", app.command)
    for _ in range(runs):
        for app in apps:
            paint, end, rss, cpu, ready = run_once(
                app.exe, env, scratch / "marker.json", app.command
            )
            if ready is not None:
                app.ready_ms.append(ready)
            app.startup_ms.append(paint)
            app.cpu_ms.append(cpu)
            app.exit_ms.append(end)
            app.rss_mb.append(rss)


def _spread(values: list[float], unit: str) -> str:
    return (
        f"median {statistics.median(values):7.1f} {unit}  "
        f"(range {min(values):.1f}-{max(values):.1f})"
    )


def report(bare: Runs, app: Runs) -> bool:
    figures = {
        "start-up": (statistics.median(bare.startup_ms), statistics.median(app.startup_ms)),
        "size": (disk_usage(bare.exe.parent) / 2**20, disk_usage(app.exe.parent) / 2**20),
        "peak RSS": (statistics.median(bare.rss_mb), statistics.median(app.rss_mb)),
    }
    for runs in (bare, app):
        print(
            f"{runs.name:<15} first paint {_spread(runs.startup_ms, 'ms')}; "
            f"exit {_spread(runs.exit_ms, 'ms')}"
        )
        print(f"{'':<15} peak RSS {_spread(runs.rss_mb, 'MB')}")
        print(f"{'':<15} CPU to first paint {_spread(runs.cpu_ms, 'ms')} (steadier when busy)")
        if runs.ready_ms:
            print(f"{'':<15} ready (panels built, data checked) {_spread(runs.ready_ms, 'ms')}")
    if bare.command:  # from source: no bundle to measure
        del figures["size"]
    met = True
    for what, (base, ours) in figures.items():
        ratio, goal = ours / base, GOALS[what]
        unit = "ms" if what == "start-up" else "MB"
        met &= ratio <= goal
        print(
            f"{what:<9} bare {base:8.1f} {unit}   app {ours:8.1f} {unit}   "
            f"ratio {ratio:4.2f} (goal <= {goal}: {'met' if ratio <= goal else 'NOT met'})"
        )
    return met


def measure_source(runs: int) -> int:
    """Both apps from source with this Python (the app on data/reference.db, checked as when
    frozen: no staleness check of data/)."""
    WORK.mkdir(parents=True, exist_ok=True)
    script = WORK / "bare_qt.py"
    script.write_text(BARE_APP, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("REFERRAL_APP_")}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = str(REPO)
    env["REFERRAL_APP_REFERENCE_DB"] = str(REPO / "data" / "reference.db")
    with tempfile.TemporaryDirectory() as scratch:
        env["REFERRAL_APP_DATA_DIR"] = str(Path(scratch) / "userdata")
        bare = Runs("bare PySide6", script, [sys.executable, str(script)])
        app = Runs("referral-guide", REPO, [sys.executable, "-m", "referral_app"])
        measure([bare, app], runs, env, Path(scratch))
    print(f"{runs} starts each from source, alternating, QT_QPA_PLATFORM={env['QT_QPA_PLATFORM']}")
    report(bare, app)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="starts per app (>= 10)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild dist/referral-guide too")
    parser.add_argument("--source", action="store_true", help="run both from source, not frozen")
    args = parser.parse_args(argv)
    if args.source:
        return measure_source(max(args.runs, 10))
    bare_exe, bare_s = build_bare()
    print(f"built the bare app in {bare_s:.0f} s")
    if args.rebuild or not APP.is_file():
        print(f"built the app in {build_app():.0f} s")
    env = {k: v for k, v in os.environ.items() if not k.startswith("REFERRAL_APP_")}
    if not env.get("DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as scratch:
        env["REFERRAL_APP_DATA_DIR"] = str(Path(scratch) / "userdata")
        bare, app = Runs("bare PySide6", bare_exe), Runs("referral-guide", APP)
        measure([bare, app], max(args.runs, 10), env, Path(scratch))
    platform = env.get("QT_QPA_PLATFORM", "default (a display is set)")
    print(f"{max(args.runs, 10)} starts each, alternating, QT_QPA_PLATFORM={platform}")
    report(bare, app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
