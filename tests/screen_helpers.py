"""Run a Qt script in a child process on an offscreen screen of a given size.

The offscreen platform takes its screens from a JSON file (``configfile``); a screen's size can
only be set before QApplication exists, hence one child process per size. The script prints a
JSON line last; its parsed value is returned.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def run_on_screen(
    tmp_path: Path, width: int, height: int, script: str, *args: str, **env: str
) -> Any:
    """Run ``python -c script args`` on a ``width`` x ``height`` screen at 96 dpi (``env``: more
    variables for the child) and return the JSON of its last line of output."""
    config = tmp_path / "screen.json"
    screen = {"name": "screen", "x": 0, "y": 0, "width": width, "height": height}
    config.write_text(json.dumps({"screens": [screen | {"logicalDpi": 96, "dpr": 1}]}))
    child_env = os.environ | {
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "PYTHONPATH": str(REPO),
    }
    run = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=child_env | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout.strip().splitlines()[-1])
