"""Ranking 50,000 centers near a patient: the R*Tree-bounded search against brute force.

Builds a synthetic reference DB with 50,000 centers (the bundled ones plus clones scattered over the
contiguous US), then for 200 US ZIP codes ranks the 10 best destinations two ways in the same run:
the app's ``match_centers`` (R*Tree box that grows until no outside center can win) and brute force
(read every center, haversine to each, score, sort). Prints median and p95 of each.

Goal: p95 <= 20 ms.

    python benchmarks/center_ranking.py
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

import zipcodes  # noqa: E402

from benchmarks.search_latency import p95, synthetic_centers  # noqa: E402
from referral_app.content.loader import load_content  # noqa: E402
from referral_app.db.build import build_reference_db  # noqa: E402
from referral_app.db.reference import ReferenceStore  # noqa: E402
from referral_app.domain.matching import Location, needed_services, rank  # noqa: E402
from referral_app.services.destinations import match_centers  # noqa: E402


def sample_zips(rng: random.Random, n: int) -> list[Location]:
    every = [
        z for z in zipcodes.list_all() if z.get("lat") and z["state"] not in ("AK", "HI", "PR")
    ]
    picked = rng.sample(every, n)
    return [Location(float(z["lat"]), float(z["long"]), z["zip_code"]) for z in picked]


def haversine_only(store: ReferenceStore, where: Location) -> list:
    """The barest brute force: every row's coordinates, haversine, sort (no scoring at all)."""
    from referral_app.domain.geo import haversine_km

    rows = store.db.execute(
        "SELECT id, latitude, longitude FROM centers WHERE latitude IS NOT NULL"
    )
    dist = [(haversine_km(where.latitude, where.longitude, r[1], r[2]), r[0]) for r in rows]
    return sorted(dist)[:10]


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def summary(name: str, values: list[float]) -> str:
    return f"{name:<34} median {statistics.median(values):7.2f} ms   p95 {p95(values):7.2f} ms"


def main() -> int:
    rng = random.Random(7)
    content = load_content(REPO / "data", check_code=lambda _code: True)
    big = replace(content, centers=synthetic_centers(content.centers, rng))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "centers.db"
        build_reference_db(big, path)
        store = ReferenceStore.open(path)
        places = sample_zips(rng, 200)
        oncology = store.get_condition("cancer-related-pain")
        needs = needed_services(oncology, [])
        print(f"{len(big.centers):,} centers, {len(places)} ZIP codes, top 10, oncology need\n")
        fast = [timed(lambda p=p: match_centers(store, [], oncology, [], p, 10)) for p in places]
        brute = [timed(lambda p=p: rank(store.all_centers(), needs, p)[:10]) for p in places[:40]]
        bare = [timed(lambda p=p: haversine_only(store, p)) for p in places]
        agree = sum(
            [m.center.id for m in match_centers(store, [], oncology, [], p, 10)]
            == [m.center.id for m in rank(store.all_centers(), needs, p)[:10]]
            for p in places[:20]
        )
        print(summary("R*Tree-bounded match_centers", fast))
        print(summary("brute force: read, score, sort (40)", brute))
        print(summary("bare haversine over all rows", bare))
        fast_p95 = p95(fast)
        ratio = statistics.median(brute) / statistics.median(fast)
        bare_ratio = statistics.median(bare) / statistics.median(fast)
        print(f"\nspeed-up (median): {ratio:.0f}x vs brute force, {bare_ratio:.1f}x vs bare "
              f"haversine; same top 10 as brute force for {agree}/20 ZIPs; "
              f"goal p95 <= 20 ms: {'met' if fast_p95 <= 20 else 'NOT met'}")  # fmt: skip
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
