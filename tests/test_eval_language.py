"""``storyline.evaluate.language`` on a small tree of its own (no shared data needed)."""

from __future__ import annotations

import json
from pathlib import Path

from storyline.evaluate.language import CHUNK_CHARS, evaluate_language, load_texts

LONG_EN = "The council met on Monday and agreed a new budget for the schools of the city. " * 5
WORDS = ["De", "raad", "stemde", "op", "dag", "?", "in", "met", "de", "begroting", "."]
LONG_DE = "Der Stadtrat hat am Montag einen neuen Haushalt für die Schulen der Stadt beschlossen. " * 5


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def _tree(root: Path) -> Path:
    pair = {"lang1": "en", "lang2": "de", "text1": LONG_EN, "text2": LONG_DE}
    _write(root / "similarity" / "semeval22_dev.jsonl", [pair, pair])  # each text counts once
    _write(
        root / "stories" / "ecbplus_dev.jsonl", [{"lang": "en", "title": "Budget", "text": "Budget\nAgreed."}]
    )
    _write(root / "entities" / "ecbplus_entities_dev.jsonl", [{"text": LONG_EN}])  # already read: skipped
    doc = [{"doc": "d1", "lang": "nl", "tokens": [*WORDS[:5], str(day), *WORDS[6:]]} for day in range(10, 50)]
    _write(root / "ner" / "conll_nl_dev.jsonl", [*doc, {"doc": "d2", "lang": "nl", "tokens": WORDS}])
    return root


def test_texts_are_read_once_with_their_language_and_kind(tmp_path: Path) -> None:
    texts = load_texts(_tree(tmp_path))
    assert [(t.corpus, t.language, t.kind) for t in texts[:3]] == [
        ("semeval22", "en", "articles"),
        ("semeval22", "de", "articles"),
        ("ecbplus_dev", "en", "articles"),
    ]
    assert texts[2].text == "Budget\nAgreed."  # the title is not repeated when the text starts with it
    chunks = [t for t in texts if t.corpus == "conll_nl_dev"]
    assert len(texts) == 3 + len(chunks)
    # 40 sentences of 46 characters: chunks of 13 (just over CHUNK_CHARS), the last one, the next doc
    assert [len(t.text.split(" . ")) for t in chunks] == [13, 13, 13, 1, 1]
    assert len(chunks[0].text) >= CHUNK_CHARS and chunks[-1].text == " ".join(WORDS)
    assert all(t.language == "nl" and t.kind == "chunks" for t in chunks)


def test_wrong_and_missing_answers_are_counted_apart(tmp_path: Path) -> None:
    texts = load_texts(_tree(tmp_path))
    answers = {LONG_EN: "en", LONG_DE: "nl"}  # German read as Dutch; everything else: no answer
    result = evaluate_language(texts, answers.get)
    assert result["per_language"]["en"] == {
        "n_long": 1,
        "acc_long": 1.0,
        "other_long": 0,
        "none_long": 0,
        "n_all": 2,
        "acc_all": 0.5,
    }
    assert result["per_language"]["de"]["other_long"] == 1 and result["per_language"]["de"]["acc_long"] == 0.0
    assert result["per_language"]["nl"]["none_long"] == result["per_language"]["nl"]["n_long"] == 3
    assert result["long_texts"] == 5 and result["long_accuracy"] == 0.2
    assert result["long_by_kind"] == {"articles": {"n": 2, "acc": 0.5}, "chunks": {"n": 3, "acc": 0.0}}
    assert [m["found"] for m in result["long_misses"]] == ["nl", None, None, None]
