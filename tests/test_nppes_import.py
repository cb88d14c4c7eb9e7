"""``centers import-nppes`` (issue 22, point 3): the CMS NPPES file in its real 330-column layout
(benchmarks/nppes_data.py writes it from the Readme's column names): active massage therapists in
the chosen states, found again by NPI, all or nothing, on both clinic stores."""

from __future__ import annotations

import random
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from benchmarks.nppes_data import (
    AT,
    COLUMNS,
    FILE_NAME,
    Spec,
    npi_number,
    random_rows,
    spec_row,
    write_file,
)
from referral_app.app import main
from referral_app.db.user import UserStore
from referral_app.domain.contact import npi_problem
from referral_app.domain.provenance import LICENSE_UNCHECKED
from referral_app.services import nppes_import
from referral_app.services.errors import InputError
from referral_app.services.nppes_import import import_nppes, parse_states
from tests.clinic_helpers import clinic_store  # noqa: F401 - the fixture

PERSON = Spec(1)
ORG = Spec(2, entity="2", state="LA", city="NEW ORLEANS", postal="70112", taxonomy_slot=15)
GONE = Spec(3, deactivated="03/01/2020")
BACK = Spec(4, first="JOSE", deactivated="03/01/2020", reactivated="06/01/2021")
NOT_MASSAGE = Spec(5, taxonomy_slot=0)
ELSEWHERE = Spec(6, state="MT", city="MISSOULA", postal="59801")
ABROAD = Spec(7, country="CA", state="TX")
SPECS = (PERSON, ORG, GONE, BACK, NOT_MASSAGE, ELSEWHERE, ABROAD)


@pytest.fixture()
def user_store(tmp_path: Path):
    store = UserStore.open(tmp_path / "user.db")
    yield store
    store.close()


def nppes_file(folder: Path, specs=SPECS, name: str = FILE_NAME, filler: int = 60) -> Path:
    """The named rows among seeded random rows of other providers (no massage therapists)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [spec_row(s) for s in specs]
    rows += list(random_rows(random.Random(5), filler, start=1000, massage_share=0.0))
    random.Random(6).shuffle(rows)
    return write_file(folder / name, rows)


def by_npi(store) -> dict[str, object]:
    return {c.npi: c for c in store.local_centers(include_retired=True)}


def test_the_generated_file_has_the_real_layout(tmp_path: Path) -> None:
    path = nppes_file(tmp_path)
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert len(COLUMNS) == 330 and header.count('","') == 329 and header.startswith('"NPI",')
    assert (
        COLUMNS[AT["Healthcare Provider Taxonomy Code_15"]]
        == "Healthcare Provider Taxonomy Code_15"
    )
    assert not npi_problem(npi_number(12345))


def test_keeps_active_massage_therapists_in_the_chosen_states(clinic_store, tmp_path) -> None:  # noqa: F811
    report = import_nppes(clinic_store, nppes_file(tmp_path), ("TX", "LA"))
    found = by_npi(clinic_store)
    assert set(found) == {npi_number(s.npi_serial) for s in (PERSON, ORG, BACK)}
    person = found[npi_number(1)]
    assert person.name == "Ana Ruiz, LMT" and person.kind == "therapist"
    assert (person.street, person.city, person.region) == (
        "6565 Fannin St, Suite 200",
        "Houston",
        "TX",
    )
    assert (person.postal_code, person.phone, person.fax) == (
        "77030-1234",
        "713-555-0100",
        "713-555-0101",
    )
    assert person.source_url == "imported from NPPES, file of January 2025"
    assert person.status_note == LICENSE_UNCHECKED
    assert person.location_basis == "postal_code" and 29 < person.latitude < 30
    assert "license TX MT012345" in person.confidence_note
    org = found[npi_number(2)]
    assert org.name == "Lakeside Massage Therapy LLC" and org.kind == "center"
    assert report.counts["add"] == 3 and report.counts["deactivated"] == 1
    assert report.counts["elsewhere"] == 1 and report.counts["abroad"] == 1
    assert report.rows == len(SPECS) + 60
    assert "3 added" in report.headline() and "TX, LA" in report.headline()


def test_every_state_when_none_is_given(tmp_path, user_store) -> None:
    import_nppes(user_store, nppes_file(tmp_path))
    assert npi_number(ELSEWHERE.npi_serial) in by_npi(user_store)


def test_reimport_updates_by_npi_and_keeps_the_clinics_fields(clinic_store, tmp_path) -> None:  # noqa: F811
    import_nppes(clinic_store, nppes_file(tmp_path / "a"), ("TX", "LA"))
    first = by_npi(clinic_store)[npi_number(1)]
    clinic_store.update_local(replace(first, preferred=True, notes="good with lymphedema"))
    moved = replace(PERSON, phone="7135550199")
    report = import_nppes(
        clinic_store, nppes_file(tmp_path / "b", (moved, ORG, BACK)), ("TX", "LA")
    )
    assert (report.counts["update"], report.counts["unchanged"], report.counts["add"]) == (1, 2, 0)
    now = by_npi(clinic_store)[npi_number(1)]
    assert len(clinic_store.local_centers()) == 3
    assert now.id == first.id and now.phone == "713-555-0199" and now.preferred
    assert now.notes == "good with lymphedema"
    march = "npidata_pfile_20050523-20250309.csv"
    report = import_nppes(
        clinic_store, nppes_file(tmp_path / "c", (moved, ORG), march), ("TX", "LA")
    )
    assert report.counts["update"] == 2 and len(clinic_store.local_centers()) == 3
    assert (
        by_npi(clinic_store)[npi_number(1)].source_url == "imported from NPPES, file of March 2025"
    )


def test_a_deactivated_npi_retires_its_entry_on_reimport(user_store, tmp_path) -> None:
    import_nppes(user_store, nppes_file(tmp_path / "a"), ("TX",))
    gone = replace(PERSON, deactivated="02/01/2025")
    report = import_nppes(user_store, nppes_file(tmp_path / "b", (gone, BACK)), ("TX",))
    assert report.counts["retired"] == 1
    active = {c.npi for c in user_store.local_centers()}
    assert npi_number(1) not in active and npi_number(4) in active


def test_an_entry_the_clinic_typed_with_that_npi_is_not_changed(user_store, tmp_path) -> None:
    from referral_app.domain.center import Center

    own = Center(
        id="",
        name="Ana at Lakeside",
        postal_code="77030",
        origin="local",
        npi=npi_number(1),
        services=("therapeutic_massage",),
    )
    user_store.add_local(own)
    report = import_nppes(user_store, nppes_file(tmp_path), ("TX",))
    assert report.counts["kept"] == 1
    mine = [c for c in user_store.local_centers() if c.npi == npi_number(1)]
    assert [c.name for c in mine] == ["Ana at Lakeside"]


def test_a_dry_run_writes_nothing_and_says_what_would_change(clinic_store, tmp_path) -> None:  # noqa: F811
    report = import_nppes(clinic_store, nppes_file(tmp_path), ("TX", "LA"), dry_run=True)
    assert report.counts["add"] == 3 and clinic_store.local_centers() == []
    assert report.headline().startswith("Dry run, nothing was written: 3 to add")
    assert any(line.endswith("would be added") for line in report.report_lines())


def test_cancel_leaves_the_database_as_it_was(clinic_store, tmp_path, monkeypatch) -> None:  # noqa: F811
    monkeypatch.setattr(nppes_import, "STEP", 8)
    seen: list[tuple[int, int]] = []
    report = import_nppes(
        clinic_store,
        nppes_file(tmp_path),
        ("TX", "LA"),
        progress=lambda d, t: seen.append((d, t)),
        cancel=lambda: len(seen) >= 3,
    )
    assert report.cancelled and report.headline() == "Cancelled: nothing was imported"
    assert clinic_store.local_centers() == [] and len(seen) == 3


def _cut(path: Path) -> Path:
    """The last row loses its last 100 columns (a download cut short)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[-1] = ",".join(lines[-1].split(",")[:-100])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _drop_column(path: Path, name: str) -> Path:
    text = path.read_text(encoding="utf-8").replace(f'"{name}"', '"Something Else"', 1)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: _cut(nppes_file(p)), "the file is damaged or cut short"),
        (
            lambda p: _drop_column(nppes_file(p), "Healthcare Provider Taxonomy Code_9"),
            "lacks 'Healthcare Provider Taxonomy Code_9'",
        ),
        (
            lambda p: (p / "centers.csv").write_text("name,phone\nA,1\n") and p / "centers.csv",
            "not an NPPES data file",
        ),
        (lambda p: p / "missing.csv", "cannot read"),
        (lambda p: p, "cannot read"),
    ],
)
@pytest.mark.usefixtures("use_reference_db")
def test_bad_files_are_one_line_exit_2_and_write_nothing(tmp_path, capsys, make, message) -> None:
    tmp_path.joinpath("in").mkdir()
    path = make(tmp_path / "in")
    data = str(tmp_path / "d")
    assert main(["--data-dir", data, "centers", "import-nppes", str(path), "--state", "TX"]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err
    assert main(["--data-dir", data, "centers", "--near", "77030", "--json"]) == 0
    assert '"origin": "local"' not in capsys.readouterr().out


def test_unknown_state_is_refused() -> None:
    assert parse_states(["tx", "LA,pr"]) == ("LA", "PR", "TX")
    with pytest.raises(InputError, match="unknown state code 'TEXAS'"):
        parse_states(["Texas"])


def test_the_cms_zip_is_read_as_it_is(tmp_path, user_store) -> None:
    inner = nppes_file(tmp_path / "x")
    archive = tmp_path / "NPPES_Data_Dissemination_January_2025.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("npidata_pfile_20050523-20250112_fileheader.csv", ",".join(COLUMNS))
        z.write(inner, FILE_NAME)
    report = import_nppes(user_store, archive, ("TX",))
    assert report.counts["add"] == 2 and report.source == "NPPES, file of January 2025"
    empty = tmp_path / "other.zip"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("readme.txt", "x")
    with pytest.raises(InputError, match="without npidata_pfile"):
        import_nppes(user_store, empty)


@pytest.mark.usefixtures("use_reference_db")
def test_cli_prints_the_report_and_the_entries_list_with_their_npi(tmp_path, capsys) -> None:
    data = str(tmp_path / "d")
    path = nppes_file(tmp_path / "in")
    assert main(["--data-dir", data, "centers", "import-nppes", str(path), "--state", "TX"]) == 0
    out = capsys.readouterr().out
    assert "2 added (massage therapists in TX from NPPES, file of January 2025)" in out
    assert "read 67 NPI rows" in out and "1 deactivated NPI(s)" in out
    assert main(["--data-dir", data, "centers", "--near", "77030", "--limit", "3"]) == 0
    listing = capsys.readouterr().out
    assert f"NPI {npi_number(1)}" in listing
    assert "(ZIP code center)" in listing and LICENSE_UNCHECKED in listing


def test_network_dialog_imports_nppes_off_the_gui_thread(qtbot, tmp_path, monkeypatch) -> None:
    import threading

    from referral_app.ui.dialogs.network_dialog import NetworkDialog

    user = UserStore.open(tmp_path / "user.db")
    dialog = NetworkDialog(user)
    qtbot.addWidget(dialog)
    assert dialog.action_buttons["Import NPPES file…"].isEnabled()
    threads: list[bool] = []
    real = nppes_import.import_nppes

    def spy(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(nppes_import, "import_nppes", spy)
    monkeypatch.setattr("referral_app.ui.dialogs.nppes_dialog.import_nppes", spy)
    with qtbot.waitSignal(dialog.nppes_imported, timeout=60_000) as ended:
        dialog.import_nppes_path(nppes_file(tmp_path / "in"), ("TX",), show=False)
        assert not dialog.action_buttons["Import NPPES file…"].isEnabled()  # one at a time
    report = ended.args[0]
    assert report is not None and report.counts["add"] == 2 and threads == [False]
    assert dialog.action_buttons["Import NPPES file…"].isEnabled()
    assert dialog.model.rowCount() == 2
    assert "2 added" in dialog.import_note.text()
    assert user.get_setting("nppes_states") == "TX"
    bad = tmp_path / "in" / "bad.csv"
    bad.write_text("name\nx\n", encoding="utf-8")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    with qtbot.waitSignal(dialog.nppes_imported, timeout=60_000) as ended:
        dialog.import_nppes_path(bad, ("TX",), show=False)
    assert ended.args == [None]
    assert "not an NPPES data file" in shown[0] and dialog.model.rowCount() == 2
    user.close()


def test_the_states_dialog_refuses_an_unknown_code(qtbot, tmp_path) -> None:
    from referral_app.ui.dialogs.nppes_dialog import StatesDialog

    dialog = StatesDialog(tmp_path / FILE_NAME, "TX")
    qtbot.addWidget(dialog)
    dialog.states.setText("TX, Texas")
    dialog.accept()
    assert "unknown state code" in dialog.error.text() and dialog.result() == 0
    dialog.states.setText("tx la")
    dialog.accept()
    assert dialog.chosen == ("LA", "TX") and dialog.result() == 1


def test_cancel_in_the_progress_dialog_imports_nothing(qtbot, tmp_path, monkeypatch) -> None:
    import threading

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from referral_app.ui.dialogs.network_dialog import NetworkDialog
    from tests.test_app_flow import when_modal

    user = UserStore.open(tmp_path / "user.db")
    dialog = NetworkDialog(user)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(nppes_import, "STEP", 8)
    release, real_place = threading.Event(), nppes_import.place

    def slow_place(center):  # a slow disk: the first kept row waits for Cancel
        release.wait(10)
        return real_place(center)

    monkeypatch.setattr(nppes_import, "place", slow_place)
    seen: list[str] = []

    def cancel(progress: QProgressDialog) -> None:
        seen.append(progress.labelText())
        qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
        release.set()

    when_modal(qtbot, QProgressDialog, cancel)
    with qtbot.waitSignal(dialog.nppes_imported, timeout=60_000) as ended:
        dialog.import_nppes_path(nppes_file(tmp_path / "in"), ("TX",), show=False)
    report = ended.args[0]
    assert seen == [f"Reading {FILE_NAME} (NPPES)…"]
    assert report is not None and report.cancelled and user.local_centers() == []
    assert dialog.import_note.text().endswith("Cancelled: nothing was imported.")
    user.close()
