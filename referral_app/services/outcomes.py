"""The loop closed: the therapist's reply recorded, and the clinic's outcomes counted.

Counts and means only, per condition and per center; never a patient's identity. These are the
clinic's own observations (who was referred, who replied, what they scored), not evidence: no
control group, and the patients who reply are not all patients.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from referral_app.db.clinic_store import ClinicStore
from referral_app.db.reference import ReferenceStore
from referral_app.db.referral_log import LogEntry
from referral_app.db.store_errors import StoreConflictError
from referral_app.domain.delivery import NO_CENTER_ORIGIN
from referral_app.domain.outcomes import (
    MAX_SESSIONS,
    PEG_URL,
    Peg,
    PegError,
    Reply,
    is_pain_condition,
    now,
)
from referral_app.services.errors import InputError

OBSERVATIONS_NOTE = (
    "The clinic's own observations from its referral log and the therapists' reply slips: "
    "counts and means, not evidence. There is no comparison group, and patients whose therapist "
    "replied may differ from those whose therapist did not."
)
# The JSON fields of each row (after condition_id/condition_name or center_id/center_name);
# documented in README.md. A PEG-3 change is the reply's score minus the referral's (negative:
# less pain and interference).
STAT_FIELDS: tuple[str, ...] = (
    "referrals",
    "replies",
    "sessions_mean",
    "peg_at_referral_mean",
    "peg_at_referral_count",
    "peg_at_reply_mean",
    "peg_at_reply_count",
    "peg_change_mean",
    "peg_change_count",
)


def _sessions(text: str) -> int:
    text = text.strip()
    if not text.isdigit() or int(text) > MAX_SESSIONS:
        raise InputError(
            f"--sessions must be a whole number from 0 to {MAX_SESSIONS}, not {text!r}"
        )
    return int(text)


def parse_peg(text: str) -> Peg:
    try:
        return Peg.parse(text)
    except PegError as exc:
        raise InputError(f"--peg: {exc}") from exc


def record_reply(
    store: ReferenceStore, user: ClinicStore, key: str, sessions: str, peg: str = ""
) -> LogEntry:
    """Record the reply slip of a logged referral (by its number); the referral's status becomes
    'reply received'. Unknown numbers, referrals not sent to a therapist and a PEG-3 for a
    condition that is not about pain are refused with one line."""
    entry = user.get_referral(key.strip())
    if entry is None:
        raise InputError(f"no logged referral {key!r} (see: referral-guide log)")
    if entry.center_origin == NO_CENTER_ORIGIN:
        raise InputError(f"referral {entry.number} was not sent to a therapist: it has no reply")
    scores = parse_peg(peg) if peg.strip() else None
    condition = store.get_condition(entry.condition_id)
    pain = entry.peg is not None or (condition is not None and is_pain_condition(condition))
    if scores is not None and not pain:
        raise InputError(
            f"{entry.condition_name} is not a pain condition: the PEG-3 is not recorded for it"
        )
    user.record_reply(entry.number, Reply(_sessions(sessions), scores, now()))
    recorded = user.get_referral(entry.number)
    if recorded is None:  # only another program removing it meanwhile
        raise StoreConflictError(f"referral {entry.number} vanished from the log")
    return recorded


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    key: str  # the condition's or the center's id
    name: str
    referrals: int
    replies: int
    sessions_mean: float | None
    peg_at_referral_mean: float | None
    peg_at_referral_count: int
    peg_at_reply_mean: float | None
    peg_at_reply_count: int
    peg_change_mean: float | None
    peg_change_count: int

    def stats(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in STAT_FIELDS}


@dataclass(frozen=True, slots=True)
class Outcomes:
    by_condition: list[OutcomeRow]
    by_center: list[OutcomeRow]

    def as_json(self) -> dict[str, object]:
        def rows(items: list[OutcomeRow], kind: str) -> list[dict[str, object]]:
            return [{f"{kind}_id": r.key, f"{kind}_name": r.name, **r.stats()} for r in items]

        return {
            "note": OBSERVATIONS_NOTE,
            "peg_source": PEG_URL,
            "by_condition": rows(self.by_condition, "condition"),
            "by_center": rows(self.by_center, "center"),
        }


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _row(key: str, name: str, entries: list[LogEntry]) -> OutcomeRow:
    replies = [e.reply for e in entries if e.reply is not None]
    at_referral = [e.peg.score for e in entries if e.peg is not None]
    at_reply = [r.peg.score for r in replies if r.peg is not None]
    changes = [
        e.reply.peg.score - e.peg.score
        for e in entries
        if e.peg is not None and e.reply is not None and e.reply.peg is not None
    ]
    return OutcomeRow(
        key,
        name,
        len(entries),
        len(replies),
        _mean([float(r.sessions) for r in replies]),
        _mean(at_referral),
        len(at_referral),
        _mean(at_reply),
        len(at_reply),
        _mean(changes),
        len(changes),
    )


def _grouped(
    entries: Iterable[LogEntry], key: Callable[[LogEntry], tuple[str, str]]
) -> list[OutcomeRow]:
    groups: dict[str, tuple[str, list[LogEntry]]] = {}
    for entry in entries:
        k, name = key(entry)
        groups.setdefault(k, (name, []))[1].append(entry)
    rows = [_row(k, name, items) for k, (name, items) in groups.items()]
    return sorted(rows, key=lambda r: (-r.referrals, r.name.lower()))


def outcomes(entries: Iterable[LogEntry]) -> Outcomes:
    """Referrals sent to a therapist (printed), grouped by condition and by center."""
    sent = [e for e in entries if e.center_origin != NO_CENTER_ORIGIN]
    return Outcomes(
        _grouped(sent, lambda e: (e.condition_id, e.condition_name)),
        _grouped(sent, lambda e: (e.center_id, e.center_name)),
    )


def outcome_lines(result: Outcomes) -> list[str]:
    """The plain-text table the command line prints."""

    def num(value: float | None, count: int | None = None) -> str:
        if value is None:
            return "-"
        return f"{value:+.2f} (n={count})" if count is not None else f"{value:.2f}"

    lines = [OBSERVATIONS_NOTE, ""]
    for title, rows in (("By condition", result.by_condition), ("By center", result.by_center)):
        lines.append(f"{title}:")
        if not rows:
            lines.append("  no referrals logged yet")
        for r in rows:
            lines.append(
                f"  {r.name}: {r.referrals} referral(s), {r.replies} with a reply; sessions "
                f"done {num(r.sessions_mean)}; PEG-3 at referral {num(r.peg_at_referral_mean)} "
                f"(n={r.peg_at_referral_count}), at reply {num(r.peg_at_reply_mean)} "
                f"(n={r.peg_at_reply_count}), change {num(r.peg_change_mean, r.peg_change_count)}"
            )
        lines.append("")
    lines.append("PEG-3 score: the mean of three items, 0-10 (Krebs 2009, " + PEG_URL + ").")
    return lines
