"""``practice``: the referring practice printed at the top of every sheet and handout.

The same details as the GUI's Settings: shown with no option; each option given changes that
field only (an empty value clears it). They name the practice, never a patient.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, replace

from referral_app.cli.parser import CliError
from referral_app.db.clinic_store import ClinicStore

FIELDS = ("name", "address", "phone", "clinician", "credentials")
LABELS = {"name": "Practice", "address": "Address", "phone": "Phone", "clinician": "Clinician",
          "credentials": "Credentials"}  # fmt: skip
MAX_CHARS = 200


def run_practice(user: ClinicStore, args: argparse.Namespace) -> int:
    changes = {field: _one_line(field, getattr(args, field)) for field in FIELDS
               if getattr(args, field) is not None}  # fmt: skip
    practice = user.practice()
    if changes:
        practice = replace(practice, **changes)
        user.set_practice(practice)
    if args.json:
        print(json.dumps(asdict(practice), ensure_ascii=False, indent=2))
        return 0
    for field in FIELDS:
        print(f"{LABELS[field]:<12} {getattr(practice, field) or '(not set)'}")
    if not practice.name:
        print('Sheets head "Referring practice" until a name is set: practice --name "..."')
    return 0


def _one_line(field: str, value: str) -> str:
    text = " ".join(value.split())
    if len(text) > MAX_CHARS:
        raise CliError(f"--{field} is {len(text)} characters; at most {MAX_CHARS} fit on a sheet")
    return text
