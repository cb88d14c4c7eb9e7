"""packaging/ensure-system-deps.sh and the one list of system packages it shares with the .deb.

The script runs against fake dpkg-query / apt-get / rpm / dnf / sudo on a PATH of their own, so
these tests install nothing and give the same result on any machine.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "packaging" / "ensure-system-deps.sh"
LIST = REPO / "packaging" / "system-packages.txt"
TOOLS = ("sh", "sed", "awk", "grep", "uname", "dirname", "tr", "sort", "cat", "env")


def _rows() -> list[list[str]]:
    lines = (x.split("#", 1)[0] for x in LIST.read_text(encoding="utf-8").splitlines())
    return [line.split(None, 3) for line in lines if line.strip()]


def _make_packages():
    spec = importlib.util.spec_from_file_location(
        "make_packages", REPO / "packaging/make_packages.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def fakebin(tmp_path: Path) -> Path:
    """A PATH with the shell tools the script uses and nothing else; fakes are added per test."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in TOOLS:
        os.symlink(shutil.which(tool), folder / tool)
    return folder


def _fake(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def _run(fakebin: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": str(fakebin),
        "LOG": str(fakebin.parent / "calls.log"),
        "INSTALLED": str(fakebin.parent / "installed"),
    }
    return subprocess.run(
        ["sh", str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=30
    )


def _calls(fakebin: Path) -> list[str]:
    log = fakebin.parent / "calls.log"
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


# A fake package manager: logs its command line; "install" records the packages as installed.
RECORD = """echo "{name} $*" >> "$LOG"
[ "$1" = install ] || exit 0
for p in "$@"; do case $p in -*|*=*|install) ;; *) echo "$p" >> "$INSTALLED" ;; esac; done"""


def _debian(fakebin: Path, installed: list[str], uid: int = 0, sudo: bool = True) -> None:
    (fakebin.parent / "installed").write_text("".join(f"{p}\n" for p in installed))
    _fake(fakebin, "dpkg-query", 'sed "s/$/ installed/" "$INSTALLED"')
    _fake(fakebin, "apt-cache", "exit 0")
    _fake(fakebin, "apt-get", RECORD.format(name="apt-get"))
    _fake(fakebin, "id", f"echo {uid}")
    if sudo:
        _fake(fakebin, "sudo", 'echo "sudo" >> "$LOG"; "$@"')


def test_every_row_has_debian_fedora_library_and_reason() -> None:
    rows = _rows()
    assert len(rows) >= 20
    for row in rows:
        assert len(row) == 4, row
        assert row[2] == "-" or re.fullmatch(r"lib[\w.+-]+\.so\.\d+", row[2]), row
    names = [row[0] for row in rows]
    assert len(names) == len(set(names))
    assert {"libglib2.0-0", "libxcb-cursor0", "libxkbcommon-x11-0", "libcups2"} <= set(names)


def test_the_deb_depends_on_the_same_list() -> None:
    deb = _make_packages()
    depends = deb.merge_depends(deb.listed_depends(), ["libc6 (>= 2.34)"]).split(", ")
    assert {d.split()[0] for d in depends} == {row[0] for row in _rows()} | {"libc6"}


def test_make_and_ci_install_from_the_list_first() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in ("run", "test"):
        line = next(x for x in makefile.splitlines() if x.startswith(f"{target}:"))
        assert line.split(":", 1)[1].split()[0] == "system-deps", line
    assert "packaging/ensure-system-deps.sh" in makefile
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "packaging/ensure-system-deps.sh" in ci
    assert "libxcb" not in ci and "libegl" not in ci  # no second list to drift


def test_nothing_missing_is_silent_and_installs_nothing(fakebin: Path) -> None:
    _debian(fakebin, [row[0] for row in _rows()])

    done = _run(fakebin)

    assert done.returncode == 0 and done.stdout == "" and done.stderr == ""
    assert _calls(fakebin) == []  # no apt-get update, no install


def test_debian_installs_only_what_is_missing_and_says_why(fakebin: Path) -> None:
    names = [row[0] for row in _rows()]
    _debian(fakebin, [n for n in names if n not in ("libglib2.0-0", "libxcb-cursor0")])

    done = _run(fakebin)

    assert done.returncode == 0, done.stderr
    assert "libglib2.0-0: QtCore's event loop" in done.stdout
    assert "libxcb-cursor0: the xcb platform plugin" in done.stdout
    calls = _calls(fakebin)
    assert len(calls) == 1 and calls[0].startswith("apt-get install -y")
    assert calls[0].endswith(" libglib2.0-0 libxcb-cursor0")


def test_debian_not_root_goes_through_sudo(fakebin: Path) -> None:
    _debian(fakebin, [], uid=1000)

    done = _run(fakebin)

    assert "sudo" in done.stderr
    assert _calls(fakebin)[0] == "sudo"


def test_debian_not_root_without_sudo_says_what_to_run(fakebin: Path) -> None:
    _debian(fakebin, [], uid=1000, sudo=False)

    done = _run(fakebin)

    assert done.returncode == 1
    assert "as root, run: env DEBIAN_FRONTEND=noninteractive apt-get install" in done.stderr
    assert "libglib2.0-0" in done.stderr


def test_unknown_packages_update_the_lists_first(fakebin: Path) -> None:
    _debian(fakebin, [])
    _fake(fakebin, "apt-cache", "exit 100")

    _run(fakebin)

    calls = _calls(fakebin)
    assert calls[0] == "apt-get update -qq" and calls[1].startswith("apt-get install")


def test_check_only_installs_nothing(fakebin: Path) -> None:
    _debian(fakebin, [])

    done = _run(fakebin, "--check")

    assert done.returncode == 1 and "libglib2.0-0" in done.stdout
    assert _calls(fakebin) == []


def test_fedora_installs_the_fedora_names(fakebin: Path) -> None:
    (fakebin.parent / "installed").write_text(
        "".join(f"{row[1]}\n" for row in _rows() if row[1] not in ("glib2", "libxcb"))
    )
    _fake(
        fakebin,
        "rpm",
        'for p in "$@"; do [ "$p" = -q ] && continue; grep -qx "$p" "$INSTALLED" '
        '&& echo "$p-1.0" || echo "package $p is not installed"; done',
    )
    _fake(fakebin, "dnf", RECORD.format(name="dnf"))
    _fake(fakebin, "id", "echo 0")

    done = _run(fakebin)

    assert done.returncode == 0, done.stderr
    assert "glib2: QtCore's event loop" in done.stdout
    assert _calls(fakebin) == ["dnf install -y glib2 libxcb"]


def test_other_linux_stops_with_one_line_naming_the_libraries(fakebin: Path) -> None:
    _fake(
        fakebin, "ldconfig", 'echo "	libglib-2.0.so.0 (libc6,x86-64) => /lib/libglib-2.0.so.0"'
    )

    done = _run(fakebin)

    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "libxcb-cursor.so.0" in lines[0] and "libxcb-cursor0" in lines[0]
    assert " libglib-2.0.so.0" not in lines[0].split("providing:")[1].split("(")[0]


def test_no_qt_translation_is_bundled() -> None:
    """The app installs no QTranslator, so a Qt catalog in the bundle would never be loaded."""
    spec = importlib.util.spec_from_file_location("pyi_options", REPO / "packaging/pyi_options.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert not module.keep_data("PySide6/Qt/translations/qtbase_es.qm")
    assert not module.keep_data("PySide6/Qt/translations/qt_en.qm")
    assert module.keep_data("resources/templates/base.css")
    app_code = (REPO / "referral_app").rglob("*.py")
    assert not [p.name for p in app_code if "QTranslator" in p.read_text(encoding="utf-8")]
