"""A window's size and position, and its splitters' layouts, kept in QSettings (never patient
data), using only QWidget's API so that any window or dialog can use it (Picard's
PreserveGeometry)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSplitter, QWidget

# Room for the window manager's frame while it is unknown (the first size is set before the
# window is shown): a title bar and bottom edge (openbox 20 + 4 px, Windows ~31 + 8) and the two
# side edges (openbox and Windows 10 draw 1 px each; 4 px each leaves room for thicker ones).
FRAME = 40
SIDES = 8


class PreserveGeometry:
    """Saved as ``KEY/geometry`` and ``KEY/NAME`` for each named splitter."""

    def __init__(self, window: QWidget, key: str, splitters: dict[str, QSplitter]) -> None:
        self.window, self.key, self.splitters = window, key, splitters

    def restore_geometry(self) -> bool:
        """True when a saved geometry was restored."""
        geometry = QSettings().value(f"{self.key}/geometry")
        if isinstance(geometry, QByteArray):
            return self.window.restoreGeometry(geometry)
        return False

    def restore_splitters(self) -> None:
        settings = QSettings()
        for name, splitter in self.splitters.items():
            state = settings.value(f"{self.key}/{name}")
            if isinstance(state, QByteArray):
                splitter.restoreState(state)

    def has_saved(self, name: str) -> bool:
        return QSettings().value(f"{self.key}/{name}") is not None

    def save(self) -> None:
        settings = QSettings()
        settings.setValue(f"{self.key}/geometry", self.window.saveGeometry())
        for name, splitter in self.splitters.items():
            settings.setValue(f"{self.key}/{name}", splitter.saveState())


def frame_room(window: QWidget) -> tuple[int, int]:
    """(width, height) the window manager's frame adds to ``window``: measured once the shown
    window has been framed, else the room kept for a typical frame."""
    frame, inner = window.frameGeometry(), window.geometry()
    if window.isVisible() and frame != inner:
        return frame.width() - inner.width(), frame.height() - inner.height()
    return SIDES, FRAME


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize, never larger than the screen's free area less the frame (title bar, edges)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    free = screen.availableGeometry()
    extra_width, extra_height = frame_room(window)
    window.resize(min(width, free.width() - extra_width), min(height, free.height() - extra_height))


def keep_on_screen(window: QWidget) -> bool:
    """Once the window manager has framed the shown ``window`` (right after its first paint):
    shrink it and move it so that all of it, frame included, lies in the screen's free area
    (the first size kept room for a typical frame; a thicker one would push the right edge, and
    the buttons there, off the screen). True when the window was resized or moved."""
    screen = window.screen()
    if screen is None or window.isMaximized() or window.isFullScreen():
        return False
    free, frame = screen.availableGeometry(), window.frameGeometry()
    if free.contains(frame):
        return False
    extra_width, extra_height = frame.width() - window.width(), frame.height() - window.height()
    width = min(window.width(), free.width() - extra_width)
    height = min(window.height(), free.height() - extra_height)
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    frame = window.frameGeometry()
    dx = max(free.left() - frame.left(), min(0, free.right() - frame.right()))
    dy = max(free.top() - frame.top(), min(0, free.bottom() - frame.bottom()))
    if dx or dy:
        window.move(window.pos().x() + dx, window.pos().y() + dy)  # pos(): the frame's corner
    return True
