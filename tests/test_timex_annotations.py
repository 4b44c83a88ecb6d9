"""Timex annotations over the shared texts: stored without the texts, checked by hash on load, and
scored per language with the TempEval-3 metrics (floors on the shipped files need ../shared)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.errors import InputError
from storyline.evaluate.timex import evaluate_timex_annotations
from storyline.evaluate.timex_annotations import (
    annotation_files,
    load_sentences,
    read_annotations,
    snippet_hash,
    split_of_record,
)

TEXT = "Titel. Die Minister trafen sich am vergangenen Dienstag. Sonst nichts."
SENTENCE = "Die Minister trafen sich am vergangenen Dienstag."
TOKENS = ["De", "minister", "sprak", "vorige", "week", "."]


def _data(root: Path, text: str = TEXT) -> Path:
    (root / "similarity").mkdir(parents=True, exist_ok=True)
    (root / "ner").mkdir(exist_ok=True)
    pair = {"pair_id": "11_22", "lang1": "de", "lang2": "de", "text1": text, "text2": "Anderes."}
    (root / "similarity" / "pairs.jsonl").write_text(json.dumps(pair) + "\n", encoding="utf-8")
    rows = [{"doc": "d0", "tokens": ["Niets", "."]}, {"doc": "d0", "tokens": TOKENS}]
    (root / "ner" / "nl.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return root


def _annotations(path: Path) -> Path:
    start = TEXT.index(SENTENCE)
    joined = " ".join(TOKENS)
    day = SENTENCE.index("vergangenen Dienstag")
    week = joined.index("vorige week")
    lines = [
        {"id": "de-000", "lang": "de", "source": "similarity/pairs.jsonl", "record": "11_22",
         "field": "text1", "start": start, "end": start + len(SENTENCE), "sha256": snippet_hash(SENTENCE),
         "dct": "2021-02-17",
         "timexes": [{"start": day, "end": day + 20, "type": "DATE", "value": "2021-02-16"}]},
        {"id": "nl-000", "lang": "nl", "source": "ner/nl.jsonl", "record": "line2", "field": "tokens",
         "start": 0, "end": len(joined), "sha256": snippet_hash(joined), "dct": "2021-02-17",
         "timexes": [{"start": week, "end": week + 11, "type": "DATE", "value": "2021-W06"}]},
    ]  # fmt: skip
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return path


def test_sentences_are_read_back_from_the_sources(tmp_path: Path) -> None:
    data = _data(tmp_path / "data")
    sentences = load_sentences(read_annotations(_annotations(tmp_path / "a.jsonl")), data)
    assert [s.text for s in sentences] == [SENTENCE, " ".join(TOKENS)]
    assert sentences[0].dct.isoformat() == "2021-02-17T00:00:00+00:00"


def test_a_changed_source_is_detected(tmp_path: Path) -> None:
    data = _data(tmp_path / "data", TEXT.replace("Dienstag", "Mittwoch"))
    with pytest.raises(InputError, match="changed"):
        load_sentences(read_annotations(_annotations(tmp_path / "a.jsonl")), data)


def test_a_missing_record_is_reported(tmp_path: Path) -> None:
    data = _data(tmp_path / "data")
    path = _annotations(tmp_path / "a.jsonl")
    path.write_text(path.read_text(encoding="utf-8").replace('"11_22"', '"33_44"'), encoding="utf-8")
    with pytest.raises(InputError, match="no record"):
        load_sentences(read_annotations(path), data)


def test_scores_per_language_and_split(tmp_path: Path) -> None:
    data = _data(tmp_path / "data")
    result = evaluate_timex_annotations(_annotations(tmp_path / "a.jsonl"), data_dir=data)
    assert result["n_sentences"] == 2
    for lang in ("de", "nl"):
        assert result[lang]["n_gold"] == 1 and result[lang]["value_f1"] == 1.0
        split = split_of_record("similarity/pairs.jsonl:11_22" if lang == "de" else "ner/nl.jsonl:line2")
        assert result[f"{lang}.{split}"]["n_sentences"] == 1
        other = "heldout" if split == "tune" else "tune"
        assert result[f"{lang}.{other}"]["n_sentences"] == 0


def test_cli_runs_an_annotation_file(tmp_path: Path) -> None:
    data = _data(tmp_path / "data")
    path = _annotations(tmp_path / "a.jsonl")
    args = ["-q", "eval", "timex", str(path), "--annotations", "--data", str(data), "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["nl"]["strict_f1"] == 1.0
    bad = CliRunner().invoke(cli, ["-q", "eval", "timex", str(path), "--data", str(data)])
    assert bad.exit_code == 2 and "--data applies with --annotations" in bad.output


def test_shipped_files_cover_six_languages_with_at_least_50_sentences() -> None:
    files = annotation_files()
    assert [p.name for p in files] == [f"timex_{x}.jsonl" for x in ("de", "es", "fr", "it", "nl", "pt")]
    for path in files:
        annotations = read_annotations(path)
        assert len(annotations) >= 50
        assert sum(1 for a in annotations if not a.timexes) >= 15  # sentences without dates: precision
        assert all("text" not in json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())


# Measured value F1 on all annotated sentences (docs/evaluation.md); floors just below.
FLOORS = {"de": 0.82, "es": 0.80, "fr": 0.88, "it": 0.79, "nl": 0.89, "pt": 0.43}


@pytest.mark.parametrize("lang", sorted(FLOORS))
def test_value_f1_floors_on_the_shared_texts(shared_data: Path, lang: str) -> None:
    path = next(p for p in annotation_files() if p.name == f"timex_{lang}.jsonl")
    result = evaluate_timex_annotations(path, data_dir=shared_data)
    assert result[lang]["value_f1"] >= FLOORS[lang]
    assert result[lang]["relaxed_f1"] >= result[lang]["value_f1"]
