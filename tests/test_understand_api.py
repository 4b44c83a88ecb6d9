"""The public surface of ``storyline.understand``: each package exports exactly what it imports or
defines in its ``__init__`` (``__all__``), and no code outside a package imports its private modules."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import storyline

SRC = Path(storyline.__file__).resolve().parent
PACKAGES = [
    "storyline.understand",
    "storyline.understand.entities",
    "storyline.understand.figures",
    "storyline.understand.nlp",
    "storyline.understand.quotes",
    "storyline.understand.timex",
]


def _init_names(package: str) -> set[str]:
    """The names an ``__init__`` binds at top level: imports, functions, classes, assignments."""
    path = SRC.joinpath(*package.split(".")[1:], "__init__.py")
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            names.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.asname or a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if not n.startswith("_")}


@pytest.mark.parametrize("package", PACKAGES)
def test_all_lists_exactly_the_public_names(package: str) -> None:
    module = importlib.import_module(package)
    exported = list(module.__all__)
    assert len(exported) == len(set(exported)), f"{package}.__all__ repeats a name"
    assert not [n for n in exported if n.startswith("_")], f"{package}.__all__ lists a private name"
    assert [n for n in exported if not hasattr(module, n)] == []
    assert set(exported) == _init_names(package)


def _module_of(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path) -> list[str]:
    """Every module path ``path`` imports (``from a import b`` gives ``a`` and ``a.b``), lazy ones too."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found.extend(f"{node.module}.{a.name}" for a in node.names)
    return found


def _private_owner(module: str) -> str | None:
    """The package whose private module ``module`` is (``a.b._c.d`` -> ``a.b``), ``None`` if public."""
    parts = module.split(".")
    for i, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            return ".".join(parts[:i])
    return None


def test_no_module_outside_a_package_imports_its_private_modules() -> None:
    offenders: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        importer = _module_of(path)
        for target in _imported(path):
            if not target.startswith("storyline.understand"):
                continue
            owner = _private_owner(target)
            if owner is not None and importer != owner and not importer.startswith(owner + "."):
                offenders.append(f"{importer} -> {target}")
    assert offenders == []
