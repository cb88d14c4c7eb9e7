"""Running the self-test's checks in order and writing the JSON report before each one."""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from referral_app import __version__, paths
from referral_app.selftest.app_checks import (
    check_center_match,
    check_main_window,
    check_recommend,
    check_reference_db,
    check_search,
    check_sheet_pdf,
    check_user_data,
)
from referral_app.selftest.context import Check, Context, SkippedError
from referral_app.selftest.install_checks import (
    check_clinic_driver,
    check_no_network,
    check_none_refcount,
    check_qt_app,
    check_qt_plugins,
    check_resources,
    restore_settings,
)

CHECKS: list[tuple[str, Callable[[Context], str]]] = [
    ("qt_app", check_qt_app),
    ("resources", check_resources),
    ("qt_plugins", check_qt_plugins),
    ("none_refcount", check_none_refcount),
    ("reference_db", check_reference_db),
    ("search", check_search),
    ("user_data", check_user_data),
    ("recommend", check_recommend),
    ("center_match", check_center_match),
    ("sheet_pdf", check_sheet_pdf),
    ("main_window", check_main_window),
    ("no_network", check_no_network),
    ("clinic_driver", check_clinic_driver),
]


def _run_one(name: str, check: Callable[[Context], str], ctx: Context) -> Check:
    start = time.perf_counter()
    try:
        detail, status, trace = check(ctx), "ok", ""
    except SkippedError as exc:
        detail, status, trace = str(exc), "skipped", ""
    except Exception as exc:  # noqa: BLE001 - every failure goes into the report
        detail, status = f"{type(exc).__name__}: {exc}", "failed"
        trace = traceback.format_exc(limit=8)
    return Check(name, status, detail, round(time.perf_counter() - start, 4), trace)


def _versions() -> dict[str, str]:
    from PySide6 import __version__ as pyside
    from PySide6.QtCore import qVersion

    return {
        "app": __version__,
        "python": platform.python_version(),
        "pyside6": pyside,
        "qt": qVersion(),
        "platform": platform.platform(),
    }


def _report(ctx: Context, checks: list[Check], running: str | None = None) -> dict[str, Any]:
    """The report so far; ``running`` names a check that has not returned (yet)."""
    failed = next((c.name for c in checks if c.status != "ok"), running)
    return {
        "ok": failed is None,
        "failed": failed,
        "running": running,
        "versions": ctx.versions,
        "frozen": paths.FROZEN,
        "executable": sys.executable,
        "bundle_dir": str(paths.BUNDLE_DIR),
        "checks": [asdict(c) for c in checks],
        "qt_messages": ctx.qt_messages[:50],
    }


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    from referral_app.files import atomic_write

    with atomic_write(path) as handle:
        handle.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _say(text: str) -> None:
    """One line on stderr, when there is one (a windowed executable may have none)."""
    if sys.stderr is not None:
        print(text, file=sys.stderr)


def _default_platform() -> None:
    """Headless machines (CI, a server) run the checks offscreen instead of aborting in Qt."""
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _close(ctx: Context) -> None:
    restore_settings(ctx)
    for key in ("user", "store"):
        if key in ctx.found:
            ctx.found[key].close()
    paths.set_data_dir_override(None)
    if "previous_handler" in ctx.found:
        from PySide6.QtCore import qInstallMessageHandler

        qInstallMessageHandler(ctx.found["previous_handler"])


def _run_all(ctx: Context, report_path: Path) -> list[Check]:
    """Run the checks, rewriting the report before each one: if Qt aborts the process (it does
    when no platform plugin loads), the report still names the check that was running."""
    checks: list[Check] = []
    for name, check in CHECKS:
        _write_json(report_path, _report(ctx, checks, running=name))
        checks.append(_run_one(name, check, ctx))
    return checks


def default_report() -> Path:
    """Where ``--self-test`` alone writes its report: a new file in the system's temporary
    folder (said on stderr), never beside the user's data or settings."""
    fd, name = tempfile.mkstemp(prefix="referral-guide-self-test-", suffix=".json")
    os.close(fd)
    return Path(name)


def run_self_test(report_path: Path | None = None) -> int:
    """Run every check, write the report (``report_path``, else a temporary file); 0 when all
    passed, 1 naming the first failure. The last line on stderr names the report."""
    report_path = report_path or default_report()
    _default_platform()
    with tempfile.TemporaryDirectory(prefix="referral-guide-selftest-") as scratch:
        ctx = Context(Path(scratch))
        ctx.versions.update(_versions())
        try:
            checks = _run_all(ctx, report_path)
        except OSError as exc:
            _say(f"self-test: cannot write the report {report_path}: {exc}")
            return 2
        finally:
            _close(ctx)
    report = _report(ctx, checks)
    _write_json(report_path, report)
    if report["failed"]:
        bad = next(c for c in checks if c.name == report["failed"])
        _say(f"self-test failed: {bad.name}: {bad.detail} (report: {report_path})")
        return 1
    _say(f"self-test passed: {len(checks)} checks (report: {report_path})")
    return 0
