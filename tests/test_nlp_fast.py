"""The fast attribute-ruler matcher finds exactly the matches spaCy's Matcher finds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from storyline.understand.nlp import get_nlp
from storyline.understand.nlp_fast import FastRulerMatch, Unsupported

from .conftest import AFP_SEED, DPA_SEED

ODD_ENGLISH = (
    "Y'all gon na see it. Let's go, c'mon. I ain't sure and it ain't nothin' but there is a way. "
    "They did it, didn't they? Give it to me, I said, whether or not you'd have done so. "
    "  Twin  spaces\n\n and that's that; who's there?"
)


def _same_matches(language: str, texts: list[str]) -> None:
    nlp = get_nlp(language)
    if nlp is None:
        pytest.skip(f"no spaCy model for {language}")
    ruler: Any = nlp.get_pipe("attribute_ruler")
    fast = FastRulerMatch(ruler)
    docs = list(nlp.pipe(texts, disable=["attribute_ruler", "lemmatizer", "ner"]))
    for doc in docs:
        spacy_matches = [tuple(m) for m in ruler.__class__.match(ruler, doc)]
        assert fast(doc) == spacy_matches
    assert any(fast(doc) for doc in docs)


def test_same_matches_on_the_seeds_and_odd_english() -> None:
    texts = [AFP_SEED.read_text(encoding="utf-8"), DPA_SEED.read_text(encoding="utf-8"), ODD_ENGLISH]
    _same_matches("en", texts)


def test_same_matches_on_shared_news(shared_data: Path) -> None:
    by_lang: dict[str, list[str]] = {"en": [], "fr": []}
    with (shared_data / "similarity" / "semeval22_dev.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            for k in ("1", "2"):
                texts = by_lang.get(row[f"lang{k}"])
                if texts is not None and len(texts) < 25:
                    texts.append(row[f"text{k}"])
    for language, texts in by_lang.items():
        _same_matches(language, texts)


def test_the_pipelines_use_it() -> None:
    nlp = get_nlp("en")
    assert nlp is not None
    ruler: Any = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler.match, FastRulerMatch)


def test_a_pattern_it_cannot_reproduce_is_refused() -> None:
    with pytest.raises(Unsupported):
        FastRulerMatch._specs([{"LOWER": "a", "OP": "+"}])
    with pytest.raises(Unsupported):
        FastRulerMatch._specs([{"LENGTH": {">=": 3}}])
