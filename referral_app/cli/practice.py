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
from referral_app.domain.contact import identifier_base_problem, npi_problem

FIELDS = ("name", "address", "phone", "fax", "clinician", "credentials", "npi", "identifier_base")
LABELS = {
    "name": "Practice",
    "address": "Address",
    "phone": "Phone",
    "fax": "Fax",
    "clinician": "Clinician",
    "credentials": "Credentials",
    "npi": "NPI",
    "identifier_base": "FHIR ids",
}
CHECKS = {"npi": npi_problem, "identifier_base": identifier_base_problem}
MAX_CHARS = 200


def run_practice(user: ClinicStore, args: argparse.Namespace) -> int:
    changes = {
        field: _one_line(field, getattr(args, field))
        for field in FIELDS
        if getattr(args, field) is not None
    }
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
    option = "--" + field.replace("_", "-")
    if len(text) > MAX_CHARS:
        raise CliError(f"{option} is {len(text)} characters; at most {MAX_CHARS} fit on a sheet")
    problem = CHECKS[field](text) if field in CHECKS else ""
    if problem:
        raise CliError(f"{option}: {problem}")
    return text
