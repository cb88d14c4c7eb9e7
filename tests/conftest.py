"""Shared fixtures. Qt runs offscreen; user data goes to a temporary folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
import shutil
import tempfile
import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from referral_app import paths
from referral_app.db.reference import ReferenceStore
from referral_app.services.reference_data import build_data

# Tests never write the developer's real settings or data: before any QApplication exists, Qt's
# per-user folders (XDG on Linux) and the QSettings store point into one scratch folder.
_QT_HOME = Path(tempfile.mkdtemp(prefix="referral-tests-qt-"))
for _var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_var] = str(_QT_HOME / _var.lower())

for _format in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
    QSettings.setPath(_format, QSettings.Scope.UserScope, str(_QT_HOME / "settings"))

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"


@pytest.fixture(autouse=True)
def _user_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = tmp_path / "userdata"
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(folder))
    yield folder
    paths.set_data_dir_override(None)  # a --data-dir given to main() in a test ends with it


@pytest.fixture(scope="session")
def reference_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real data/ built once per test session by the real builder."""
    return build_data(tmp_path_factory.mktemp("ref") / "reference.db", DATA)


@pytest.fixture(scope="session")
def store(reference_db: Path) -> ReferenceStore:
    return ReferenceStore.open(reference_db)


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A scratch copy of data/ that a test may break.

    The shipped version is sealed (its hash is recorded, so the build refuses any edit under it);
    the copy unseals it, as an editor working on the next version would, so tests can change it.
    """
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("reference.db*"))
    _unseal_current_version(target)
    return target


def _unseal_current_version(data: Path) -> None:
    version = tomllib.loads((data / "meta.toml").read_text())["data_version"]
    path = data / "changes.toml"
    head = f'version = "{version}"\n'
    text = path.read_text(encoding="utf-8")
    pattern = (
        re.escape(head) + r'content_hash = "[0-9a-f]+"\n(grades = \[\n(?:  "[^"\n]*",\n)*\]\n)?'
    )
    path.write_text(re.sub(pattern, head, text, count=1), encoding="utf-8")


@pytest.fixture()
def use_reference_db(reference_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app (CLI/GUI) at the session-built reference DB."""
    monkeypatch.setenv(paths.REFERENCE_DB_ENV, str(reference_db))
    return reference_db
