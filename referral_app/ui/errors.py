"""Database errors inside a dialog become a message in that dialog, never the crash box.

Qt does not pass an exception raised in a slot back to ``exec()``, so each slot that writes to
the clinic database is wrapped with ``@shows_db_errors("Title")``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from referral_app.db.clinic_store import ClinicOfflineError
from referral_app.db.store_errors import STORE_ERRORS

F = TypeVar("F", bound=Callable[..., Any])


def db_error_text(exc: BaseException) -> str:
    return (
        f"The clinic database could not be used ({exc}). Nothing was changed.\n\n"
        "It may be busy (another copy of the app, or a backup): try again in a moment."
    )


def is_db_error(exc: BaseException) -> bool:
    """A refusal of either home of the clinic's data (db/store_errors.py)."""
    return isinstance(exc, STORE_ERRORS)


KEPT = (
    "Nothing was saved, and what you typed is still here: Save again once the clinic "
    "database is back (the status bar says when), or Cancel to drop it."
)


def save_or_keep(parent: QWidget, title: str, save: Callable[[], object]) -> bool:
    """Run ``save`` from a dialog's accept(): True when it was saved. When the clinic database
    is away or refuses, says so and returns False: the dialog stays open with what was typed."""
    try:
        save()
    except ClinicOfflineError as exc:
        QMessageBox.warning(parent, title, f"{exc}.\n\n{KEPT}")
        return False
    except Exception as exc:
        if not is_db_error(exc):
            raise
        QMessageBox.warning(
            parent, title, f"The clinic database could not be used ({exc}).\n\n{KEPT}"
        )
        return False
    return True


def reload_or_overwrite(parent: QWidget, name: str) -> bool:
    """A center changed on another workstation since it was read: True to overwrite it."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Changed on another workstation",
        f"{name} was changed on another workstation since you opened it.\n\n"
        "Reload shows their version (your changes are dropped); Overwrite saves "
        "yours over theirs.",
        parent=parent,
    )
    overwrite = box.addButton("&Overwrite", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("&Reload", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is overwrite


def shows_db_errors(title: str) -> Callable[[F], F]:
    def wrap(method: F) -> F:
        @functools.wraps(method)
        def run(self: QWidget, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except ClinicOfflineError as exc:  # the shared database is away: nothing written
                QMessageBox.warning(self, title, f"{exc}. Nothing was changed.")
                return None
            except Exception as exc:
                if not is_db_error(exc):
                    raise
                QMessageBox.warning(self, title, db_error_text(exc))
                return None

        return run  # type: ignore[return-value]

    return wrap
