"""The one module that knows where things live: source tree vs frozen bundle, and user data.

Override order for the user data folder: ``--data-dir`` (set with :func:`set_data_dir_override`),
then the ``REFERRAL_APP_DATA_DIR`` environment variable, then Qt's AppDataLocation.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

FROZEN: bool = bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")
BUNDLE_DIR: Path = (
    Path(getattr(sys, "_MEIPASS", "")) if FROZEN else Path(__file__).resolve().parent.parent
)

ORGANIZATION = "ReferralGuide"
APPLICATION = "Massage Referral Guide"
DATA_DIR_ENV = "REFERRAL_APP_DATA_DIR"
REFERENCE_DB_ENV = "REFERRAL_APP_REFERENCE_DB"

_data_dir_override: Path | None = None


def resource(*parts: str) -> Path:
    """A read-only file under ``resources/``."""
    return BUNDLE_DIR.joinpath("resources", *parts)


def method_doc() -> Path:
    """docs/METHOD.md, shown in the app (bundled as docs/METHOD.md)."""
    return BUNDLE_DIR / "docs" / "METHOD.md"


def data_source_dir() -> Path:
    """The human-edited data folder (``data/``); present in the source tree only."""
    return BUNDLE_DIR / "data"


def has_data_sources() -> bool:
    """True when the editable data files are here (source checkout), so the DB can be rebuilt."""
    return not FROZEN and (data_source_dir() / "conditions").is_dir()


def reference_db() -> Path:
    """The bundled read-only reference database (overridable for tests and benchmarks)."""
    override = os.environ.get(REFERENCE_DB_ENV)
    if override:
        return Path(override)
    return BUNDLE_DIR / "data" / "reference.db"


def reference_db_is_default() -> bool:
    """False when tests or benchmarks point the app at another reference DB."""
    return not os.environ.get(REFERENCE_DB_ENV)


def set_data_dir_override(path: Path | None) -> None:
    """Set by the ``--data-dir`` command-line option."""
    global _data_dir_override
    _data_dir_override = path


def user_data_dir() -> Path:
    """The writable per-user folder for ``user.db`` and logs (never inside the bundle)."""
    if _data_dir_override is not None:
        return _data_dir_override
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env)
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    location = QStandardPaths.StandardLocation.AppDataLocation
    return Path(QStandardPaths.writableLocation(location))


def user_db() -> Path:
    return user_data_dir() / "user.db"
