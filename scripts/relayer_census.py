"""The figures of the re-layering (issue #11) for a source tree, so before and after compare:

    python scripts/relayer_census.py .                     # this checkout
    git worktree add /tmp/old 65ffe3c && python scripts/relayer_census.py /tmp/old

Prints the import-rule counts of ``tests/test_layers.py`` (run over the given tree), files per folder,
the largest modules, and the places that construct a store or an embedder or normalise a language tag.
"""

from __future__ import annotations

import collections
import importlib.util
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]

# a construction or normalisation written in code (docstrings, reprs and class lines are skipped)
PATTERNS = {
    "store constructions": re.compile(r"\b(SqliteStore|PostgresStore|MemoryStore)\(|create\(\s*\"store\""),
    "embedder constructions": re.compile(r"\bUseEmbedder\(|create\(\s*\"embedder\""),
    "language-code normalisations": re.compile(
        r"split\(\"-\"\)\[0\]|split\(\"_\"\)\[0\]|\(language or \"en\"\)\[:2\]"
    ),
}


def _layers(tree: Path) -> None:
    spec = importlib.util.spec_from_file_location("layers", HERE / "tests" / "test_layers.py")
    assert spec is not None and spec.loader is not None
    layers = importlib.util.module_from_spec(spec)
    sys.modules["layers"] = layers
    spec.loader.exec_module(layers)
    layers.SRC = tree / "src"
    layers.PACKAGE = layers.SRC / "storyline"
    violations = layers.layer_violations()
    arrows = sorted({v.rsplit("(", 1)[-1].rstrip(")") for v in violations})
    print(f"imports against the layer rules: {len(violations)} ({len(arrows)} arrows: {', '.join(arrows)})")
    cycles = layers.import_cycles()
    print(f"import circles between files: {len(cycles)} (files in each: {[len(c) for c in cycles]})")


def _sites(files: list[Path], root: Path, pattern: re.Pattern[str]) -> list[str]:
    out = []
    for path in files:
        in_doc = False
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith('"""') and stripped.count('"""') == 2:
                continue
            if stripped.count('"""') == 1:
                in_doc = not in_doc
                continue
            if in_doc or stripped.startswith(("#", "class ", ">>>", "return f", 'f"')):
                continue
            if pattern.search(line):
                out.append(f"{path.relative_to(root)}:{number}")
    return out


def main() -> int:
    tree = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    package = tree / "src" / "storyline"
    files = sorted(package.rglob("*.py"))
    _layers(tree)
    per_folder = collections.Counter(str(p.parent.relative_to(package.parent)) for p in files)
    print("files per folder:", dict(sorted(per_folder.items())))
    sizes = sorted((len(p.read_text().splitlines()), str(p.relative_to(package))) for p in files)[::-1]
    print("largest modules (lines):", sizes[:3])
    for name, pattern in PATTERNS.items():
        sites = _sites(files, package.parent, pattern)
        print(f"{name}: {len(sites)} {sites}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
