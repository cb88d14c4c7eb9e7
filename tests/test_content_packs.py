"""Signed content packs: build from data/, install, refuse, survive a kill, roll back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from referral_app import __version__
from referral_app.app import main
from referral_app.services import content_in_use, content_packs
from referral_app.services.content_build import build_pack
from referral_app.services.content_pack_file import PackError, read_pack
from referral_app.services.signing import generate_key, trusted_keys
from tests.content_pack_helpers import make_pack

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.usefixtures("use_reference_db")


def _status(capsys) -> dict:
    capsys.readouterr()
    assert main(["content", "status", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _in_use(capsys) -> tuple[str, str]:
    status = _status(capsys)["in_use"]
    return status["version"], status["origin"]


def _install(capsys, pack: Path, *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["content", "install", str(pack), *extra])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out + captured.err


@pytest.fixture(scope="module")
def built_pack(tmp_path_factory, reference_db) -> Path:
    """A pack built by the real builder from a copy of data/ with a newer data version."""
    import shutil

    data = tmp_path_factory.mktemp("packdata") / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("reference.db*"))
    meta = data / "meta.toml"
    text = meta.read_text("utf-8")
    old = text.split('data_version = "')[1].split('"')[0]
    meta.write_text(text.replace(f'data_version = "{old}"', 'data_version = "2099.1.1"'))
    changes = data / "changes.toml"
    release = '[[release]]\nversion = "2099.1.1"\ndate = 2099-01-01\nsummary = "Test release."\n'
    changes.write_text(changes.read_text("utf-8") + "\n" + release, "utf-8")
    return build_pack(tmp_path_factory.mktemp("packs"), data)


def test_pack_from_data_holds_a_signed_manifest_that_pins_the_database(built_pack) -> None:
    assert built_pack.name == "referral-content-2099.1.1.rgpack"
    pack = read_pack(built_pack)
    manifest = pack.manifest
    assert manifest.data_version == "2099.1.1" and manifest.min_app_version == __version__
    assert len(manifest.db_sha256) == 64 and manifest.content_hash and manifest.build_date
    assert manifest.changes["version"] == "2099.1.1"
    assert manifest.changes["summary"] == "Test release."
    with zipfile.ZipFile(built_pack) as archive:
        assert sorted(archive.namelist()) == ["manifest.json", "manifest.sig", "reference.db"]


def test_installed_pack_is_used_by_version_about_status_bar_and_sheet(
    built_pack, capsys, tmp_path, qapp
) -> None:
    code, out = _install(capsys, built_pack)
    assert code == 0 and "installed: content 2099.1.1, installed 20" in out
    assert main(["--version"]) == 0
    assert "content 2099.1.1, installed 20" in capsys.readouterr().out
    from referral_app.services.reference_data import open_reference_store
    from referral_app.ui.dialogs.about_dialog import about_text
    from referral_app.ui.main_window import MainWindow

    store = open_reference_store()
    assert store.meta["data_version"] == "2099.1.1"
    window = MainWindow(store)
    assert window.data_label.text().startswith("Content 2099.1.1, installed 20")
    assert "Content 2099.1.1, installed 20" in about_text(store)
    window.close()
    out_pdf = tmp_path / "sheet.pdf"
    argv = [
        "sheet",
        "neck pain",
        "--center",
        "dana-farber-zakim",
        "--no-flags",
        "--out",
        str(out_pdf),
    ]
    assert main(argv) == 0
    text = " ".join(page.extract_text() for page in PdfReader(out_pdf).pages)
    assert "content 2099.1.1, installed 20" in " ".join(text.split())


def test_a_tampered_database_byte_is_refused(reference_db, tmp_path, capsys) -> None:
    good = make_pack(reference_db, tmp_path, "2099.2.1")
    bad = tmp_path / "bad.rgpack"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for name in src.namelist():
            data = bytearray(src.read(name))
            if name == "reference.db":
                data[len(data) // 2] ^= 0x01
            dst.writestr(name, bytes(data))
    code, out = _install(capsys, bad)
    assert code == 2 and "does not match the signed manifest" in out
    assert _in_use(capsys)[1] == "bundled"
    assert not (content_in_use.content_dir() / "packs").exists() or not any(
        (content_in_use.content_dir() / "packs").iterdir()
    )


def test_a_changed_manifest_is_refused(reference_db, tmp_path, capsys) -> None:
    good = make_pack(reference_db, tmp_path, "2099.2.1")
    bad = tmp_path / "forged.rgpack"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "manifest.json":
                data = data.replace(
                    f'"min_app_version": "{__version__}"'.encode(), b'"min_app_version": "0.0.1"'
                )
            dst.writestr(name, data)
    code, out = _install(capsys, bad)
    assert code == 2 and "signature does not match" in out


def test_a_flipped_byte_anywhere_in_the_file_is_refused(reference_db, tmp_path, capsys) -> None:
    good = make_pack(reference_db, tmp_path, "2099.2.1")
    raw = bytearray(good.read_bytes())
    for offset in (40, len(raw) // 3, len(raw) // 2, len(raw) - 30):
        bad = tmp_path / f"flip-{offset}.rgpack"
        flipped = bytearray(raw)
        flipped[offset] ^= 0x20
        bad.write_bytes(bytes(flipped))
        code, out = _install(capsys, bad)
        assert code == 2 and len(out.strip().splitlines()) == 1, out
    assert _in_use(capsys)[1] == "bundled"


def test_a_pack_signed_with_an_unknown_key_is_refused(reference_db, tmp_path, capsys) -> None:
    stranger = tmp_path / "keys" / "stranger.key"
    generate_key(stranger, "not trusted")
    pack = make_pack(reference_db, tmp_path, "2099.2.1", key_file=stranger)
    code, out = _install(capsys, pack)
    assert code == 2 and "key this app does not trust" in out
    assert _in_use(capsys)[1] == "bundled"


def test_a_rotated_key_is_trusted_alongside_the_old_one(reference_db, tmp_path) -> None:
    keys = tmp_path / "trusted"
    old_pub = generate_key(tmp_path / "k" / "old.key", "old")
    new_pub = generate_key(tmp_path / "k" / "new.key", "new")
    keys.mkdir()
    for pub in (old_pub, new_pub):
        (keys / pub.name).write_text(pub.read_text())
    trusted = trusted_keys(keys)
    assert len(trusted) == 2
    for name, version in (("old", "2099.3.1"), ("new", "2099.3.2")):
        pack = make_pack(reference_db, tmp_path, version, key_file=tmp_path / "k" / f"{name}.key")
        content = content_packs.install(pack, reference_db, keys=trusted)
        assert (content.version, content.origin) == (version, "pack")


def test_an_older_pack_is_refused_unless_allowed_and_then_logged(
    reference_db, tmp_path, capsys, _user_data_dir
) -> None:
    assert _install(capsys, make_pack(reference_db, tmp_path, "2099.4.2"))[0] == 0
    older = make_pack(reference_db, tmp_path, "2099.4.1")
    code, out = _install(capsys, older)
    assert code == 2 and "older than the 2099.4.2 in use" in out and "--allow-older" in out
    assert _in_use(capsys) == ("2099.4.2", "pack")
    bundled_age = make_pack(reference_db, tmp_path, "2000.1.1")
    code, _ = _install(capsys, bundled_age)
    assert code == 2
    code, out = _install(capsys, older, "--allow-older")
    assert code == 0 and "recorded in the app log" in out
    assert _in_use(capsys) == ("2099.4.1", "pack")
    log = (_user_data_dir / "logs" / "referral-guide.log").read_text()
    assert "2099.4.1 installed over 2099.4.2 with --allow-older" in log


def test_a_pack_needing_a_newer_app_is_refused(reference_db, tmp_path, capsys) -> None:
    pack = make_pack(reference_db, tmp_path, "2099.5.1", min_app="99.0.0")
    code, out = _install(capsys, pack)
    assert code == 2 and "needs app version 99.0.0 or newer" in out


def test_rollback_goes_back_one_install_then_to_the_bundled_content(
    reference_db, tmp_path, capsys
) -> None:
    for version in ("2099.6.1", "2099.6.2"):
        assert _install(capsys, make_pack(reference_db, tmp_path, version))[0] == 0
    assert _in_use(capsys) == ("2099.6.2", "pack")
    assert main(["content", "rollback"]) == 0
    assert _in_use(capsys) == ("2099.6.1", "pack")
    assert main(["content", "rollback"]) == 0
    assert _in_use(capsys)[1] == "bundled"
    capsys.readouterr()
    assert main(["content", "rollback"]) == 2
    assert "nothing to roll back" in capsys.readouterr().err


def test_an_installed_pack_altered_later_is_not_used(reference_db, tmp_path, capsys) -> None:
    assert _install(capsys, make_pack(reference_db, tmp_path, "2099.7.1"))[0] == 0
    installed = next((content_in_use.content_dir() / "packs").iterdir()) / "reference.db"
    data = bytearray(installed.read_bytes())
    data[-100] ^= 0x01
    installed.write_bytes(bytes(data))
    status = _status(capsys)
    assert status["in_use"]["origin"] == "bundled" and "altered or damaged" in status["note"]


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from referral_app.services import content_in_use, content_packs
    where = sys.argv[1]
    if where == "extract":
        def partial(pack, out):  # half of the database is on disk, then the process dies
            import zipfile
            with zipfile.ZipFile(pack.path) as archive:
                data = archive.read("reference.db")
            out.write(data[: len(data) // 2])
            out.flush()
            os.fsync(out.fileno())
            os.kill(os.getpid(), signal.SIGKILL)
        content_packs.extract_database = partial
    else:
        real_replace = content_packs.os.replace
        def replace(src, dst):
            if str(dst).endswith("state.json"):  # the pack is unpacked; not yet switched to
                os.kill(os.getpid(), signal.SIGKILL)
            real_replace(src, dst)
        content_packs.os.replace = replace
    from referral_app.app import main
    sys.exit(main(["content", "install", sys.argv[2]]))
    """
)


@pytest.mark.parametrize("where", ["extract", "switch"])
def test_a_kill_during_install_leaves_the_previous_content_in_use(
    reference_db, tmp_path, capsys, where
) -> None:
    assert _install(capsys, make_pack(reference_db, tmp_path, "2099.8.1"))[0] == 0
    newer = make_pack(reference_db, tmp_path, "2099.8.2")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.run(
        [sys.executable, "-c", KILLER, where, str(newer)], env=env, capture_output=True, timeout=60
    )
    assert run.returncode == -9, run.stderr.decode()
    assert _in_use(capsys) == ("2099.8.1", "pack")
    assert _install(capsys, newer)[0] == 0  # a later install cleans up and succeeds
    assert _in_use(capsys) == ("2099.8.2", "pack")
    assert not list(content_in_use.content_dir().glob(".staging-*"))


def test_read_pack_names_the_file_for_junk(tmp_path) -> None:
    junk = tmp_path / "junk.rgpack"
    junk.write_bytes(b"not a zip")
    with pytest.raises(PackError, match="junk.rgpack is not a content pack"):
        read_pack(junk)


def test_newer_bundled_content_wins_over_an_older_pack(
    reference_db, tmp_path, capsys, monkeypatch
) -> None:
    from referral_app.services.signing import sign_file
    from tests.content_pack_helpers import versioned_db

    assert _install(capsys, make_pack(reference_db, tmp_path, "2099.10.1"))[0] == 0
    newer_app = versioned_db(reference_db, tmp_path, "2100.1.1")  # an app update's own content
    sign_file(newer_app)
    monkeypatch.setenv("REFERRAL_APP_REFERENCE_DB", str(newer_app))
    status = _status(capsys)
    assert status["in_use"]["origin"] == "bundled" and status["in_use"]["version"] == "2100.1.1"
    assert "newer than pack 2099.10.1" in status["note"]


def test_self_test_reports_the_installed_content(reference_db, tmp_path, capsys, qapp) -> None:
    assert _install(capsys, make_pack(reference_db, tmp_path, "2099.11.1"))[0] == 0
    report = tmp_path / "self-test.json"
    assert main(["--self-test", "--report", str(report)]) == 0
    versions = json.loads(report.read_text("utf-8"))["versions"]
    assert versions["content"].startswith("content 2099.11.1, installed ")
    assert versions["data"] == "2099.11.1"


def test_a_damaged_pack_says_damaged_even_at_the_version_in_use(
    reference_db, tmp_path, capsys
) -> None:
    good = make_pack(reference_db, tmp_path, "2099.12.1")
    assert _install(capsys, good)[0] == 0
    bad = tmp_path / "same-version-bad.rgpack"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for name in src.namelist():
            data = bytearray(src.read(name))
            if name == "reference.db":
                data[-200] ^= 0x01
            dst.writestr(name, bytes(data))
    code, out = _install(capsys, bad)
    assert code == 2 and "does not match the signed manifest" in out
