"""The screen's questions: each contraindication flag, how it acts for one condition where the
evidence says it differs, and the old ids stored referrals still use. Pure Python: no Qt, no SQL.

Apart from entities.py because the screen is built at start-up: its three record types are
defined then, and the other records of entities.py wait until a condition is opened."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True, slots=True)
class FlagOverride:
    """How one flag acts for one condition, where the evidence says it differs (flags.toml)."""

    condition: str
    kind: str
    reason: str
    instruction: str
    sources: tuple[str, ...]
    confirmed: bool = True
    patient_first: dict[str, str] = field(default_factory=dict)  # lang -> text (defer only)


@dataclass(frozen=True, slots=True)
class Flag:
    id: str
    label: str
    question: str
    kind: str
    reason: str
    instruction: str
    sources: tuple[str, ...]
    confirmed: bool = True
    needs_service: str = ""
    # For a defer flag: what must happen first, in the patient's words (lang -> text).
    patient_first: dict[str, str] = field(default_factory=dict)
    overrides: tuple[FlagOverride, ...] = ()

    def for_condition(self, condition_id: str) -> Flag:
        """This flag as it acts for ``condition_id`` (its override applied, if it has one)."""
        override = next((o for o in self.overrides if o.condition == condition_id), None)
        if override is None:
            return self
        return replace(
            self,
            kind=override.kind,
            reason=override.reason,
            instruction=override.instruction,
            sources=override.sources,
            confirmed=override.confirmed,
            patient_first=override.patient_first or self.patient_first,
            overrides=(),
        )


@dataclass(frozen=True, slots=True)
class FlagAlias:
    """An old flag id and what it means now (stored referrals and scripts still use it).

    An old *no* answers every id in ``new``; an old *yes* answers the ids in ``yes``, and the
    other ids in ``new`` stay unasked (the old question could not tell them apart).
    """

    old: str
    new: tuple[str, ...]
    yes: tuple[str, ...]
    why: str
