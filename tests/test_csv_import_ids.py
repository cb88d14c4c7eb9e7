"""A clinic's own id in an imported row: the entry gets a local-N id, and the report says so."""

from __future__ import annotations

from pathlib import Path

from referral_app.app import main
from referral_app.db.user import UserStore

ROW = "id,name,postal_code,services\nmaria-lmt,Maria Lopez LMT,98101,therapeutic_massage\n"


def _import(capsys, tmp_path: Path, text: str, *extra: str) -> str:
    path = tmp_path / "in.csv"
    path.write_text(text, "utf-8")
    code = main(["--data-dir", str(tmp_path / "d"), "centers", "import", str(path), *extra])
    out = capsys.readouterr().out
    assert code == 0, out
    return out


def test_dry_run_and_result_say_which_id_the_entry_is_stored_under(tmp_path, capsys) -> None:
    out = _import(capsys, tmp_path, ROW, "--dry-run")
    assert "line 2: id 'maria-lmt' would be stored as local-1" in out
    out = _import(capsys, tmp_path, ROW)
    assert "line 2: id 'maria-lmt' is stored as local-1" in out
    user = UserStore.open(tmp_path / "d" / "user.db")
    assert [(c.id, c.name) for c in user.local_centers()] == [("local-1", "Maria Lopez LMT")]


def test_update_still_finds_the_entry_and_an_export_round_trip_is_quiet(tmp_path, capsys) -> None:
    _import(capsys, tmp_path, ROW)
    out = _import(
        capsys, tmp_path, ROW.replace("therapeutic_massage", "medical_massage"), "--update"
    )
    assert "1 to update" in out and "stored as" not in out
    same_id = "id,name,postal_code,services\nlocal-1,Maria Lopez,98101,medical_massage\n"
    out = _import(capsys, tmp_path, same_id, "--update")  # matched by id, name corrected
    assert "1 to update" in out and "stored as" not in out
    user = UserStore.open(tmp_path / "d" / "user.db")
    assert [(c.id, c.name) for c in user.local_centers()] == [("local-1", "Maria Lopez")]
