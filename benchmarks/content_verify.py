"""Start-up cost of checking content: the whole-file signature of the bundled reference DB and
an installed content pack's manifest signature + database hash, against the old table digest."""

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


def median_ms(func, runs: int = 30) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    logging.disable(logging.WARNING)  # the --allow-older install below logs a warning
    start = time.perf_counter()
    import nacl.signing  # noqa: F401

    load = (time.perf_counter() - start) * 1000
    from referral_app.services import content_in_use, content_packs
    from referral_app.services.content_build import build_pack
    from referral_app.services.reference_data import open_reference_store, verify_signature

    bundled = ROOT / "data" / "reference.db"
    open_reference_store().close()  # builds data/reference.db (and its .sig) if needed
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["REFERRAL_APP_DATA_DIR"] = tmp
        pack = build_pack(Path(tmp) / "packs")
        content_packs.install(pack, bundled, allow_older=True)
        size = bundled.stat().st_size / 1e6
        rows = [
            ("libsodium load (once per start)", load),
            (f"whole-file signature ({size:.1f} MB DB)",
             median_ms(lambda: verify_signature(bundled))),
            ("installed pack check (sig + hash)", median_ms(
                lambda: content_in_use.active_content(bundled))),
        ]  # fmt: skip
        for label, ms in rows:
            print(f"{label:<36} {ms:6.2f} ms")


if __name__ == "__main__":
    main()
