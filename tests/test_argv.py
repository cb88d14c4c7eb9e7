"""One parser for every entry: the GUI, the commands and --self-test see --data-dir the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from referral_app import app, paths


@pytest.fixture()
def gui_folder(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Stand in for the window: record which user folder the GUI would open."""
    seen: list[Path] = []
    monkeypatch.setattr(app, "run_gui", lambda: seen.append(paths.user_data_dir()) or 0)
    return seen


@pytest.mark.parametrize("form", ["equals", "space"])
def test_gui_honours_data_dir_in_both_forms(
    tmp_path: Path, gui_folder: list[Path], form: str
) -> None:
    target = tmp_path / "encrypted volume"
    argv = [f"--data-dir={target}"] if form == "equals" else ["--data-dir", str(target)]
    assert app.main(argv) == 0
    assert gui_folder == [target]


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--data-dir"], "expected one argument"),
        (["--data-dir", ""], "not an empty value"),
        (["--data-dir="], "not an empty value"),
        (["--self-test", "levels"], "takes no command"),
        (["--report", "r.json"], "goes with --self-test"),
        (["--no-such-option"], "unrecognized arguments"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    argv: list[str], words: str, gui_folder: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert app.main(argv) == 2
    err = capsys.readouterr().err
    assert words in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert gui_folder == []  # nothing started, nothing created


def test_empty_data_dir_creates_nothing_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gui_folder: list[Path]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert app.main(["--data-dir", "", "log"]) == 2
    assert list(tmp_path.iterdir()) == []


def test_command_uses_data_dir_given_with_equals(tmp_path: Path, capsys) -> None:
    target = tmp_path / "clinic"
    assert app.main([f"--data-dir={target}", "log"]) == 0
    assert (target / "user.db").exists()
    assert "No referrals logged yet." in capsys.readouterr().out


def test_self_test_goes_through_the_same_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[Path, Path]] = []
    monkeypatch.setattr(
        app, "run_self_test", lambda report: seen.append((report, paths.user_data_dir())) or 0
    )
    assert (
        app.main(["--self-test", f"--report={tmp_path / 'r.json'}", f"--data-dir={tmp_path}"]) == 0
    )
    assert seen == [(tmp_path / "r.json", tmp_path)]


def test_the_urgency_choices_are_the_domain_s() -> None:
    from referral_app.cli.parser import build_parser
    from referral_app.domain.referral import URGENCIES

    sheet = build_parser()._subparsers._group_actions[0].choices["sheet"]
    urgency = next(a for a in sheet._actions if a.dest == "urgency")
    assert tuple(urgency.choices) == URGENCIES
