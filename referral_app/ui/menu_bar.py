"""The main window's menu bar, a widget the window owns (TagStudio's MainMenuBar): the menu
titles paint with the window; their entries come with fill(), right after the first paint."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from referral_app.ui.actions import MainAction

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from referral_app.ui.view_settings import ViewSettings


class MainMenuBar(QMenuBar):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.file_menu = self.addMenu("&File")
        self.edit_menu = self.addMenu("&Edit")
        self.view_menu = self.addMenu("&View")
        self.network_menu = self.addMenu("Net&work")  # Alt+N: Nothing else found
        self.help_menu = self.addMenu("&Help")
        self.recent_menu: QMenu | None = None  # File → Recent conditions, made by fill()

    def fill(self, actions: dict[MainAction, QAction], view: ViewSettings) -> QMenu:
        """Put each action in its menu (once); returns the Recent conditions menu."""
        if self.recent_menu is not None:
            return self.recent_menu
        self.file_menu.addActions([actions[MainAction.NEW_PATIENT], actions[MainAction.REFER]])
        self.recent_menu = self.file_menu.addMenu("Recent &conditions")
        self.file_menu.addSeparator()
        for name in (MainAction.SETTINGS, MainAction.CLINIC_DB, MainAction.QUIT):
            self.file_menu.addAction(actions[name])
        for name in (MainAction.UNDO_SCREENING, MainAction.COPY_CHART_NOTE):
            self.edit_menu.addAction(actions[name])
        view.add_menu(self.view_menu)
        for name in (MainAction.NETWORK, MainAction.LOG):
            self.network_menu.addAction(actions[name])
        for name in (
            MainAction.QUICK_START,
            MainAction.SHORTCUTS,
            MainAction.METHOD,
            MainAction.CHANGES,
            MainAction.UPDATE_CONTENT,
            MainAction.ABOUT,
        ):
            self.help_menu.addAction(actions[name])
        return self.recent_menu
