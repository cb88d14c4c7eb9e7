"""Reprinting a logged referral: a true copy made from what was logged with it (the decision and
the destination as printed), not from today's data; it says so, and says if the data changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from referral_app.db.clinic_store import ClinicStore
from referral_app.db.reference import ReferenceStore
from referral_app.db.user import LogEntry
from referral_app.domain.center import Center
from referral_app.domain.recommend import ReferralDraft, Screen
from referral_app.domain.referral import Patient, Referral
from referral_app.domain.snapshot import restore_center, restore_recommendation
from referral_app.services.recommendation import make_draft
from referral_app.services.referrals import RenderedSheet, render, with_check


class ReprintError(Exception):
    """The logged referral points at data that no longer exists."""


def reprint(store: ReferenceStore, user: ClinicStore, entry: LogEntry) -> RenderedSheet:
    """A copy of a logged referral: same number and date, the recommendation, precautions and
    destination as printed; says so, and says if the reference data has changed since.
    Patient identity only if it was stored; the typed orders (medications, note, goals,
    sessions, areas) as logged with it (empty for a referral logged before they were kept)."""
    draft, center = logged_decision(store, user, entry)
    referral = Referral(
        number=entry.number,
        date=dt.date.fromisoformat(entry.created_at[:10]),
        recommendation=draft.recommendation,
        center=center,
        practice=user.practice(),
        patient=Patient(name=entry.patient_name, dob=entry.patient_dob),
        lang=entry.lang,
        parts=entry.parts,
        urgency=entry.urgency,
        answers=dict(draft.screen.answers),
        orders=entry.orders,
        peg=entry.peg,
        data_version=entry.data_version,
        reprint_note=reprint_note(store, entry),
        override_defer=entry.override_defer,
    )
    return render(store, draft, referral)


def logged_decision(
    store: ReferenceStore, user: ClinicStore, entry: LogEntry
) -> tuple[ReferralDraft, Center]:
    """The decision and the destination as they were logged (for a reprint or a chart note)."""
    condition = store.get_condition(entry.condition_id)
    center = restore_center(entry.snapshot) if entry.snapshot else None
    if center is None:  # logged before snapshots were kept: the center as listed today
        center = store.get_center(entry.center_id) or user.get_local(entry.center_id)
        center = with_check(user, center) if center else None
    if condition is None or center is None:
        raise ReprintError(f"referral {entry.number}: its condition or center is no longer listed")
    draft = make_draft(store, condition, Screen(dict(entry.answers)))
    if entry.snapshot:
        restored = restore_recommendation(draft.recommendation, entry.snapshot)
        draft = replace(draft, recommendation=restored)
    return draft, center


def reprint_note(store: ReferenceStore, entry: LogEntry) -> str:
    data_now = store.meta.get("data_version", "")
    labels = {lvl.id: lvl.label for lvl in store.recommendation_levels()}
    made = f"Reprint of referral {entry.number} of {entry.created_at[:10]}"
    if not entry.snapshot:
        then = labels.get(entry.level, entry.level)
        return (
            f"{made}, regenerated from today's data ({data_now}): this referral was logged "
            f'before sheets were kept; its result then was "{then}".'
        )
    if entry.data_version and entry.data_version != data_now:
        return (
            f"{made}, as printed with data {entry.data_version}. The reference data has "
            f"changed since (now {data_now}); the result and precautions are as printed then."
        )
    return f"{made}, as printed."
