"""Reads of conditions from the reference database: light records, whole records, codes."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from referral_app.db.reader_base import ReaderBase
from referral_app.domain.listing import SearchHit

if TYPE_CHECKING:  # loaded where first used: not on the first screen's path
    from referral_app.domain.entities import Care, Condition, PatientText, Statement


class _Brief(NamedTuple):  # not a dataclass: defined before the first paint (domain/listing.py)
    name: str
    icd10: tuple[str, ...]
    evidence_level: str
    category: str
    position: int


class ConditionReads(ReaderBase):
    """Conditions by id or code; the light records browsing and search rank."""

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
        from referral_app.domain.entities import Condition, Regimen

        cursor = self.db.execute("SELECT * FROM conditions WHERE id = ?", [cid])
        row = cursor.fetchone()
        if row is None:
            return None
        rec = dict(zip([d[0] for d in cursor.description], row, strict=True))
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
            # absent from a database built before content 2026.11.5
            delivery=rec.get("delivery") or "therapist",
            implies=tuple(json.loads(rec.get("implies") or "[]")),
            care=_care(rec.get("care") or ""),
        )

    def _statements(self, cid: str) -> dict[str, list[tuple[tuple, Statement]]]:
        from referral_app.domain.entities import Statement

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
        from referral_app.domain.entities import PatientText

        sql = "SELECT lang, plain_name, what_to_expect FROM patient_texts WHERE condition_id = ?"
        return {r[0]: PatientText(r[1], r[2]) for r in self.db.execute(sql, [cid])}

    def find_by_code(self, code: str) -> list[str]:
        from referral_app.domain.query import fold

        norm = fold(code).replace(".", "").strip()
        sql = "SELECT condition_id FROM condition_codes WHERE norm = ? ORDER BY position"
        return [r[0] for r in self.db.execute(sql, [norm])]


def _care(raw: str) -> Care | None:
    from referral_app.domain.entities import Care, CareText

    if not raw:
        return None
    data = json.loads(raw)
    texts = {lang: CareText(**text) for lang, text in data["text"].items()}
    return Care(texts, tuple(data["sources"]), bool(data["confirmed"]))
