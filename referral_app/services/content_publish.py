"""Content packs published through the shared clinic database (``clinic-db publish-content``).

An administrator publishes a verified pack once; every workstation in shared mode looks for a
newer one each time it opens the clinic database, checks it exactly as a pack from a file (the
same signature, the same keys, the same refusals: services/content_packs.install) and installs
it; the app uses it from its next start. Each workstation reports the content it runs, which
``clinic-db status`` lists. A pack is trusted for its signature, never for being on the server:
anyone who can write the table still cannot sign.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import NamedTuple

from referral_app import paths
from referral_app.services.content_pack_file import PackError, read_pack, version_key

LOG = logging.getLogger("referral_app.content")
MAX_PACK_BYTES = 256 << 20  # a pack holds one reference database of a few MB


class Synced(NamedTuple):
    installed: str  # the version installed now ('' when nothing was)
    note: str  # why a newer published pack was not installed ('' when there was none)


def publish(conn, path: Path) -> str:
    """Check ``path`` as an install would, then store it on the server. Returns its version.
    Raises PackError (one line)."""
    from referral_app.db import clinic_pg_content as sql
    from referral_app.services.content_pack_file import file_sha256

    pack = read_pack(path)  # the signature, with the keys a workstation trusts
    size = path.stat().st_size
    if size > MAX_PACK_BYTES:
        raise PackError(f"{path.name} is {size >> 20} MB: not a content pack")
    version, sha = pack.manifest.data_version, file_sha256(path)
    there = sql.published_sha(conn, version)
    if there is not None and there != sha:
        raise PackError(
            f"content {version} is already published with other bytes: publish a new version"
        )
    if there is None:
        sql.publish(conn, version, path.read_bytes(), sha)
    return version


def sync(conn, workstation_id: str, bundled: Path | None = None) -> Synced:
    """At a workstation's start: install the newest published pack when it is newer than the
    content in use, then report what this workstation runs. Never raises for a bad pack."""
    from referral_app.db import clinic_pg_content as sql
    from referral_app.services import content_packs

    bundled = bundled or paths.reference_db()
    in_use = content_packs.active_content(bundled)
    newest = max(sql.all_published(conn), key=lambda p: _key(p.data_version), default=None)
    installed, note = "", ""
    if newest is not None and _key(newest.data_version) > _key(in_use.version):
        try:
            installed = _install(sql.pack_bytes(conn, newest.data_version), newest, bundled)
        except (PackError, OSError) as exc:
            note = f"published content {newest.data_version} was refused: {exc}"
            LOG.warning("%s", note)
    import psycopg

    running = content_packs.active_content(bundled)
    try:
        sql.report(conn, workstation_id, running.label, note)
    except psycopg.Error as exc:  # a role without the right: IT's log, not the clinician's
        LOG.warning("this workstation's content was not reported: %s", str(exc).strip())
    return Synced(installed, note)


def _key(version: str) -> tuple[int, ...]:
    try:
        return version_key(version)
    except PackError:
        return ()


def _install(data: bytes, newest, bundled: Path) -> str:
    from referral_app.services import content_packs
    from referral_app.services.content_in_use import content_dir

    if len(data) > MAX_PACK_BYTES:
        raise PackError(f"published content {newest.data_version} is too large")
    content_dir().mkdir(parents=True, exist_ok=True)
    incoming = content_dir() / f".published-{os.getpid()}.rgpack"
    try:
        incoming.write_bytes(data)
        content = content_packs.install(incoming, bundled)
    finally:
        incoming.unlink(missing_ok=True)
    LOG.info("content %s installed from the clinic database", content.version)
    return content.version
