"""The condition a command names: an id, a code or text; several equal matches are an error."""

from __future__ import annotations

from referral_app.cli.parser import PROG, CliError
from referral_app.db.reference import ReferenceStore
from referral_app.domain.entities import Condition


def resolve_condition(store: ReferenceStore, text: str) -> Condition:
    """The one condition ``text`` names; CliError (exit 2) when none or several match.

    Several candidates (a code shared by conditions, a name that fits more than one
    equally well) are listed on stdout, id and name, so the user can pick an id.
    """
    ids = store.resolve_ids(text)
    if not ids:
        raise CliError(f"unknown condition: {text!r} (try: {PROG} search TEXT)")
    if len(ids) > 1:
        names = {hit.id: hit.name for hit in store.list_conditions()}
        for cid in ids:
            print(f"{cid}  {names.get(cid, '')}")
        raise CliError(f"{text!r} matches {len(ids)} conditions (listed above); give one id")
    condition = store.get_condition(ids[0])
    if condition is None:  # the id came from the same store
        raise CliError(f"unknown condition: {ids[0]}")
    return condition
