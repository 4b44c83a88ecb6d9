"""The import-layer contract of docs/architecture.md, checked over the source's ``import`` statements.

Each top-level part of ``storyline`` sits in a layer and may import only from the parts listed for it
(and from itself); nothing imports another package's private ``_x`` modules; no two files import each
other, directly or round a circle. Imports inside functions count: a lazy import is still an arrow.
Imports under ``if TYPE_CHECKING:`` never run, so they are exempt from the layers and the circles (the
engine names ``pipeline.Prepared`` in its annotations that way) but not from the privacy rule.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "storyline"

SHARED = frozenset({"errors", "settings", "model", "registry", "outbound"})
STAGES = frozenset({"ingest", "extract", "language", "dedup", "understand", "embed"})
ORCHESTRATION = frozenset({"batching", "pipeline", "engine"})
READERS = frozenset({"digest", "alerts", "shapes"})

#: part -> the parts it may import (besides itself). The layers of DESIGN.md section 1, bottom up.
ALLOWED: dict[str, frozenset[str]] = {
    # shared modules import only each other (errors imports nothing)
    "errors": frozenset(),
    "settings": frozenset({"errors"}),
    "model": frozenset({"errors"}),
    "registry": frozenset({"errors"}),
    "outbound": frozenset({"errors", "settings"}),
    # stages import only the shared modules, never each other
    **{stage: SHARED for stage in STAGES},
    # story assignment reads the embedder's vectors (embed comes before assign in the flow)
    "stories": SHARED | {"embed"},
    # the store keeps values of model.py; it knows no stage
    "store": SHARED,
    # the one place that knows the order, and where the per-article work runs
    "batching": SHARED | STAGES | {"stories", "store"},
    "engine": SHARED,  # the stages are handed in by pipeline (engine.Stages)
    "pipeline": SHARED | STAGES | {"stories", "store", "batching", "engine"},
    # readers of the store: digests, alerts, the JSON shapes
    "digest": SHARED | STAGES | {"stories", "store"},
    "alerts": SHARED | {"embed", "store"},
    "shapes": SHARED | {"store", "stories"},
    # following sources runs the pipeline and raises alerts
    "follow": SHARED | STAGES | ORCHESTRATION | {"stories", "store", "alerts"},
    # interfaces: anything below; cli may start the web server, the web never calls the cli
    "evaluate": SHARED | STAGES | {"stories", "digest"},
    "web": SHARED
    | (STAGES - {"extract", "language", "dedup"})
    | ORCHESTRATION
    | READERS
    | {"stories", "store", "follow"},
    "cli": SHARED
    | (STAGES - {"extract", "language", "dedup"})
    | ORCHESTRATION
    | READERS
    | {"stories", "store", "follow", "evaluate", "web"},
    "__main__": frozenset({"cli"}),
    "__init__": frozenset(),
}
# the package itself holds only ``__version__``: every part may read it
ALLOWED = {part: allowed | {"__init__"} for part, allowed in ALLOWED.items()}


@dataclass(frozen=True)
class Import:
    source: str  # dotted module that imports
    target: str  # dotted module imported
    line: int
    type_only: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
            if name == "TYPE_CHECKING":
                for child in node.body:
                    lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def imports_of(path: Path) -> Iterator[Import]:
    yield from imports_in(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py")


def imports_in(code: str, source: str, is_package: bool) -> Iterator[Import]:
    """Every ``storyline`` import in ``code``, the text of module ``source``."""
    tree = ast.parse(code)
    typed = _type_checking_lines(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = source.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # `from storyline.x import y`: y is a submodule or a name in storyline.x (resolved later)
            targets = [f"{module}.{a.name}" for a in node.names]
        else:
            continue
        for target in targets:
            if target == "storyline" or target.startswith("storyline."):
                yield Import(source, target, node.lineno, node.lineno in typed)


def _existing(target: str, modules: set[str]) -> str | None:
    """The module ``target`` names (a name inside a module resolves to the module), or None."""
    while target and target not in modules:
        target = target.rpartition(".")[0]
    return target or None


def part_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def all_imports() -> tuple[set[str], list[Import]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    found: list[Import] = []
    for path in paths:
        for imp in imports_of(path):
            target = _existing(imp.target, modules)
            if target is not None and target != imp.source:
                found.append(Import(imp.source, target, imp.line, imp.type_only))
    return modules, found


def test_every_part_has_a_layer() -> None:
    parts = {part_of(m) for m in all_imports()[0]}
    assert parts <= set(ALLOWED), f"parts without a layer rule: {sorted(parts - set(ALLOWED))}"


def layer_violations() -> list[str]:
    out = []
    for imp in all_imports()[1]:
        a, b = part_of(imp.source), part_of(imp.target)
        if a != b and not imp.type_only and b not in ALLOWED.get(a, frozenset()):
            out.append(f"{imp.source}:{imp.line} imports {imp.target} ({a} -> {b})")
    return sorted(set(out))


def test_layers() -> None:
    violations = layer_violations()
    assert not violations, "imports against the layer rules:\n" + "\n".join(violations)


def test_no_private_module_of_another_package() -> None:
    bad = []
    for imp in all_imports()[1]:
        *package, last = imp.target.split(".")
        if last.startswith("_") and not last.startswith("__"):
            owner = ".".join(package)
            if not (imp.source == owner or imp.source.startswith(owner + ".")):
                bad.append(f"{imp.source}:{imp.line} imports the private {imp.target}")
    assert not bad, "\n".join(bad)


def import_cycles() -> list[list[str]]:
    """Strongly connected groups of files (runtime imports only), as sorted module lists."""
    graph: dict[str, set[str]] = {}
    for imp in all_imports()[1]:
        if not imp.type_only:
            graph.setdefault(imp.source, set()).add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:  # Tarjan's algorithm
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                group.append(item)
                if item == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


def test_no_import_circle_between_files() -> None:
    cycles = import_cycles()
    assert not cycles, "import circles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


@pytest.mark.parametrize(
    ("code", "source", "expected"),
    [
        ("from storyline.store import Store\n", "storyline.web.app", {("storyline.store.Store", False)}),
        ("def f():\n    import storyline.embed.use\n", "storyline.cli.x", {("storyline.embed.use", False)}),
        (
            "from ._grammar import parse\n",
            "storyline.understand.timex",
            {("storyline.understand.timex._grammar.parse", False)},
        ),
        (
            "from . import rows\n",
            "storyline.store.sqlite",
            {("storyline.store.rows", False)},
        ),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from storyline.store import Store\n",
            "storyline.alerts.engine",
            {("storyline.store.Store", True)},
        ),
        ("import json\nfrom pathlib import Path\n", "storyline.model", set()),
    ],
)
def test_the_checker_reads_imports(code: str, source: str, expected: set[tuple[str, bool]]) -> None:
    """The scanner itself: absolute, relative and lazy imports are seen; type-only ones are marked."""
    is_package = source.endswith("timex")
    found = {(i.target, i.type_only) for i in imports_in(code, source, is_package)}
    assert found == expected
