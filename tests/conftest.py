"""Shared fixtures: the seeds and the shared data directory (tests needing it skip when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"
AFP_SEED = EXAMPLES / "000_0456c59c1de563e2.txt"
DPA_SEED = EXAMPLES / "004_4bb9b37ee3aee4b5.txt"


@pytest.fixture
def shared_data() -> Path:
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"needs the shared evaluation data at {data} (../shared beside the repo)")
    return data
