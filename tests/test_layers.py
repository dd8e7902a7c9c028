"""Imports go one way (ARCHITECTURE.md): each layer uses the layers below it through their
public names, never one above it, and the CLI never loads the GraphQL schema."""

from __future__ import annotations

import ast
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PURE_STORAGE = {"storage.figures", "storage.records"}
"""What of `storage` travels up through the catalog as it is: the stored figures' declaration
and the typed records (neither runs a query)."""

ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "settings": {"setting_forms", "setting_tables"},  # its own: forms, the README's tables
    "setting_forms": set(),
    "setting_tables": {"setting_forms"},  # handed the declarations: no cycle with settings
    "providers": {"errors"},
    "storage": {"errors"},
    "catalog": {"providers", "storage", "errors", "settings"},
    "schema": {"catalog", "providers", "errors", "settings", *PURE_STORAGE},
    "telemetry": {"catalog", "settings"},
    "server": {"schema", "catalog", "settings", "telemetry"},
    "cli": {"catalog", "providers", "errors", "settings", "server", *PURE_STORAGE},
}
"""Each layer, and what it may import besides itself (a module, or a whole layer). The CLI
imports `server` only to run it (`ai-model-sync serve`)."""


def _layer(module: str) -> str:
    return module.split(".", 1)[0]


def _source_files() -> list[Path]:
    names = ("errors", "settings", "setting_forms", "setting_tables", "server")
    files = [ROOT / f"{name}.py" for name in names]
    for package in ("providers", "storage", "catalog", "schema", "telemetry", "cli"):
        files.extend(sorted((ROOT / package).rglob("*.py")))
    return files


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if _layer(name) in ALLOWED}


@pytest.mark.parametrize("path", _source_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_imports_go_one_way(path: Path) -> None:
    own = _layer(str(path.relative_to(ROOT).with_suffix("")).replace("/", "."))
    allowed = ALLOWED[own]
    wrong = sorted(
        name
        for name in _imports(path)
        if _layer(name) != own
        and _layer(name) not in allowed
        and not any(name == module or name.startswith(f"{module}.") for module in allowed)
    )
    assert not wrong, f"{own} may not import {wrong}"


def test_the_cli_does_not_load_the_graphql_schema() -> None:
    code = "import sys, cli; print(sorted({m.split('.')[0] for m in sys.modules}))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = done.stdout
    assert "'strawberry'" not in loaded and "'schema'" not in loaded and "'graphql'" not in loaded


PACKAGES = ("providers", "storage", "catalog", "schema", "telemetry", "cli")


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _package_graph() -> dict[str, set[str]]:
    """Each module of a package -> the modules of its own package it imports, wherever in it
    (at the top, under `TYPE_CHECKING`, inside a function: a cycle hidden in a function is
    still one). `from package import module` is an arrow to the module, not to the package."""
    files = {_module(path): path for path in _source_files() if _layer(_module(path)) in PACKAGES}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    module = f"{node.module}.{alias.name}"
                    found.add(module if module in files else node.module)
        own = _layer(name)
        graph[name] = {m for m in found if m in files and m != name and _layer(m) == own}
    return graph


def test_the_graph_sees_imports_within_a_package() -> None:
    graph = _package_graph()
    assert "catalog.transfer_check" in graph["catalog.transfer"]  # `from catalog.x import`
    assert "catalog.drift" not in graph["cli.models"]  # another layer's: the test above
    assert "catalog.drift" in graph["catalog.listdiff"]


def test_no_package_imports_itself_in_a_circle() -> None:
    """Within each package, imports go one way too: no module reaches itself again, which
    `graphlib` finds as it orders them (types only count: name a `Protocol` instead)."""
    try:
        tuple(TopologicalSorter(_package_graph()).static_order())
    except CycleError as exc:
        pytest.fail(f"an import cycle: {' -> '.join(exc.args[1])}")
