"""The clinic store's two homes, same run: the SQLite file vs PostgreSQL over the local socket.

5,000 clinic centers (the clinic's own list) and 500 verifications in each home; then
- the picker: what the referral flow does each time the picker opens (the clinic's centers, its
  checks and reach policy from the store, ranked with the bundled ones near a ZIP), and the store's
  part alone; median and p95 of 30 opens;
- logging a referral: reserve its number, then log it as printed; p95 of 200.
Goals (issue 16): the picker <= 2x SQLite; logging <= 20 ms p95.

Needs a PostgreSQL DSN for a throwaway database (its tables are dropped):
    eval "$(bash .ci/postgres.sh start)"   # REFERRAL_TEST_PG_DSN
    python benchmarks/clinic_store.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from referral_app import paths  # noqa: E402
from referral_app.db.reference import ReferenceStore  # noqa: E402
from referral_app.domain.center import Center, ClinicCheck  # noqa: E402
from referral_app.services.center_import import policy  # noqa: E402
from referral_app.services.destinations import locate, match_centers  # noqa: E402
from tests.clinic_helpers import draft, fresh_pg, open_backend  # noqa: E402

N_CENTERS, N_CHECKS, OPENS, LOGS = 5_000, 500, 30, 200


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def centers(rng: random.Random) -> list[Center]:
    def one(i: int) -> Center:
        return Center(
            id=f"local-{i}",
            name=f"Therapist {i:05d}",
            city="Springfield",
            region="IL",
            postal_code=f"{62701 + i % 50}",
            phone=f"217-555-{i:04d}",
            services=("oncology", "lymphatic"),
            latitude=39.78 + rng.uniform(-2, 2),
            longitude=-89.65 + rng.uniform(-2, 2),
        )

    return [one(i) for i in range(1, N_CENTERS + 1)]


def fill(store, rng: random.Random) -> None:
    from referral_app.content.center_csv import ImportPlan, PlannedRow

    rows = [PlannedRow(line=i, action="add", center=c) for i, c in enumerate(centers(rng))]
    store.apply_import(ImportPlan(encoding="utf-8", rows=rows))
    for i in range(N_CHECKS):
        store.record_check(
            ClinicCheck(
                center_id=f"local-{i + 1}",
                checked_on=__import__("datetime").date(2026, 11, 1 + i % 28),
                by="AB",
                method="phone",
            )
        )


def timed(fn: Callable[[], object], n: int) -> list[float]:
    fn()  # warm
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def measure(kind: str, folder: Path, dsn: str, reference: ReferenceStore) -> dict[str, list]:
    store = open_backend(kind, folder, dsn)
    fill(store, random.Random(7))
    where = locate("62701", reference)
    condition = reference.get_condition("neck-pain")

    def picker() -> object:
        local = store.local_centers()
        return match_centers(
            reference, local, condition, [], where, 25, store.center_checks(), policy(store)
        )

    def store_part() -> object:
        return store.local_centers(), store.center_checks(), policy(store)

    def log() -> object:
        return store.log_referral(store.reserve_referral(draft(reference)))

    result = {
        "picker": timed(picker, OPENS),
        "store": timed(store_part, OPENS),
        "log": timed(log, LOGS),
    }
    assert len(store.local_centers()) == N_CENTERS
    store.close()
    return result


def main() -> int:
    dsn = os.environ.get("REFERRAL_BENCH_PG_DSN") or os.environ.get("REFERRAL_TEST_PG_DSN")
    if not dsn:
        print("set REFERRAL_TEST_PG_DSN (see .ci/postgres.sh); nothing measured")
        return 2
    reference = ReferenceStore.open(paths.reference_db())
    fresh_pg(dsn)
    with tempfile.TemporaryDirectory() as tmp:
        lite = measure("sqlite", Path(tmp) / "sqlite", "", reference)
        pg = measure("postgres", Path(tmp) / "pg", dsn, reference)
    print(f"{N_CENTERS} clinic centers, {N_CHECKS} checks; ms, median / p95")
    for key, label in (
        ("picker", "open the picker"),
        ("store", "  store part"),
        ("log", "log a referral"),
    ):
        a, b = lite[key], pg[key]
        ratio = statistics.median(b) / statistics.median(a)
        print(
            f"{label:18} SQLite {statistics.median(a):7.2f} / {p95(a):7.2f}   PostgreSQL "
            f"{statistics.median(b):7.2f} / {p95(b):7.2f}   ratio {ratio:4.2f}x"
        )
    picker_ratio = statistics.median(pg["picker"]) / statistics.median(lite["picker"])
    print(
        f"goal picker <= 2x SQLite: {'met' if picker_ratio <= 2 else 'NOT met'} "
        f"({picker_ratio:.2f}x); goal log p95 <= 20 ms on PostgreSQL: "
        f"{'met' if p95(pg['log']) <= 20 else 'NOT met'} ({p95(pg['log']):.1f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
