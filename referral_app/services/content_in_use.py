"""Which content is in use: the bundled reference database or an installed content pack.

Apart from services/content_packs.py (install, rollback; it re-exports these) so that opening
the reference data at start-up reads the state file and the database's meta rows and no more;
checking an installed pack loads the signature code only when there is one.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import NamedTuple

from referral_app import paths
from referral_app.db.reference_file import read_meta_or_empty as _db_meta

LOG = logging.getLogger("referral_app.content")


class ActiveContent(NamedTuple):
    """The content in use: the bundled database or an installed pack (a NamedTuple: it is
    defined before the first paint, see domain/listing.py)."""

    path: Path
    version: str
    origin: str  # "bundled" | "pack"
    installed: str = ""  # ISO date of the install (packs only)
    build_date: str = ""
    key_id: str = ""
    note: str = ""  # why an installed pack is not in use, if it is not

    @property
    def label(self) -> str:
        """What the status bar, About and ``--version`` show."""
        if self.origin == "pack":
            return f"content {self.version}, installed {self.installed}"
        return f"data {self.version} built {self.build_date or '?'}"


def content_dir() -> Path:
    return paths.user_data_dir() / "content"


def state_path() -> Path:
    return content_dir() / "state.json"


def read_state() -> dict:
    try:
        state = json.loads(state_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"active": None, "previous": []}
    if not isinstance(state, dict):
        return {"active": None, "previous": []}
    active, previous = state.get("active"), state.get("previous")
    # a file of another shape (edited by hand, another version) means: the bundled content
    state["active"] = active if isinstance(active, dict) else None
    state["previous"] = (
        [p for p in previous if isinstance(p, dict)] if isinstance(previous, list) else []
    )
    return state


def bundled_content(bundled: Path) -> ActiveContent:
    meta = _db_meta(bundled)
    return ActiveContent(
        bundled, meta.get("data_version", "?"), "bundled", build_date=meta.get("build_date", "")
    )


def active_content(bundled: Path, keys: dict[str, bytes] | None = None) -> ActiveContent:
    """The content to use: the active installed pack if it is valid and not older than the
    bundled content, else the bundled database."""
    entry = read_state()["active"]
    base = bundled_content(bundled)
    if not entry:
        return base
    from referral_app.services.content_pack_file import (
        DATABASE,
        PackError,
        check_installed,
        version_key,
    )

    folder = content_dir() / "packs" / str(entry.get("dir", ""))
    try:
        manifest, key = check_installed(folder, keys)
    except PackError as exc:
        LOG.warning("content pack not used: %s", exc)
        return _with_note(base, str(exc))
    newer_app = base.version != "?" and version_key(base.version) > version_key(
        manifest.data_version
    )
    if newer_app and not entry.get("pinned"):
        return _with_note(base, f"the app's own content is newer than pack {manifest.data_version}")
    return ActiveContent(
        folder / DATABASE,
        manifest.data_version,
        "pack",
        installed=str(entry.get("installed", ""))[:10],
        build_date=manifest.build_date,
        key_id=key,
    )


def _with_note(content: ActiveContent, note: str) -> ActiveContent:
    return ActiveContent(
        content.path, content.version, content.origin, build_date=content.build_date, note=note
    )


def signed_by(content: ActiveContent) -> str:
    """Who signed the content in use, as About and Update content name it."""
    from referral_app.services import signing

    key = content.key_id or signing.file_signer(content.path)
    return signing.signer_name(key) if key else "unknown (no signature file)"
