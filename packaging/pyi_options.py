"""PyInstaller options shared by build.spec and benchmarks/startup.py (its bare Qt app).

Plain Python without a PyInstaller import, so the benchmark builds its bare app with exactly the
same exclusions, pruning and stripping as the real bundle. The spec calls :func:`prune` on the
Analysis after it has run.

What the bundle carries: Python, the pip-installed packages and the Qt that came with PySide6.
What it does not: system libraries (X11/xcb, fontconfig, CUPS, GL, glib, OpenSSL, libstdc++ ...).
Those come from the system: the .deb names their packages in Depends and README lists them for
the archive. Bundling them breaks more than it fixes (an old libstdc++ next to the system's Mesa
driver, an old fontconfig against newer config files, a second glib), and makes the bundle
depend on whatever happened to be installed on the build machine.
"""

from __future__ import annotations

import filecmp
import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath

# Onedir, no UPX (it corrupts Qt libraries and upsets antivirus), stripped binaries.
UPX = False
STRIP = True

# The app uses QtCore, QtGui, QtWidgets and QtPrintSupport only; it must never carry QtNetwork.
EXCLUDES = [
    "PyQt5", "PyQt6", "PySide2", "tkinter", "_tkinter",
    "PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2", "PySide6.QtQuickTest", "PySide6.QtTest", "PySide6.QtSql",
    "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtSvg", "PySide6.QtSvgWidgets",
    "PySide6.QtXml", "PySide6.QtHelp", "PySide6.QtDesigner", "PySide6.QtUiTools",
    "PySide6.QtConcurrent", "PySide6.QtDBus", "PySide6.QtLabsStyleKit", "PySide6.QtQmlFeatures",
    # never used (style guide 3.13): excluding it also drops PyInstaller's multiprocessing and
    # pkgutil run-time hooks, which every start ran before the app's first line
    "multiprocessing",
    # only click's suggestions for its own mistyped options (sqlite-utils' command line, which
    # the app never runs) import it, lazily
    "difflib",
    # test and build-time tools never ship
    "simple_icd_10_cm", "pytest", "_pytest", "pytestqt", "hypothesis", "pypdf", "ruff",
    # rapidfuzz's AVX2 builds duplicate its generic ones (5 MB) for ~5% on the typo fallback
    # of search; rapidfuzz falls back to the generic builds when these are missing.
    "rapidfuzz.fuzz_cpp_avx2", "rapidfuzz.distance.metrics_cpp_avx2",
    "rapidfuzz.process_cpp_avx2", "rapidfuzz.utils_cpp_avx2",
    # rapidfuzz's compiled distance metrics (3 MB): the app calls fuzz.ratio and process.extract
    # only, which are compiled in fuzz_cpp and process_cpp_impl; the rapidfuzz.distance classes
    # it never calls fall back to their Python builds. The frozen self-test fails if fuzz.ratio
    # or process.extract stop being compiled.
    "rapidfuzz.distance.metrics_cpp",
]  # fmt: skip
if sys.platform.startswith("linux"):
    # psycopg's compiled builds: on Linux the pure-Python psycopg loads the system's libpq5
    # (packaging/system-packages.txt); psycopg_binary would add ~12 MB (its own libpq, OpenSSL,
    # Kerberos, LDAP), even when a stale build venv still has it installed.
    EXCLUDES += ["psycopg_binary", "psycopg_c"]

# Qt translations: none. The app installs no QTranslator (its window is in English; Spanish is
# for the patient handout, written in data/), so Qt's own catalogs would never be loaded.

# Qt plugins, by folder. Dropped kinds: network (tls, networkinformation, the TUIO touch plugin in
# generic/ that links QtNetwork), QML, SQL, Wayland and EGLFS (X11 and XWayland go through xcb),
# the GTK theme (it loads the system's GTK 3 into the process), rare image formats.
PLUGINS_DROPPED = {
    "designer", "egldeviceintegrations", "generic", "networkinformation", "qmltooling",
    "sqldrivers", "tls", "vectorimageformats", "wayland-decoration-client",
    "wayland-graphics-integration-client", "wayland-graphics-integration-server",
    "wayland-shell-integration",
}  # fmt: skip
PLUGINS_KEPT_ONLY = {  # by name without "lib" and extension, so Windows and macOS work too
    "platforms": {"qxcb", "qoffscreen", "qminimal", "qwindows", "qcocoa"},
    "platformthemes": {"qxdgdesktopportal"},
    "imageformats": {"qgif", "qico", "qjpeg", "qsvg"},
}

# Where a Linux distribution keeps its libraries (never bundled, see above). On Windows and macOS
# PyInstaller's own rules for system libraries apply.
SYSTEM_LIB_DIRS = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/")
_PYTHON_LIB = re.compile(r"^libpython\d")
_QT_LIB = re.compile(r"^(lib)?qt\d?[a-z]", re.IGNORECASE)  # libQt6Gui.so.6, Qt6Gui.dll, QtGui


def _stem(filename: str) -> str:
    name = filename.split(".")[0]
    return name[3:] if name.startswith("lib") else name


def keep_data(dest: str) -> bool:
    """False for Qt translation files (the app loads none)."""
    return not dest.endswith(".qm")


def keep_plugin(dest: str) -> bool:
    """False for Qt plugins of unused kinds (``dest`` is the path inside the bundle)."""
    parts = PurePath(dest).parts
    if "plugins" not in parts[:-2]:
        return True
    kind = parts[parts.index("plugins") + 1]
    if kind in PLUGINS_DROPPED:
        return False
    return kind not in PLUGINS_KEPT_ONLY or _stem(parts[-1]) in PLUGINS_KEPT_ONLY[kind]


def is_system_library(src: str) -> bool:
    """True for a library a Linux distribution provides (the Python library itself excepted)."""
    return src.startswith(SYSTEM_LIB_DIRS) and not _PYTHON_LIB.match(PurePath(src).name)


def _is_qt_library(entry: tuple) -> bool:
    dest, _src, kind = entry
    return (
        kind == "BINARY"
        and "plugins" not in PurePath(dest).parts
        and bool(_QT_LIB.match(PurePath(dest).name))
    )


def _needed_qt_libraries(
    binaries: list[tuple], imports_of: Callable[[str], Iterable[str]]
) -> set[str]:
    """Bundle paths of the Qt libraries that something else in the bundle links to."""
    qt = {PurePath(e[0]).name.lower(): e for e in binaries if _is_qt_library(e)}
    todo = [e for e in binaries if not _is_qt_library(e)]
    seen: set[str] = set()
    while todo:
        dest, src, _kind = todo.pop()
        for name in imports_of(src):
            entry = qt.get(PurePath(name).name.lower())
            if entry and entry[0] not in seen:
                seen.add(entry[0])
                todo.append(entry)
    return seen


def prune_binaries(binaries: list[tuple], imports_of: Callable[[str], Iterable[str]]) -> list:
    """Drop unused plugins and system libraries, then the Qt libraries only they needed."""
    kept = [b for b in binaries if keep_plugin(b[0]) and not is_system_library(b[1])]
    needed = _needed_qt_libraries(kept, imports_of)
    return [b for b in kept if not _is_qt_library(b) or b[0] in needed]


def prune_datas(datas: list[tuple], binaries: list[tuple]) -> list[tuple]:
    """Drop translations in other languages, and symlinks to libraries no longer bundled."""
    present = {dest for dest, _src, _kind in binaries}
    return [
        entry
        for entry in datas
        if keep_data(entry[0]) and (entry[2] != "SYMLINK" or entry[1] in present)
    ]


def prune(analysis, imports_of: Callable[[str], Iterable[str]]) -> None:
    """Apply all of the above to a PyInstaller Analysis, in place."""
    analysis.binaries = prune_binaries(list(analysis.binaries), imports_of)
    analysis.datas = prune_datas(list(analysis.datas), analysis.binaries)


def link_identical(first: Path, second: Path) -> bool:
    """Hard-link ``second`` to ``first`` when they are byte-identical; True if linked.

    On Linux PyInstaller's console and windowed executables are the same file (the flag only
    matters on Windows and macOS), and each carries the whole Python archive: one copy is enough.
    """
    if not filecmp.cmp(first, second, shallow=False):
        return False
    second.unlink()
    os.link(first, second)
    return True
