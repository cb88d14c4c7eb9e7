"""No module under referral_app/ grows past 300 lines (issue 14: small modules, split by job)."""

from __future__ import annotations

from pathlib import Path

import referral_app

LIMIT = 300
PACKAGE = Path(referral_app.__file__).parent


def test_no_module_is_over_the_limit() -> None:
    sizes = {
        path.relative_to(PACKAGE).as_posix(): path.read_bytes().count(b"\n")  # as `wc -l` counts
        for path in sorted(PACKAGE.rglob("*.py"))
    }
    assert len(sizes) > 100  # the whole package was measured
    over = {name: n for name, n in sizes.items() if n > LIMIT}
    assert not over, f"modules over {LIMIT} lines (split them by responsibility): {over}"
