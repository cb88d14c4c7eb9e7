"""Layers you can trust: the core stays Qt-free, SQL lives in db/, imports go down the layers
(no db -> services, no cycle between parts nor between modules; a lazy import counts too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

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


# Each part of the package imports only parts below it (README "Layout", STYLE §2.1a).
LAYERS = {
    "__init__": 0,
    "paths": 0,
    "files": 0,
    "typing_compat": 0,
    "domain": 1,
    "diagnostics": 1,  # crash log, refcount guard, start-up probe: below the faces that use them
    "content": 2,
    "printing": 2,
    "db": 3,
    "services": 4,
    "cli": 5,
    "ui": 5,
    "selftest": 6,  # --self-test drives the faces: an entry, like app.py
    "app": 7,
    "__main__": 8,
}


def _part(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "referral_app":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def _package_edges() -> dict[tuple[str, str], set[str]]:
    """(from part, to part) -> the files importing, counting imports inside functions and
    under TYPE_CHECKING too (a lazy import is still a dependency)."""
    edges: dict[tuple[str, str], set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        source = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module]
                if node.module == "referral_app":  # from referral_app import paths, selftest
                    modules = [f"referral_app.{alias.name}" for alias in node.names]
            else:
                continue
            for module in modules:
                target = _part(module)
                if target == "__version__":
                    target = "__init__"
                if target is not None and target != source:
                    edges.setdefault((source, target), set()).add(rel.as_posix())
    return edges


def test_every_part_is_placed_in_a_layer() -> None:
    parts = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()}
    parts = {p for p in parts if not p.startswith(".") and p != "__pycache__"}
    assert parts <= set(LAYERS), sorted(parts - set(LAYERS))


def test_imports_go_down_the_layers() -> None:
    """No import up or sideways (cli and ui never import each other); db never imports services."""
    against = {
        (file, target)
        for (source, target), files in _package_edges().items()
        if LAYERS[target] >= LAYERS[source]
        for file in files
    }
    assert sorted(against) == []


def test_no_import_cycle_between_parts() -> None:
    graph: dict[str, set[str]] = {}
    for source, target in _package_edges():
        graph.setdefault(source, set()).add(target)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, set()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    assert sorted(part for part in graph if reaches(part, part, {part})) == []


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _runtime_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Every import that runs, at the top or inside a function; not those under TYPE_CHECKING
    (an annotation is not an import cycle)."""
    skip = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for stmt in block.body
        for node in ast.walk(stmt)
    }
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in skip
    ]


def _all_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Every import, those for annotations only (under TYPE_CHECKING) too."""
    return [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]


@pytest.mark.parametrize("imports", [_runtime_imports, _all_imports], ids=["run", "annotations"])
def test_no_import_cycle_between_modules(imports) -> None:
    """No two modules import each other, however indirectly (lazy imports count, and so do
    the imports only annotations use: csv_import_flow names its host by a Protocol)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        for node in imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif node.module and node.level == 0:  # a name or a submodule of the module
                targets = [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            for target in filter(None, map(known, targets)):
                if target != name and not name.startswith(f"{target}."):
                    graph.setdefault(name, set()).add(target)

    def on_a_cycle(start: str) -> bool:
        todo, seen = [start], {start}
        while todo:
            for nxt in graph.get(todo.pop(), set()):
                if nxt == start:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    assert len(modules) > 150
    assert sorted(m for m in graph if on_a_cycle(m)) == []
