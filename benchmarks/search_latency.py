"""Search latency at 100x the bundled data, against a plain LIKE scan measured in the same run.

Builds a synthetic reference DB (5,000 conditions, 50,000 centers) with the real builder, replays
200 typed prefixes (what a clinician types, keystroke by keystroke) and prints median and p95 per
query class for the app's search and for ``LIKE '%q%'`` over all text columns.

Goal: p95 <= 5 ms per query and faster than the scan for every class.

    python benchmarks/search_latency.py
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.goals import check, status  # noqa: E402
from referral_app.content.loader import load_content  # noqa: E402
from referral_app.db.build import build_reference_db  # noqa: E402
from referral_app.db.reference import ReferenceStore  # noqa: E402
from referral_app.domain.center import Center  # noqa: E402
from referral_app.domain.entities import Condition  # noqa: E402

CONDITIONS = 5_000
CENTERS = 50_000
SYLLABLE_TEXT = "ar bo ci du el fa go hi ju ka lo mi na os pe qu ri sa to ul ve wi xa yo ze"
SYLLABLES = SYLLABLE_TEXT.split(" ")


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def synthetic_conditions(real: list[Condition], rng: random.Random) -> list[Condition]:
    """Real records cloned with invented names, synonyms and codes: same shape, 100x as many."""
    result = list(real)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    while len(result) < CONDITIONS:
        base = rng.choice(real)
        n = len(result)
        name = " ".join(_word(rng) for _ in range(rng.randint(2, 4))).capitalize()
        code = f"{rng.choice(letters)}{rng.randint(0, 99):02d}.{rng.randint(0, 999)}"
        result.append(
            replace(
                base,
                id=f"syn-{n}",
                name=f"{name} {base.name.split(',')[0].lower()}",
                synonyms=tuple(f"{_word(rng)} {_word(rng)} {n}" for _ in range(3)),
                icd10=(code,),
                summary=replace(base.summary, text=f"{base.summary.text} ({n})"),
            )
        )
    return result


def synthetic_centers(real: list[Center], rng: random.Random) -> list[Center]:
    result = list(real)
    while len(result) < CENTERS:
        base = rng.choice(real)
        n = len(result)
        result.append(
            replace(
                base,
                id=f"center-{n}",
                name=f"{_word(rng).capitalize()} Integrative Clinic {n}",
                latitude=rng.uniform(25, 49),
                longitude=rng.uniform(-124, -67),
            )
        )
    return result


def typed_prefixes(store: ReferenceStore, rng: random.Random) -> dict[str, list[str]]:
    """200 queries in four classes, as typed keystroke by keystroke."""
    real = [store.get_condition(cid) for cid in store.condition_ids()[:48]]
    real = [c for c in real if c is not None]
    classes: dict[str, list[str]] = {"name prefix": [], "synonym": [], "multi-word": [], "code": []}
    while len(classes["name prefix"]) < 60:
        name = rng.choice(real).name.lower()
        classes["name prefix"] += [name[:k] for k in range(1, 6)]
    while len(classes["synonym"]) < 50:
        synonyms = rng.choice(real).synonyms
        if synonyms:
            word = rng.choice(synonyms).lower()
            classes["synonym"] += [word[:k] for k in range(2, 7)]
    while len(classes["multi-word"]) < 50:
        words = rng.choice(real).name.lower().replace(",", "").split()
        if len(words) >= 2:
            phrase = f"{words[0]} {words[1]}"
            classes["multi-word"] += [phrase[:k] for k in range(len(words[0]) + 2, len(phrase) + 1)]
    while len(classes["code"]) < 40:
        code = rng.choice(rng.choice(real).icd10)
        classes["code"] += [code[:k] for k in range(1, len(code) + 1)]
    return {k: v[:n] for (k, v), n in zip(classes.items(), (60, 50, 50, 40), strict=True)}


def like_scan(store: ReferenceStore, query: str) -> list:
    sql = """
        SELECT id FROM conditions
        WHERE name LIKE :q OR synonyms_text LIKE :q OR icd10_text LIKE :q OR summary LIKE :q
        LIMIT 50
    """
    return store.db.execute(sql, {"q": f"%{query}%"}).fetchall()


def measure(fn, queries: list[str]) -> list[float]:
    times = []
    for query in queries:
        start = time.perf_counter()
        fn(query)
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> int:
    rng = random.Random(20261127)
    content = load_content(REPO / "data", check_code=lambda _code: True)
    big = replace(
        content,
        conditions=synthetic_conditions(content.conditions, rng),
        centers=synthetic_centers(content.centers, rng),
    )
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "big.db"
        start = time.perf_counter()
        build_reference_db(big, db_path)
        print(
            f"built synthetic DB: {len(big.conditions):,} conditions, {len(big.centers):,} "
            f"centers in {time.perf_counter() - start:.1f} s"
        )
        store = ReferenceStore.open(db_path)
        store.search("warm up")
        classes = typed_prefixes(store, rng)
        total = sum(len(q) for q in classes.values())
        print(f"{total} typed prefixes; times in ms (median / p95)\n")
        print(f"{'class':<12} {'n':>4} {'search':>16} {'LIKE scan':>16} {'p95 ratio':>10}")
        all_search: list[float] = []
        worst_ratio = 0.0
        for name, queries in classes.items():
            search = measure(lambda q: store.search(q, limit=50), queries)
            scan = measure(lambda q: like_scan(store, q), queries)
            all_search += search
            ratio = p95(search) / p95(scan)
            worst_ratio = max(worst_ratio, ratio)
            print(
                f"{name:<12} {len(queries):>4} {statistics.median(search):>7.2f} / "
                f"{p95(search):>6.2f} {statistics.median(scan):>7.2f} / {p95(scan):>6.2f} "
                f"{ratio:>9.2f}x"
            )
        overall = p95(all_search)
        print(
            f"\nall search: median {statistics.median(all_search):.2f} ms, p95 {overall:.2f} ms; "
            f"worst class p95 ratio search/scan {worst_ratio:.2f}"
        )
        met = [
            check("search p95", overall, 5, " ms"),
            check("worst class p95 search/LIKE scan", worst_ratio, 1, "x"),
        ]
        store.close()
    return status(*met)


if __name__ == "__main__":
    sys.exit(main())
