"""Issue 26 points 4-5 with Qt's own accessibility layer (offscreen): every control a keyboard
reaches has a name (and a field its label), the documented Alt+N presses "Nothing else found",
Tab from the search reaches the screen in a few stops (the card's links are one stop, stepped
with the arrow keys), and a level change is announced. tests/test_atspi.py hears the same
announcement through a real AT-SPI bus."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QColor
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from referral_app.db.reference import ReferenceStore
from referral_app.db.user import UserStore
from referral_app.domain.recommend import NO, NOT_ASKED, YES
from referral_app.ui.main_window import MainWindow

FIELDS = (QComboBox, QLineEdit, QAbstractSpinBox, QPlainTextEdit)


@pytest.fixture()
def user(tmp_path: Path) -> UserStore:
    return UserStore.open(tmp_path / "userdata" / "user.db")


@pytest.fixture()
def window(qtbot, store: ReferenceStore, user: UserStore) -> MainWindow:
    win = MainWindow(store, user)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    return win


def unnamed_controls(top: QWidget) -> list[str]:
    """Every visible control Tab reaches whose accessible name is empty, or a field (combo box,
    line edit, spin box, text box) named only by its value: no accessible name and no label."""
    buddies = {id(label.buddy()) for label in top.findChildren(QLabel) if label.buddy()}
    missing = []
    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisibleTo(top) or not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        if isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox)):
            continue  # a spin box's or combo box's own line edit: the box itself is checked
        iface = QAccessible.queryAccessibleInterface(widget)
        name = iface.text(QAccessible.Text.Name).strip() if iface else ""
        field = isinstance(widget, FIELDS) or (
            isinstance(widget, QTextEdit) and not widget.isReadOnly()
        )
        labelled = bool(widget.accessibleName()) or id(widget) in buddies
        if not name or (field and not labelled):
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} name={name!r}")
    return missing


def test_every_control_of_the_main_window_has_a_name(window: MainWindow) -> None:
    window.search_box.setText("neck")  # the clear button shows with text
    window.open_condition("neck-pain")
    assert unnamed_controls(window) == []
    clear = [b for b in window.search_box.children() if b.__class__.__name__ == "QToolButton"]
    assert clear and all(b.accessibleName() == "Clear the search" for b in clear)
    for combo in (window.browser.category, window.browser.level):
        label = next(lb for lb in window.findChildren(QLabel) if lb.buddy() is combo)
        assert label.text() in ("Body s&ystem", "Evi&dence") and label.isVisibleTo(window)


def test_every_control_of_the_dialogs_has_a_name(qtbot, store, user) -> None:
    from referral_app.ui.dialogs.center_edit_dialog import CenterEditDialog
    from referral_app.ui.dialogs.network_dialog import NetworkDialog
    from referral_app.ui.dialogs.referral_dialog import ReferralDialog
    from referral_app.ui.dialogs.settings_dialog import SettingsDialog

    dialogs = [
        SettingsDialog(user),
        ReferralDialog(store.get_center("ucsf-osher"), "Neck pain"),
        NetworkDialog(user, store=store),
        CenterEditDialog(),
    ]
    found = {}
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        found[type(dialog).__name__] = unnamed_controls(dialog)
        dialog.close()
    assert found == {type(d).__name__: [] for d in dialogs}


def test_alt_n_presses_nothing_else_found_from_the_search_box(qtbot, window) -> None:
    window.open_condition("knee-osteoarthritis")
    window.screening.set_answer("fever", YES)
    window.search_box.setFocus()
    qtbot.waitUntil(window.search_box.hasFocus)
    qtbot.keyClick(window.search_box, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert QApplication.activePopupWidget() is None  # no menu opened
    flags = window.screening.flags
    qtbot.waitUntil(lambda: len(window.screening.answers().answers) == len(flags))  # a click
    answers = window.screening.answers().answers
    assert answers["fever"] == YES  # kept
    assert set(answers.values()) == {YES, NO}
    titles = [a.text() for a in window.menuBar().actions()]
    assert "Net&work" in titles and sum(t.lower().count("&n") for t in titles) == 0


def tab_stops_to_screen(qtbot, window: MainWindow) -> int:
    window.search_box.setFocus()
    qtbot.waitUntil(window.search_box.hasFocus)
    radios = set(window.screening.buttons.values())
    for stop in range(1, 40):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if QApplication.focusWidget() in radios:
            return stop
    return 99


def test_tab_reaches_the_screen_in_a_few_stops_and_arrows_step_the_links(qtbot, window) -> None:
    window.open_condition("knee-osteoarthritis")
    card = window.card
    assert len(card.link_starts()) >= 20  # the card that took ~28 Tabs to leave
    stops = tab_stops_to_screen(qtbot, window)
    assert stops <= 7, stops  # results, 2 filters, card, Refer, New patient, a question
    card.setFocus()
    qtbot.waitUntil(card.hasFocus)
    hrefs = []
    for _ in range(3):
        qtbot.keyClick(card, Qt.Key.Key_Right)
        assert card.hasFocus()
        hrefs.append(card.selected_link())
    assert all(hrefs) and len(set(hrefs)) >= 2  # three links in turn, the focus stays
    qtbot.keyClick(card, Qt.Key.Key_Left)
    assert card.selected_link() == hrefs[1]
    opened = []
    card.anchorClicked.connect(lambda url: opened.append(url.toString()))
    qtbot.keyClick(card, Qt.Key.Key_Return)
    assert opened == [hrefs[1]]  # Enter opens the link shown selected


def test_a_level_change_is_announced_once(window) -> None:
    window.open_condition("neck-pain")
    banner = window.banner
    assert banner.last_announcement == ""  # opening shows, it does not announce
    window.screening.set_answer("fever", YES)
    assert banner.recommendation.level == "defer"
    assert banner.last_announcement == "Recommendation changed: Defer: do not refer yet"
    banner.last_announcement = ""
    window.screening.set_answer("fever", NOT_ASKED)
    changed = banner.last_announcement
    assert changed.startswith("Recommendation changed: ") and "Defer" not in changed
    banner.last_announcement = ""
    window.screening.set_answer("open_wound", NO)  # same level: nothing said
    assert banner.last_announcement == ""


def contrast_ratio(first: QColor, second: QColor) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""

    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def link_colours(browser) -> set[str]:
    """The colours the browser's web links are drawn in."""
    found = set()
    block = browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.anchorHref().startswith("http"):
                found.add(fmt.foreground().color().name())
            it += 1
        block = block.next()
    return found


@pytest.mark.parametrize("scheme", ["dark", "contrast"])
def test_dark_and_high_contrast_darken_the_window_and_links_stay_readable(
    qtbot, window, scheme
) -> None:
    from PySide6.QtGui import QPalette

    window.open_condition("knee-osteoarthritis")
    try:
        window.view.set_scheme(scheme, save=False)
        card = window.card
        window_colour = lambda: card.palette().color(QPalette.ColorRole.Window)  # noqa: E731
        qtbot.waitUntil(lambda: window_colour().lightness() < 60)  # Qt passes it on in its loop
        palette = card.palette()
        background = palette.color(QPalette.ColorRole.Base)
        assert background.lightness() < 60
        link = palette.color(QPalette.ColorRole.Link)
        assert contrast_ratio(link, background) >= 4.5
        assert contrast_ratio(palette.color(QPalette.ColorRole.Text), background) >= 7
        assert link_colours(card) == {link.name()}  # the card's links take the scheme's colour
        card.verticalScrollBar().setValue(card.verticalScrollBar().maximum())  # the sources
        qtbot.wait(50)
        image = card.viewport().grab().toImage()
        pixels = [
            image.pixelColor(x, y)
            for x in range(0, image.width(), 4)
            for y in range(0, image.height(), 4)
        ]
        dark = sum(1 for p in pixels if p.lightness() < 60)
        assert dark > 0.8 * len(pixels)  # what is drawn is dark, not only the palette
        near_link = [p for p in pixels if contrast_ratio(p, link) < 1.2]
        assert near_link  # links are drawn in the light link colour
        from referral_app.ui.dialogs.nppes_dialog import StatesDialog

        states = StatesDialog(Path("npidata.csv"), "", window)  # an error line in red
        qtbot.addWidget(states)
        red = QColor(states.error.styleSheet().split(":")[1].strip())
        assert contrast_ratio(red, states.palette().color(QPalette.ColorRole.Window)) >= 4.5
        window.view.set_scheme("light", save=False)
        qtbot.waitUntil(lambda: window_colour().lightness() > 200)
    finally:
        window.view.set_scheme("system", save=False)


def test_the_network_buttons_answer_alt_letters(qtbot, store, user, monkeypatch) -> None:
    from referral_app.ui.dialogs.network_dialog import NetworkDialog

    dialog = NetworkDialog(user, store=store)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    added = []
    monkeypatch.setattr(dialog, "add_entry", lambda: added.append(True))
    dialog.action_buttons["Add…"].clicked.disconnect()
    dialog.action_buttons["Add…"].clicked.connect(dialog.add_entry)
    qtbot.keyClick(dialog, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: added == [True])  # Alt+A presses Add…
    keys = [b.text() for b in dialog.action_buttons.values()] + [dialog.show_retired.text()]
    letters = [t[t.index("&") + 1].lower() for t in keys if "&" in t]
    assert len(letters) == len(keys) == len(set(letters))  # each button its own letter


def test_ctrl_comma_opens_settings_where_the_platform_has_no_preferences_key(qtbot, window) -> None:
    """File → Settings… showed no shortcut on X11 (review 3, newcomer #32): Qt's Preferences key
    has no binding there or on Windows, so Ctrl+, is given too (Cmd+, on macOS: the same key)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QKeySequence

    from referral_app.ui.actions import MainAction

    qtbot.waitUntil(lambda: hasattr(window, "menu_actions"))
    action = window.menu_actions[MainAction.SETTINGS]
    assert QKeySequence("Ctrl+,") in action.shortcuts()
    seen: list[str] = []

    def close_the_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(50, close_the_dialog)
            return
        seen.append(dialog.windowTitle())
        dialog.reject()

    QTimer.singleShot(50, close_the_dialog)
    window.search_box.setFocus()
    qtbot.keyClick(window.search_box, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(seen))
    assert "Settings" in seen[0]


def test_screening_questions_follow_the_text_size_and_implied_rows_stand_out(qtbot, window) -> None:
    """The questions are plain text in a font 0.8 of the panel's (rich text's "small"): Larger
    text makes them larger too, Default text puts them back; a row the open condition implies
    is bold and says so."""
    panel = window.screening
    question = panel.questions["dvt"]
    before = question.font().pointSizeF()
    assert before == pytest.approx(panel.font().pointSizeF() * 0.8)
    window.view.change_size(1)
    window.view.change_size(1)
    qtbot.waitUntil(lambda: question.font().pointSizeF() > before)  # the change is posted
    assert question.font().pointSizeF() == pytest.approx(panel.font().pointSizeF() * 0.8)
    window.view.change_size(0)
    qtbot.waitUntil(lambda: question.font().pointSizeF() == pytest.approx(before))
    assert question.textFormat() == Qt.TextFormat.PlainText
    window.open_condition("labour-pain")
    pregnancy = panel.questions["pregnancy"]
    assert "Implied by the condition: yes" in pregnancy.text() and pregnancy.font().bold()
    assert not question.font().bold()
    window.open_condition("neck-pain")
    assert "Implied" not in pregnancy.text() and not pregnancy.font().bold()
