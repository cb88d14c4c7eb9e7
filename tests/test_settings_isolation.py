"""The suite never writes the developer's real settings (review 2, §3.2): run a GUI test that
saves window state with HOME pointing at an empty folder, and nothing appears under it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GUI_TEST = "tests/test_app_flow.py::test_gui_opens_the_clinic_database_only_when_needed"


def test_a_gui_test_leaves_home_untouched(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "REFERRAL_APP_"))}
    env |= {"HOME": str(home), "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", GUI_TEST],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert sorted(p.relative_to(home) for p in home.rglob("*")) == []
