"""Docs stay true: every command has help text and a section in docs/cli.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.cli import cli

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_and_a_docs_section(name: str) -> None:
    command = cli.commands[name]
    assert (command.help or "").strip(), f"`storyline {name}` has no help text"
    assert f"## `storyline {name}" in (DOCS / "cli.md").read_text(), f"docs/cli.md has no section for {name}"


def test_architecture_names_every_top_level_module() -> None:
    text = (DOCS / "architecture.md").read_text()
    src = Path(__file__).resolve().parents[1] / "src" / "storyline"
    for path in sorted(src.iterdir()):
        if path.is_dir() and any(path.glob("*.py")):
            name = f"{path.name}/"
        elif path.suffix == ".py" and not path.name.startswith("_"):
            name = path.name
        else:
            continue
        assert f"`{name}`" in text, f"docs/architecture.md does not mention {name}"
