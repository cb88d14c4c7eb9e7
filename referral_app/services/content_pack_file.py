"""The ``.rgpack`` file: a zip of ``manifest.json``, ``manifest.sig`` and ``reference.db``.

The Ed25519 signature covers the manifest's exact bytes; the manifest pins the database by its
SHA-256, so one signature covers both. Reading a pack checks both before anything is installed.
"""

from __future__ import annotations

import errno
import json
import re
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from referral_app.files import PUBLIC, atomic_path
from referral_app.services import signing
from referral_app.services.errors import InputError

PACK_SUFFIX = ".rgpack"
PACK_FORMAT = 1
MANIFEST = "manifest.json"
MANIFEST_SIG = "manifest.sig"
DATABASE = "reference.db"
CHUNK = 1 << 16
# A manifest is a few hundred bytes and a signature about 200: anything near these sizes is not
# one, and is refused before it is inflated (a zip bomb's manifest costs nothing).
MAX_MANIFEST = 1 << 20
MAX_SIGNATURE = 1 << 16
MAX_DATABASE = 4 << 30  # the signed size may not claim more (the reference DB is ~10 MB)
VERSION = re.compile(r"^[0-9]{1,9}(\.[0-9]{1,9}){0,5}$")  # 2026.12.1: digits and dots only
SHA256 = re.compile(r"^[0-9a-f]{64}$")


class PackError(InputError):
    """A content pack that cannot be installed: the message is one plain line."""


class NotNewerPackError(PackError):
    """A pack holding the content in use or an older one: ``refusal`` says so without saying how
    to override it (each face says that in its own words: --allow-older, or a tick box)."""

    def __init__(self, refusal: str) -> None:
        super().__init__(f"{refusal} (use --allow-older to install it anyway)")
        self.refusal = refusal


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
        manifest.check()
        return manifest

    def check(self) -> None:
        """Every field a path, a comparison or a size is made from, checked before any is made:
        a version of '../../x' never becomes a folder name, even with --allow-older."""
        for name in ("data_version", "min_app_version"):
            value = getattr(self, name)
            if not isinstance(value, str) or not VERSION.fullmatch(value):
                raise PackError(f"the pack's manifest has an invalid {name}: {value!r:.40}")
        if not isinstance(self.db_sha256, str) or not SHA256.fullmatch(self.db_sha256):
            raise PackError("the pack's manifest has an invalid database hash")
        size = self.db_size
        if isinstance(size, bool) or not isinstance(size, int) or not 0 < size <= MAX_DATABASE:
            raise PackError(f"the pack's manifest has an invalid database size: {size!r:.40}")


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
            raw = _bounded_read(pack, MANIFEST, MAX_MANIFEST, path)
            sig = signing.Signature.from_json(
                _bounded_read(pack, MANIFEST_SIG, MAX_SIGNATURE, path)
            )
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


def _bounded_read(archive: zipfile.ZipFile, name: str, limit: int, path: Path) -> bytes:
    """A member's bytes, refused when it says (or turns out) to inflate past ``limit``: the
    declared size is checked before anything is inflated, and at most limit + 1 bytes are."""
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise PackError(
            f"{path.name} is not a content pack: its {name} would inflate to "
            f"{info.file_size:,} bytes (at most {limit:,})"
        )
    with archive.open(info) as member:
        raw = member.read(limit + 1)
    if len(raw) > limit:
        raise PackError(f"{path.name} is not a content pack: its {name} is over {limit:,} bytes")
    return raw


def check_installed(folder: Path, keys: dict[str, bytes] | None = None) -> tuple[Manifest, str]:
    """Re-check an installed pack: manifest signature and database hash. Raises PackError."""
    try:
        raw = (folder / MANIFEST).read_bytes()
        sig = signing.Signature.from_json((folder / MANIFEST_SIG).read_bytes())
        key = signing.verify(raw, sig, signing.pack_keys() if keys is None else keys)
        manifest = Manifest.from_bytes(raw)
        same = file_sha256(folder / DATABASE) == manifest.db_sha256
    except (OSError, signing.SignatureError) as exc:
        raise PackError(f"the installed pack {folder.name} is damaged ({exc})") from exc
    if not same:
        raise PackError(f"the installed pack {folder.name} was altered or damaged")
    return manifest, key


def refuse_write_error(exc: OSError, where: Path) -> PackError:
    """What a failed write means for the user: a full disk is a full disk, not a damaged pack."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return PackError(f"the disk is full (no space left in {where}): nothing was installed")
    if exc.errno == errno.EFBIG:
        return PackError(f"a file size limit stops writing in {where}: nothing was installed")
    return PackError(f"cannot write in {where}: {exc.strerror or exc}; nothing was installed")


def extract_database(pack: VerifiedPack, out: IO[bytes]) -> None:
    """Copy the pack's database into ``out``, refusing it unless its size and SHA-256 are the
    signed ones. The size is enforced while writing: a database that inflates past its signed
    size is stopped at that size, before one byte more is written."""
    import hashlib  # loads OpenSSL: only when a pack is read, never before the first paint

    signed = pack.manifest.db_size
    digest, size = hashlib.sha256(), 0
    mismatch = PackError(
        f"{pack.path.name} was refused: its database does not match the signed manifest "
        "(altered or damaged)"
    )
    try:
        with zipfile.ZipFile(pack.path) as archive:
            info = archive.getinfo(DATABASE)
            if info.file_size != signed:
                raise mismatch  # the zip says another size: refused before inflating
            with archive.open(info) as src:
                while chunk := src.read(min(CHUNK, signed - size + 1)):
                    size += len(chunk)
                    if size > signed:
                        raise mismatch
                    digest.update(chunk)
                    _write(out, chunk, pack)
    except (OSError, zipfile.BadZipFile, ValueError) as exc:  # zlib errors, CRC mismatch
        raise PackError(f"{pack.path.name} is damaged: {exc}") from exc
    if digest.hexdigest() != pack.manifest.db_sha256 or size != signed:
        raise PackError(
            f"{pack.path.name} was refused: its database does not match the signed manifest "
            "(altered or damaged)"
        )


def _write(out: IO[bytes], chunk: bytes, pack: VerifiedPack) -> None:
    try:
        out.write(chunk)
    except OSError as exc:
        raise refuse_write_error(exc, Path(getattr(out, "name", ".")).parent) from exc


def write_pack(out: Path, db_path: Path, manifest: Manifest, key_file: Path | None) -> Path:
    """Sign ``manifest`` and write the pack (to a temporary name, then renamed into place)."""
    raw = manifest.to_bytes()
    sig = signing.sign(raw, key_file)
    with (
        atomic_path(out, PUBLIC) as tmp,
        zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as pack,
    ):
        pack.writestr(MANIFEST, raw)
        pack.writestr(MANIFEST_SIG, sig.to_json())
        pack.write(db_path, DATABASE)
    return out


def file_sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
