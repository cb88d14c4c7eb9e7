"""Start-up order: the search box and list paint first; then the panels, the reference check
(before any condition can open) and the log file."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from referral_app.db.reference import ReferenceStore
from referral_app.ui import app_setup as gui
from referral_app.ui.main_window import MainWindow

REPO = Path(__file__).resolve().parent.parent


def _tampered(reference_db: Path, tmp_path: Path) -> Path:
    bad = tmp_path / "tampered.db"
    shutil.copy(reference_db, bad)
    shutil.copy(f"{reference_db}.sig", f"{bad}.sig")
    conn = sqlite3.connect(bad)
    conn.execute("UPDATE conditions SET evidence_level = 'moderate' WHERE id = 'migraine'")
    conn.commit()
    conn.close()
    return bad


def test_panels_come_after_the_first_paint(qtbot, qapp, use_reference_db, monkeypatch) -> None:
    windows: list[MainWindow] = []
    build = gui.build_main_window

    def keep(*args, **kwargs):
        windows.append(build(*args, **kwargs))
        windows[-1].had_card_when_shown = windows[-1].panels_built
        return windows[-1]

    def fake_exec() -> int:
        window = windows[0]
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.panels_built, timeout=5000)
        assert window.before_open is not None and window.before_open.passed is True
        window.open_condition("neck-pain")
        assert "Neck pain" in window.card.toPlainText()
        window.close()
        return 0

    monkeypatch.setattr(gui, "build_main_window", keep)
    monkeypatch.setattr(qapp, "exec", fake_exec)
    assert gui.run() == 0
    assert windows[0].had_card_when_shown is False


def test_a_tampered_reference_db_still_blocks_the_gui_with_the_same_message(
    qapp, reference_db: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("REFERRAL_APP_REFERENCE_DB", str(_tampered(reference_db, tmp_path)))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: shown.append(a[2]))

    assert gui.run() == 1

    assert len(shown) == 1 and "altered or damaged" in shown[0] and "Reinstall" in shown[0]
    assert "tampered.db" in shown[0]


def test_no_condition_opens_before_the_check_passes(qtbot, store: ReferenceStore) -> None:
    window = MainWindow(store, defer_panels=True)
    qtbot.addWidget(window)
    asked: list[bool] = []
    window.before_open = lambda: asked.append(True) or False

    window.open_condition("neck-pain")

    assert asked == [True] and window.current_condition is None
    assert not window.panels_built  # nothing was built for a refused open


def test_opening_before_the_first_paint_builds_the_panels(qtbot, store: ReferenceStore) -> None:
    window = MainWindow(store, defer_panels=True)
    qtbot.addWidget(window)

    window.open_condition("neck-pain")

    assert window.current_condition.id == "neck-pain"
    assert "Neck pain" in window.card.toPlainText() and window.banner.recommendation


def test_edit_and_help_actions_work_before_the_panels_exist(qtbot, store: ReferenceStore) -> None:
    """The moment between the first paint and the panels: the menus have their titles but no
    entries yet (nothing to choose), and Undo, New patient and Quick start must not raise."""
    window = MainWindow(store, defer_panels=True)
    qtbot.addWidget(window)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "Net&work", "&Help"]
    assert all(a.menu().isEmpty() for a in window.menuBar().actions())

    window.undo_screening()
    assert not window.panels_built
    assert window.statusBar().currentMessage() == "Nothing to undo in the screen."

    window.new_patient()
    assert window.panels_built and window.encounter.number == 2
    assert "Patient 2" in window.encounter_bar.label.text()
    assert not window.menuBar().actions()[1].menu().isEmpty()  # the Edit menu's entries came

    other = MainWindow(store, defer_panels=True)
    qtbot.addWidget(other)
    other.show_welcome()  # Help → Quick start
    assert other.panels_built and other.card.toPlainText().strip()


def test_the_first_paints_list_is_the_real_one(qtbot, store: ReferenceStore) -> None:
    """The list paints first; connecting the search after the paint changes not a pixel of it
    (headings, colours, column widths, selection)."""
    window = MainWindow(store, defer_panels=True)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    first = window.browser.results.grab().toImage()
    assert not window.browser.finished  # the search is not connected yet
    assert len(window.browser.model.hits()) == len(store.condition_ids())

    window.browser.finish()
    qtbot.wait(10)

    assert window.browser.results.model() is window.browser.model
    assert window.browser.results.grab().toImage() == first


def test_a_query_typed_before_the_search_is_connected_is_searched(qtbot, store) -> None:
    """A user who types as soon as the box shows gets the results once the search connects."""
    window = MainWindow(store, defer_panels=True)
    qtbot.addWidget(window)
    window.browser.search_box.setText("fibro")  # before finish(): nothing searches yet
    assert len(window.browser.model.hits()) == len(store.condition_ids())

    window.browser.finish()

    names = [hit.name for hit in window.browser.model.hits()]
    assert names and names[0] == "Fibromyalgia"


def _in_a_new_process(probe: str, defer_panels: bool) -> str:
    """What ``probe`` prints, run in a new Python after the main window was built and shown
    (``app``, ``window``, ``sys`` defined): what is imported there is start-up's alone."""
    start = (
        "import sys\n"
        "from referral_app.ui import app_setup\n"
        "from referral_app.services.reference_data import open_reference_store\n"
        "app = app_setup.make_app()\n"
        "window = app_setup.build_main_window(open_reference_store(verify=False),"
        f" defer_panels={defer_panels})\n"
        "window.show(); app.processEvents()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", start + probe], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_first_screen_imports_no_panel_printing_or_signature_code(use_reference_db) -> None:
    """What the first paint needs, and no more (the rest loads right after it)."""
    probe = (
        "import PySide6.QtCore as core\n"
        "print(' '.join(sorted(sys.modules)), 'Qt-namespace' * ('Qt' in vars(core)))\n"
    )
    loaded = set(_in_a_new_process(probe, defer_panels=True).split())
    later = [
        "nacl",
        "logging.handlers",
        "jinja2",
        "PySide6.QtPrintSupport",
        "referral_app.cli.parser",
        "referral_app.ui.widgets.screening_panel",
        "referral_app.ui.widgets.condition_card",
        "referral_app.domain.recommend",
        "referral_app.domain.entities",
        "typing_extensions",
        "hashlib",
        "uuid",
        "html",
        "referral_app.ui.focus_ring",
        "dataclasses",
        "referral_app.ui.widgets.encounter_bar",
        "Qt-namespace",
    ]  # PySide6.QtCore.Qt: its ~90 enums take ~15 ms to create
    assert [m for m in later if m in loaded] == []
    assert QApplication.instance() is not None


def test_the_records_load_after_the_panels_and_the_preload_leaves_the_open_nothing(
    use_reference_db,
) -> None:
    """The panels define none of the condition's records; MainWindow.preload_open (250 ms after
    the panels at start-up) loads everything the first open would: the open loads no module."""
    probe = (
        "from referral_app.ui.main_window import OPEN_MODULES\n"
        "print('loaded:', *[m for m in OPEN_MODULES if m in sys.modules])\n"
        "window.preload_open(); before = set(sys.modules)\n"
        "window.open_condition('neck-pain'); app.processEvents()\n"
        "print('by the open:', *sorted(set(sys.modules) - before))\n"
        "print('card:', window.card.toPlainText().splitlines()[0])\n"
    )
    assert _in_a_new_process(probe, defer_panels=False).splitlines() == [
        "loaded:",
        "by the open:",
        "card: Neck pain, chronic non-specific",
    ]


def test_start_up_preloads_the_open_after_the_panels(qtbot, qapp, use_reference_db, monkeypatch):
    windows: list[MainWindow] = []
    build = gui.build_main_window
    preloaded: list[bool] = []

    def keep(*args, **kwargs):
        window = build(*args, **kwargs)
        monkeypatch.setattr(window, "preload_open", lambda: preloaded.append(window.panels_built))
        windows.append(window)
        return window

    def fake_exec() -> int:
        qtbot.waitUntil(lambda: bool(preloaded), timeout=5000)
        windows[0].close()
        return 0

    monkeypatch.setattr(gui, "build_main_window", keep)
    monkeypatch.setattr(qapp, "exec", fake_exec)
    assert gui.run() == 0
    assert preloaded == [True]


def test_no_cycle_collection_until_the_first_paint(qtbot, qapp, use_reference_db, monkeypatch):
    """The collector is off while the first screen is built and back on right after the paint
    (and whatever happens, once the GUI has ended)."""
    import gc

    from referral_app import app as entry

    windows: list[MainWindow] = []
    build = gui.build_main_window
    seen: dict[str, bool] = {}

    def keep(*args, **kwargs):
        windows.append(build(*args, **kwargs))
        seen["while building"] = gc.isenabled()
        return windows[-1]

    def fake_exec() -> int:
        seen["before the paint"] = gc.isenabled()
        qtbot.waitUntil(lambda: windows[0].panels_built, timeout=5000)
        seen["after the paint"] = gc.isenabled()
        windows[0].close()
        return 0

    monkeypatch.setattr(gui, "build_main_window", keep)
    monkeypatch.setattr(qapp, "exec", fake_exec)
    assert gc.isenabled()
    assert entry.run_gui() == 0
    assert seen == {"while building": False, "before the paint": False, "after the paint": True}
    assert gc.isenabled()


def _run_gui(qtbot, qapp, monkeypatch, then) -> MainWindow:
    """gui.run() as the app starts, with ``then(window)`` as the user in place of app.exec()."""
    windows: list[MainWindow] = []
    build = gui.build_main_window

    def keep(*args, **kwargs):
        windows.append(build(*args, **kwargs))
        return windows[-1]

    def fake_exec() -> int:
        then(windows[0])
        windows[0].close()
        return 0

    monkeypatch.setattr(gui, "build_main_window", keep)
    monkeypatch.setattr(qapp, "exec", fake_exec)
    assert gui.run() == 0
    return windows[0]


def test_a_query_typed_at_the_first_paint_shows_its_results_and_enter_opens_one(
    qtbot, qapp, use_reference_db, _user_data_dir: Path, monkeypatch
) -> None:
    """What benchmarks/startup.py times: keys typed as soon as the window shows are searched once
    the start-up is done, and Enter opens the first result; with a user.db from an earlier
    start, the open notes the recent condition without opening the clinic store."""
    from referral_app.db.user import UserStore

    UserStore.open(_user_data_dir / "user.db").close()  # an earlier start made it
    seen: dict[str, object] = {}

    def user(window: MainWindow) -> None:
        qtbot.waitExposed(window)
        seen["panels when typing"] = window.panels_built
        qtbot.keyClicks(window.search_box, "fibro")
        results = window.browser.results
        qtbot.waitUntil(lambda: window.panels_built and results.model().rowCount() > 0)
        qtbot.waitUntil(lambda: "Fibromyalgia" in str(results.model().index(0, 0).data()))
        from PySide6.QtCore import Qt

        qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
        assert window.current_condition is not None
        assert window.current_condition.id == "fibromyalgia"
        assert "Fibromyalgia" in window.card.toPlainText()
        qtbot.waitUntil(lambda: window.clinic.recent() == ["fibromyalgia"])
        seen["store"] = window.clinic.store

    _run_gui(qtbot, qapp, monkeypatch, user)

    assert seen == {"panels when typing": False, "store": None}
    again = UserStore.open(_user_data_dir / "user.db")
    assert again.recent() == ["fibromyalgia"]
    again.close()


def test_without_a_user_db_the_first_open_creates_it_through_the_store(
    qtbot, qapp, use_reference_db, _user_data_dir: Path, monkeypatch
) -> None:
    def user(window: MainWindow) -> None:
        qtbot.waitUntil(lambda: window.panels_built)
        window.open_condition("neck-pain")
        qtbot.waitUntil(lambda: window.clinic.store is not None)
        assert window.clinic.recent() == ["neck-pain"]

    _run_gui(qtbot, qapp, monkeypatch, user)
    assert (_user_data_dir / "user.db").is_file()


def test_the_status_bar_says_nothing_of_a_clinic_database_not_yet_opened(
    qtbot, qapp, use_reference_db, monkeypatch
) -> None:
    """Issue 26 (newcomer review 3, point 26): 'Clinic database: not open' at every start, then
    'This computer only' once a condition was opened: now nothing, then the real answer."""
    seen: list[str] = []

    def user(window: MainWindow) -> None:
        qtbot.waitUntil(lambda: window.panels_built)
        seen.append(window.clinic_label.text())
        window.open_condition("neck-pain")
        qtbot.waitUntil(lambda: window.clinic.store is not None)
        seen.append(window.clinic_label.text())

    _run_gui(qtbot, qapp, monkeypatch, user)
    assert seen[0] == "" and seen[1].startswith("Clinic database: ")


def test_the_log_file_opens_with_its_first_record(_user_data_dir: Path) -> None:
    """Start-up does not open the log file (nor load logging.handlers); the first record does,
    and goes to it."""
    import logging

    from referral_app.diagnostics import crash

    for handler in list(crash.LOG.handlers):  # as in a fresh process
        crash.LOG.removeHandler(handler)
        handler.close()
    crash.log_when_needed()
    assert not crash.log_path().exists()

    crash.LOG.warning("content pack not used: %s", "test")

    assert "content pack not used: test" in crash.log_path().read_text(encoding="utf-8")
    files = [h for h in crash.LOG.handlers if isinstance(h, logging.FileHandler)]
    assert len(crash.LOG.handlers) == len(files) == 1
    crash.LOG.removeHandler(files[0])
    files[0].close()
