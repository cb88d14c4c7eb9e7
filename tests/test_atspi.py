"""Issue 26 point 5 heard through AT-SPI, the accessibility bus Orca listens to: the main window
runs on the real xcb platform under Xvfb with a private D-Bus session and the AT-SPI registry;
a client (tests/atspi_client.py, the system Python's gi Atspi) answers "Fever: Yes" with the
radio button's Toggle action, as an AT does, and must hear the level change as an
``object:announcement``; every focusable object it sees has a name and the filters a label.

Skipped where Xvfb, D-Bus, at-spi2-core or the Atspi typelib is missing (a laptop); CI installs
them (.ci/run) and sets REFERRAL_REQUIRE_ATSPI=1, so there it must run, never skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from referral_app.db.reference import ReferenceStore

REPO = Path(__file__).resolve().parent.parent
SYSTEM_PYTHON = "/usr/bin/python3"
CHECK_ATSPI = "import gi; gi.require_version('Atspi', '2.0'); from gi.repository import Atspi"


def _atspi_problem() -> str | None:
    for tool in ("Xvfb", "dbus-run-session"):
        if not shutil.which(tool):
            return f"{tool} is not installed"
    if not Path("/usr/share/dbus-1/services/org.a11y.Bus.service").exists():
        return "at-spi2-core is not installed (D-Bus cannot start the accessibility bus)"
    if not Path(SYSTEM_PYTHON).exists():
        return f"no {SYSTEM_PYTHON}"
    check = subprocess.run([SYSTEM_PYTHON, "-c", CHECK_ATSPI], capture_output=True, check=False)
    if check.returncode != 0:
        return "the system Python has no gi Atspi (python3-gi, gir1.2-atspi-2.0)"
    return None


@pytest.fixture()
def atspi() -> None:
    problem = _atspi_problem()
    if problem:
        if os.environ.get("REFERRAL_REQUIRE_ATSPI"):
            pytest.fail(f"REFERRAL_REQUIRE_ATSPI is set but {problem}")
        pytest.skip(problem)


@pytest.fixture()
def display(atspi, tmp_path: Path):
    """A private X server (Xvfb picks a free display number)."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        if not number:
            pytest.fail("Xvfb did not start")
        yield f":{number}"
    finally:
        xvfb.terminate()
        xvfb.wait(10)


def _hear(display: str, tmp_path: Path, reference_db: Path, question: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "QT_", "AT_SPI"))}
    env |= {
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
        "PYTHONPATH": str(REPO),
        "REFERRAL_APP_DATA_DIR": str(tmp_path / "userdata"),
        "NO_AT_BRIDGE": "1",  # the client itself needs no bridge
    }
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
        env[var] = str(tmp_path / var.lower())
        Path(env[var]).mkdir(mode=0o700, parents=True, exist_ok=True)
    window = [sys.executable, str(REPO / "tests" / "atspi_window.py")]
    window += [str(reference_db), str(tmp_path), "neck-pain"]
    client = [SYSTEM_PYTHON, str(REPO / "tests" / "atspi_client.py"), question, "--", *window]
    done = subprocess.run(
        ["dbus-run-session", "--", *client],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, f"the AT-SPI client printed nothing:\n{done.stdout}\n{done.stderr[-3000:]}"
    return json.loads(lines[-1])


def test_a_screen_reader_hears_the_level_change_and_every_control_has_a_name(
    display: str, tmp_path: Path, reference_db: Path, store: ReferenceStore
) -> None:
    fever = next(f for f in store.flags() if f.id == "fever")
    report = _hear(display, tmp_path, reference_db, f"{fever.label}: Yes")
    assert "error" not in report, report.get("error")
    assert report["checked"]  # the Toggle action answered the question
    said = [e for e in report["heard"] if e["type"] == "object:announcement"]
    assert said == [
        {
            "type": "object:announcement",
            "role": "label",
            "name": "Recommendation",
            "data": "Recommendation changed: Defer: do not refer yet",
        }
    ]
    nodes = report["nodes"]
    # every object the keyboard can reach, shown now or later (a drop-down's list, the clear
    # button once there is text)
    unnamed = [n for n in nodes if n["focusable"] and not n["name"].strip()]
    assert unnamed == []
    combos = {n["name"]: n["relations"] for n in nodes if n["role"] == "combo box"}
    labels = sorted(tuple(r.get("labelled-by", [])) for r in combos.values())
    assert labels == [("Body system",), ("Evidence",)], combos
    assert any(n["role"] == "push button" and n["name"] == "Clear the search" for n in nodes)
