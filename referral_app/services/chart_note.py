"""'Copy as chart note': the referral decision as plain text for the patient's record."""

from __future__ import annotations

from referral_app.domain.center import Center
from referral_app.domain.recommend import NO, YES, ReferralDraft
from referral_app.services.referrals import SheetDetails


def chart_note(
    draft: ReferralDraft,
    center: Center | None = None,
    number: str = "",
    details: SheetDetails | None = None,
    labels: dict[str, str] | None = None,
) -> str:
    """Condition, ICD-10-CM, recommendation, screen (positives and negatives), destination.
    ``labels`` maps flag ids to their labels (ids are used when missing)."""
    rec = draft.recommendation
    names = labels or {}
    answers = draft.answers
    yes = [names.get(k, k) for k, v in answers.items() if v == YES]
    no = [names.get(k, k) for k, v in answers.items() if v == NO]
    lines = [
        f"Massage therapy referral assessment: {draft.condition.name} "
        f"(ICD-10-CM {', '.join(draft.condition.icd10)}).",
        f"Recommendation: {rec.label}.",
        f"Screen: positive: {'; '.join(yes) or 'none'}. Negative: {_negatives(no)}.",
    ]
    if not answers:
        lines[-1] = "Screen: not recorded."
    if rec.precautions:
        lines.append(
            "Precautions for the therapist: " + " ".join(p.text for p in rec.precautions[:3])
        )
    if details is not None and not details.orders.empty:
        o = details.orders
        extra = [
            f"{k}: {v}"
            for k, v in (
                ("sessions authorized", o.sessions),
                ("goals", o.goals),
                ("medications", o.medications),
                ("areas to treat", o.treat),
                ("areas to avoid", o.avoid),
                ("note", o.note),
            )
            if v
        ]
        if extra:
            lines.append("Orders: " + "; ".join(extra) + ".")
    if details is not None and details.peg is not None:
        lines.append(f"PEG-3 at referral (Krebs 2009; 0-10): {details.peg.text()}.")
    if center is not None:
        where = f"Referred to {center.name}" + (f", {center.phone}" if center.phone else "")
        lines.append(where + (f" (referral {number})." if number else "."))
    return "\n".join(lines)


# More negatives than this (answering "Nothing else found" makes 35) are counted, not listed: the
# log keeps every answer.
NEGATIVES_LISTED = 6


def _negatives(no: list[str]) -> str:
    if not no:
        return "none"
    if len(no) > NEGATIVES_LISTED:
        return f"the other {len(no)} screening questions were answered no"
    return "; ".join(no)


def logged_chart_note(store, user, number: str) -> str:
    """The chart note of any logged referral, from what was logged with it (InputError when no
    referral has that number or its data is gone)."""
    from referral_app.services.errors import InputError
    from referral_app.services.reprints import ReprintError, logged_decision

    entry = user.get_referral(number)
    if entry is None:
        raise InputError(f"no logged referral {number!r} (see: referral-guide log)")
    try:
        draft, center = logged_decision(store, user, entry)
    except ReprintError as exc:
        raise InputError(str(exc)) from exc
    labels = {flag.id: flag.label for flag in store.flags()}
    details = SheetDetails(orders=entry.orders, peg=entry.peg)
    note = chart_note(draft, center, entry.number, details, labels)
    reply = entry.reply
    if reply is not None:
        peg = f"; PEG-3 {reply.peg.text()}" if reply.peg else ""
        note += (
            f"\nReply recorded {reply.recorded_at[:10]}: {reply.sessions} session(s) given{peg}."
        )
    return f"{note}\nLogged {entry.created_at[:10]}."
