"""The decision engine: a condition plus a screen → an honest recommendation.

Rules (also in docs/METHOD.md):

1. Evidence sets the level: direction ``no_specific_effect`` or level ``no_effect`` →
   ``not_recommended``; level ``very_low`` or direction ``unclear`` → ``insufficient``;
   ``moderate`` with direction ``benefit`` → ``recommend``; any other ``moderate`` or ``low`` →
   ``consider``.
1a. A record whose ``advice`` is ``avoid`` (published guidelines advise against massage for this
   purpose, cited in ``advice_sources``) → ``not_advised``, whatever its grade: a low grade would
   read as "unknown" and understate the guideline. Only the explicit, cited field does this; the
   level is never guessed from the grade.
2. Any ``defer`` flag answered *yes* → ``defer``, with the flag's reason first: defer beats
   caution and ``not_advised``, whatever the evidence.
3. ``caution`` flags answered *yes* keep the level and add the flag's therapist instruction.
4. A flag acts as its per-condition override says, where it has one for this condition (for
   example heart failure defers manual lymphatic drainage for lymphedema).
5. Screening is three-valued: *not asked* is never read as *no*. With no answer at all the
   recommendation says no screen was recorded; unasked ``defer`` flags are listed as unknowns.
6. Old flag ids (aliases) are read as what they mean now before any of this; an answer given
   under a current id wins over one implied by an old id.
7. A condition's ``implies`` (a pregnancy condition implies pregnancy; an infant's condition, a
   patient who cannot consent or report pain) count as *yes* whatever was answered: their
   precautions and warning signs apply, and they are shown as implied by the condition, never as
   answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the screen (start-up) needs Screen only: the records load with a condition
    from referral_app.domain.entities import Condition, RecommendationLevel, Regimen, Statement
    from referral_app.domain.flags import Flag, FlagAlias
    from referral_app.domain.listing import EvidenceLevel

YES, NO, NOT_ASKED = "yes", "no", "not_asked"

NO_SCREEN = "No contraindication screen was recorded: ask about the screening questions first."
NOT_ASKED_DEFER = "Not asked: {label}. This could rule massage out for now."
UNCONFIRMED_FACTS = (
    "Part of this condition's record rests on facts the evidence review could not confirm "
    "(marked unconfirmed)."
)


@dataclass(frozen=True, slots=True)
class Screen:
    """Answers to screening flags; a flag missing from ``answers`` was not asked."""

    answers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def none_found(cls, flags: list[Flag]) -> Screen:
        """The screen was done and nothing was found."""
        return cls({f.id: NO for f in flags})

    @classmethod
    def with_present(cls, flags: list[Flag], present: list[str]) -> Screen:
        """Named flags present, every other flag answered no."""
        answers = {f.id: NO for f in flags}
        answers.update(dict.fromkeys(present, YES))
        return cls(answers)

    def answer(self, flag_id: str) -> str:
        return self.answers.get(flag_id, NOT_ASKED)

    @property
    def recorded(self) -> bool:
        return any(a in (YES, NO) for a in self.answers.values())

    def resolved(self, aliases: list[FlagAlias]) -> Screen:
        """The same screen with old flag ids read as what they mean now."""
        return Screen(apply_aliases(self.answers, aliases))


def apply_aliases(answers: dict[str, str], aliases: list[FlagAlias]) -> dict[str, str]:
    """Old ids → current ids. An answer under a current id wins; among implied answers, yes wins."""
    by_old = {a.old: a for a in aliases}
    result = {k: v for k, v in answers.items() if k not in by_old}
    implied: dict[str, str] = {}
    for old, answer in answers.items():
        alias = by_old.get(old)
        if alias is None:
            continue
        targets = alias.yes if answer == YES else alias.new if answer == NO else ()
        for target in targets:
            if implied.get(target) != YES:
                implied[target] = answer
    for key, answer in implied.items():
        result.setdefault(key, answer)
    return result


@dataclass(frozen=True, slots=True)
class Recommendation:
    condition: Condition
    level: str
    label: str
    reasons: tuple[Statement, ...]
    precautions: tuple[Statement, ...]
    unknowns: tuple[str, ...]
    durability: Statement
    regimen: Regimen
    flags_present: tuple[str, ...] = ()
    present: tuple[Flag, ...] = ()  # the flags answered yes, as they act for this condition
    implied: tuple[str, ...] = ()  # of those, the ids the condition itself implies (rule 7)

    @property
    def deferring(self) -> tuple[Flag, ...]:
        return tuple(f for f in self.present if f.kind == "defer")

    def source_keys(self) -> tuple[str, ...]:
        keys: dict[str, None] = {}
        for statement in (
            *self.reasons,
            *self.precautions,
            self.durability,
            self.regimen.statement,
        ):
            keys.update(dict.fromkeys(statement.sources))
        return tuple(keys)


def evidence_level_to_recommendation(evidence_level: str, direction: str) -> str:
    """Rule 1: how evidence level and direction map onto a recommendation level."""
    if direction == "no_specific_effect" or evidence_level == "no_effect":
        return "not_recommended"
    if evidence_level == "very_low" or direction == "unclear":
        return "insufficient"
    if evidence_level == "moderate" and direction == "benefit":
        return "recommend"
    return "consider"


def condition_level(condition: Condition) -> str:
    """Rules 1 and 1a: the level a condition gets before any screening answer."""
    if condition.advised_against:
        return "not_advised"
    return evidence_level_to_recommendation(condition.evidence_level, condition.direction)


def shows_benefit(condition: Condition) -> bool:
    """The condition's level shows a benefit (recommend, consider): only then do the card, the
    sheets and the command line say how long the benefit lasts."""
    return condition_level(condition) in ("recommend", "consider")


def recommend(
    condition: Condition,
    flags: list[Flag],
    screen: Screen,
    levels: dict[str, RecommendationLevel],
    evidence: dict[str, EvidenceLevel],
) -> Recommendation:
    from referral_app.domain.entities import Statement

    flags = [f.for_condition(condition.id) for f in flags]
    present = [f for f in flags if screen.answer(f.id) == YES or f.id in condition.implies]
    deferring = [f for f in present if f.kind == "defer"]
    level = "defer" if deferring else condition_level(condition)
    evidence_label = evidence[condition.evidence_level].label
    main = Statement(
        levels[level].reason.format(level=evidence_label.lower()),
        condition.grading.sources,
        condition.grading.confirmed,
    )
    if level == "not_advised":  # the guidelines that advise against it are the reason's source
        main = Statement(main.text, condition.advice_sources)
    reasons = [Statement(f.reason, f.sources, f.confirmed) for f in deferring]
    reasons.append(main)
    if level == "defer" and condition.advised_against:  # once cleared, it is still not advised
        advice = levels["not_advised"].reason.format(level=evidence_label.lower())
        reasons.append(Statement(advice, condition.advice_sources))
    reasons.append(condition.summary)
    if level == "not_recommended":
        reasons.append(condition.effect)
    cautions = [Statement(f.instruction, f.sources, f.confirmed) for f in present]
    return Recommendation(
        condition=condition,
        level=level,
        label=levels[level].label,
        reasons=tuple(reasons),
        precautions=tuple(cautions) + condition.precautions,
        unknowns=tuple(_unknowns(condition, flags, screen)),
        durability=condition.durability,
        regimen=condition.regimen,
        flags_present=tuple(f.id for f in present),
        present=tuple(present),
        implied=tuple(f.id for f in present if f.id in condition.implies),
    )


def _unknowns(condition: Condition, flags: list[Flag], screen: Screen) -> list[str]:
    unknowns = []
    if not screen.recorded:
        unknowns.append(NO_SCREEN)
    else:
        unknowns += [
            NOT_ASKED_DEFER.format(label=f.label)
            for f in flags
            if f.kind == "defer" and screen.answer(f.id) == NOT_ASKED
        ]
    if condition.has_unconfirmed:
        unknowns.append(UNCONFIRMED_FACTS)
    return unknowns


@dataclass(frozen=True, slots=True)
class ReferralDraft:
    """One patient's referral as the window holds it: built once per screening change and
    handed down to the picker, the sheet and the log (nothing is recomputed below)."""

    condition: Condition
    screen: Screen
    recommendation: Recommendation
    needs: tuple[str, ...] = ()  # services the condition and the answers call for

    @property
    def answers(self) -> dict[str, str]:
        """The answered flags only (yes / no); unasked flags stay out."""
        return {k: v for k, v in self.screen.answers.items() if v in (YES, NO)}
