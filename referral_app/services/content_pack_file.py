"""The ``.rgpack`` file: a zip of ``manifest.json``, ``manifest.sig`` and ``reference.db``.

The Ed25519 signature covers the manifest's exact bytes; the manifest pins the database by its
SHA-256, so one signature covers both. Reading a pack checks both before anything is installed.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from referral_app.services import signing
from referral_app.services.errors import InputError

PACK_SUFFIX = ".rgpack"
PACK_FORMAT = 1
MANIFEST = "manifest.json"
MANIFEST_SIG = "manifest.sig"
DATABASE = "reference.db"
CHUNK = 1 << 16


class PackError(InputError):
    """A content pack that cannot be installed: the message is one plain line."""


@dataclass(frozen=True)
class Manifest:
    data_version: str
    build_date: str
    content_hash: str
    db_sha256: str
    db_size: int
    min_app_version: str
    changes: dict[str, Any] | None = None
    format: int = PACK_FORMAT
    extra: dict[str, Any] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        data = asdict(self)
        data.update(data.pop("extra"))
        return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> Manifest:
        try:
            data = json.loads(raw)
            known = {k: data.pop(k) for k in list(data) if k in cls.__dataclass_fields__}
            manifest = cls(**known, extra=data)
        except (ValueError, TypeError) as exc:
            raise PackError("the pack's manifest is unreadable") from exc
        if manifest.format != PACK_FORMAT:
            raise PackError(f"the pack has format {manifest.format}; this app reads {PACK_FORMAT}")
        return manifest


@dataclass(frozen=True)
class VerifiedPack:
    path: Path
    manifest: Manifest
    manifest_bytes: bytes
    signature: signing.Signature
    key_id: str


def version_key(version: str) -> tuple[int, ...]:
    """ "2026.11.2" -> (2026, 11, 2); PackError for anything else."""
    try:
        return tuple(int(part) for part in version.strip().split("."))
    except ValueError:
        raise PackError(f"not a version number: {version!r}") from None


def read_pack(path: Path, keys: dict[str, bytes] | None = None) -> VerifiedPack:
    """Open ``path`` and check its manifest signature (the database is checked on extraction)
    against ``keys``, by default signing.pack_keys() (never the development key when installed)."""
    try:
        with zipfile.ZipFile(path) as pack:
            raw = pack.read(MANIFEST)
            sig = signing.Signature.from_json(pack.read(MANIFEST_SIG))
            pack.getinfo(DATABASE)
    except OSError as exc:
        raise PackError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except (zipfile.BadZipFile, KeyError, signing.SignatureError, ValueError) as exc:
        raise PackError(f"{path.name} is not a content pack, or it is damaged") from exc
    try:
        key = signing.verify(raw, sig, signing.pack_keys() if keys is None else keys)
    except signing.SignatureError as exc:
        raise PackError(f"{path.name} was refused: {exc}") from exc
    return VerifiedPack(path, Manifest.from_bytes(raw), raw, sig, key)


def extract_database(pack: VerifiedPack, out: IO[bytes]) -> None:
    """Copy the pack's database into ``out``, refusing it unless its SHA-256 is the signed one."""
    import hashlib  # loads OpenSSL: only when a pack is read, never before the first paint

    digest, size = hashlib.sha256(), 0
    try:
        with zipfile.ZipFile(pack.path) as archive, archive.open(DATABASE) as src:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
    except (OSError, zipfile.BadZipFile, ValueError) as exc:  # zlib errors, CRC mismatch
        raise PackError(f"{pack.path.name} is damaged: {exc}") from exc
    if digest.hexdigest() != pack.manifest.db_sha256 or size != pack.manifest.db_size:
        raise PackError(
            f"{pack.path.name} was refused: its database does not match the signed manifest "
            "(altered or damaged)"
        )


def write_pack(out: Path, db_path: Path, manifest: Manifest, key_file: Path | None) -> Path:
    """Sign ``manifest`` and write the pack (to a temporary name, then renamed into place)."""
    raw = manifest.to_bytes()
    sig = signing.sign(raw, key_file)
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as pack:
        pack.writestr(MANIFEST, raw)
        pack.writestr(MANIFEST_SIG, sig.to_json())
        pack.write(db_path, DATABASE)
    tmp.replace(out)
    return out


def file_sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
