"""View menu: text size and colour scheme (system, light, dark or high contrast).

Kept in QSettings (never patient data). "System" follows the desktop's light or dark setting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QPalette

SCHEMES = (
    ("system", "Follow the &system"),
    ("light", "&Light"),
    ("dark", "&Dark"),
    ("contrast", "&High contrast"),
)
MIN_POINTS, MAX_POINTS = 7, 24


def high_contrast_palette() -> QPalette:
    from PySide6.QtGui import QColor, QPalette  # only when a scheme is chosen, not at start-up

    palette = QPalette()
    black, white, yellow = QColor("#000000"), QColor("#ffffff"), QColor("#ffff00")
    for role in (
        QPalette.ColorRole.Window,
        QPalette.ColorRole.Base,
        QPalette.ColorRole.Button,
        QPalette.ColorRole.AlternateBase,
        QPalette.ColorRole.ToolTipBase,
    ):
        palette.setColor(role, black)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.ToolTipText,
        QPalette.ColorRole.PlaceholderText,
    ):
        palette.setColor(role, white)
    palette.setColor(QPalette.ColorRole.Highlight, yellow)
    palette.setColor(QPalette.ColorRole.HighlightedText, black)
    palette.setColor(QPalette.ColorRole.Link, QColor("#00ffff"))
    palette.setColor(QPalette.ColorRole.LinkVisited, QColor("#ff80ff"))
    return palette


def dark_palette() -> QPalette:
    """A dark scheme applied by the app itself: a desktop without a platform theme (plain X11,
    Xvfb) ignores Qt's colour-scheme hint. Text, links and highlights >= 7:1 on the background."""
    from PySide6.QtGui import QColor, QPalette

    roles = QPalette.ColorRole
    colours = {
        roles.Window: "#202124",
        roles.WindowText: "#e8eaed",
        roles.Base: "#17181a",
        roles.AlternateBase: "#26282b",
        roles.Text: "#e8eaed",
        roles.Button: "#303134",
        roles.ButtonText: "#e8eaed",
        roles.ToolTipBase: "#303134",
        roles.ToolTipText: "#e8eaed",
        roles.PlaceholderText: "#a8abb0",
        roles.BrightText: "#ffffff",
        roles.Highlight: "#8ab4f8",
        roles.HighlightedText: "#000000",
        roles.Link: "#8ab4f8",
        roles.LinkVisited: "#d7aefb",
        roles.Light: "#4a4c50",
        roles.Midlight: "#3c3e42",
        roles.Mid: "#2c2e31",
        roles.Dark: "#111214",
        roles.Shadow: "#000000",
    }
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(disabled, role, QColor("#8e9196"))
    return palette


def _base_style_name() -> str:
    return QApplication.style().name().lower()


# Widgets whose empty indicator Fusion outlines in the window colour, darkened: on a dark or black
# window an unanswered radio item or check box showed no circle or box to click.
INDICATOR_CLASSES = ("QRadioButton", "QCheckBox", "QListWidget")


def outline_indicators(palette: QPalette) -> None:
    """On a dark window, those widgets' own window colour is the text colour, so the outline of
    an empty indicator is a clear grey line (they paint no background of their own); on a light
    one, the scheme's palette unchanged. Set after every application palette change."""
    from PySide6.QtGui import QPalette

    roles = QPalette.ColorRole
    own = QPalette(palette)
    if palette.color(roles.Window).lightness() < 100:
        own.setColor(roles.Window, palette.color(roles.WindowText))
    for name in INDICATOR_CLASSES:
        QApplication.setPalette(own, name)  # type: ignore[arg-type]  # a str (the stub says bytes)


class ViewSettings:
    """The stored text size and colour scheme, applied at once (before the first paint); the
    View menu's entries come with add_menu(), after it (key sequences load Qt's enums)."""

    def __init__(self, window: QWidget) -> None:
        self.window = window
        # font, palette and their setters are static (the application's), asked only once it exists
        app = QApplication.instance()
        self.default_points = QApplication.font().pointSizeF() if app else 10.0
        self.default_palette: QPalette | None = None  # the app's own, kept before the first change
        self.default_style = ""  # the app's own style, kept with it
        self.scheme_actions: dict[str, QAction] = {}
        self._scheme_set = False  # a scheme other than the system's was set in this session
        self._outlined = False  # the desktop's dark palette got its indicator outlines
        settings = QSettings()
        points = settings.value("view/points")
        if points is not None:
            self.set_points(float(points))
        self.scheme = "system"
        self.set_scheme(str(settings.value("view/scheme", "system")), save=False)

    def add_menu(self, menu: QMenu) -> None:
        """Larger, smaller and default text; the colour schemes (once)."""
        if self.scheme_actions:
            return
        from referral_app.ui import focus_ring

        focus_ring.install()  # a focus ring that shows in every scheme (after the first paint)
        self._follow_system()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_changed)
        from PySide6.QtGui import QActionGroup, QKeySequence

        from referral_app.ui.qt_names import key_sequence

        for text, keys, step in (
            ("&Larger text", QKeySequence.StandardKey.ZoomIn, 1),
            ("&Smaller text", QKeySequence.StandardKey.ZoomOut, -1),
            ("&Default text size", "Ctrl+0", 0),
        ):
            action = menu.addAction(text)
            first = key_sequence(keys)  # a StandardKey in a list stands for its first binding
            action.setShortcuts([first, QKeySequence("Ctrl+=")] if step == 1 else [first])
            action.triggered.connect(lambda _=False, s=step: self.change_size(s))
        colours = menu.addMenu("&Colours")
        group = QActionGroup(menu)
        for key, text in SCHEMES:
            action = colours.addAction(text)
            action.setCheckable(True)
            group.addAction(action)
            action.triggered.connect(lambda _=False, k=key: self.set_scheme(k))
            self.scheme_actions[key] = action
        self.scheme_actions[self.scheme].setChecked(True)

    def _system_changed(self) -> None:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, self._follow_system)  # once the desktop's palette has come

    def _follow_system(self) -> None:
        """The desktop's own scheme, dark at start or changed since: indicators it can show."""
        if self.scheme != "system" or self._scheme_set:
            return  # a palette of ours, with its indicators set with it
        palette = QApplication.palette()
        if self._outlined or palette.window().color().lightness() < 100:
            self._outlined = True
            outline_indicators(palette)

    def points(self) -> float:
        app = QApplication.instance()
        return QApplication.font().pointSizeF() if app else self.default_points

    def change_size(self, step: int) -> None:
        self.set_points(self.default_points if step == 0 else self.points() + step)
        QSettings().setValue("view/points", self.points())

    def _apply_scheme(self, key: str) -> None:
        from PySide6.QtCore import Qt  # its enums load only when a scheme is chosen

        if self.default_palette is None:
            self.default_palette = QApplication.palette()  # a copy, before any change
            self.default_style = _base_style_name()
        self._scheme_set = True
        hints = QGuiApplication.styleHints()
        scheme = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}
        hints.setColorScheme(scheme.get(key, Qt.ColorScheme.Unknown))
        own = {"dark": dark_palette, "contrast": high_contrast_palette}.get(key)
        # Fusion draws every control in the palette's colours (a platform style may not)
        wanted = "fusion" if own is not None else self.default_style
        if wanted and _base_style_name() != wanted:
            QApplication.setStyle(wanted)
        palette = own() if own is not None else self.default_palette
        QApplication.setPalette(palette)
        outline_indicators(palette)

    def set_points(self, points: float) -> None:
        app = QApplication.instance()
        if app is None:
            return
        font = QApplication.font()
        font.setPointSizeF(max(MIN_POINTS, min(MAX_POINTS, points)))
        QApplication.setFont(font)

    def set_scheme(self, key: str, save: bool = True) -> None:
        key = key if key in dict(SCHEMES) else "system"
        self.scheme = key
        if key in self.scheme_actions:
            self.scheme_actions[key].setChecked(True)
        if QApplication.instance() is None:
            return
        if key != "system" or self._scheme_set:  # "system" at start is what Qt does already
            self._apply_scheme(key)
        if save:
            QSettings().setValue("view/scheme", key)
