"""``--self-test --report FILE.json``: exercise the parts a build can break, write a JSON report.

Run by both frozen executables in CI and by anyone who suspects a broken install. It loads every
resource and the reference DB (read-only), runs a typo search (rapidfuzz), one recommendation and
one center match (zipcodes), renders a referral sheet to PDF through QtPrintSupport (Jinja2
templates), builds the main window and closes it, checks that the Qt plugins a desktop needs load
(so a missing system library shows up even with ``QT_QPA_PLATFORM=offscreen``), that void Qt
calls keep ``sys.getrefcount(None)`` steady, and that QtNetwork is neither bundled nor loaded.
Nothing goes to stdout: a windowed executable has none. The user's own data is never touched: the
checks use a temporary user folder.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from referral_app import __version__, paths

SAMPLE_CONDITION = "chronic low back pain"
SAMPLE_ZIP = "94143"  # San Francisco: near a bundled center
REFCOUNT_CALLS = 20_000  # void Qt calls for the none_refcount check
SAMPLE_TYPO = ("fibromialgia", "fibromyalgia")  # found only through rapidfuzz
TEMPLATES = ("base.css", "handout_strings.toml", "therapist.html.j2", "patient.html.j2",
             "clinic.html.j2")  # fmt: skip
PLUGINS = {  # Qt plugins a desktop install needs, by platform
    "linux": (
        "platforms/libqxcb.so",
        "platforms/libqoffscreen.so",
        "printsupport/libcupsprintersupport.so",
        "xcbglintegrations/libqxcb-glx-integration.so",
    ),
    "win32": ("platforms/qwindows.dll", "platforms/qoffscreen.dll"),
    "darwin": ("platforms/libqcocoa.dylib", "platforms/libqoffscreen.dylib"),
}


class SkippedError(Exception):
    """A check could not run because an earlier one failed."""


@dataclass
class Check:
    name: str
    status: str  # ok | failed | skipped
    detail: str
    seconds: float
    trace: str = ""


@dataclass
class Context:
    """What one check leaves for the next."""

    workdir: Path
    found: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    qt_messages: list[str] = field(default_factory=list)

    def need(self, key: str) -> Any:
        if key not in self.found:
            raise SkippedError(f"needs {key}, which an earlier check did not provide")
        return self.found[key]


# --- the checks: each returns a one-line detail or raises ------------------------------------


def check_qt_app(ctx: Context) -> str:
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtGui import QGuiApplication

    from referral_app.ui.app_setup import make_app

    previous = qInstallMessageHandler(lambda _mode, _where, text: ctx.qt_messages.append(text))
    ctx.found["previous_handler"] = previous
    ctx.found["app"] = make_app()
    ctx.versions["qt_platform"] = QGuiApplication.platformName()
    return f"QApplication on the {QGuiApplication.platformName()!r} platform"


def check_resources(_ctx: Context) -> str:
    missing = [name for name in TEMPLATES if not paths.resource("templates", name).is_file()]
    if missing:
        raise FileNotFoundError(f"missing in {paths.resource('templates')}: {', '.join(missing)}")
    files = [p for p in paths.resource().rglob("*") if p.is_file()] + [paths.method_doc()]
    size = sum(len(p.read_bytes()) for p in files)
    if not paths.method_doc().read_text(encoding="utf-8").strip():
        raise ValueError(f"{paths.method_doc()} is empty")
    return f"{len(files)} files read ({size} bytes), including docs/METHOD.md"


def check_qt_plugins(_ctx: Context) -> str:
    from PySide6.QtCore import QCoreApplication, QPluginLoader

    wanted = PLUGINS.get(sys.platform, ())
    roots = [Path(p) for p in QCoreApplication.libraryPaths()]
    for plugin in wanted:
        found = [root / plugin for root in roots if (root / plugin).is_file()]
        if not found:
            raise FileNotFoundError(f"Qt plugin {plugin} not in {[str(r) for r in roots]}")
        loader = QPluginLoader(str(found[0]))
        if not loader.load():
            raise OSError(f"Qt plugin {plugin} does not load: {loader.errorString()}")
    return f"{len(wanted)} plugins load: {', '.join(wanted)}"


def check_none_refcount(ctx: Context) -> str:
    """A binding that drops None on every void Qt call aborts the app after a few hundred
    searches (PySide6 6.12.0 on Python 3.11): catch it here, before a clinic does."""
    from referral_app.diagnostics.refcount import TOLERANCE, none_refcount_drop, void_calls

    ctx.need("app")
    calls = void_calls()
    each = REFCOUNT_CALLS // len(calls)
    drops = {name: none_refcount_drop(call, each) for name, call in calls.items()}
    bad = {name: drop for name, drop in drops.items() if drop > TOLERANCE}
    if bad:
        raise RuntimeError(
            f"void Qt calls drop references to None: {bad} (checking up to {each:,} calls "
            "each); this PySide6 would crash the app"
        )
    return f"{each * len(calls):,} void Qt calls, refcount(None) steady ({max(drops.values())} max)"


def check_reference_db(ctx: Context) -> str:
    from referral_app.services.reference_data import content_of, open_reference_store

    store = open_reference_store()  # the signature (or an installed pack's) is checked here
    ctx.found["store"] = store
    ctx.versions["data"] = store.meta.get("data_version", "?")
    content = content_of(store)
    ctx.versions["content"] = content.label
    count, centers = len(store.condition_ids()), len(store.all_centers())
    if not count:
        raise ValueError("the reference DB has no conditions")
    return f"{content.path} read-only, signed: {count} conditions, {centers} centers"


def check_search(ctx: Context) -> str:
    from rapidfuzz import fuzz

    typo, wanted = SAMPLE_TYPO
    hits = ctx.need("store").search(typo, limit=3)
    if wanted not in [hit.id for hit in hits]:
        raise LookupError(f"searching {typo!r} did not find {wanted} (got {[h.id for h in hits]})")
    if fuzz.ratio.__module__.endswith("_py"):
        raise ImportError("rapidfuzz fell back to pure Python: its compiled modules are missing")
    return f"{typo!r} -> {wanted} (rapidfuzz {fuzz.ratio.__module__})"


def check_user_data(ctx: Context) -> str:
    from referral_app.db.user import UserStore

    where = paths.user_data_dir().resolve()
    if paths.FROZEN and where.is_relative_to(paths.BUNDLE_DIR.resolve()):
        raise ValueError(f"the user data folder {where} is inside the bundle")
    paths.set_data_dir_override(ctx.workdir / "userdata")  # from here on, a scratch folder
    ctx.found["user"] = UserStore.open(paths.user_db())
    inside = " (outside the bundle)" if paths.FROZEN else ""
    return f"user data folder {where}{inside}; the checks use a scratch one"


def check_recommend(ctx: Context) -> str:
    from referral_app.domain.recommend import Screen
    from referral_app.services.recommendation import make_recommendation

    store = ctx.need("store")
    condition = store.resolve(SAMPLE_CONDITION)
    if condition is None:
        raise LookupError(f"{SAMPLE_CONDITION!r} not found")
    screen = Screen.none_found(store.flags())
    rec = make_recommendation(store, condition, screen)
    ctx.found.update(condition=condition, screen=screen)
    return f"{condition.id}: {rec.level} ({rec.label}), {len(rec.reasons)} reasons"


def check_center_match(ctx: Context) -> str:
    from referral_app.services.destinations import locate, match_centers

    store, condition = ctx.need("store"), ctx.need("condition")
    where = locate(SAMPLE_ZIP, store)
    matches = match_centers(store, [], condition, [], where, limit=3)
    if not matches:
        raise LookupError(f"no center matched near {where.label}")
    ctx.found["center"] = matches[0].center
    return f"near {where.label}: {', '.join(m.center.id for m in matches)}"


def check_sheet_pdf(ctx: Context) -> str:
    from PySide6.QtPrintSupport import QPrinter

    from referral_app.domain.referral import Patient
    from referral_app.printing.output import new_printer, paint_parts
    from referral_app.services.referrals import build_referral, footer

    store, user = ctx.need("store"), ctx.need("user")
    sheet = build_referral(store, user, ctx.need("condition"), ctx.need("center"),
                           ctx.need("screen"), Patient())  # fmt: skip
    out = ctx.workdir / "self-test-sheet.pdf"
    printer = new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    pages = paint_parts(printer, sheet.html, sheet.css, footer(store))
    del printer  # closes the file
    head = out.read_bytes()[:5] if out.is_file() else b""
    if head != b"%PDF-" or pages < 1:
        raise ValueError(f"no valid PDF written ({pages} pages, starts with {head!r})")
    return f"{pages} pages, {out.stat().st_size} bytes through QtPrintSupport"


def check_main_window(ctx: Context) -> str:
    from referral_app.ui.app_setup import build_main_window

    app = ctx.need("app")
    window = build_main_window(ctx.need("store"), ctx.need("user"))
    window.show()
    for _ in range(5):
        app.processEvents()
    title = window.windowTitle()
    closed = window.close()
    window.deleteLater()
    app.processEvents()
    return f"{type(window).__name__} {title!r} shown and closed (accepted: {closed})"


def check_no_network(_ctx: Context) -> str:
    loaded = [m for m in sys.modules if m.startswith("PySide6.QtNetwork")]
    maps = Path("/proc/self/maps")
    if maps.is_file():
        loaded += sorted({line.split()[-1] for line in maps.read_text().splitlines()
                          if "Qt6Network" in line})  # fmt: skip
    if paths.FROZEN:
        loaded += [str(p) for p in paths.BUNDLE_DIR.rglob("*Qt*Network*")]
    if loaded:
        raise RuntimeError(f"QtNetwork is present: {', '.join(loaded)}")
    return "QtNetwork is neither bundled nor loaded"


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
]


# --- running them ------------------------------------------------------------------------------


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


def run_self_test(report_path: Path) -> int:
    """Run every check, write the report; 0 when all passed, 1 naming the first failure."""
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


# --- the start-up probe ------------------------------------------------------------------------
