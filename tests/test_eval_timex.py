"""TempEval-3 timex metrics: a hand-checked file, input errors, and floors on the shared dev set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.errors import InputError
from storyline.evaluate.timex import evaluate_timex, read_timex_docs, split_of

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DEV = SHARED_DATA / "timex" / "tempeval3_dev.jsonl"
KEYS = {"n_docs", "n_gold", "n_pred", "strict_f1", "relaxed_f1", "value_f1", "type_f1"}


def _timex(text: str, span: str, kind: str, value: str, *, nth: int = 0) -> dict[str, object]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(span, start + 1)
    return {"start": start, "end": start + len(span), "text": span, "type": kind, "value": value}


def _write(path: Path) -> Path:
    a = "They met on Monday and will meet again next week for two days."
    b = "Results came yesterday. It is now clear."
    docs = [
        {"id": "a", "text": a, "dct": "2021-02-17", "timexes": [
            _timex(a, "Monday", "DATE", "2021-02-15"),
            _timex(a, "next week", "DATE", "2021-W08"),
            _timex(a, "days", "DURATION", "P2D"),  # the system says "two days": relaxed, not strict
        ]},
        {"id": "b", "text": b, "dct": "2021-02-17T10:00", "timexes": [
            _timex(b, "yesterday", "DATE", "2021-02-15"),  # the system says 2021-02-16: a value miss
            _timex(b, "Results", "DATE", "XXXX"),  # nothing overlaps it: a miss; "now" is an extra
        ]},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    return path


def test_hand_checked_metrics(tmp_path: Path) -> None:
    result = evaluate_timex(_write(tmp_path / "t.jsonl"))
    assert result.keys() >= KEYS
    assert (result["n_docs"], result["n_gold"], result["n_pred"]) == (2, 5, 5)
    # 5 predictions (Monday, next week, two days, yesterday, now) against 5 gold timexes:
    # strict 3 (Monday, next week, yesterday), relaxed 4 (+ two days/days), value 3, type 4.
    assert result["strict_f1"] == pytest.approx(0.6)
    assert result["relaxed_f1"] == pytest.approx(0.8)
    assert result["value_f1"] == pytest.approx(0.6)
    assert result["type_f1"] == pytest.approx(0.8)
    assert result["relaxed_precision"] == pytest.approx(0.8) and result["relaxed_recall"] == pytest.approx(
        0.8
    )


def test_progress_is_reported_per_document(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    result = evaluate_timex(
        _write(tmp_path / "t.jsonl"), progress=lambda done, total: calls.append((done, total))
    )
    assert calls[-1] == (2, 2) and result["split"] == "all"


def test_each_gold_is_matched_once(tmp_path: Path) -> None:
    text = "It lasted two years."
    doc = {"id": "c", "text": text, "dct": "2021-02-17", "timexes": [
        _timex(text, "two", "DURATION", "P2Y"), _timex(text, "years", "DURATION", "P2Y"),
    ]}  # fmt: skip
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    result = evaluate_timex(path)
    assert (result["n_gold"], result["n_pred"]) == (2, 1)
    assert result["relaxed_recall"] == pytest.approx(0.5) and result["relaxed_precision"] == pytest.approx(
        1.0
    )


def test_splits_partition_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.jsonl")
    n_fit = len(list(read_timex_docs(path, split="fit")))
    n_heldout = len(list(read_timex_docs(path, split="heldout")))
    assert n_fit + n_heldout == 2
    assert split_of("a") in ("fit", "heldout")
    with pytest.raises(ValueError, match="split must be one of"):
        list(read_timex_docs(path, split="test"))


def test_bad_input_says_where(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x", "text": "t"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:1: expected a JSON object"):
        evaluate_timex(path)
    with pytest.raises(InputError, match="cannot read"):
        evaluate_timex(tmp_path / "missing.jsonl")


def test_dev_set_floors() -> None:
    if not DEV.is_file():
        pytest.skip(f"needs the shared TempEval-3 dev file at {DEV} (../shared/data beside the repo)")
    result = evaluate_timex(DEV)
    assert (result["n_docs"], result["n_gold"]) == (256, 1822)
    # Floors pinned just below the measured values (strict 0.874, relaxed 0.942, value 0.811, type 0.901).
    assert result["strict_f1"] >= 0.86
    assert result["relaxed_f1"] >= 0.93
    assert result["value_f1"] >= 0.80
    assert result["type_f1"] >= 0.89
