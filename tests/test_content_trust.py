"""Content trust: an installed app never trusts the development key, whose private half is in
the repository; it says so in the CLI, Update content and About, and names who signed the content
in use. (The same check runs on the real bundle in tests/test_selftest.py, frozen tests.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from referral_app.app import main
from referral_app.services import content_in_use, content_packs, signing
from referral_app.services.content_pack_file import PackError, read_pack
from referral_app.services.signing import generate_key
from tests.content_pack_helpers import make_pack

pytestmark = pytest.mark.usefixtures("use_reference_db")
OFF = "content updates are off in this build"


@pytest.fixture()
def installed_app(monkeypatch) -> None:
    """The rule a frozen bundle follows (paths.FROZEN), in this process."""
    monkeypatch.setattr(signing, "development_key_trusted", lambda: False)


def _run(capsys, *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out + captured.err


def test_the_development_key_id_is_the_committed_one() -> None:
    names = signing.key_names()
    assert names.get(signing.DEV_KEY_ID) == signing.DEV_KEY_NAME


def test_source_runs_take_development_packs(reference_db, tmp_path, capsys) -> None:
    code, out = _run(
        capsys, "content", "install", str(make_pack(reference_db, tmp_path, "2099.4.1"))
    )
    assert code == 0, out
    code, out = _run(capsys, "content", "status", "--json")
    status = json.loads(out)
    assert status["content_updates"] == "on" and status["content_updates_note"] == ""
    assert status["signed_by"] == "development-2026 (development key)"


def test_an_installed_app_refuses_a_development_signed_pack(
    installed_app, reference_db, tmp_path, capsys
) -> None:
    pack = make_pack(reference_db, tmp_path, "2099.4.2")
    code, out = _run(capsys, "content", "install", str(pack))
    assert code == 2 and OFF in out and "development key" in out
    assert len(out.strip().splitlines()) == 1
    code, out = _run(capsys, "content", "status", "--json")
    status = json.loads(out)
    assert status["in_use"]["origin"] == "bundled"
    assert status["content_updates"] == "off" and OFF in status["content_updates_note"]
    code, out = _run(capsys, "content", "status")
    assert f"content updates: {OFF}" in out


def test_with_a_release_key_only_the_release_key_signs_packs(
    installed_app, reference_db, tmp_path
) -> None:
    folder = tmp_path / "trusted"
    folder.mkdir()
    dev_pub = signing.keys_dir() / f"{signing.DEV_KEY_NAME}.pub"
    (folder / dev_pub.name).write_text(dev_pub.read_text())
    release_pub = generate_key(tmp_path / "k" / "release-2027.key", "release")
    (folder / release_pub.name).write_text(release_pub.read_text())

    keys = signing.pack_keys(folder)
    assert signing.DEV_KEY_ID not in keys and len(keys) == 1
    assert signing.updates_off_reason(folder) == ""
    with pytest.raises(PackError, match="development key, whose private half is public"):
        read_pack(make_pack(reference_db, tmp_path, "2099.4.3"), keys)
    good = make_pack(
        reference_db, tmp_path, "2099.4.4", key_file=tmp_path / "k" / "release-2027.key"
    )
    assert read_pack(good, keys).manifest.data_version == "2099.4.4"


def test_a_development_pack_installed_earlier_is_not_used_once_installed(
    reference_db, tmp_path, monkeypatch
) -> None:
    content_packs.install(make_pack(reference_db, tmp_path, "2099.4.5"), reference_db)
    assert content_in_use.active_content(reference_db).origin == "pack"
    monkeypatch.setattr(signing, "development_key_trusted", lambda: False)
    content = content_in_use.active_content(reference_db)
    assert content.origin == "bundled" and "development key" in content.note


def test_content_pack_warns_when_it_signs_with_the_development_key(
    tmp_path, capsys, monkeypatch
) -> None:
    monkeypatch.delenv(signing.KEY_ENV, raising=False)
    seen: list[Path] = []
    monkeypatch.setattr(
        "referral_app.services.content_build.build_pack",
        lambda out, **kw: seen.append(out) or out / "x.rgpack",
    )
    code, out = _run(capsys, "content", "pack", "--out", str(tmp_path))
    assert code == 0 and seen == [tmp_path]
    assert "DEVELOPMENT key" in out and "installed app refuses it" in out


def test_update_content_and_about_say_updates_are_off(
    installed_app, qtbot, reference_db, monkeypatch
) -> None:
    from referral_app.services.reference_data import open_reference_store
    from referral_app.ui.dialogs.about_dialog import about_text
    from referral_app.ui.dialogs.update_content_dialog import UpdateContentDialog

    monkeypatch.setattr(QMessageBox, "warning", lambda *a: None)
    dialog = UpdateContentDialog(reference_db)
    qtbot.addWidget(dialog)
    text = dialog.status.text()
    assert "signed by development-2026 (development key)" in text
    assert OFF.capitalize() in text
    assert not dialog.install_button.isEnabled() and not dialog.allow_older.isEnabled()
    store = open_reference_store(reference_db)
    about = about_text(store)
    store.close()
    assert "Content signed by development-2026 (development key)." in about
    assert OFF.capitalize() in about


def test_update_content_is_on_in_a_source_run(qtbot, reference_db) -> None:
    from referral_app.ui.dialogs.update_content_dialog import UpdateContentDialog

    dialog = UpdateContentDialog(reference_db)
    qtbot.addWidget(dialog)
    assert dialog.install_button.isEnabled() and OFF.capitalize() not in dialog.status.text()


@pytest.mark.parametrize(
    "text", ['{"active": "x", "previous": 3}', '{"active": ["a"], "previous": ["b", 2]}', "[]"]
)
def test_a_state_file_of_another_shape_means_the_bundled_content(
    text, reference_db, capsys
) -> None:
    from referral_app.services.content_in_use import content_dir

    content_dir().mkdir(parents=True, exist_ok=True)
    (content_dir() / "state.json").write_text(text)
    code, out = _run(capsys, "content", "status", "--json")
    assert code == 0 and json.loads(out)["in_use"]["origin"] == "bundled"
    code, out = _run(capsys, "search", "neck")
    assert code == 0
