"""Who may book, apart from what is offered: a program for a group this patient may belong to
keeps its place with the reason in words; one for a group the patient is not in ranks after the
fitting ones within reach."""

from __future__ import annotations

import pytest

from referral_app.db.reference import ReferenceStore
from referral_app.domain.center import Center
from referral_app.domain.eligibility import (
    CANCER,
    CHILDREN,
    OWN_PATIENTS,
    VETERANS,
    PatientGroups,
    assess,
    patient_groups,
    who_may_book,
)
from referral_app.domain.matching import FIT_FULL, FIT_NOT_FOR, Location, rank
from referral_app.domain.needs import for_adults
from referral_app.services.destinations import match_centers

BOSTON = Location(42.35, -71.10, "Boston")
SERVICES = ("therapeutic_massage", "pediatric", "oncology_massage")
ADULT_BACK = PatientGroups(cancer=False, child=False)


def _center(cid: str, lat: float, populations: tuple[str, ...], **kw) -> Center:
    kw.setdefault("name", cid)
    return Center(
        id=cid,
        latitude=lat,
        longitude=-71.10,
        services=SERVICES,
        populations=populations,
        status="active",
        country="US",
        **kw,
    )


CENTERS = [
    _center("kids-near", 42.351, ("children",)),  # nearest of all
    _center("kids-own", 42.352, ("children", "cancer", "own_patients_only")),
    _center("own-near", 42.353, ("adults", "own_patients_only"), parent_system="Big Health"),
    _center("all-ages", 42.36, ("adults", "children")),
    _center("cancer-only", 42.362, ("adults", "cancer"), parent_system="City Cancer Center"),
    _center("adults-far", 42.80, ("adults",)),  # ~50 km
    _center("unsaid", 43.40, ()),  # ~117 km, populations not listed
]


def test_who_may_book_is_read_apart_from_what_is_treated() -> None:
    by_id = {c.id: who_may_book(c) for c in CENTERS}
    assert by_id["kids-near"] == (CHILDREN,)
    assert by_id["kids-own"] == (OWN_PATIENTS, CHILDREN)  # its name says no cancer center
    assert by_id["own-near"] == (OWN_PATIENTS,)
    assert by_id["all-ages"] == by_id["unsaid"] == by_id["adults-far"] == ()
    assert by_id["cancer-only"] == (CANCER,)
    # a general program that also treats cancer is open; so is cancer in a non-cancer program
    general = _center("g", 42.0, ("adults", "cancer", "chronic_pain"), parent_system="X Cancer")
    osher = _center("o", 42.0, ("adults", "cancer"), name="Osher Center for Integrative Health")
    assert who_may_book(general) == () and who_may_book(osher) == ()
    assert who_may_book(_center("va", 42.0, ("veterans", "chronic_pain"))) == (VETERANS,)


def test_adult_back_pain_ranks_programs_for_other_groups_after_fitting_ones() -> None:
    got = rank(CENTERS, [], BOSTON, patient=ADULT_BACK)
    within_for_patient = ["own-near", "all-ages"]
    within_not_for = ["kids-near", "kids-own", "cancer-only"]
    beyond = ["adults-far", "unsaid"]  # 50.04 km and 117 km: nearer first
    assert [m.center.id for m in got] == within_for_patient + within_not_for + beyond
    own = got[0]
    assert own.fit == FIT_FULL and own.eligibility.startswith("for Big Health patients only")
    assert own.band_label == "within reach, offers what is needed"
    kids = got[2]
    assert kids.fit == FIT_NOT_FOR and kids.band_label == "within reach, not for this patient"
    assert "for children only: this referral is not for a children's problem" in kids.why
    cancer = got[4]
    assert "this referral is not for a cancer-related problem" in cancer.why[0]


def test_children_condition_or_none_keeps_children_programs_in_place() -> None:
    got = rank(CENTERS, [], BOSTON, patient=PatientGroups(cancer=None, child=True))
    assert [m.center.id for m in got][:2] == ["kids-near", "kids-own"]
    assert all(m.fit == FIT_FULL for m in got)  # cancer unknown: the patient may belong


def test_own_patients_program_words_ask_for_the_order() -> None:
    populations = ("adults", "cancer", "palliative", "own_patients_only")
    center = _center("mda", 42.35, populations, parent_system="MD Anderson", physician_order="yes")
    words = assess(center, PatientGroups(cancer=True, child=False)).words
    assert words == "for MD Anderson patients only: ask their oncologist there for an order"


def test_what_a_referral_says_about_the_patient(store: ReferenceStore) -> None:
    back = store.get_condition("chronic-low-back-pain")
    cancer = store.get_condition("cancer-related-pain")
    assert patient_groups(back, []) == ADULT_BACK
    assert patient_groups(cancer, []).cancer is True
    treated = [f for f in store.flags() if f.needs_service == "oncology_massage"]
    assert treated and patient_groups(back, treated).cancer is True
    assert patient_groups(None, []) == PatientGroups(None, None)


def test_which_conditions_are_for_adults(store: ReferenceStore) -> None:
    assert for_adults(store.get_condition("neck-pain"))
    pediatric = [h.id for h in store.list_conditions() if h.category == "pediatric"]
    assert pediatric and not for_adults(store.get_condition(pediatric[0]))
    assert not for_adults(None)


@pytest.mark.parametrize("located", [True, False])
def test_the_picker_path_ranks_a_local_children_program_after_fitting_ones(store, located) -> None:
    """match_centers is what the GUI picker and ``centers`` both call."""
    kids = _center("local-kids", 42.351, ("children",), origin="local", preferred=True)
    neck = store.get_condition("neck-pain")
    where = BOSTON if located else None
    got = match_centers(store, [kids], neck, [], where, limit=200)
    ids = [m.center.id for m in got]
    near_fits = [i for i, m in enumerate(got) if m.within_reach and m.fit != FIT_NOT_FOR]
    assert near_fits and ids.index("local-kids") > max(near_fits)
    children = {m.center.id for m in got if m.fit == FIT_NOT_FOR}
    assert {"choc-integrative-health", "chop-integrative-oncology"} <= children
    top = match_centers(store, [], neck, [], where, limit=3)
    assert top[0].fit != FIT_NOT_FOR


def test_the_gui_picker_shows_a_childrens_program_as_not_for_an_adult(
    qtbot, store, tmp_path
) -> None:
    from referral_app.db.user import UserStore
    from referral_app.services.center_import import policy
    from referral_app.services.destinations import locate
    from referral_app.ui.dialogs.center_picker_dialog import CenterPickerDialog

    user = UserStore.open(tmp_path / "user.db")

    def find(postal: str):
        where = locate(postal, store) if postal else None
        neck = store.get_condition("neck-pain")
        return match_centers(store, [], neck, [], where, 60, user.center_checks(), policy(user))

    dialog = CenterPickerDialog(find, "19104")  # Philadelphia: CHOP is the nearest program
    qtbot.addWidget(dialog)
    rows = [dialog.model.match_at(i) for i in range(dialog.model.rowCount())]
    ids = [m.center.id for m in rows]
    chop = ids.index("chop-integrative-oncology")
    assert rows[chop].fit == FIT_NOT_FOR
    why = dialog.model.index(chop, 4).data()
    assert why.startswith("within reach, not for this patient:")
    assert "this referral is not for a children's problem" in why
    # within reach but not for this patient: never pre-selected
    assert dialog.selected() is None and not dialog.refer_button.isEnabled()


@pytest.mark.usefixtures("use_reference_db", "qapp", "_user_data_dir")
def test_the_cli_warns_when_the_center_is_not_for_this_patient(capsys, tmp_path) -> None:
    """As the window's picker marks it: the sheet is still printed (the clinician chose the
    center, and the sheet says who may book), with one warning line on stderr."""
    from referral_app.app import main

    argv = ["sheet", "chronic-low-back-pain", "--center", "mdanderson-integrative", "--no-flags"]
    assert main([*argv, "--out", str(tmp_path / "adult.pdf")]) == 0
    err = capsys.readouterr().err
    assert err.count("warning:") == 1 and "MD Anderson" in err
    assert "this referral is not for a cancer-related problem" in err
    assert (tmp_path / "adult.pdf").exists()

    argv[-1:] = ["--flag", "active_cancer_treatment"]  # a cancer patient may book there
    assert main([*argv, "--out", str(tmp_path / "cancer.pdf")]) == 0
    assert "warning" not in capsys.readouterr().err
