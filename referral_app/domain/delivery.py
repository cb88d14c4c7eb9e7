"""Who gives the massage, and the warning signs that fit the patient. Pure Python.

A condition whose studied massage was not given by a massage therapist (``delivery`` other than
``therapist``) is not a referral: no center is picked, and its sheets are instructions (self-care,
a parents' sheet, an order note for the ward). The handout's "stop and get help" box holds the
warning-sign sets (data/warning_signs.toml) chosen from the condition and from the flags answered
yes or implied by the condition; a set for newborns replaces the general (adult) list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from referral_app.domain.center import Center
from referral_app.domain.entities import Condition, Guidance, WarningSet
from referral_app.domain.scale import DELIVERIES

NO_CENTER_ORIGIN = "none"


def no_center(condition: Condition) -> Center:
    """What a non-referral sheet and the log name in place of a center."""
    label = DELIVERIES.get(condition.delivery, condition.delivery)
    return Center(id="", name=f"No center: {label[0].lower()}{label[1:]}", origin=NO_CENTER_ORIGIN)


def parts_for(condition: Condition, parts: Sequence[str]) -> tuple[str, ...]:
    """The parts a sheet can have: self-care has no therapist (or ward) part."""
    if condition.delivery == "self_or_parent":
        return tuple(p for p in parts if p != "therapist")
    return tuple(parts)


@dataclass(frozen=True, slots=True)
class WarningSigns:
    """The box's signs, in order, for one language, with the sets they came from."""

    sets: tuple[WarningSet, ...]
    general: bool  # the general (adult) list is shown too

    def items(self, general: Iterable[Guidance], lang: str) -> list[tuple[str, bool]]:
        """(sign, confirmed) pairs: the chosen sets first, then the general list if kept."""
        chosen = [(text, s.confirmed) for s in self.sets for text in s.text.get(lang, ())]
        if self.general:
            chosen += [(g.text[lang], g.confirmed) for g in general]
        return chosen

    @property
    def source_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(k for s in self.sets for k in s.sources))


def warning_signs(
    condition_id: str, yes_flags: Iterable[str], sets: Iterable[WarningSet]
) -> WarningSigns:
    """The sets for this condition and these flags (answered yes or implied), in file order."""
    yes = set(yes_flags)
    chosen = tuple(s for s in sets if condition_id in s.conditions or yes.intersection(s.flags))
    return WarningSigns(chosen, not any(s.replaces_general for s in chosen))
