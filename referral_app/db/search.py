"""Condition search: word prefixes and codes, then full text (FTS5), then typo-tolerant."""

from __future__ import annotations

import json
from functools import cached_property
from typing import TYPE_CHECKING

from referral_app.db.condition_reads import ConditionReads
from referral_app.domain.listing import SearchHit

if TYPE_CHECKING:  # loaded where first used: not on the first screen's path
    from referral_app.domain.entities import Condition

EXACT_CODE_SCORE = 1000
FTS_SCORE = 5
FUZZY_CUTOFF = 78
RESOLVE_CANDIDATES = 10  # free text tied for the best score: at most this many listed
MOST_WORDS = 2  # a phrase no condition matches in full: those matching at least this many words


class ConditionSearch(ConditionReads):
    """Ranked search over the word index the build made (``search_words``, ``prefix_top``)."""

    def resolve(self, text: str) -> Condition | None:
        """An id, an ICD-10-CM code, or free text (best search hit) → a condition."""
        ids = self.resolve_ids(text)
        return self.get_condition(ids[0]) if ids else None

    def resolve_ids(self, text: str) -> list[str]:
        """Every condition ``text`` names equally well: one id, none, or the candidates.

        An exact id or an exact name is one condition; an ICD-10-CM code gives every
        condition that lists it; free text gives the search hits tied for the best score.
        """
        from referral_app.domain.query import fold, looks_like_code

        text = text.strip()
        if text in self._briefs:
            return [text]
        by_code = self.find_by_code(text) if looks_like_code(fold(text)) else []
        if by_code:
            return by_code
        named = [cid for cid, brief in self._briefs.items() if fold(brief.name) == fold(text)]
        if len(named) == 1:
            return named
        hits = self.search(text, limit=RESOLVE_CANDIDATES)
        return [hit.id for hit in hits if hit.score == hits[0].score]

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Codes, prefixes, several words, synonyms; then full text; then typo-tolerant; then
        the conditions matching most of the words of a phrase none matches in full."""
        from referral_app.db.digest import PREFIX_TOP
        from referral_app.domain.query import words

        query_words = words(text)
        if not query_words or limit <= 0:
            return []
        if len(query_words) == 1 and limit <= PREFIX_TOP and self._ranked_ahead(query_words[0]):
            first = self._first_keystroke(query_words[0], limit)
            if len(first) == limit:  # a prefix the build ranked (one character, or a busy one)
                return first
        scores = self._word_scores(query_words)
        if len(scores) < limit:
            for cid in self._fts_ids(query_words, limit):
                scores.setdefault(cid, FTS_SCORE)
        if not scores:
            scores = self._fuzzy_scores(query_words)
        if not scores and len(query_words) >= MOST_WORDS:
            scores = self._most_words_scores(query_words)
        ranked = sorted(scores, key=lambda c: (-scores[c], len(self._briefs[c].name), c))
        return [self._hit(cid, scores[cid]) for cid in ranked[:limit]]

    @staticmethod
    def _ranked_ahead(word: str) -> bool:
        """Whether the build may have ranked ``word`` (codes are matched live: see _prefix_top)."""
        from referral_app.db.digest import BUSY_PREFIX_MAX
        from referral_app.domain.query import looks_like_code

        return len(word) == 1 or (len(word) <= BUSY_PREFIX_MAX and not looks_like_code(word))

    def _first_keystroke(self, prefix: str, limit: int) -> list[SearchHit]:
        sql = "SELECT condition_id, score FROM prefix_top WHERE prefix = ? ORDER BY rank LIMIT ?"
        rows = self.db.execute(sql, [prefix, limit])
        return [self._hit(cid, float(score)) for cid, score in rows]

    def _word_scores(self, query_words: list[str]) -> dict[str, float]:
        """AND over words: each word must prefix-match a name, synonym or code word.

        The most selective word (the fewest index entries start with it) is looked up first;
        the others only among its hits. The sum does not depend on the order.
        """
        from referral_app.domain.query import looks_like_code

        total: dict[str, float] | None = None
        ordered = query_words if len(query_words) == 1 else sorted(query_words, key=self._entries)
        for word in ordered:
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

    def _entries(self, word: str) -> int:
        """How many index entries start with ``word`` (counted in the index, no rows read)."""
        sql = "SELECT COUNT(*) FROM search_words WHERE word >= :w AND word < :hi"
        return int(self.db.execute(sql, {"w": word, "hi": word + "\U0010ffff"}).fetchone()[0])

    def _prefix_scores(self, word: str, among: list[str] | None = None) -> dict[str, float]:
        """Best word weight per condition for words starting with ``word``."""
        from referral_app.db.digest import WHOLE_WORD_BONUS

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

    def _fuzzy_scores(self, query_words: list[str]) -> dict[str, float]:
        """Correct each word against the index vocabulary (rapidfuzz), then search again."""
        total: dict[str, float] | None = None
        for word in query_words:
            found = self._corrected_scores(word)
            total = (
                found
                if total is None
                else {cid: total[cid] + found[cid] for cid in total.keys() & found.keys()}
            )
            if not total:
                return {}
        return total or {}

    def _corrected_scores(self, word: str) -> dict[str, float]:
        """Prefix scores for ``word``, or for its closest index words (half weight) if none."""
        from rapidfuzz import fuzz, process

        found = self._prefix_scores(word)
        if not found:
            candidates = process.extract(
                word, self._vocabulary, scorer=fuzz.ratio, limit=3, score_cutoff=FUZZY_CUTOFF
            )
            for candidate, ratio, _ in candidates:
                for cid, score in self._prefix_scores(candidate).items():
                    found[cid] = max(found.get(cid, 0.0), score * ratio / 100 / 2)
        return found

    def _most_words_scores(self, query_words: list[str]) -> dict[str, float]:
        """A phrase no condition matches in full ("pregnant neck pain"): the conditions that
        match most of its words (at least MOST_WORDS and at least half), most words first.

        The score is the matched words' sum scaled by the share of words matched, so a full
        match of a shorter query always outranks it and one stray word cannot list everything.
        """
        per_word = [self._corrected_scores(word) for word in query_words]
        matched: dict[str, list[float]] = {}
        for found in per_word:
            for cid, score in found.items():
                matched.setdefault(cid, []).append(score)
        need = max(MOST_WORDS, (len(query_words) + 1) // 2)
        share = {cid: len(s) / len(query_words) for cid, s in matched.items() if len(s) >= need}
        return {cid: sum(matched[cid]) * share[cid] for cid in share}
