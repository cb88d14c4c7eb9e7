"""The bundled reference DB is signed as a whole file: what the old table digest let through is
refused now (a forged data version, an injected search-index row, an edited grade)."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from referral_app.app import main
from referral_app.db.connection import ReferenceDbError
from referral_app.services.reference_check import verify_signature
from referral_app.services.reference_data import open_reference_store
from referral_app.services.signing import generate_key, sign_file


@pytest.fixture()
def copy(reference_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "reference.db"
    shutil.copy(reference_db, target)
    shutil.copy(f"{reference_db}.sig", f"{target}.sig")
    return target


def _edit(path: Path, *sql: tuple[str, list]) -> None:
    conn = sqlite3.connect(path)
    for statement, params in sql:
        conn.execute(statement, params)
    conn.commit()
    conn.close()


def _forge_version(path: Path) -> None:
    _edit(path, ("UPDATE meta SET value = '2099.9.9' WHERE key = 'data_version'", []))


def _inject_search_row(path: Path) -> None:
    """A full-text index row (outside the content tables)."""
    _edit(
        path,
        (
            "INSERT INTO conditions_fts (rowid, name, synonyms_text, icd10_text, summary) "
            "VALUES (9999, 'headache', '', '', '')",
            [],
        ),
    )


def _raise_a_grade(path: Path) -> None:
    _edit(path, ("UPDATE conditions SET evidence_level = 'high' WHERE id = 'migraine'", []))


FORGERIES = [_forge_version, _inject_search_row, _raise_a_grade]


@pytest.mark.parametrize("forge", FORGERIES, ids=lambda f: f.__name__.strip("_"))
def test_signature_refuses_it_with_one_clear_line(copy: Path, forge, capsys, monkeypatch) -> None:
    forge(copy)
    with pytest.raises(ReferenceDbError, match="altered or damaged"):
        open_reference_store(copy)
    monkeypatch.setenv("REFERRAL_APP_REFERENCE_DB", str(copy))
    assert main(["search", "neck"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "altered or damaged" in err and "Reinstall" in err


def test_missing_signature_file_is_refused(copy: Path) -> None:
    Path(f"{copy}.sig").unlink()
    with pytest.raises(ReferenceDbError, match="signature file is missing"):
        open_reference_store(copy)


def test_signature_from_an_untrusted_key_is_refused(copy: Path, tmp_path: Path) -> None:
    stranger = tmp_path / "k" / "stranger.key"
    generate_key(stranger, "not trusted")
    _forge_version(copy)
    sign_file(copy, stranger)  # re-signed after the change, but not with a trusted key
    with pytest.raises(ReferenceDbError, match="does not trust"):
        open_reference_store(copy)


def test_checking_the_signature_is_fast(reference_db: Path) -> None:
    verify_signature(reference_db)  # libsodium loaded once
    start = time.perf_counter()
    for _ in range(10):
        verify_signature(reference_db)
    per_check_ms = (time.perf_counter() - start) * 100
    assert per_check_ms < 50, per_check_ms  # measured ~1-2 ms for the 0.8 MB database


PEAK_PROBE = """
import sys
from pathlib import Path
from referral_app.services import signing
def peak_kb():
    return int(next(x for x in open('/proc/self/status') if x.startswith('VmHWM')).split()[1])
signing.verify_file(Path(sys.argv[1]))  # a small file first: libsodium and the keys loaded
before = peak_kb()
signing.verify_file(Path(sys.argv[2]))
print(peak_kb() - before)
"""


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="reads VmHWM (Linux)")
def test_checking_the_whole_file_holds_one_copy_of_it(copy: Path, tmp_path: Path) -> None:
    """The check runs at start-up, where the app's peak memory is measured: one copy of the
    file in memory, not the four that passing its bytes to PyNaCl's verify() makes."""
    import subprocess
    import sys

    big = tmp_path / "big.db"
    big.write_bytes(bytes(range(256)) * (16 * 4096))  # 16 MB, so the allocator's noise is small
    sign_file(big)  # the development key, which the app trusts when built from source
    repo = Path(__file__).resolve().parent.parent
    command = [sys.executable, "-c", PEAK_PROBE, str(copy), str(big)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=repo)
    assert done.returncode == 0, done.stderr
    grew_mb = int(done.stdout) / 1024
    assert grew_mb < 1.5 * 16, grew_mb  # 4 copies (64 MB) before


def test_key_id_is_the_sha256_prefix_of_the_key() -> None:
    import hashlib

    from referral_app.services.signing import key_id, keys_dir, trusted_keys

    keys = trusted_keys(keys_dir())
    assert keys, "resources/keys holds at least the development key"
    for kid, public in keys.items():
        assert kid == key_id(public) == hashlib.sha256(public).hexdigest()[:16]


NO_OPENSSL_PROBE = """
import sys
from pathlib import Path
from referral_app.services.signing import verify_file
verify_file(Path(sys.argv[1]))
print(sorted(m for m in ("hashlib", "_hashlib", "ssl") if m in sys.modules))
"""


def test_checking_the_signature_does_not_load_openssl(copy: Path) -> None:
    """The check runs right after the first paint: hashlib would map OpenSSL (3.5 MB)."""
    import subprocess
    import sys

    repo = Path(__file__).resolve().parent.parent
    command = [sys.executable, "-c", NO_OPENSSL_PROBE, str(copy)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=repo)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
