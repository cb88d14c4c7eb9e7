"""The main window, frame included, fits the screen's free area at 1024×600, 1366×768 and
1920×1080, and the "New patient" button at its top right is all on the screen (at 1024×600 the
first size was the screen's width, so openbox's 1-px side edges pushed the window's right edge
and the button's border off the screen).

Each size runs in a child process whose offscreen screen has that size (the test session's is
800×800). The offscreen platform draws no frame, so the child gives the window a window
manager's frame once it is shown: openbox's (1 px at the sides, a 20-px title bar, a 4-px bottom
edge) or a thick one (8 px, 31 px), which the first size cannot know (the window shrinks and moves
right after its first paint, as ui/app_setup.py asks)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.screen_helpers import run_on_screen

SCRIPT = r"""
import json, sys
from pathlib import Path
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication
from referral_app.db.reference import ReferenceStore
from referral_app.ui.main_window import MainWindow

app = QApplication([])
store = ReferenceStore.open(Path(sys.argv[1]))
left, top, right, bottom = json.loads(sys.argv[2])
framed = False  # the window manager frames the window once it is shown


def frame_geometry(window):
    inner = window.geometry()
    return inner.adjusted(-left, -top, right, bottom) if framed else inner


MainWindow.frameGeometry = frame_geometry
window = MainWindow(store)
first = [window.width(), window.height()]
window.show()
app.processEvents()
framed = True
window.keep_on_screen()  # as right after the first paint (ui/app_setup.py)
window.open_condition("fibromyalgia")
app.processEvents()
button = window.encounter_bar.button
corner = button.mapToGlobal(button.rect().bottomRight())
origin = button.mapToGlobal(button.rect().topLeft())
print(json.dumps({
    "free": list(window.screen().availableGeometry().getRect()),
    "first": first,
    "size": [window.width(), window.height()],
    "frame": list(window.frameGeometry().getRect()),
    "window": list(window.geometry().getRect()),
    "button": [origin.x(), origin.y(), corner.x(), corner.y()],
    "button_seen": list(button.visibleRegion().boundingRect().getRect()),
    "button_rect": list(button.rect().getRect()),
    "minimum": [max(window.minimumSizeHint().width(), window.minimumWidth()),
                max(window.minimumSizeHint().height(), window.minimumHeight())],
    "sizes": window.splitter.sizes(),
}))
"""

OPENBOX = (1, 20, 1, 4)
THICK = (8, 31, 8, 8)


def _run(tmp_path: Path, reference_db: Path, width: int, height: int, frame) -> dict:
    # no saved geometry; none written elsewhere
    config_home = str(tmp_path / "config")
    args = (str(reference_db), json.dumps(frame))
    return run_on_screen(tmp_path, width, height, SCRIPT, *args, XDG_CONFIG_HOME=config_home)


def _inside(outer: list[int], x1: int, y1: int, x2: int, y2: int) -> bool:
    left, top, width, height = outer
    return left <= x1 and top <= y1 and x2 < left + width and y2 < top + height


@pytest.mark.parametrize(
    ("width", "height", "frame"),
    [(1024, 600, OPENBOX), (1024, 600, THICK), (1366, 768, OPENBOX), (1920, 1080, OPENBOX)],
)
def test_whole_window_and_new_patient_on_the_screen(
    tmp_path: Path, reference_db: Path, width: int, height: int, frame
) -> None:
    found = _run(tmp_path, reference_db, width, height, list(frame))
    assert found["free"] == [0, 0, width, height]
    x, y, w, h = found["frame"]
    assert _inside(found["free"], x, y, x + w - 1, y + h - 1), found  # frame and all
    sides, title_and_bottom = frame[0] + frame[2], frame[1] + frame[3]
    assert found["minimum"][0] + sides <= width and found["minimum"][1] + title_and_bottom <= height
    assert _inside(found["window"], *found["button"]), found  # inside the window's width
    assert _inside(found["free"], *found["button"]), found  # and on the screen
    assert found["button_seen"] == found["button_rect"], found  # nothing covers it
    names, card, screen = found["sizes"]
    assert names >= 290 and screen > card > 250, found  # each pane keeps its room
    if width >= 1366:  # a larger screen keeps the window's usual size (1280 wide)
        assert found["size"][0] == 1280 == found["first"][0], found
    if frame == OPENBOX:  # the first size already left room for the frame: nothing moves
        assert found["size"] == found["first"], found
