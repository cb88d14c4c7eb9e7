"""Reads of the cited content around conditions: citations, flags, levels, wording, guidance,
claims, links and the change record."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from functools import cached_property
from typing import TYPE_CHECKING

from referral_app.db.reader_base import ReaderBase
from referral_app.domain.listing import EvidenceLevel

if TYPE_CHECKING:  # loaded where first used: not on the first screen's path
    from referral_app.domain.entities import (
        Change,
        Citation,
        Claim,
        ClinicianNote,
        Guidance,
        Link,
        RecommendationLevel,
        Release,
        Statement,
        WarningSet,
    )
    from referral_app.domain.flags import Flag, FlagAlias, FlagOverride

_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table'"


class ContentReads(ReaderBase):
    """Every method returns typed records; lists are read once (the file is immutable)."""

    @cached_property
    def _citations(self) -> dict[str, Citation]:
        from referral_app.domain.entities import Citation

        rows = self.db.execute("SELECT key, citation, url, status, doi, pmid, note FROM citations")
        return {r[0]: Citation(*r) for r in rows}

    def citations(self, keys: list[str] | tuple[str, ...] | None = None) -> list[Citation]:
        by_key = self._citations
        if keys is None:
            return list(by_key.values())
        return [by_key[k] for k in keys if k in by_key]

    def flags(self) -> list[Flag]:
        return self._memo("flags", self._load_flags)

    def _load_flags(self) -> list[Flag]:
        from referral_app.domain.flags import Flag

        sql = """
            SELECT f.id, f.label, f.question, f.kind, f.reason, f.instruction, f.confirmed,
                   f.needs_service,
                   (SELECT group_concat(citation_key, ' ') FROM
                      (SELECT citation_key FROM flag_sources WHERE flag_id = f.id
                       ORDER BY position)),
                   f.patient_first
            FROM flags f ORDER BY f.position
        """
        overrides = self._flag_overrides()
        return [
            Flag(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                tuple((r[8] or "").split()),
                bool(r[6]),
                r[7],
                json.loads(r[9] or "{}"),
                tuple(overrides.get(r[0], ())),
            )
            for r in self.db.execute(sql)
        ]

    def _flag_overrides(self) -> dict[str, list[FlagOverride]]:
        from referral_app.domain.flags import FlagOverride

        sql = """SELECT flag_id, condition_id, kind, reason, instruction, sources, confirmed,
                        patient_first FROM flag_overrides ORDER BY flag_id, condition_id"""
        found: dict[str, list[FlagOverride]] = defaultdict(list)
        for r in self.db.execute(sql):
            found[r[0]].append(
                FlagOverride(
                    r[1],
                    r[2],
                    r[3],
                    r[4],
                    tuple(json.loads(r[5])),
                    bool(r[6]),
                    json.loads(r[7] or "{}"),
                )
            )
        return found

    def flag_aliases(self) -> list[FlagAlias]:
        """Old flag ids and what they mean now."""
        return self._memo("flag_aliases", self._load_flag_aliases)

    def _load_flag_aliases(self) -> list[FlagAlias]:
        from referral_app.domain.flags import FlagAlias

        sql = "SELECT old, new, yes, why FROM flag_aliases ORDER BY position"
        return [
            FlagAlias(r[0], tuple(json.loads(r[1])), tuple(json.loads(r[2])), r[3])
            for r in self.db.execute(sql)
        ]

    def clinician_note(self, key: str) -> ClinicianNote | None:
        """A cited clinician note by key (guidance.toml), or None when the data has none."""
        return self._memo("clinician_notes", self._load_notes).get(key)

    def _load_notes(self) -> dict[str, ClinicianNote]:
        from referral_app.domain.entities import ClinicianNote

        sql = "SELECT key, text, sources, conditions, confirmed, title FROM clinician_notes"
        return {
            r[0]: ClinicianNote(
                r[0], r[1], tuple(json.loads(r[2])), tuple(json.loads(r[3])), bool(r[4]), r[5]
            )
            for r in self.db.execute(sql)
        }

    def wording(self) -> dict[str, dict[str, str]]:
        """Level → the handout and sheet words for it (wording.toml, flattened)."""
        return self._memo("wording", self._load_wording)

    def _load_wording(self) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = defaultdict(dict)
        for level, key, text in self.db.execute("SELECT level, key, text FROM wording"):
            found[level][key] = text
        return dict(found)

    def evidence_levels(self) -> list[EvidenceLevel]:
        return self._memo("evidence_levels", self._load_evidence_levels)

    def _load_evidence_levels(self) -> list[EvidenceLevel]:
        sql = """
            SELECT id, label, definition, maps_from, sources FROM evidence_levels ORDER BY position
        """
        return [
            EvidenceLevel(
                r[0], r[1], r[2], tuple(json.loads(r[3]).items()), tuple(json.loads(r[4]))
            )
            for r in self.db.execute(sql)
        ]

    def recommendation_levels(self) -> list[RecommendationLevel]:
        return self._memo("recommendation_levels", self._load_recommendation_levels)

    def _load_recommendation_levels(self) -> list[RecommendationLevel]:
        from referral_app.domain.entities import RecommendationLevel

        sql = "SELECT id, label, definition, reason FROM recommendation_levels ORDER BY position"
        return [RecommendationLevel(*r) for r in self.db.execute(sql)]

    def cross_cutting(self) -> list[Statement]:
        from referral_app.domain.entities import Statement

        sql = "SELECT text, sources, confirmed FROM cross_cutting ORDER BY position"
        return [Statement(r[0], tuple(json.loads(r[1])), bool(r[2])) for r in self.db.execute(sql)]

    def claims(self) -> list[Claim]:
        from referral_app.domain.entities import Claim, Statement

        keys = self._keys_by("claim_sources", "claim_id")
        sql = "SELECT id, claim, verdict, text, confirmed FROM claims ORDER BY position"
        return [
            Claim(r[0], r[1], r[2], Statement(r[3], tuple(keys[r[0]]), bool(r[4])))
            for r in self.db.execute(sql)
        ]

    def guidance(self) -> dict[str, list[Guidance]]:
        return self._memo("guidance", self._load_guidance)

    def _load_guidance(self) -> dict[str, list[Guidance]]:
        """Handout sections (visit, tell_therapist, ...) → entries in order."""
        from referral_app.domain.entities import Guidance

        keys = self._keys_by("guidance_sources", "guidance_id")
        sql = """SELECT id, section, en, es, confirmed, flags FROM guidance
                 ORDER BY section, position"""
        sections: dict[str, list[Guidance]] = defaultdict(list)
        for gid, section, en, es, confirmed, flags in self.db.execute(sql):
            about = tuple(f for f in (flags or "").split(",") if f)
            sections[section].append(
                Guidance(section, {"en": en, "es": es}, tuple(keys[gid]), bool(confirmed), about)
            )
        return dict(sections)

    def warning_sets(self) -> list[WarningSet]:
        """The handout's warning-sign sets (none in a database built before content 2026.11.5)."""
        return self._memo("warning_sets", self._load_warning_sets)

    def _load_warning_sets(self) -> list[WarningSet]:
        from referral_app.domain.entities import WarningSet

        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master")}
        if "warning_signs" not in tables:
            return []
        sql = """SELECT id, flags, conditions, replaces_general, en, es, sources, confirmed
                 FROM warning_signs ORDER BY position"""
        return [
            WarningSet(
                id=r[0],
                text={"en": tuple(json.loads(r[4])), "es": tuple(json.loads(r[5]))},
                sources=tuple(json.loads(r[6])),
                confirmed=bool(r[7]),
                flags=tuple(json.loads(r[1])),
                conditions=tuple(json.loads(r[2])),
                replaces_general=bool(r[3]),
            )
            for r in self.db.execute(sql)
        ]

    def links(self, lang: str) -> list[Link]:
        from referral_app.domain.entities import Link

        sql = "SELECT lang, label, url FROM links WHERE lang = ? ORDER BY position"
        return [Link(*r) for r in self.db.execute(sql, [lang])]

    # -- change record -------------------------------------------------------------------
    def releases(self) -> list[Release]:
        """Every content release, oldest first, with its changes (empty for an older DB)."""
        return self._memo("releases", self._load_releases)

    def changes_to(self, version: str, target: str) -> list[Change]:
        """The changes release ``version`` made to ``target``, in order (a condition's card reads
        these when it opens: not the whole record, which only the Changes window shows)."""
        if not self._has_releases():
            return []
        from referral_app.domain.entities import Change

        sql = (
            "SELECT id, kind, target, field, old, new, why FROM changes WHERE version = ? AND"
            " target = ? AND version IN (SELECT version FROM releases) ORDER BY id"
        )
        rows = self.db.execute(sql, [version, target]).fetchall()
        keys: dict[int, list[str]] = defaultdict(list)
        marks = ", ".join("?" * len(rows))
        sql = (
            f"SELECT change_id, citation_key FROM change_sources WHERE change_id IN ({marks})"  # noqa: S608
            " ORDER BY change_id, position"
        )
        for owner, key in self.db.execute(sql, [r[0] for r in rows]) if rows else ():
            keys[owner].append(key)
        return [
            Change(kind, target, field, old, new, why, tuple(keys[cid]))
            for cid, kind, target, field, old, new, why in rows
        ]

    def _has_releases(self) -> bool:
        """An older DB has no change record."""
        tables = self._memo("tables", lambda: [r[0] for r in self.db.execute(_TABLES)])
        return "releases" in tables

    def _load_releases(self) -> list[Release]:
        from referral_app.domain.entities import Change, Release

        if not self._has_releases():
            return []
        keys = self._keys_by("change_sources", "change_id")
        changes: dict[str, list[Change]] = defaultdict(list)
        sql = "SELECT id, version, kind, target, field, old, new, why FROM changes ORDER BY id"
        for cid, version, kind, target, field, old, new, why in self.db.execute(sql):
            changes[version].append(Change(kind, target, field, old, new, why, tuple(keys[cid])))
        sql = "SELECT version, date, summary, content_hash FROM releases ORDER BY position"
        return [
            Release(r[0], dt.date.fromisoformat(r[1]), r[2], tuple(changes[r[0]]), r[3] or "")
            for r in self.db.execute(sql)
        ]
