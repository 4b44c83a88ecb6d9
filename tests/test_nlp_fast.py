"""The fast attribute-ruler matcher finds exactly the matches spaCy's Matcher finds; the numpy
``gemm`` (``DotOps``) gives what thinc's BLIS gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from storyline.understand.nlp import analyse_many, dot_ops, get_nlp, install_dot_ops
from storyline.understand.nlp._fast import FastRulerMatch, Unsupported

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


def test_dot_ops_gemm_matches_blis() -> None:
    numpy = pytest.importorskip("numpy")
    from thinc.api import NumpyOps

    rng = numpy.random.default_rng(3)
    blis, dot = NumpyOps(), dot_ops()
    x = rng.standard_normal((37, 288), dtype=numpy.float32)
    w = rng.standard_normal((96, 288), dtype=numpy.float32)
    for trans2, y in ((True, w), (False, numpy.ascontiguousarray(w.T))):
        want = blis.gemm(x, y, trans2=trans2)
        got = dot.gemm(x, y, trans2=trans2)
        assert got.dtype == numpy.float32 and got.shape == (37, 96)
        assert numpy.allclose(got, want, rtol=1e-4, atol=1e-4)
        out = numpy.zeros((37, 96), dtype=numpy.float32)
        assert dot.gemm(x, y, trans2=trans2, out=out) is out
        assert numpy.allclose(out, want, rtol=1e-4, atol=1e-4)
    assert numpy.allclose(dot.gemm(x.T, w.T, trans1=True), blis.gemm(x.T, w.T, trans1=True), atol=1e-4)


def test_dot_ops_give_the_same_analysis_as_blis() -> None:
    from thinc.api import NumpyOps

    nlp = get_nlp("en")
    if nlp is None:
        pytest.skip("no spaCy model for en")
    texts = [AFP_SEED.read_text(encoding="utf-8"), DPA_SEED.read_text(encoding="utf-8"), ODD_ENGLISH]

    def run() -> list[Any]:
        out: list[Any] = []
        for analysis in analyse_many(texts, "en"):
            out.append(analysis.entities)
            out.append([(t.i, t.tag_, t.dep_, t.head.i, t.lemma_) for p in analysis.parsed for t in p.doc])
        return out

    assert install_dot_ops(nlp) == 0  # get_nlp installed them already
    with_dot = run()
    models = [getattr(pipe, "model", None) for _, pipe in nlp.pipeline]
    nodes = [node for model in models if hasattr(model, "walk") for node in model.walk()]
    assert nodes and all(type(node.ops) is type(dot_ops()) for node in nodes)
    saved = [node.ops for node in nodes]
    try:
        blis = NumpyOps()
        for node in nodes:
            node.ops = blis
        with_blis = run()
    finally:
        for node, ops in zip(nodes, saved, strict=True):
            node.ops = ops
    assert with_dot == with_blis
    assert with_dot[0] and with_dot[1]
    assert install_dot_ops(nlp) == 0
