"""A window's size and position, and its splitters' layouts, kept in QSettings (never patient
data), using only QWidget's API so that any window or dialog can use it (Picard's
PreserveGeometry)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSplitter, QWidget

FRAME = 40  # a typical title bar and frame


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


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize, never larger than the screen's free area (title bar and panels included)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    free = screen.availableGeometry()
    window.resize(min(width, free.width()), min(height, free.height() - FRAME))
