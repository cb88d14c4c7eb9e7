"""The core stays Qt-free: domain/, content/ and db/ never import PySide6 (issue 14)."""

from __future__ import annotations

import ast
from pathlib import Path

import referral_app

PACKAGE = Path(referral_app.__file__).parent
CORE = ("domain", "content", "db")


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_the_core_never_imports_qt() -> None:
    files = [p for layer in CORE for p in (PACKAGE / layer).rglob("*.py")]
    assert len(files) > 40
    qt = {
        p.relative_to(PACKAGE).as_posix(): sorted(m for m in _imports(p) if m.startswith("PySide6"))
        for p in files
    }
    assert not {name: mods for name, mods in qt.items() if mods}


def test_sql_lives_only_in_db() -> None:
    """Outside db/ nothing opens a database or runs a statement (catching sqlite3.Error is fine)."""
    outside = [p for p in PACKAGE.rglob("*.py") if "db" not in p.relative_to(PACKAGE).parts[:1]]
    assert len(outside) > 60
    found = {}
    for path in outside:
        calls = {
            node.func.attr
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"connect", "execute", "executemany", "executescript"}
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in {"sqlite3", "conn", "db", "cursor", "cur"}
        }
        if calls:
            found[path.relative_to(PACKAGE).as_posix()] = sorted(calls)
    assert not found
