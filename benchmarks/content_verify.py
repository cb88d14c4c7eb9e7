"""Start-up cost of checking content: the whole-file signature of the bundled reference DB and
an installed content pack's manifest signature + database hash, each against the least any
whole-file check must do, measured in the same run: read the file and hash it (SHA-512, the
hash inside Ed25519; SHA-256 for the pack's pinned hash). Exits 1 when a goal is missed."""

from __future__ import annotations

import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.goals import check, status  # noqa: E402


def median_ms(func, runs: int = 30) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _read_and_hash(path: Path, name: str) -> None:
    import hashlib

    hashlib.new(name, path.read_bytes()).digest()


def main() -> int:
    logging.disable(logging.WARNING)  # the --allow-older install below logs a warning
    start = time.perf_counter()
    import nacl.signing  # noqa: F401

    load = (time.perf_counter() - start) * 1000
    from referral_app.services import content_in_use, content_packs
    from referral_app.services.content_build import build_pack
    from referral_app.services.reference_check import verify_signature
    from referral_app.services.reference_data import open_reference_store

    bundled = ROOT / "data" / "reference.db"
    open_reference_store().close()  # builds data/reference.db (and its .sig) if needed
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["REFERRAL_APP_DATA_DIR"] = tmp
        pack = build_pack(Path(tmp) / "packs")
        content_packs.install(pack, bundled, allow_older=True)
        size = bundled.stat().st_size / 1e6
        pack_db = content_in_use.active_content(bundled).path
        signature = median_ms(lambda: verify_signature(bundled))
        signature_base = median_ms(lambda: _read_and_hash(bundled, "sha512"))
        pack_check = median_ms(lambda: content_in_use.active_content(bundled))
        pack_base = median_ms(lambda: _read_and_hash(pack_db, "sha256"))
        rows = [
            ("libsodium load (once per start)", load),
            (f"whole-file signature ({size:.1f} MB DB)", signature),
            ("  baseline: read + SHA-512", signature_base),
            ("installed pack check (sig + hash)", pack_check),
            ("  baseline: read + SHA-256", pack_base),
        ]
        for label, ms in rows:
            print(f"{label:<36} {ms:6.2f} ms")
        # The pack check also opens both databases' meta rows and the state file: reported, with
        # no goal of its own (none was set); the signature is what every start pays.
        print(f"installed pack check / read + SHA-256: {pack_check / pack_base:.1f}x (no goal)")
        met = check("whole-file signature / read + SHA-512", signature / signature_base, 3, "x")
    return status(met)


if __name__ == "__main__":
    sys.exit(main())
