"""Content published through the shared clinic database (issue 24, point 5), with a real server:
an administrator publishes a signed pack once; a second workstation checks the same signature and
installs it at its next start; a pack nobody trusted is refused there too; `clinic-db status`
shows which workstation runs which content."""

from __future__ import annotations

import json

import pytest

from referral_app.app import main
from referral_app.services import content_packs
from referral_app.services.signing import generate_key
from tests.clinic_helpers import fresh_pg, need_pg, shared_local
from tests.content_pack_helpers import make_pack

pytestmark = pytest.mark.usefixtures("use_reference_db")


def _run(capsys, *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "internal error" not in captured.err
    return code, captured.out + captured.err


@pytest.fixture()
def workstations(tmp_path, monkeypatch):
    dsn = need_pg()
    fresh_pg(dsn)
    folders = [tmp_path / "ws1", tmp_path / "ws2"]
    for folder in folders:
        shared_local(folder, dsn).close()
    return dsn, folders


def _on(monkeypatch, folder) -> None:
    monkeypatch.setenv("REFERRAL_APP_DATA_DIR", str(folder))


def test_published_content_reaches_a_second_workstation(
    workstations, reference_db, tmp_path, capsys, monkeypatch
) -> None:
    dsn, (admin_ws, other_ws) = workstations
    pack = make_pack(reference_db, tmp_path, "2099.7.1")

    _on(monkeypatch, admin_ws)
    code, out = _run(capsys, "clinic-db", "publish-content", str(pack), dsn)
    assert code == 0 and "published content 2099.7.1" in out
    code, out = _run(capsys, "clinic-db", "publish-content", str(pack), dsn)
    assert code == 0  # the same pack again: nothing changes

    _on(monkeypatch, other_ws)
    assert content_packs.active_content(reference_db).origin == "bundled"
    code, out = _run(capsys, "clinic-db", "status", "--json")  # a start: the store is opened
    assert code == 0
    in_use = content_packs.active_content(reference_db)
    assert (in_use.version, in_use.origin) == ("2099.7.1", "pack")
    code, out = _run(capsys, "clinic-db", "status", "--json")
    reported = json.loads(out)["workstations"]
    assert [w["content"] for w in reported] == [in_use.label]
    code, out = _run(capsys, "clinic-db", "status")
    assert "workstation " in out and "content 2099.7.1" in out


def test_an_untrusted_pack_on_the_server_is_refused_by_each_workstation(
    workstations, reference_db, tmp_path, capsys, monkeypatch
) -> None:
    from referral_app.db import clinic_pg
    from referral_app.db import clinic_pg_content as sql
    from referral_app.services.content_pack_file import file_sha256

    dsn, (admin_ws, other_ws) = workstations
    stranger = tmp_path / "k" / "stranger.key"
    generate_key(stranger, "not trusted")
    bad = make_pack(reference_db, tmp_path, "2099.7.2", key_file=stranger)

    _on(monkeypatch, admin_ws)
    code, out = _run(capsys, "clinic-db", "publish-content", str(bad), dsn)
    assert code == 2 and "key this app does not trust" in out
    with clinic_pg.connect(dsn) as conn:  # someone with write access puts it there anyway
        sql.publish(conn, "2099.7.2", bad.read_bytes(), file_sha256(bad))

    _on(monkeypatch, other_ws)
    code, out = _run(capsys, "clinic-db", "status", "--json")
    assert code == 0
    assert content_packs.active_content(reference_db).origin == "bundled"
    note = json.loads(out)["workstations"][0]["note"]
    assert "2099.7.2 was refused" in note and "does not trust" in note
