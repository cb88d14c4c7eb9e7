"""Typed records of the reference content (conditions, sources, changes) shared by every layer.
Pure Python: no Qt, no SQL. The directory's records (Center, ClinicCheck, FieldSource) are in
center.py, the first screen's (EvidenceLevel, SearchHit) in listing.py, the screen's questions
(Flag) in flags.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Statement:
    """One piece of medical text with the sources it rests on."""

    text: str
    sources: tuple[str, ...]
    confirmed: bool = True


@dataclass(frozen=True, slots=True)
class Regimen:
    statement: Statement
    session_minutes: int | None = None
    sessions_per_week: str | None = None
    weeks: int | None = None


@dataclass(frozen=True, slots=True)
class PatientText:
    plain_name: str
    what_to_expect: str


@dataclass(frozen=True, slots=True)
class CareText:
    """Instructions for massage the patient, a parent or ward staff give, in one language."""

    how: str
    how_often: str
    how_long: str
    stop: str  # when to stop


@dataclass(frozen=True, slots=True)
class Care:
    """A condition's instructions sheet where no therapist gives the massage (``delivery`` is
    not ``therapist``): per language, with the sources they rest on."""

    text: dict[str, CareText]
    sources: tuple[str, ...]
    confirmed: bool = True


@dataclass(frozen=True, slots=True)
class Condition:
    id: str
    name: str
    synonyms: tuple[str, ...]
    icd10: tuple[str, ...]
    category: str
    evidence_level: str
    direction: str
    durability_term: str
    last_reviewed: dt.date
    summary: Statement
    grading: Statement
    effect: Statement
    durability: Statement
    regimen: Regimen
    precautions: tuple[Statement, ...]
    patient: dict[str, PatientText] = field(default_factory=dict)
    # What the referring clinician must do or weigh (screen, assess, set expectations): shown on
    # the screen and the clinic copy, never given to the therapist as an instruction.
    before_referral: tuple[Statement, ...] = ()
    recent_source_waiver: str = ""  # why no source from the last 10 years is cited, if none is
    # "avoid" when published guidelines advise against massage for this purpose, with the
    # guidelines that say so; it sets the level not_advised whatever the grade (a defer still wins).
    advice: str = ""
    advice_sources: tuple[str, ...] = ()
    # Who gave the massage in the studies (scale.DELIVERIES); only "therapist" is a referral.
    delivery: str = "therapist"
    # Flag ids the condition itself answers yes (a pregnancy condition implies pregnancy).
    implies: tuple[str, ...] = ()
    care: Care | None = None  # the instructions sheet, for a delivery other than "therapist"
    # Precaution text -> the screening flags that defer until its "clear first" is given (build
    # rule clear-first; read from data/ only, not stored in the reference database).
    defers_with: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def by_therapist(self) -> bool:
        """A referral to a massage therapist (center picker, therapist sheet)."""
        return self.delivery == "therapist"

    @property
    def for_parent(self) -> bool:
        """An infant's condition: the handout speaks to the parents."""
        return self.category == "pediatric"

    def statements(self) -> tuple[Statement, ...]:
        """Every statement of the record, in display order."""
        head = (self.summary, self.grading, self.effect, self.durability, self.regimen.statement)
        return head + self.precautions + self.before_referral

    def source_keys(self) -> tuple[str, ...]:
        """All cited keys, first-seen order, no repeats."""
        keys: dict[str, None] = {}
        for statement in self.statements():
            keys.update(dict.fromkeys(statement.sources))
        keys.update(dict.fromkeys(self.advice_sources))
        if self.care is not None:
            keys.update(dict.fromkeys(self.care.sources))
        return tuple(keys)

    @property
    def advised_against(self) -> bool:
        """Published guidelines advise against massage for this purpose."""
        return self.advice == "avoid"

    @property
    def has_unconfirmed(self) -> bool:
        return any(not s.confirmed for s in self.statements())


@dataclass(frozen=True, slots=True)
class Citation:
    key: str
    citation: str
    url: str
    status: str
    doi: str = ""
    pmid: str = ""
    note: str = ""
    year: int | None = None  # publication year: a `year` field, else parsed from the citation

    @property
    def confirmed(self) -> bool:
        return self.status != "unverified"


@dataclass(frozen=True, slots=True)
class RecommendationLevel:
    id: str
    label: str
    definition: str
    reason: str


@dataclass(frozen=True, slots=True)
class Claim:
    """A popular claim about massage and what the sources say about it."""

    id: str
    claim: str
    verdict: str
    finding: Statement


@dataclass(frozen=True, slots=True)
class Guidance:
    """Shared handout text, written separately for each language, with its sources."""

    key: str
    text: dict[str, str]
    sources: tuple[str, ...]
    confirmed: bool = True
    # Screening flags this item is about: a handout leaves it out when all were answered no.
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class WarningSet:
    """Warning signs for the handout's "stop and get help" box (data/warning_signs.toml), shown
    when a listed flag is answered yes or implied, or for a listed condition."""

    id: str
    text: dict[str, tuple[str, ...]]  # lang -> signs
    sources: tuple[str, ...]
    confirmed: bool = True
    flags: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    replaces_general: bool = False  # the general (adult) list is left out, e.g. for newborns


@dataclass(frozen=True, slots=True)
class ClinicianNote:
    """A cited note for clinicians and therapists, shown for the conditions it names
    (for example guidance.toml [cancer_spread]: no evidence that massage spreads cancer)."""

    key: str
    text: str
    sources: tuple[str, ...]
    conditions: tuple[str, ...]
    confirmed: bool = True
    title: str = "Clinician note"


@dataclass(frozen=True, slots=True)
class Link:
    lang: str
    label: str
    url: str


GRADE_FIELDS: tuple[str, ...] = ("evidence_level", "direction", "advice")


@dataclass(frozen=True, slots=True)
class Change:
    """One changed field of one record in a content release (data/changes.toml)."""

    kind: str  # condition | flag | citation | claim | center
    target: str  # the record's id or key
    field: str
    old: str
    new: str
    why: str
    sources: tuple[str, ...]

    @property
    def is_grade(self) -> bool:
        return self.kind == "condition" and self.field in GRADE_FIELDS


@dataclass(frozen=True, slots=True)
class Release:
    """A released content version: what changed, and the content hash it was sealed with."""

    version: str
    date: dt.date
    summary: str
    changes: tuple[Change, ...] = ()
    content_hash: str = ""
    # Grades the version shipped with (data/changes.toml only; not stored in the reference DB).
    grades: dict[str, tuple[str, ...]] = field(default_factory=dict)
