"""``log --record-reply`` and ``outcomes``: the therapist's reply, and the clinic's own counts."""

from __future__ import annotations

import argparse
import json

from referral_app.db.clinic_store import ClinicStore
from referral_app.db.reference import ReferenceStore
from referral_app.db.store_errors import StoreConflictError
from referral_app.services.errors import InputError
from referral_app.services.outcomes import outcome_lines, outcomes, record_reply


def record(store: ReferenceStore, user: ClinicStore, args: argparse.Namespace) -> int:
    if args.sessions is None:
        raise InputError("give --sessions N: the sessions done, from the reply slip")
    entry = record_reply(store, user, args.record_reply, args.sessions, args.peg or "")
    reply = entry.reply
    if reply is None:  # only another program clearing it meanwhile
        raise StoreConflictError(f"the reply to referral {entry.number} vanished from the log")
    said = f"; PEG-3 {reply.peg.text()}" if reply.peg else ""
    before = f", {entry.peg.score:.1f} at referral" if entry.peg and reply.peg else ""
    print(f"recorded the reply to {entry.number}: {reply.sessions} session(s){said}{before}")
    return 0


def show(user: ClinicStore, args: argparse.Namespace) -> int:
    result = outcomes(user.referrals())
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(outcome_lines(result)))
    return 0
