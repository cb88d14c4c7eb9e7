"""Database errors inside a dialog become a message in that dialog, never the crash box.

Qt does not pass an exception raised in a slot back to ``exec()``, so each slot that writes to
the clinic database is wrapped with ``@shows_db_errors("Title")``.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

F = TypeVar("F", bound=Callable[..., Any])


def db_error_text(exc: BaseException) -> str:
    return (
        f"The clinic database could not be used ({exc}). Nothing was changed.\n\n"
        "It may be busy (another copy of the app, or a backup): try again in a moment."
    )


def shows_db_errors(title: str) -> Callable[[F], F]:
    def wrap(method: F) -> F:
        @functools.wraps(method)
        def run(self: QWidget, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                QMessageBox.warning(self, title, db_error_text(exc))
                return None

        return run  # type: ignore[return-value]

    return wrap
