from __future__ import annotations

from pathlib import Path

import pytest

from storyline.errors import InputError
from storyline.evaluate.jsonl import read_records


def test_records_are_parsed_and_a_bad_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"x": 1}\n\n{"x": 2}\n{"y": 3}\n', encoding="utf-8")
    records = read_records(path, lambda obj: int(obj["x"]), expected="an object with x")
    assert [next(records), next(records)] == [1, 2]
    with pytest.raises(InputError, match=rf"{path}:4: expected an object with x \(KeyError"):
        next(records)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        list(read_records(tmp_path / "absent.jsonl", dict, expected="anything"))
