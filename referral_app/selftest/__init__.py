"""``--self-test --report FILE.json``: exercise the parts a build can break, write a JSON report.

Run by both frozen executables in CI and by anyone who suspects a broken install. It loads every
resource and the reference DB (read-only), runs a typo search (rapidfuzz), one recommendation and
one center match (zipcodes), renders a referral sheet to PDF through QtPrintSupport (Jinja2
templates), builds the main window and closes it, checks that the Qt plugins a desktop needs load
(so a missing system library shows up even with ``QT_QPA_PLATFORM=offscreen``), that void Qt
calls keep ``sys.getrefcount(None)`` steady, that QtNetwork is neither bundled nor loaded, and
that the shared clinic database's driver finds libpq (Linux: the system's libpq5).
Nothing goes to stdout: a windowed executable has none. The user's own data is never touched: the
checks use a temporary user folder.
"""

from __future__ import annotations

from referral_app.selftest.runner import run_self_test as run_self_test  # the entry app.py calls
