"""Rules on who gives the massage, what a condition implies, and "clear first" instructions.

- delivery: a condition not given by a massage therapist (``delivery`` other than ``therapist``)
  has the instructions its sheet prints (``[care]``: how, how often, how long, when to stop, in
  every language); a therapist referral has none (its sheet is the therapist's).
- implied-flag: every id in a condition's ``implies`` is a flag in flags.toml.
- clear-first: an instruction that makes massage wait for a clinician's agreement must defer. The
  words that say so (``CLEAR_FIRST``): "clearance"; "until … clear(s|ed)"; "check with / agree …
  with … first"; "only once … cleared"; "agreement before". A flag (or a per-condition override)
  whose instruction says so must be ``kind = "defer"``; a condition precaution that says so must
  name, in ``defers_with``, the screening flags that defer for it (each must defer for that
  condition), so the screen asks the question and a yes stops the referral.
- patient-verification: what the guide could or could not verify is for the clinician (the card,
  the clinic copy); a patient line (``what_to_expect``, ``[care]``, en/es) never speaks of it
  ("we could not check/confirm this study", "no pudimos confirmar", "unconfirmed"). Patients read
  what the evidence is ("only one small study"), not the review's process.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from referral_app.content.errors import Problem
from referral_app.domain import scale
from referral_app.domain.entities import Condition
from referral_app.domain.flags import Flag

CLEAR_FIRST = re.compile(
    r"\bclearance\b"
    r"|\buntil\b[^.;]*\bclear(?:s|ed)?\b(?!\s+of\b)"
    r"|\b(?:check|agree)\b[^.;]*\bwith\b[^.;]*\bfirst\b"
    r"|\bonly once\b[^.;]*\bcleared\b"
    r"|\bagreement before\b",
    re.IGNORECASE,
)


VERIFICATION = re.compile(
    r"\bcould not (?:be )?(?:check|confirm|verif)\w*|\b(?:unconfirmed|unverified)\b"
    r"|\bnot (?:been )?(?:checked|confirmed|verified)\b"
    r"|\bno (?:pudimos|hemos podido|se pudo|se ha podido) (?:comprobar|confirmar|verificar|revisar)"
    r"|\bsin (?:confirmar|verificar)\b|\bno (?:est[áa]|ha sido) (?:confirmad|verificad)\w*",
    re.IGNORECASE,
)


def check_patient_verification(conditions: Iterable[Condition]) -> Iterator[Problem]:
    for cond in conditions:
        texts = [
            (f"patient.{lang}.what_to_expect", t.what_to_expect) for lang, t in cond.patient.items()
        ]
        if cond.care is not None:
            texts += [
                (f"care.{lang}.{name}", getattr(t, name))
                for lang, t in cond.care.text.items()
                for name in ("how", "how_often", "how_long", "stop")
            ]
        for field, text in texts:
            found = VERIFICATION.search(text)
            if found:
                yield Problem(
                    f"conditions/{cond.id}.toml",
                    cond.id,
                    field,
                    f"'{found.group(0)}' tells the patient about the guide's verification: say "
                    "what the evidence is (for example 'only one small study') instead",
                )


def says_clear_first(text: str) -> bool:
    """The text makes massage wait for someone's clearance (see the module docstring)."""
    return bool(CLEAR_FIRST.search(text))


def check_delivery(conditions: Iterable[Condition]) -> Iterator[Problem]:
    for cond in conditions:
        file = f"conditions/{cond.id}.toml"
        if cond.by_therapist:
            if cond.care is not None:
                yield Problem(file, cond.id, "care", "is only for a delivery other than therapist")
            continue
        if cond.care is None:
            yield Problem(
                file,
                cond.id,
                "care",
                f"is missing: delivery '{cond.delivery}' prints instructions instead of a "
                "therapist sheet (how, how_often, how_long, stop in every language)",
            )
            continue
        for lang in scale.LANGUAGES:
            text = cond.care.text.get(lang)
            for name in ("how", "how_often", "how_long", "stop"):
                if text is None or not getattr(text, name):
                    yield Problem(file, cond.id, f"care.{lang}.{name}", "is missing")


def check_implied(conditions: Iterable[Condition], flags: list[Flag]) -> Iterator[Problem]:
    ids = {f.id for f in flags}
    for cond in conditions:
        for flag_id in cond.implies:
            if flag_id not in ids:
                yield Problem(
                    f"conditions/{cond.id}.toml",
                    cond.id,
                    "implies",
                    f"'{flag_id}' is not a flag id in flags.toml",
                )


def check_clear_first(conditions: Iterable[Condition], flags: list[Flag]) -> Iterator[Problem]:
    for flag in flags:
        if flag.kind != "defer" and says_clear_first(flag.instruction):
            yield Problem(
                "flags.toml",
                flag.id,
                "kind",
                "its instruction says to get clearance first, so it must defer (kind = "
                '"defer"), or the clearance must be its own defer item',
            )
        for o in flag.overrides:
            if o.kind != "defer" and says_clear_first(o.instruction):
                yield Problem(
                    "flags.toml",
                    f"{flag.id}.override {o.condition}",
                    "kind",
                    "its instruction says to get clearance first, so it must defer",
                )
    by_id = {f.id: f for f in flags}
    for cond in conditions:
        for i, statement in enumerate((*cond.precautions, *cond.before_referral)):
            named = cond.defers_with.get(statement.text, ())
            yield from _precaution(cond, i, statement.text, named, by_id)


def _precaution(
    cond: Condition, i: int, text: str, named: tuple[str, ...], flags: dict[str, Flag]
) -> Iterator[Problem]:
    file, field = f"conditions/{cond.id}.toml", f"precautions ({text[:40]}…).defers_with"
    if says_clear_first(text) and not named:
        yield Problem(
            file,
            cond.id,
            field,
            "is missing: the precaution says to get clearance first, so name the screening "
            "flags that defer until it is given",
        )
    for flag_id in named:
        flag = flags.get(flag_id)
        if flag is None:
            yield Problem(file, cond.id, field, f"'{flag_id}' is not a flag id in flags.toml")
        elif flag.for_condition(cond.id).kind != "defer":
            yield Problem(file, cond.id, field, f"'{flag_id}' does not defer for this condition")
