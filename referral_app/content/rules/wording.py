"""Rules on words a patient or therapist reads: no recommending massage where the level does not.

The level is the one the record yields before any screening (domain.recommend's
condition_level): only ``recommend`` and ``consider`` may promise or suggest a benefit. For the
other levels the patient lines, the regimen shown on the therapist sheet, and any handout string
written for that level must not contain a recommending phrase. Where guidelines advise against
massage (``not_advised``), the patient lines must also tell the reader not to massage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from referral_app.content.errors import Problem
from referral_app.domain.entities import Condition
from referral_app.domain.recommend import condition_level

RECOMMENDING_LEVELS = ("recommend", "consider")
NON_RECOMMENDING_LEVELS = ("insufficient", "not_recommended", "not_advised", "defer")
# Wording that promises or suggests a benefit. Hedged wording ("may ease", Spanish "puede aliviar",
# which also means "may") is not listed: the level's own text decides whether it is honest.
PHRASES: dict[str, re.Pattern[str]] = {
    "en": re.compile(
        r"(?i)\b(massage (can|will|does) (help|ease|relieve|improve|reduce|treat|cure)|"
        r"(can|will) (help|ease|relieve|reduce|improve) (you|your)|massage helps|helps (with|to) |"
        r"is (recommended|proven|effective)|recommends?|recommended|proven to|works well|"
        r"suggested massage|one option for|suggested regimen|good option|reasonable option)"
    ),
    "es": re.compile(
        r"(?i)(el masaje (va a|le va a) (ayudar|aliviar|mejorar|reducir)|"
        r"\b(le ayudará|ayudará a|aliviará|mejorará|reducirá)\b|\bel masaje (le )?ayuda\b|"
        r"\brecomendad[oa]s?\b|\brecomienda\b|\bcomprobad[oa]\b|\beficaz\b|\bfunciona bien\b|"
        r"\bsugiri[óo] (el )?masaje\b|\buna opción para\b|\bbuena opción\b|\bopción razonable\b)"
    ),
}


# A phrase is not a recommendation when its sentence negates or questions it before it
# ("no good proof that massage helps", "no está comprobado", "we do not know if massage helps").
NEGATIONS: dict[str, re.Pattern[str]] = {
    "en": re.compile(r"(?i)\b(no|not|never|nor|whether|if|unknown|unclear|without)\b|n't\b"),
    "es": re.compile(r"(?i)\b(no|ni|nunca|si|sin)\b"),
}
SENTENCE_END = re.compile(r"[.;:!?]")
# "Do not massage" in the reader's language (not_advised): a negation, then massage or rubbing, in
# one sentence ("Do not rub or massage red areas", "No frote ni masajee las zonas").
DO_NOT_MASSAGE: dict[str, re.Pattern[str]] = {
    "en": re.compile(r"(?i)\b(do not|don't|never)\b[^.;!?]*\bmassag"),
    "es": re.compile(r"(?i)\bno\b[^.;!?]*\bmasaj"),
}


def recommending_phrase(text: str, lang: str) -> str:
    """The first phrase in ``text`` that recommends massage, not negated in its sentence."""
    for found in PHRASES[lang].finditer(text):
        before = SENTENCE_END.split(text[: found.start()])[-1]
        if not NEGATIONS[lang].search(before):
            return found.group(0)
    return ""


def check_condition_wording(conditions: Iterable[Condition]) -> Iterator[Problem]:
    for cond in conditions:
        level = condition_level(cond)
        file = f"conditions/{cond.id}.toml"
        if level == "not_advised":
            yield from _says_do_not_massage(file, cond)
        if level in RECOMMENDING_LEVELS:
            continue
        texts = [
            (f"patient.{lang}.what_to_expect", lang, t.what_to_expect)
            for lang, t in cond.patient.items()
        ]
        texts.append(("regimen.text", "en", cond.regimen.statement.text))
        for field, lang, text in texts:
            phrase = recommending_phrase(text, lang) if lang in PHRASES else ""
            if phrase:
                yield Problem(
                    file,
                    cond.id,
                    field,
                    f"'{phrase}' recommends massage, but the evidence gives level '{level}'",
                )


def _says_do_not_massage(file: str, cond: Condition) -> Iterator[Problem]:
    for lang, text in cond.patient.items():
        if lang in DO_NOT_MASSAGE and not DO_NOT_MASSAGE[lang].search(text.what_to_expect):
            yield Problem(
                file,
                cond.id,
                f"patient.{lang}.what_to_expect",
                "guidelines advise against massage here (advice = 'avoid'): tell the reader "
                "not to massage",
            )


def check_handout_strings(file: str, strings: dict[str, Any]) -> Iterator[Problem]:
    """Every string under a key naming a non-recommending level (e.g. en.opening.insufficient)."""
    for path, lang, text in _walk(strings, (), ""):
        levels = [part for part in path if part in NON_RECOMMENDING_LEVELS]
        phrase = recommending_phrase(text, lang) if levels and lang in PHRASES else ""
        if phrase:
            yield Problem(
                file,
                ".".join(path),
                "",
                f"'{phrase}' recommends massage in text written for level '{levels[0]}'",
            )


def _walk(
    value: Any, path: tuple[str, ...], lang: str
) -> Iterator[tuple[tuple[str, ...], str, str]]:
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from _walk(sub, (*path, key), lang or (key if key in PHRASES else ""))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _walk(sub, (*path, str(i)), lang)
    elif isinstance(value, str):
        yield path, lang, value
