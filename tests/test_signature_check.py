"""verify_file() checks Ed25519 with PyNaCl's public bindings only, reading the file once: it
accepts exactly the signatures libsodium's own check (VerifyKey.verify) accepts."""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from referral_app.services import signing
from referral_app.services.signing import Signature, SignatureError, key_id, verify_file

# RFC 8032 section 7.1, tests 1 and 2: (public key, message, signature)
RFC_8032 = [
    (
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701"
        "cf9b46bd25bf5f0595bbe24655141438e7a100b",
    ),
    (
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d"
        "0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    ),
]


def _signed_file(folder: Path, public: bytes, message: bytes, signature: bytes) -> Path:
    path = folder / "signed.bin"
    path.write_bytes(message)
    signing.signature_path(path).write_text(Signature(key_id(public), signature).to_json())
    return path


def _libsodium_accepts(public: bytes, message: bytes, signature: bytes) -> bool:
    try:
        VerifyKey(public).verify(message, signature)
    except (BadSignatureError, ValueError):
        return False
    return True


@pytest.mark.parametrize(("public", "message", "signature"), RFC_8032)
def test_the_rfcs_signatures_are_accepted_and_a_changed_byte_is_not(
    tmp_path: Path, public: str, message: str, signature: str
) -> None:
    key, data, sig = bytes.fromhex(public), bytes.fromhex(message), bytes.fromhex(signature)
    path = _signed_file(tmp_path, key, data, sig)
    assert verify_file(path, {key_id(key): key}) == key_id(key)

    path.write_bytes(data + b"\x00")
    with pytest.raises(SignatureError, match="does not match"):
        verify_file(path, {key_id(key): key})


def _flip_a_bit(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + bytes([data[at] ^ 1 << rng.randrange(8)]) + data[at + 1 :]


def test_it_agrees_with_libsodiums_check_on_altered_files_signatures_and_keys(
    tmp_path: Path,
) -> None:
    rng = random.Random(8032)
    verdicts = {True: 0, False: 0}
    for _ in range(120):
        signer = SigningKey(rng.randbytes(32))
        public, message = bytes(signer.verify_key), rng.randbytes(rng.randrange(0, 3000))
        signature = signer.sign(message).signature
        change = rng.choice(["none", "message", "signature", "key"])
        if change == "message" and message:
            message = _flip_a_bit(message, rng)
        elif change == "signature":
            signature = _flip_a_bit(signature, rng)
        elif change == "key":
            public = bytes([public[0] ^ 1]) + public[1:]
        expected = _libsodium_accepts(public, message, signature)
        path = _signed_file(tmp_path, public, message, signature)
        try:
            verify_file(path, {key_id(public): public})
            accepted = True
        except SignatureError:
            accepted = False
        assert accepted == expected, (change, message.hex(), signature.hex(), public.hex())
        verdicts[accepted] += 1
    assert verdicts[True] > 20 and verdicts[False] > 60  # both answers were exercised


def test_a_signature_with_s_not_below_the_group_order_is_refused(tmp_path: Path) -> None:
    """S + L makes the same group equation hold; RFC 8032 (and libsodium) refuse it."""
    signer = SigningKey(bytes(range(32)))
    public, message = bytes(signer.verify_key), b"reference"
    signature = signer.sign(message).signature
    order = 2**252 + 27742317777372353535851937790883648493
    s_plus_l = (int.from_bytes(signature[32:], "little") + order).to_bytes(32, "little")
    malleated = signature[:32] + s_plus_l
    assert not _libsodium_accepts(public, message, malleated)
    path = _signed_file(tmp_path, public, message, malleated)
    with pytest.raises(SignatureError, match="does not match"):
        verify_file(path, {key_id(public): public})


def test_a_file_changing_size_while_read_is_refused(tmp_path: Path, monkeypatch) -> None:
    signer = SigningKey(bytes(range(32)))
    public, message = bytes(signer.verify_key), bytes(5000)
    path = _signed_file(tmp_path, public, message, signer.sign(message).signature)
    real_stat = Path.stat

    def grown(self: Path, **kwargs):  # the size read before the file was appended to
        info = real_stat(self, **kwargs)
        return type("Stat", (), {"st_size": info.st_size + 10})() if self == path else info

    monkeypatch.setattr(Path, "stat", grown)
    with pytest.raises(SignatureError, match="does not match"):
        verify_file(path, {key_id(public): public})


def test_signing_uses_no_private_pynacl_module() -> None:
    source = Path(signing.__file__).read_text(encoding="utf-8")
    modules = [
        node.module or ""
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom)
    ] + [
        alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    nacl = [m for m in modules if m.split(".")[0] == "nacl"]
    assert nacl and all(not part.startswith("_") for m in nacl for part in m.split("."))
