"""What a printed sheet was made from, as plain JSON-able data, so a reprint is a true copy.

Kept with the log entry: the recommendation as printed (level, label, reasons, precautions,
unknowns, the flags answered yes) and the destination as it was then. Pure: no Qt, no SQL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from referral_app.domain.center import Center, ClinicCheck, FieldSource
from referral_app.domain.entities import Statement
from referral_app.domain.recommend import Recommendation
from referral_app.domain.referral import Referral

SNAPSHOT_VERSION = 1


def _statement(s: Statement) -> dict[str, Any]:
    return {"text": s.text, "sources": list(s.sources), "confirmed": s.confirmed}


def _from_statement(d: dict[str, Any]) -> Statement:
    return Statement(str(d["text"]), tuple(d.get("sources", ())), bool(d.get("confirmed", True)))


def snapshot_of(referral: Referral) -> dict[str, Any]:
    rec = referral.recommendation
    return {
        "version": SNAPSHOT_VERSION,
        "level": rec.level,
        "label": rec.label,
        "reasons": [_statement(s) for s in rec.reasons],
        "precautions": [_statement(s) for s in rec.precautions],
        "unknowns": list(rec.unknowns),
        "flags_present": list(rec.flags_present),
        "center": dataclasses.asdict(referral.center),  # dates as ISO text (json default=str)
    }


def restore_recommendation(current: Recommendation, snap: dict[str, Any]) -> Recommendation:
    """``current`` (today's record of the condition) with the decision as it was printed."""
    return dataclasses.replace(
        current,
        level=snap["level"],
        label=snap["label"],
        reasons=tuple(_from_statement(s) for s in snap["reasons"]),
        precautions=tuple(_from_statement(s) for s in snap["precautions"]),
        unknowns=tuple(snap.get("unknowns", ())),
        flags_present=tuple(snap.get("flags_present", ())),
    )


def restore_center(snap: dict[str, Any]) -> Center | None:
    data = snap.get("center")
    if not isinstance(data, dict):
        return None
    known = {f.name for f in dataclasses.fields(Center)}
    values: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known
    }
    values["provenance"] = tuple(FieldSource(**d) for d in data.get("provenance") or ())
    check = data.get("check")
    if isinstance(check, dict):
        check = dict(check, checked_on=dt.date.fromisoformat(str(check["checked_on"])[:10]))
        values["check"] = ClinicCheck(**check)
    return Center(**values)
