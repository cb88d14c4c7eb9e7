"""What the content files hold once read and checked: one record the build writes to the DB."""

from __future__ import annotations

from dataclasses import dataclass, field

from referral_app.content.errors import Problem
from referral_app.domain.center import Center
from referral_app.domain.entities import (
    Citation,
    Claim,
    ClinicianNote,
    Condition,
    Guidance,
    Link,
    RecommendationLevel,
    Release,
    Statement,
    WarningSet,
)
from referral_app.domain.flags import Flag, FlagAlias
from referral_app.domain.listing import EvidenceLevel
from referral_app.domain.routes import Board, Locator


@dataclass(frozen=True)
class Content:
    data_version: str
    content_hash: str
    citations: dict[str, Citation]
    conditions: list[Condition]
    flags: list[Flag]
    evidence_levels: list[EvidenceLevel]
    recommendation_levels: list[RecommendationLevel]
    cross_cutting: list[Statement] = field(default_factory=list)
    centers: list[Center] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    guidance: dict[str, list[Guidance]] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    releases: list[Release] = field(default_factory=list)
    # Known rule violations still present (data/rules_backlog.toml), tolerated by the build.
    backlog: tuple[Problem, ...] = ()
    aliases: list[FlagAlias] = field(default_factory=list)
    wording: dict[str, dict[str, str]] = field(default_factory=dict)
    notes: list[ClinicianNote] = field(default_factory=list)
    warning_sets: list[WarningSet] = field(default_factory=list)
    boards: list[Board] = field(default_factory=list)
    locators: list[Locator] = field(default_factory=list)
