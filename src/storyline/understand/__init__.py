"""Understanding: the facts an article states (entities, quotes, dates, figures), one package per kind.

Every fact carries character offsets into ``Article.text``. ``find_facts(article)`` (and
``find_facts_many(articles)``, the batched pass the pipeline's workers run) is the one entry point:
one NLP pass (``nlp``), then entity mentions (``entities``), quotes (``quotes``), time expressions
(``timex``) and figures (``figures``) as ``Findings``. Canonical entities across articles are the
main process's part (``understand.canonical``).
"""

from storyline.understand._findings import MAX_TEXT_CHARS, Findings, find_facts, find_facts_many

__all__ = ["MAX_TEXT_CHARS", "Findings", "find_facts", "find_facts_many"]
