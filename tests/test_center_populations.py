"""Who a program takes: children-only and own-patients-only programs rank after open ones."""

from __future__ import annotations

import pytest

from referral_app.db.reference import ReferenceStore
from referral_app.domain.entities import Center
from referral_app.domain.matching import (
    CHILDREN_ONLY,
    OPEN,
    OWN_PATIENTS_ONLY,
    Location,
    for_adults,
    rank,
)
from referral_app.services.destinations import match_centers

BOSTON = Location(42.35, -71.10, "Boston")
SERVICES = ("therapeutic_massage", "pediatric", "oncology_massage")


def _center(cid: str, lat: float, populations: tuple[str, ...], **kw) -> Center:
    return Center(id=cid, name=cid, latitude=lat, longitude=-71.10, services=SERVICES,
                  populations=populations, status="active", country="US", **kw)  # fmt: skip


CENTERS = [
    _center("kids-near", 42.351, ("children",)),  # nearest of all
    _center("kids-own", 42.352, ("children", "cancer", "own_patients_only")),
    _center("own-near", 42.353, ("adults", "own_patients_only")),
    _center("all-ages", 42.36, ("adults", "children")),
    _center("adults-far", 42.80, ("adults",)),  # ~50 km
    _center("unsaid", 43.40, ()),  # ~117 km, populations not listed
]


def test_adult_condition_ranks_children_only_last_with_the_reason() -> None:
    got = rank(CENTERS, [], BOSTON, adult=True)
    assert [m.center.id for m in got] == ["all-ages", "adults-far", "unsaid", "own-near",
                                          "kids-near", "kids-own"]  # fmt: skip
    kids = got[-1]
    assert kids.restriction == CHILDREN_ONLY and kids.band_label.startswith("ranked last")
    assert any("serves children only" in why for why in kids.why)
    own = got[3]
    assert own.restriction == OWN_PATIENTS_ONLY and "serves its own patients only" in own.why
    assert all(m.restriction == OPEN for m in got[:3])
    assert not any("children only" in w for m in got[:4] for w in m.why)


def test_children_condition_or_none_keeps_children_programs_in_place() -> None:
    got = rank(CENTERS, [], BOSTON, adult=False)
    assert [m.center.id for m in got] == ["kids-near", "all-ages", "adults-far", "unsaid",
                                          "kids-own", "own-near"]  # fmt: skip
    assert {m.restriction for m in got[-2:]} == {OWN_PATIENTS_ONLY}


def test_which_conditions_are_for_adults(store: ReferenceStore) -> None:
    assert for_adults(store.get_condition("neck-pain"))
    pediatric = [h.id for h in store.list_conditions() if h.category == "pediatric"]
    assert pediatric and not for_adults(store.get_condition(pediatric[0]))
    assert not for_adults(None)


@pytest.mark.parametrize("located", [True, False])
def test_the_picker_path_ranks_local_children_program_after_bundled(store, located) -> None:
    """match_centers is what the GUI picker and ``centers`` both call."""
    kids = _center("local-kids", 42.351, ("children",), origin="local", preferred=True)
    neck = store.get_condition("neck-pain")
    where = BOSTON if located else None
    got = match_centers(store, [kids], neck, [], where, limit=200)
    ids = [m.center.id for m in got]
    assert ids.index("local-kids") > max(i for i, m in enumerate(got) if m.restriction == OPEN)
    children = [m for m in got if m.restriction == CHILDREN_ONLY]
    assert {"choc-integrative-health", "chop-integrative-oncology"} <= {
        m.center.id for m in children
    }
    top = match_centers(store, [], neck, [], where, limit=5)
    assert all(m.restriction == OPEN for m in top)


def test_the_gui_picker_shows_children_programs_last_and_why(qtbot, store, tmp_path) -> None:
    from referral_app.db.user import UserStore
    from referral_app.services.center_import import policy
    from referral_app.services.destinations import locate
    from referral_app.ui.dialogs.center_picker_dialog import CenterPickerDialog

    user = UserStore.open(tmp_path / "user.db")

    def find(postal: str):
        where = locate(postal, store) if postal else None
        return match_centers(store, [], store.get_condition("neck-pain"), [], where, 60,
                             user.center_checks(), policy(user))  # fmt: skip

    dialog = CenterPickerDialog(find, "19104")  # Philadelphia: CHOP is the nearest program
    qtbot.addWidget(dialog)
    rows = [dialog.model.match_at(i) for i in range(dialog.model.rowCount())]
    ids = [m.center.id for m in rows]
    chop = ids.index("chop-integrative-oncology")
    assert all(m.restriction != OPEN for m in rows[chop:])
    assert rows[0].restriction == OPEN
    why = dialog.model.index(chop, 4).data()
    assert why.startswith("ranked last;") and "serves children only" in why
