"""A read-only rich-text pane that is one Tab stop: Tab and Shift+Tab leave it (a card with 28
citation links no longer holds the keyboard before the screen); Right and Left arrows step
through its links, Enter opens the one shown selected (QTextBrowser's own anchor focus).

The style marks that link with a 1-px dotted line a keyboard user can barely find; while the
pane has the focus, the link is shown in the selection colours inside a 2-px line in the text
colour, like the focus ring (ui/focus_ring.py) in every colour scheme."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTextBrowser, QWidget

from referral_app.typing_compat import override

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QFocusEvent, QKeyEvent

MARK = 2  # the focused link's line, in pixels (focus_ring.OUTER)

LINK_KEYS_HELP = "Tab leaves; Right and Left arrows step through the links, Enter opens one"


class LinkBrowser(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stepping = False  # True while an arrow key moves between the links
        self._html = ""  # the page as given, laid out again when the colours change

    @override
    def setHtml(self, text: str) -> None:  # noqa: N802 - Qt override
        """Show ``text`` with its links in the palette's link colour (dark and high-contrast
        schemes too: Qt otherwise keeps the colour the links had when the page was set)."""
        from PySide6.QtGui import QPalette

        self._html = text
        if self.extraSelections():
            self.setExtraSelections([])  # the marked link goes with the page
        link = self.palette().color(QPalette.ColorRole.Link).name()
        self.document().setDefaultStyleSheet(f"a {{ color: {link}; }}")
        super().setHtml(text)

    @override
    def clear(self) -> None:
        self._html = ""
        if self.extraSelections():
            self.setExtraSelections([])
        super().clear()

    @override
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        from PySide6.QtCore import QEvent

        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._html:
            bar = self.verticalScrollBar()
            where = bar.value()
            self.setHtml(self._html)
            bar.setValue(where)

    def link_starts(self) -> list[int]:
        """Where each link begins in the document, in reading order."""
        starts: list[int] = []
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            previous = ""
            while not it.atEnd():
                fragment = it.fragment()
                href = fragment.charFormat().anchorHref()
                if href and href != previous:
                    starts.append(fragment.position())
                previous = href
                it += 1
            block = block.next()
        return starts

    def selected_link(self) -> str:
        """The address of the link the arrow keys selected ("" when none is)."""
        from PySide6.QtGui import QTextCursor

        cursor = self.textCursor()
        if not cursor.hasSelection():
            return ""
        probe = QTextCursor(self.document())
        probe.setPosition(cursor.selectionStart() + 1)  # the format of the link's first letter
        return probe.charFormat().anchorHref()

    def step_link(self, forward: bool) -> bool:
        """Select the next (previous) link; False (nothing changes) when there is none."""
        cursor = self.textCursor()
        starts = self.link_starts()
        if cursor.hasSelection():
            here = cursor.selectionStart()
            found = [s for s in starts if s > here] if forward else [s for s in starts if s < here]
        else:
            found = starts if forward else []
        if not found:
            return False
        self._stepping = True
        try:
            return super().focusNextPrevChild(forward)  # QTextBrowser: the anchor Enter opens
        finally:
            self._stepping = False
            self.mark_link()

    def mark_link(self) -> None:
        """Mark the selected link clearly while the pane has the focus; else no mark."""
        if not (self.hasFocus() and self.selected_link()):
            if self.extraSelections():
                self.setExtraSelections([])
            return
        from PySide6.QtGui import QPalette, QPen, QTextFormat
        from PySide6.QtWidgets import QTextEdit

        palette, role = self.palette(), QPalette.ColorRole
        mark = QTextEdit.ExtraSelection()
        mark.cursor = self.textCursor()
        look = mark.format
        look.setBackground(palette.color(role.Highlight))
        look.setForeground(palette.color(role.HighlightedText))
        look.setProperty(QTextFormat.Property.OutlinePen, QPen(palette.color(role.Text), MARK))
        mark.format = look
        self.setExtraSelections([mark])

    @override
    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002, N802 - Qt override
        if self._stepping:
            return super().focusNextPrevChild(next)
        return QWidget.focusNextPrevChild(self, next)  # Tab leaves the pane: one stop

    @override
    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusInEvent(event)
        self.mark_link()

    @override
    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.mark_link()

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        from PySide6.QtCore import Qt

        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Left) and mods == Qt.KeyboardModifier.NoModifier:
            self.step_link(key == Qt.Key.Key_Right)
            event.accept()
            return
        super().keyPressEvent(event)
