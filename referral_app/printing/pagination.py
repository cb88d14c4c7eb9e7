"""Where a sheet's pages break: nothing a reader needs whole is cut in two.

A box (the reply slip, the warning signs) that fits on a page but would straddle a break starts
on the next page; so does a list item (a reason, a source, a caution); a heading never stays
alone at the foot of a page. Applied to each laid-out part before it is painted.
"""

from __future__ import annotations

from PySide6.QtGui import QTextBlock, QTextCursor, QTextDocument, QTextFormat, QTextTable


def keep_together(doc: QTextDocument, page_height: float) -> None:
    _keep_tables_together(doc, page_height)
    _keep_list_items_together(doc, page_height)


def _keep_tables_together(doc: QTextDocument, page_height: float) -> None:
    """A table that fits on a page but would straddle a page break starts on a new page (the reply
    slip and the 'not to start' box must not split)."""
    layout = doc.documentLayout()
    for frame in doc.rootFrame().childFrames():
        if not isinstance(frame, QTextTable):
            continue
        box = layout.frameBoundingRect(frame)
        # +1: a table Qt already moved to a page's top can sit a hair above it (-0.01 px), which
        # read as straddling and pushed the table a whole page further (a blank page).
        first, last = int((box.top() + 1) // page_height), int((box.bottom() - 1) // page_height)
        if first != last and box.height() < page_height:
            fmt = frame.format()
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            frame.setFormat(fmt)


def _keep_list_items_together(doc: QTextDocument, page_height: float) -> None:
    """A list item that would straddle a page break starts on the next page (items inside a box
    go with their box); a heading left alone at the foot of a page goes over with what it heads."""
    layout = doc.documentLayout()

    def page(block: QTextBlock, bottom: bool = False) -> int:
        box = layout.blockBoundingRect(block)
        return int(((box.bottom() - 1) if bottom else (box.top() + 1)) // page_height)

    block = doc.begin()
    while block.isValid():
        outside_box = QTextCursor(block).currentTable() is None
        item = block.textList() is not None and outside_box
        fits = layout.blockBoundingRect(block).height() < page_height
        if item and fits and page(block) != page(block, True):
            before = block.previous()  # the list's heading goes over with its first item
            _break_before(before if before.isValid() and _is_heading(before) else block)
        following = block.next()
        if _is_heading(block) and following.isValid() and page(block) != page(following):
            _break_before(block)
        block = block.next()


def _is_heading(block: QTextBlock) -> bool:
    return block.blockFormat().headingLevel() > 0 and QTextCursor(block).currentTable() is None


def _break_before(block: QTextBlock) -> None:
    fmt = block.blockFormat()
    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    QTextCursor(block).setBlockFormat(fmt)
