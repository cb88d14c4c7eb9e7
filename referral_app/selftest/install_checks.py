"""Checks of the install itself: Qt starts, resources and plugins are there, the binding does not
leak references to None, QtNetwork is neither bundled nor loaded, and the clinic database's driver
finds libpq."""

from __future__ import annotations

import sys
from pathlib import Path

from referral_app import paths
from referral_app.selftest.context import Context

REFCOUNT_CALLS = 20_000  # void Qt calls for the none_refcount check
TEMPLATES = (
    "base.css",
    "handout_strings.toml",
    "therapist.html.j2",
    "patient.html.j2",
    "clinic.html.j2",
)
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


def scratch_settings(ctx: Context) -> None:
    """Every QSettings the checks make (the main window's geometry, splitter, view) goes to the
    scratch folder: the self-test never reads or writes the user's settings. Undone by
    ``restore_settings`` (the self-test can run inside another program: the tests)."""
    from PySide6.QtCore import QSettings, QStandardPaths

    home = QStandardPaths.StandardLocation.GenericConfigLocation
    ctx.found["settings_home"] = QStandardPaths.writableLocation(home)
    ctx.found["settings_format"] = QSettings.defaultFormat()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)  # files everywhere, not the registry
    scratch = str(ctx.workdir / "settings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, scratch)


def restore_settings(ctx: Context) -> None:
    from PySide6.QtCore import QSettings

    if "settings_home" in ctx.found:
        user = QSettings.Scope.UserScope
        QSettings.setPath(QSettings.Format.IniFormat, user, ctx.found["settings_home"])
        QSettings.setDefaultFormat(ctx.found["settings_format"])


def check_qt_app(ctx: Context) -> str:
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtGui import QGuiApplication

    from referral_app.ui.app_setup import make_app

    previous = qInstallMessageHandler(lambda _mode, _where, text: ctx.qt_messages.append(text))
    ctx.found["previous_handler"] = previous
    ctx.found["app"] = make_app()
    scratch_settings(ctx)
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


def check_no_network(_ctx: Context) -> str:
    loaded = [m for m in sys.modules if m.startswith("PySide6.QtNetwork")]
    maps = Path("/proc/self/maps")
    if maps.is_file():
        loaded += sorted(
            {line.split()[-1] for line in maps.read_text().splitlines() if "Qt6Network" in line}
        )
    if paths.FROZEN:
        loaded += [str(p) for p in paths.BUNDLE_DIR.rglob("*Qt*Network*")]
    if loaded:
        raise RuntimeError(f"QtNetwork is present: {', '.join(loaded)}")
    return "QtNetwork is neither bundled nor loaded"


def check_clinic_driver(_ctx: Context) -> str:
    """The shared clinic database's driver loads (only in shared mode does the app itself load
    it). A Linux bundle: pure-Python psycopg with the system's libpq5, never a copy of its own."""
    import psycopg
    from psycopg import pq

    libpq = "bundled with psycopg[binary]"
    if sys.platform.startswith("linux"):
        maps = Path("/proc/self/maps").read_text().splitlines()
        libpq = next((ln.split()[-1] for ln in maps if "/libpq.so" in ln), "not loaded")
        if paths.FROZEN and (pq.__impl__ != "python" or libpq.startswith(str(paths.BUNDLE_DIR))):
            raise RuntimeError(
                f"psycopg {pq.__impl__} with {libpq}: the bundle must use the system's libpq5, "
                "not carry psycopg_binary (packaging/pyi_options.py)"
            )
    return f"psycopg {psycopg.__version__} ({pq.__impl__}), libpq {pq.version()}: {libpq}"
