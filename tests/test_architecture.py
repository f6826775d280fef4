"""The layout shows the pipeline: core → content → features → build → cli, each layer importing only
from the layers before it, and no module importing itself back through others."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

from .conftest import REPO

PACKAGE = REPO / "kaart"
LAYERS = ["kaart.core", "kaart.content", "kaart.features", "kaart.build", "kaart.cli"]


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """The kaart modules a file imports when it runs (type-checking-only imports left out)."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parent = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                    base = ".".join([*parent, base] if base else parent)
                for alias in child.names:
                    candidate = f"{base}.{alias.name}"
                    found.add(candidate if _exists(candidate) else base)
            elif isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {name for name in found if name == "kaart" or name.startswith("kaart.")}


def _exists(module: str) -> bool:
    path = REPO / Path(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for path in sorted(PACKAGE.rglob("*.py")):
        g.add_node(module_name(path))
        for target in imports(path):
            if target != module_name(path):
                g.add_edge(module_name(path), target)
    return g


def layer(module: str) -> int:
    return next((i for i, prefix in enumerate(LAYERS) if module == prefix or module.startswith(prefix + ".")), -1)


def test_no_module_imports_itself_back():
    assert list(nx.simple_cycles(graph())) == []


def test_each_layer_imports_only_from_the_layers_before_it():
    wrong = sorted((a, b) for a, b in graph().edges if layer(b) > layer(a) and layer(a) >= 0)
    assert wrong == []


def test_only_the_build_layer_knows_pelican():
    knowing = sorted(module_name(path) for path in PACKAGE.rglob("*.py")
                     if any(line.strip().startswith(("import pelican", "from pelican"))
                            for line in path.read_text(encoding="utf-8").splitlines()))
    assert knowing and all(layer(m) in (LAYERS.index("kaart.build"), LAYERS.index("kaart.cli")) for m in knowing), knowing


def test_every_module_belongs_to_a_layer():
    loose = sorted(m for m in graph().nodes if layer(m) < 0 and m != "kaart")
    assert loose == []
