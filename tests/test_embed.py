"""The embedder contract (shape, normalisation, determinism), cross-lingual sanity, and sentence cuts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline import registry
from storyline.embed import TITLE_WEIGHT, ArticleVectors, Embedder, embed_articles, head_of, normalise_rows
from storyline.embed.segment import lead_span, split_sentences, title_span
from storyline.embed.use import UseEmbedder


@pytest.fixture(scope="module")
def embedder() -> UseEmbedder:
    built = registry.create("embedder", "use.v1")
    assert isinstance(built, UseEmbedder)
    return built


def test_registered_and_satisfies_the_protocol(embedder: UseEmbedder) -> None:
    assert "use.v1" in registry.names("embedder")
    assert isinstance(embedder, Embedder)
    assert (embedder.name, embedder.dim) == ("use.v1", 512)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=40), max_size=6))
def test_rows_are_float32_normalised_and_deterministic(embedder: UseEmbedder, texts: list[str]) -> None:
    a, b = embedder.embed(texts), embedder.embed(texts)
    assert a.shape == (len(texts), 512) and a.dtype == np.float32
    assert np.array_equal(a, b)
    norms = np.linalg.norm(a, axis=1)
    blank = np.array([not t.strip() for t in texts], dtype=bool)
    assert np.allclose(norms[~blank], 1.0, atol=1e-5)
    assert np.all(norms[blank] == 0.0)


def test_empty_batch(embedder: UseEmbedder) -> None:
    assert embedder.embed([]).shape == (0, 512)


def test_batching_does_not_change_rows(embedder: UseEmbedder) -> None:
    texts = [f"Sentence number {i} about the budget vote." for i in range(7)]
    small = UseEmbedder(batch_size=2).embed(texts)
    assert np.allclose(small, embedder.embed(texts), atol=1e-6)


def test_translation_is_closer_than_an_unrelated_sentence(embedder: UseEmbedder) -> None:
    en, de, other = embedder.embed(
        [
            "NATO defence ministers met in Brussels to discuss the mission in Afghanistan.",
            "Die NATO-Verteidigungsminister trafen sich in Brüssel, "
            "um über die Mission in Afghanistan zu beraten.",
            "The recipe needs two cups of flour, sugar and a pinch of salt.",
        ]
    )
    assert float(en @ de) > float(en @ other) + 0.3


def test_embed_sentences_gives_spans_and_rows(embedder: UseEmbedder) -> None:
    text = "The storm reached the coast on Monday. Thousands of people left their homes."
    spans, rows = embedder.embed_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "The storm reached the coast on Monday.",
        "Thousands of people left their homes.",
    ]
    assert rows.shape == (2, 512)


def test_embed_articles_views(embedder: UseEmbedder) -> None:
    text = "Storm hits coast  Thousands flee their homes. Officials said on Monday that 3 people died."
    (with_title, without) = embed_articles(embedder, [("Storm hits coast", text), ("", "")])
    assert isinstance(with_title, ArticleVectors) and with_title.embedder == "use.v1"
    assert len(with_title.sentences) == len(with_title.sentence_spans) >= 2
    expected = normalise_rows(with_title.head + TITLE_WEIGHT * with_title.title)
    assert np.allclose(with_title.document, expected)
    assert np.linalg.norm(with_title.document) == pytest.approx(1.0, abs=1e-5)
    assert not np.any(without.document) and without.sentences.shape == (0, 512)


def test_head_is_cut_at_a_word() -> None:
    text = "word " * 400
    head = head_of(text, 100)
    assert len(head) <= 100 and head.endswith("word")
    assert head_of("short", 100) == "short"


def test_sentences_respect_abbreviations_and_cjk() -> None:
    text = "Am 24. April sagte Dr. Müller in Berlin etwas. Die U.S. Army war nicht dabei, hieß es."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Am 24. April sagte Dr. Müller in Berlin etwas.",
        "Die U.S. Army war nicht dabei, hieß es.",
    ]
    zh = "北约国防部长周三在布鲁塞尔举行会议。他们讨论了阿富汗的任务和未来的计划。"
    assert len(split_sentences(zh)) == 2


def test_sentence_spans_are_offsets_and_capped() -> None:
    text = " ".join(f"This is sentence number {i} of a long article." for i in range(30))
    spans = split_sentences(text, max_sentences=5)
    assert len(spans) == 5
    assert all(text[s:e].startswith("This is sentence") for s, e in spans)


def test_title_and_lead_spans() -> None:
    text = "Storm hits coast\nThousands flee their homes as the storm arrives. Three died. More rain is due."
    assert text[slice(*title_span(text))] == "Storm hits coast"
    start, end = lead_span(text, max_chars=60)
    assert start == 0 and end <= len(text)
    assert title_span("") == (0, 0) and lead_span("") == (0, 0)
