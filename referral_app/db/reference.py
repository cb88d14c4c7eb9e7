"""Typed reads from the reference database: conditions, citations, flags, levels, search."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from referral_app.db.center_rows import center_from_row
from referral_app.db.connection import open_reference
from referral_app.db.digest import PREFIX_TOP, WHOLE_WORD_BONUS
from referral_app.domain.entities import (
    Center,
    Change,
    Citation,
    Claim,
    ClinicianNote,
    Condition,
    EvidenceLevel,
    Flag,
    FlagAlias,
    FlagOverride,
    Guidance,
    Link,
    PatientText,
    RecommendationLevel,
    Regimen,
    Release,
    SearchHit,
    Statement,
)
from referral_app.domain.query import fold, looks_like_code, words

EXACT_CODE_SCORE = 1000
FTS_SCORE = 5
FUZZY_CUTOFF = 78


@dataclass(frozen=True, slots=True)
class _Brief:
    name: str
    icd10: tuple[str, ...]
    evidence_level: str
    category: str
    position: int


class ReferenceStore:
    """Read-only access to ``reference.db``; every method returns typed records."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    @classmethod
    def open(cls, path: Path) -> ReferenceStore:
        return cls(open_reference(path))

    def close(self) -> None:
        self.db.close()

    def _memo(self, key: str, load):
        """Reference data never changes while open (immutable DB): read each list once."""
        cache = self.__dict__.setdefault("_memo_cache", {})
        if key not in cache:
            cache[key] = load()
        return list(cache[key]) if isinstance(cache[key], list) else dict(cache[key])

    # -- meta ------------------------------------------------------------------------------
    @cached_property
    def meta(self) -> dict[str, str]:
        return {row[0]: row[1] for row in self.db.execute("SELECT key, value FROM meta")}

    # -- conditions ------------------------------------------------------------------------
    @cached_property
    def _briefs(self) -> dict[str, _Brief]:
        sql = "SELECT id, name, icd10_text, evidence_level, category, position FROM conditions"
        return {
            row[0]: _Brief(row[1], tuple(row[2].split()), row[3], row[4], row[5])
            for row in self.db.execute(sql)
        }

    def condition_ids(self) -> list[str]:
        return sorted(self._briefs, key=lambda cid: self._briefs[cid].position)

    def list_conditions(self) -> list[SearchHit]:
        """Every condition, as light records (for browsing)."""
        return [self._hit(cid, 0.0) for cid in self.condition_ids()]

    def _hit(self, cid: str, score: float) -> SearchHit:
        brief = self._briefs[cid]
        return SearchHit(cid, brief.name, brief.icd10, brief.evidence_level, brief.category, score)

    def get_condition(self, cid: str) -> Condition | None:
        row = self.db.execute("SELECT * FROM conditions WHERE id = ?", [cid]).fetchone()
        if row is None:
            return None
        cols = [d[0] for d in self.db.execute("SELECT * FROM conditions LIMIT 0").description]
        rec = dict(zip(cols, row, strict=True))
        statements = self._statements(cid)
        regimen_row, regimen = statements["regimen"][0]
        return Condition(
            id=cid,
            name=rec["name"],
            synonyms=tuple(
                r[0]
                for r in self.db.execute(
                    "SELECT synonym FROM condition_synonyms WHERE condition_id = ? "
                    "ORDER BY position",
                    [cid],
                )
            ),
            icd10=self._briefs[cid].icd10,
            category=rec["category"],
            evidence_level=rec["evidence_level"],
            direction=rec["direction"],
            durability_term=rec["durability_term"],
            last_reviewed=dt.date.fromisoformat(rec["last_reviewed"]),
            summary=statements["summary"][0][1],
            grading=statements["grading"][0][1],
            effect=statements["effect"][0][1],
            durability=statements["durability"][0][1],
            regimen=Regimen(regimen, regimen_row[0], regimen_row[1], regimen_row[2]),
            precautions=tuple(s for _, s in statements["precaution"]),
            before_referral=tuple(s for _, s in statements["before_referral"]),
            patient=self._patient_texts(cid),
            # absent from a database built before content 2026.11.3
            advice=rec.get("advice") or "",
            advice_sources=tuple(json.loads(rec.get("advice_sources") or "[]")),
        )

    def _statements(self, cid: str) -> dict[str, list[tuple[tuple, Statement]]]:
        keys: dict[int, list[str]] = defaultdict(list)
        sources_sql = """
            SELECT ss.statement_id, ss.citation_key
            FROM statement_sources ss JOIN statements s ON s.id = ss.statement_id
            WHERE s.condition_id = ? ORDER BY ss.statement_id, ss.position
        """
        for sid, key in self.db.execute(sources_sql, [cid]):
            keys[sid].append(key)
        sql = """
            SELECT id, field, text, confirmed, session_minutes, sessions_per_week, weeks
            FROM statements WHERE condition_id = ? ORDER BY field, position
        """
        result: dict[str, list[tuple[tuple, Statement]]] = defaultdict(list)
        for sid, field, text, confirmed, minutes, per_week, weeks in self.db.execute(sql, [cid]):
            statement = Statement(text, tuple(keys[sid]), bool(confirmed))
            result[field].append(((minutes, per_week, weeks), statement))
        return result

    def _patient_texts(self, cid: str) -> dict[str, PatientText]:
        sql = "SELECT lang, plain_name, what_to_expect FROM patient_texts WHERE condition_id = ?"
        return {r[0]: PatientText(r[1], r[2]) for r in self.db.execute(sql, [cid])}

    def find_by_code(self, code: str) -> list[str]:
        norm = fold(code).replace(".", "").strip()
        sql = "SELECT condition_id FROM condition_codes WHERE norm = ? ORDER BY position"
        return [r[0] for r in self.db.execute(sql, [norm])]

    def resolve(self, text: str) -> Condition | None:
        """An id, an ICD-10-CM code, or free text (best search hit) → a condition."""
        text = text.strip()
        if text in self._briefs:
            return self.get_condition(text)
        by_code = self.find_by_code(text) if looks_like_code(fold(text)) else []
        if by_code:
            return self.get_condition(by_code[0])
        hits = self.search(text, limit=1)
        return self.get_condition(hits[0].id) if hits else None

    # -- citations, flags, levels ----------------------------------------------------------
    @cached_property
    def _citations(self) -> dict[str, Citation]:
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
            Flag(r[0], r[1], r[2], r[3], r[4], r[5], tuple((r[8] or "").split()), bool(r[6]), r[7],
                 json.loads(r[9] or "{}"), tuple(overrides.get(r[0], ())))
            for r in self.db.execute(sql)
        ]  # fmt: skip

    def _flag_overrides(self) -> dict[str, list[FlagOverride]]:
        sql = """SELECT flag_id, condition_id, kind, reason, instruction, sources, confirmed,
                        patient_first FROM flag_overrides ORDER BY flag_id, condition_id"""
        found: dict[str, list[FlagOverride]] = defaultdict(list)
        for r in self.db.execute(sql):
            found[r[0]].append(
                FlagOverride(r[1], r[2], r[3], r[4], tuple(json.loads(r[5])), bool(r[6]),
                             json.loads(r[7] or "{}"))
            )  # fmt: skip
        return found

    def flag_aliases(self) -> list[FlagAlias]:
        """Old flag ids and what they mean now."""
        return self._memo("flag_aliases", self._load_flag_aliases)

    def _load_flag_aliases(self) -> list[FlagAlias]:
        sql = "SELECT old, new, yes, why FROM flag_aliases ORDER BY position"
        return [
            FlagAlias(r[0], tuple(json.loads(r[1])), tuple(json.loads(r[2])), r[3])
            for r in self.db.execute(sql)
        ]

    def clinician_note(self, key: str) -> ClinicianNote | None:
        """A cited clinician note by key (guidance.toml), or None when the data has none."""
        return self._memo("clinician_notes", self._load_notes).get(key)

    def _load_notes(self) -> dict[str, ClinicianNote]:
        sql = "SELECT key, text, sources, conditions, confirmed, title FROM clinician_notes"
        return {
            r[0]: ClinicianNote(r[0], r[1], tuple(json.loads(r[2])), tuple(json.loads(r[3])),
                                bool(r[4]), r[5])
            for r in self.db.execute(sql)
        }  # fmt: skip

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
        sql = "SELECT id, label, definition, reason FROM recommendation_levels ORDER BY position"
        return [RecommendationLevel(*r) for r in self.db.execute(sql)]

    def cross_cutting(self) -> list[Statement]:
        sql = "SELECT text, sources, confirmed FROM cross_cutting ORDER BY position"
        return [Statement(r[0], tuple(json.loads(r[1])), bool(r[2])) for r in self.db.execute(sql)]

    def _keys_by(self, table: str, column: str) -> dict:
        sql = f"SELECT {column}, citation_key FROM {table} ORDER BY {column}, position"  # noqa: S608
        keys: dict = defaultdict(list)
        for owner, key in self.db.execute(sql):
            keys[owner].append(key)
        return keys

    def claims(self) -> list[Claim]:
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

    def links(self, lang: str) -> list[Link]:
        sql = "SELECT lang, label, url FROM links WHERE lang = ? ORDER BY position"
        return [Link(*r) for r in self.db.execute(sql, [lang])]

    # -- change record -------------------------------------------------------------------
    def releases(self) -> list[Release]:
        """Every content release, oldest first, with its changes (empty for an older DB)."""
        return self._memo("releases", self._load_releases)

    def _load_releases(self) -> list[Release]:
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master")}
        if "releases" not in tables:
            return []
        keys = self._keys_by("change_sources", "change_id")
        changes: dict[str, list[Change]] = defaultdict(list)
        sql = "SELECT id, version, kind, target, field, old, new, why FROM changes ORDER BY id"
        for cid, version, *fields in self.db.execute(sql):
            changes[version].append(Change(*fields, tuple(keys[cid])))
        sql = "SELECT version, date, summary, content_hash FROM releases ORDER BY position"
        return [
            Release(r[0], dt.date.fromisoformat(r[1]), r[2], tuple(changes[r[0]]), r[3] or "")
            for r in self.db.execute(sql)
        ]

    # -- centers ---------------------------------------------------------------------------
    def _centers(self, where: str = "1", params: list | dict | None = None) -> list[Center]:
        cursor = self.db.execute(f"SELECT * FROM centers WHERE {where}", params or [])  # noqa: S608
        cols = [d[0] for d in cursor.description]
        return [center_from_row(dict(zip(cols, r, strict=True)), "bundled") for r in cursor]

    def all_centers(self) -> list[Center]:
        return self._centers("1 ORDER BY name")

    def get_center(self, center_id: str) -> Center | None:
        found = self._centers("id = ?", [center_id])
        return found[0] if found else None

    def centers_in_box(
        self, box: tuple[float, float, float, float], brief: bool = False
    ) -> list[Center]:
        """Centers whose coordinates fall in (min_lat, max_lat, min_lon, max_lon) (R*Tree).

        ``brief`` records carry only what ranking needs (origin "brief"); fetch the winners whole.
        """
        where = """rowid IN (SELECT rid FROM centers_rtree
                   WHERE max_lat >= ? AND min_lat <= ? AND max_lon >= ? AND min_lon <= ?)"""
        if not brief:
            return self._centers(where, list(box))
        sql = f"""SELECT id, name, latitude, longitude, services, populations, verified, status,
                         physician_order, location_basis FROM centers WHERE {where}"""  # noqa: S608
        return [
            Center(id=r[0], name=r[1], latitude=r[2], longitude=r[3],
                   services=tuple(r[4].split(";")) if r[4] else (),
                   populations=tuple(r[5].split(";")) if r[5] else (), verified=bool(r[6]),
                   status=r[7], physician_order=r[8], location_basis=r[9] or "", origin="brief")
            for r in self.db.execute(sql, list(box))
        ]  # fmt: skip

    def centers_without_location(self) -> list[Center]:
        return self._centers("latitude IS NULL")  # coordinates are validated as a pair

    def city_location(self, city: str) -> tuple[float, float] | None:
        """Mean coordinates of bundled centers in a city (for patients outside the US)."""
        row = self.db.execute(
            "SELECT avg(latitude), avg(longitude) FROM centers "
            "WHERE lower(city) = lower(?) AND latitude IS NOT NULL",
            [city.strip()],
        ).fetchone()
        return (row[0], row[1]) if row and row[0] is not None else None

    # -- search ----------------------------------------------------------------------------
    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Codes, prefixes, several words, synonyms; then full text; then typo-tolerant."""
        query_words = words(text)
        if not query_words or limit <= 0:
            return []
        if len(query_words) == 1 and len(query_words[0]) == 1 and limit <= PREFIX_TOP:
            ranked = self._first_keystroke(query_words[0], limit)
            if len(ranked) == limit:
                return ranked
        scores = self._word_scores(query_words)
        if len(scores) < limit:
            for cid in self._fts_ids(query_words, limit):
                scores.setdefault(cid, FTS_SCORE)
        if not scores:
            scores = self._fuzzy_scores(query_words, limit)
        ranked = sorted(scores, key=lambda c: (-scores[c], len(self._briefs[c].name), c))
        return [self._hit(cid, scores[cid]) for cid in ranked[:limit]]

    def _first_keystroke(self, char: str, limit: int) -> list[SearchHit]:
        sql = "SELECT condition_id, score FROM prefix_top WHERE prefix = ? ORDER BY rank LIMIT ?"
        return [self._hit(cid, float(score)) for cid, score in self.db.execute(sql, [char, limit])]

    def _word_scores(self, query_words: list[str]) -> dict[str, float]:
        """AND over words: each word must prefix-match a name, synonym or code word.

        The longest (most selective) word is looked up first; the others only among its hits.
        """
        total: dict[str, float] | None = None
        for word in sorted(query_words, key=len, reverse=True):
            found = self._prefix_scores(word, None if total is None else list(total))
            if looks_like_code(word):
                for cid in self.find_by_code(word):
                    found[cid] = found.get(cid, 0) + EXACT_CODE_SCORE
            if total is None:
                total = found
            else:
                total = {cid: total[cid] + found[cid] for cid in total.keys() & found.keys()}
            if not total:
                return {}
        return total or {}

    def _prefix_scores(self, word: str, among: list[str] | None = None) -> dict[str, float]:
        """Best word weight per condition for words starting with ``word``."""
        params = {"w": word, "hi": word + "\U0010ffff", "bonus": WHOLE_WORD_BONUS}
        where = "word >= :w AND word < :hi"
        if among is not None:
            params["ids"] = json.dumps(among)
            where += " AND condition_id IN (SELECT value FROM json_each(:ids))"
        sql = f"""
            SELECT condition_id, MAX(weight + (word = :w) * :bonus)
            FROM search_words WHERE {where} GROUP BY condition_id
        """  # noqa: S608 - fixed fragments only; values are parameters
        return {r[0]: float(r[1]) for r in self.db.execute(sql, params)}

    def _fts_ids(self, query_words: list[str], limit: int) -> list[str]:
        match = " ".join(f'"{w}"*' for w in query_words)
        sql = """
            SELECT c.id FROM conditions_fts f JOIN conditions c ON c.rowid = f.rowid
            WHERE conditions_fts MATCH ? LIMIT ?
        """
        return [r[0] for r in self.db.execute(sql, [match, limit])]

    @cached_property
    def _vocabulary(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT word FROM search_words")]

    def _fuzzy_scores(self, query_words: list[str], limit: int) -> dict[str, float]:
        """Correct each word against the index vocabulary (rapidfuzz), then search again."""
        from rapidfuzz import fuzz, process

        total: dict[str, float] | None = None
        for word in query_words:
            found = self._prefix_scores(word)
            if not found:
                candidates = process.extract(
                    word, self._vocabulary, scorer=fuzz.ratio, limit=3, score_cutoff=FUZZY_CUTOFF
                )
                for candidate, ratio, _ in candidates:
                    for cid, score in self._prefix_scores(candidate).items():
                        found[cid] = max(found.get(cid, 0.0), score * ratio / 100 / 2)
            total = (
                found
                if total is None
                else {cid: total[cid] + found[cid] for cid in total.keys() & found.keys()}
            )
            if not total:
                return {}
        return total or {}
