"""The clinic's database as the main window sees it: given, opened on first need, or missing, in
which case the window goes read-only (browse and screen only) and says why."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from referral_app.db.clinic_store import ClinicStore

# The opener returns the store, or the reason it could not be opened (shown, never fatal).
UserOpener = Callable[[], "ClinicStore | str | None"]
