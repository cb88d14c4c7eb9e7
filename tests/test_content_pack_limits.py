"""Pack files that try to exhaust memory or disk, escape their folder or race (issue 24 point 1,
second half): every install is checked before anything is inflated, the database is stopped at
its signed size, the version is checked before a path is made from it, installs are serialised,
and a full disk is said as a full disk."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import textwrap
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from referral_app.app import main
from referral_app.services import content_pack_file, content_packs
from referral_app.services.content_pack_file import MANIFEST, Manifest, file_sha256, write_pack
from referral_app.services.signing import dev_key_file, sign
from tests.content_pack_helpers import make_pack, versioned_db

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.usefixtures("use_reference_db")


def _install(capsys, pack: Path, *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["content", "install", str(pack), *extra])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "internal error" not in captured.err
    return code, captured.err.strip()


def _nothing_installed() -> None:
    assert content_packs.installed_packs() == []
    assert not list(content_packs.content_dir().glob(".staging-*"))
    assert content_packs.read_state()["active"] is None


def _manifest(db: Path, version: str, **changes) -> Manifest:
    fields = dict(
        data_version=version,
        build_date="2026-12-01",
        content_hash="test",
        db_sha256=file_sha256(db),
        db_size=db.stat().st_size,
        min_app_version="0.1.0",
    )
    return Manifest(**{**fields, **changes})


def test_a_zip_bomb_manifest_is_refused_before_it_is_inflated(tmp_path, capsys) -> None:
    """64 MiB of manifest in a 64 KiB file (the review's was 512 MiB and cost 1.5 GB): refused
    from the size the zip declares, with almost nothing allocated."""
    bomb = tmp_path / "bomb.rgpack"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as pack:
        with pack.open(MANIFEST, "w", force_zip64=True) as member:
            for _ in range(64):
                member.write(b" " * (1 << 20))
        pack.writestr("manifest.sig", "{}")
        pack.writestr("reference.db", b"x")
    assert bomb.stat().st_size < 1 << 20
    tracemalloc.start()
    code, err = _install(capsys, bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert code == 2 and "manifest.json would inflate to 67,108,864 bytes" in err, err
    assert peak < 4 << 20, f"{peak:,} bytes allocated to refuse it"
    _nothing_installed()


def _zip_with_db(out: Path, manifest: Manifest, payload: bytes) -> Path:
    raw = manifest.to_bytes()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as pack:
        pack.writestr(MANIFEST, raw)
        pack.writestr("manifest.sig", sign(raw, dev_key_file()).to_json())
        pack.writestr("reference.db", payload)
    return out


def _count_writes(monkeypatch) -> list[int]:
    written: list[int] = []
    real = content_pack_file._write

    def counted(out, chunk, pack) -> None:
        written.append(len(chunk))
        real(out, chunk, pack)

    monkeypatch.setattr(content_pack_file, "_write", counted)
    return written


def test_a_database_larger_than_signed_is_refused_without_writing_past_it(
    reference_db, tmp_path, capsys, monkeypatch
) -> None:
    db = versioned_db(reference_db, tmp_path, "2099.3.1")
    manifest = _manifest(db, "2099.3.1")  # genuine: the real database's size and hash
    padded = db.read_bytes() + b"\0" * (32 << 20)  # and 32 MiB more behind it in the zip
    written = _count_writes(monkeypatch)
    code, err = _install(capsys, _zip_with_db(tmp_path / "big.rgpack", manifest, padded))
    assert code == 2 and "does not match the signed manifest" in err, err
    assert written == []  # the zip's declared size already differs: nothing inflated
    _nothing_installed()
    # the zip lies too (its directory says the signed size): inflating stops at that size
    liar = _zip_with_db(tmp_path / "liar.rgpack", manifest, padded)
    _declare_size(liar, "reference.db", manifest.db_size)
    code, err = _install(capsys, liar)
    assert code == 2 and ("damaged" in err or "signed manifest" in err), err
    assert 0 < sum(written) <= manifest.db_size
    _nothing_installed()


def _declare_size(path: Path, name: str, size: int) -> None:
    """Rewrite the uncompressed size of ``name`` in the zip's local header and central
    directory (what a hand-made pack can claim)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info, entry = archive.getinfo(name), archive.start_dir
    struct.pack_into("<I", data, info.header_offset + 22, size)  # local header
    while data[entry : entry + 4] == b"PK\x01\x02":  # central directory entries
        n, m, k = struct.unpack_from("<HHH", data, entry + 28)
        if data[entry + 46 : entry + 46 + n] == name.encode():
            struct.pack_into("<I", data, entry + 24, size)
        entry += 46 + n + m + k
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("version", ["../../outside", "2099.1.1/../../x", "2099.1.1\n", ""])
def test_a_bad_version_is_refused_before_a_path_is_made_even_allowing_older(
    reference_db, tmp_path, capsys, version
) -> None:
    db = versioned_db(reference_db, tmp_path, "2099.4.1")
    pack = write_pack(tmp_path / "v.rgpack", db, _manifest(db, version), dev_key_file())
    code, err = _install(capsys, pack, "--allow-older")
    assert code == 2 and "invalid data_version" in err, err
    _nothing_installed()
    data_dir = content_packs.content_dir().parent
    assert not list(data_dir.parent.rglob("outside")) and not list(data_dir.rglob("x"))


RACER = textwrap.dedent(
    """
    import sys, time
    from referral_app.services import content_pack_file
    real = content_pack_file._write
    def slow(out, chunk, pack):  # a slow disk: the other install starts meanwhile
        time.sleep(0.02)
        real(out, chunk, pack)
    content_pack_file._write = slow
    from referral_app.app import main
    # --allow-older: whichever finishes second installs too, so both must succeed
    sys.exit(main(["content", "install", sys.argv[1], "--allow-older"]))
    """
)


def test_two_installs_in_parallel_processes_never_undo_each_other(
    reference_db, tmp_path, capsys
) -> None:
    packs = [make_pack(reference_db, tmp_path, v) for v in ("2099.5.1", "2099.5.2")]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen([sys.executable, "-c", RACER, str(p)], env=env, stderr=subprocess.PIPE)
        for p in packs
    ]
    errors = [proc.communicate(timeout=240)[1].decode() for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], errors
    installed = content_packs.installed_packs()
    assert sorted(name.split("-")[0] for name in installed) == ["2099.5.1", "2099.5.2"]
    for name in installed:  # both complete and intact
        content_pack_file.check_installed(content_packs.content_dir() / "packs" / name)
    assert not list(content_packs.content_dir().glob(".staging-*"))
    capsys.readouterr()
    assert main(["content", "status", "--json"]) == 0
    in_use = json.loads(capsys.readouterr().out)["in_use"]
    assert in_use["origin"] == "pack" and in_use["version"] in ("2099.5.1", "2099.5.2")


def test_an_install_waits_for_the_lock_and_says_so_when_it_cannot_have_it(tmp_path) -> None:
    content_packs.content_dir().mkdir(parents=True, exist_ok=True)
    with content_packs.install_lock():
        start = time.monotonic()
        busy = pytest.raises(content_packs.PackError, match="another content install")
        with busy, content_packs.install_lock(wait=0.5):
            pass
        assert time.monotonic() - start >= 0.5
    with content_packs.install_lock(wait=0.5):  # released: free again
        pass


@pytest.fixture()
def tiny_disk(tmp_path):
    """A 512 KiB tmpfs where the pack goes (root only; the reference DB is 1 MiB)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}); see the RLIMIT test")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_is_said_as_a_full_disk(reference_db, tmp_path, capsys, tiny_disk) -> None:
    pack = make_pack(reference_db, tmp_path, "2099.6.1")
    content = content_packs.content_dir()
    content.parent.mkdir(parents=True, exist_ok=True)
    content.symlink_to(tiny_disk, target_is_directory=True)
    code, err = _install(capsys, pack)
    assert code == 2 and "the disk is full" in err and "damaged" not in err, err
    _nothing_installed()
    assert shutil.disk_usage(tiny_disk).used < 64 << 10  # the partial database was removed


FSIZE = textwrap.dedent(
    """
    import resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))
    from referral_app.app import main
    sys.exit(main(["content", "install", sys.argv[1]]))
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_file_size_limit_is_said_and_nothing_is_installed(reference_db, tmp_path) -> None:
    """The other way to run out of room, without root: RLIMIT_FSIZE (EFBIG)."""
    pack = make_pack(reference_db, tmp_path, "2099.7.1")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", FSIZE, str(pack)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "file size limit" in done.stderr and "damaged" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    _nothing_installed()
