"""The referral log as a CSV file (the clinic's columns; used by the CLI and the GUI)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from referral_app.db.clinic_schema import ORDER_COLUMNS, PEG_COLUMNS, REPLY_COLUMNS
from referral_app.db.referral_log import orders_row, peg_row, reply_row
from referral_app.db.user import LogEntry
from referral_app.files import atomic_write, spreadsheet_cell

# The columns clinics' scripts read; new ones are added at the end, none changes meaning
# (``level`` stays the level's id; ``level_label`` is the words the app shows).
LOG_COLUMNS = (
    "number",
    "created_at",
    "condition_id",
    "condition_name",
    "level",
    "answers",
    "center_id",
    "center_name",
    "center_origin",
    "clinician",
    "lang",
    "parts",
    "urgency",
    "patient_name",
    "patient_dob",
    "override_defer",
    "override_advice",
    *ORDER_COLUMNS,  # the orders typed for the therapist (m016)
    "status",
    "level_label",
    *PEG_COLUMNS,  # the PEG-3 at referral (m018; empty when not recorded)
    *REPLY_COLUMNS,  # the reply slip as recorded: sessions done, the PEG-3 again
    "reply_at",
)


def override_reasons(entry: LogEntry) -> tuple[str, str]:
    """(defer override, not-advised override): the log keeps one reason, in ``override_defer``
    (it predates not_advised), and the logged level says which override it was."""
    if entry.level == "not_advised":
        return "", entry.override_defer
    return entry.override_defer, ""


def entry_json(entry: LogEntry) -> dict:
    """Every logged field as stored (``override_defer`` as before), plus ``override_advice``."""
    data = asdict(entry)
    data["parts"] = list(entry.parts)
    data["override_advice"] = override_reasons(entry)[1]
    return data


def write_log_csv(path: Path, entries: list[LogEntry], levels: Iterable = ()) -> None:
    """Whole or not at all (atomic_write); no cell starts a spreadsheet formula. ``levels``: the
    recommendation levels, for ``level_label``; ``status`` is where the referral stands."""
    labels = {level.id: level.label for level in levels}
    with atomic_write(path, encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(LOG_COLUMNS), extrasaction="ignore")
        writer.writeheader()
        for e in entries:
            row = entry_json(e)
            row["answers"] = json.dumps(e.answers, sort_keys=True)
            row["parts"] = ",".join(e.parts)
            row["override_defer"], row["override_advice"] = override_reasons(e)
            row |= {k: v or "" for k, v in orders_row(e.orders).items()}
            row["status"] = e.follow_up
            row["level_label"] = labels.get(e.level, e.level)
            row |= {k: "" if v is None else v for k, v in peg_row(e.peg).items()}
            if e.reply is not None:
                row |= {k: "" if v is None else v for k, v in reply_row(e.reply).items()}
                row["status"] = e.follow_up
            writer.writerow({k: spreadsheet_cell(str(v)) for k, v in row.items()})
