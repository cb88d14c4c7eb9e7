"""A recommendation from the store's levels: the one call the window, the sheet and CLI share."""

from __future__ import annotations

from referral_app.db.reference import ReferenceStore
from referral_app.domain.entities import ClinicianNote, Condition
from referral_app.domain.flags import Flag
from referral_app.domain.needs import needed_services
from referral_app.domain.recommend import Recommendation, ReferralDraft, Screen, recommend
from referral_app.domain.scale import NOTE_KEYS
from referral_app.services.errors import InputError


def make_recommendation(
    store: ReferenceStore, condition: Condition, screen: Screen
) -> Recommendation:
    """Old flag ids in ``screen`` are read as what they mean now (flags.toml aliases)."""
    levels = {lvl.id: lvl for lvl in store.recommendation_levels()}
    evidence = {lvl.id: lvl for lvl in store.evidence_levels()}
    resolved = screen.resolved(store.flag_aliases())
    return recommend(condition, store.flags(), resolved, levels, evidence)


def flag_ids_now(store: ReferenceStore, ids: list[str]) -> tuple[list[str], list[str]]:
    """Flag ids given by a user or script → (current ids they mean, notes on old ids).

    Raises InputError naming the valid ids when an id is neither a flag nor an old id.
    """
    current = [f.id for f in store.flags()]
    aliases = {a.old: a for a in store.flag_aliases()}
    unknown = [i for i in ids if i not in current and i not in aliases]
    if unknown:
        raise InputError(
            f"unknown flag {', '.join(unknown)}; valid flags: {', '.join(current)}"
            f" (older ids still accepted: {', '.join(aliases)})"
        )
    now: dict[str, None] = {}
    notes = []
    for flag_id in ids:
        if flag_id in aliases:
            now.update(dict.fromkeys(aliases[flag_id].yes))
            notes.append(
                f"flag {flag_id} is an older id; read as: {', '.join(aliases[flag_id].yes)}"
            )
        else:
            now[flag_id] = None
    return list(now), notes


def present_flags(store: ReferenceStore, ids: list[str]) -> list[Flag]:
    """The current flags that ``ids`` (current or old) name, in screen order."""
    now, _notes = flag_ids_now(store, ids)
    return [f for f in store.flags() if f.id in now]


def make_draft(store: ReferenceStore, condition: Condition, screen: Screen) -> ReferralDraft:
    """The recommendation and the services it needs, computed once for this condition and screen."""
    screen = screen.resolved(store.flag_aliases())  # old flag ids read as what they mean now
    rec = make_recommendation(store, condition, screen)
    needs = tuple(needed_services(condition, list(rec.present)))
    return ReferralDraft(condition, screen, rec, needs)


CANCER_FLAG = "active_cancer_treatment"


def clinician_notes(
    store: ReferenceStore, condition: Condition, flags_present: tuple[str, ...] | list[str] = ()
) -> list[ClinicianNote]:
    """The cited clinician notes for this condition and screen (the card, the CLI): each note for
    the conditions it lists ("how often does it harm, and who gives it?" lists every condition),
    and "does massage spread cancer?" also when active cancer is answered yes."""
    notes = []
    for key in NOTE_KEYS:
        note = store.clinician_note(key)
        if note is None:
            continue
        cancer = key == "cancer_spread" and CANCER_FLAG in flags_present
        if condition.id in note.conditions or cancer:
            notes.append(note)
    return notes
