"""Ed25519 signatures (PyNaCl / libsodium) for the reference database and content packs.

Trusted public keys are ``resources/keys/*.pub`` (several, so a key can be rotated); a key is known
by its id, the first 16 hex digits of the SHA-256 of its 32 public bytes. A private key file is
never bundled: the release key stays with the release manager (``REFERRAL_CONTENT_KEY`` names its
file); without it the build signs with the development key in ``packaging/keys/``.

The development key's private half is in the repository, so anyone can sign with it: it proves
nothing. Source runs and tests trust it; an installed (frozen) app never trusts it for a content
pack (pack_keys()), so a package built without a release key takes no content updates and says
so (updates_off_reason()). Its bundled database is still checked against its signature, which
then only detects damage: whoever can change the bundle can change its keys too.
"""

from __future__ import annotations

import base64
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from referral_app import paths
from referral_app.files import PUBLIC, atomic_write
from referral_app.typing_compat import override

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

KEY_ENV = "REFERRAL_CONTENT_KEY"
DEV_KEY_NAME = "development-2026"
DEV_KEY_PREFIX = "development-"
# The id of resources/keys/development-2026.pub: named in refusals even where the .pub is left out.
DEV_KEY_ID = "76185918a8081b93"
SIGNATURE_SUFFIX = ".sig"


class SignatureError(Exception):
    """A signature is missing, does not match, or was made with a key this app does not trust."""


@dataclass(frozen=True, slots=True)
class Signature:
    key_id: str
    signature: bytes

    def to_json(self) -> str:
        sig = base64.b64encode(self.signature).decode()
        return json.dumps({"key_id": self.key_id, "signature": sig}, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes) -> Signature:
        try:
            data = json.loads(text)
            return cls(str(data["key_id"]), base64.b64decode(data["signature"], validate=True))
        except (ValueError, KeyError, TypeError) as exc:
            raise SignatureError("the signature file is unreadable") from exc


def key_id(public: bytes) -> str:
    """The first 16 hex digits of the key's SHA-256, from libsodium through PyNaCl's public API
    (loaded to check the signature anyway; hashlib would load OpenSSL too)."""
    from nacl.bindings import crypto_hash_sha256

    return crypto_hash_sha256(public)[:8].hex()


def _key_bytes(path: Path) -> bytes:
    """The base64 line of a key file (lines starting with # are labels)."""
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    body = [ln for ln in lines if ln and not ln.startswith("#")]
    raw = base64.b64decode(body[0], validate=True) if body else b""
    if len(raw) != 32:
        raise SignatureError(f"{path.name} is not an Ed25519 key file")
    return raw


def keys_dir() -> Path:
    return paths.resource("keys")


def dev_key_file() -> Path:
    """The development signing key (in the source tree only; never bundled, never for releases)."""
    return paths.BUNDLE_DIR / "packaging" / "keys" / f"{DEV_KEY_NAME}.key"


def trusted_keys(folder: Path | None = None) -> dict[str, bytes]:
    """key id -> public key bytes, for every ``*.pub`` in ``folder`` (default resources/keys)."""
    folder = folder or keys_dir()
    keys = {}
    for path in sorted(folder.glob("*.pub")) if folder.is_dir() else []:
        public = _key_bytes(path)
        keys[key_id(public)] = public
    return keys


def key_names(folder: Path | None = None) -> dict[str, str]:
    """key id -> the .pub file's name (for status lines: which key signed)."""
    folder = folder or keys_dir()
    found = sorted(folder.glob("*.pub")) if folder.is_dir() else []
    return {key_id(_key_bytes(p)): p.stem for p in found}


def is_development_key(key: str, names: dict[str, str] | None = None) -> bool:
    """True for the committed development key (by id, or by a ``development-*`` file name)."""
    name = (names if names is not None else key_names()).get(key, "")
    return key == DEV_KEY_ID or name.startswith(DEV_KEY_PREFIX)


def development_key_trusted() -> bool:
    """Source runs and tests trust the development key for content packs; an installed app never."""
    return not paths.FROZEN


def pack_keys(folder: Path | None = None) -> dict[str, bytes]:
    """The keys a content pack may be signed with: the trusted keys, less the development key in
    an installed app."""
    keys = trusted_keys(folder)
    if development_key_trusted():
        return keys
    names = key_names(folder)
    return {k: v for k, v in keys.items() if not is_development_key(k, names)}


def updates_off_reason(folder: Path | None = None) -> str:
    """Why this app takes no content packs ('' when it does): no key it may trust for them."""
    if pack_keys(folder):
        return ""
    return (
        "content updates are off in this build: it was built without a release key, and an "
        "installed app never trusts the development key (its private half is public)"
    )


def signer_name(key: str, names: dict[str, str] | None = None) -> str:
    """A key id as people read it: the .pub file's name, '(development key)' when it is one."""
    names = names if names is not None else key_names()
    name = names.get(key) or (DEV_KEY_NAME if key == DEV_KEY_ID else key)
    return f"{name} (development key)" if is_development_key(key, names) else name


def file_signer(path: Path) -> str:
    """The key id in ``PATH.sig`` ('' when there is none or it is unreadable); nothing checked."""
    try:
        return Signature.from_json(signature_path(path).read_bytes()).key_id if path.name else ""
    except (OSError, SignatureError):
        return ""


def signing_key_file() -> Path:
    """The key the build signs with: ``$REFERRAL_CONTENT_KEY`` if set, else the development key."""
    named = os.environ.get(KEY_ENV)
    return Path(named) if named else dev_key_file()


def sign(data: bytes, key_file: Path | None = None) -> Signature:
    from nacl.signing import SigningKey

    path = key_file or signing_key_file()
    try:
        seed = _key_bytes(path)
    except OSError as exc:
        raise SignatureError(f"cannot read the signing key {path}: {exc.strerror}") from exc
    signer = SigningKey(seed)
    public = bytes(signer.verify_key)
    return Signature(key_id(public), signer.sign(data).signature)


def verify(data: bytes, signature: Signature, keys: dict[str, bytes] | None = None) -> str:
    """Check ``signature`` over ``data``; returns the key id. Raises SignatureError."""
    from nacl.exceptions import BadSignatureError
    from nacl.signing import VerifyKey

    keys = trusted_keys() if keys is None else keys
    public = keys.get(signature.key_id)
    if public is None:
        raise SignatureError(_untrusted(signature.key_id))
    try:
        VerifyKey(public).verify(data, signature.signature)
    except (BadSignatureError, ValueError) as exc:
        raise SignatureError("its signature does not match: it was altered or damaged") from exc
    return signature.key_id


def _untrusted(key: str) -> str:
    if key == DEV_KEY_ID:
        return (
            "it is signed with the development key, whose private half is public, so anyone "
            "could have signed it: an installed app never trusts it"
        )
    return f"it is signed with a key this app does not trust ({key})"


def signature_path(path: Path) -> Path:
    return path.with_name(path.name + SIGNATURE_SUFFIX)


def sign_file(path: Path, key_file: Path | None = None) -> Path:
    """Write the detached signature ``PATH.sig`` over the whole file (atomically)."""
    out = signature_path(path)
    signature = sign(path.read_bytes(), key_file).to_json()
    with atomic_write(out, permissions=PUBLIC) as fh:  # published beside the file it signs
        fh.write(signature)
    return out


def verify_file(path: Path, keys: dict[str, bytes] | None = None) -> str:
    """Check ``PATH.sig`` against the whole file; returns the key id. Raises SignatureError.

    The same Ed25519 check as verify() (RFC 8032, section 5.1.7), with one copy of the file in
    memory instead of the four that verify() on the file's bytes makes: the file is read once,
    after the signature's R and the public key A, into the one buffer whose SHA-512 the check
    needs; the rest is libsodium's group arithmetic through PyNaCl's public bindings."""
    try:
        signature = Signature.from_json(signature_path(path).read_bytes())
    except OSError as exc:
        raise SignatureError("its signature file is missing") from exc
    keys = trusted_keys() if keys is None else keys
    public = keys.get(signature.key_id)
    if public is None:
        raise SignatureError(_untrusted(signature.key_id))
    if len(signature.signature) != 64 or len(public) != 32:
        raise SignatureError("its signature does not match: it was altered or damaged")
    prefix = signature.signature[:32] + public  # R || A, then the message
    size = path.stat().st_size
    with path.open("rb", buffering=0) as fh:
        signed = io.BufferedReader(_AfterPrefix(prefix, fh)).read(len(prefix) + size)
    if len(signed) != len(prefix) + size or not _ed25519_holds(signature.signature, signed):
        raise SignatureError("its signature does not match: it was altered or damaged")
    return signature.key_id


# The order of Ed25519's group (RFC 8032 section 5.1): a signature's S must be below it.
_GROUP_ORDER = 2**252 + 27742317777372353535851937790883648493


def _ed25519_holds(signature: bytes, prefixed: bytes) -> bool:
    """RFC 8032's check [S]B = R + [k]A with k = SHA-512(R || A || M) mod L, where ``prefixed``
    is R || A || M. At least as strict as libsodium's crypto_sign_open: S below L; R and A
    canonical, on the curve, not of small order (and in the prime-order subgroup, as every
    honest key and signature is); the result compared byte for byte with R's encoding."""
    from nacl.bindings import (
        crypto_core_ed25519_is_valid_point,
        crypto_core_ed25519_scalar_reduce,
        crypto_core_ed25519_sub,
        crypto_hash_sha512,
        crypto_scalarmult_ed25519_base_noclamp,
        crypto_scalarmult_ed25519_noclamp,
        sodium_memcmp,
    )
    from nacl.exceptions import CryptoError

    r, s, public = signature[:32], signature[32:], prefixed[32:64]
    if int.from_bytes(s, "little") >= _GROUP_ORDER:
        return False
    if not (crypto_core_ed25519_is_valid_point(r) and crypto_core_ed25519_is_valid_point(public)):
        return False
    k = crypto_core_ed25519_scalar_reduce(crypto_hash_sha512(prefixed))
    try:  # libsodium refuses a zero scalar or an identity result (never from a real signature)
        s_b = crypto_scalarmult_ed25519_base_noclamp(s)
        k_a = crypto_scalarmult_ed25519_noclamp(k, public)
        return sodium_memcmp(crypto_core_ed25519_sub(s_b, k_a), r)
    except CryptoError:
        return False


class _AfterPrefix(io.RawIOBase):
    """``prefix`` then the file ``fh``, as a raw stream: io.BufferedReader.read(n) reads it straight
    into the one bytes object it returns (PyNaCl's bindings take bytes, not a bytearray)."""

    def __init__(self, prefix: bytes, fh: io.RawIOBase) -> None:
        super().__init__()
        self.prefix, self.fh = prefix, fh

    @override
    def readable(self) -> bool:
        return True

    @override
    def readinto(self, buffer: WriteableBuffer, /) -> int:
        view = memoryview(buffer).cast("B")
        head, self.prefix = self.prefix[: len(view)], self.prefix[len(view) :]
        view[: len(head)] = head
        return len(head) + (self.fh.readinto(view[len(head) :]) or 0)


def generate_key(out: Path, label: str) -> Path:
    """A new key pair: ``out`` (private, keep it off the repo) and ``out.pub`` beside it."""
    from nacl.signing import SigningKey

    signer = SigningKey.generate()
    public = base64.b64encode(bytes(signer.verify_key)).decode()
    seed = base64.b64encode(bytes(signer)).decode()
    out.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f"# {label}: Ed25519 PRIVATE signing key. Keep it secret.\n{seed}\n")
    pub = out.with_suffix(".pub")
    pub.write_text(f"# {label}: Ed25519 public key for referral content.\n{public}\n")
    return pub
