"""Storyline's fine-tuned English NER (package data) and how a spaCy pipeline takes it on.

``models/ner_en`` is a spaCy pipeline holding only an ``ner`` component: the shipped
``en_core_web_sm`` NER (same architecture, its own tok2vec, so the same run-time cost) fine-tuned on
CoNLL-2003 ``eng.train`` by ``scripts/train_ner.py``. It predicts ``PER``/``ORG``/``LOC``/``MISC``
and, as silver labels kept from the shipped model, ``DATE TIME MONEY PERCENT CARDINAL ORDINAL
QUANTITY``. ``install_tuned_ner(nlp, "en")`` swaps it in place of the pipeline's ``ner``; nothing
is downloaded. ``understand.nlp.get_nlp`` is meant to call it right after ``spacy.load``.

``models/ner_<lang>`` for de, es, nl, pl, pt and ru are NER-only pipelines (the language's blank
tokenizer, a small ``tok2vec`` and ``ner``) trained from scratch by ``scripts/train_ner_lang.py``
for languages without a full spaCy pipeline; ``ner_only_path`` finds them and
``understand.nlp.get_ner`` loads them.
"""

from __future__ import annotations

import functools
import logging
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.model import lang_code

if TYPE_CHECKING:
    from spacy.language import Language

LOGGER = logging.getLogger(__name__)

__all__ = ["NER_ONLY", "TUNED_LABEL", "has_tuned_ner", "install_tuned_ner", "ner_only_path", "tuned_ner_path"]

TUNED_LABEL = "PER"  # the stock English NER has PERSON, never PER
_MODELS = {"en": "ner_en"}
NER_ONLY = ("de", "es", "nl", "pl", "pt", "ru")  # languages with a shipped NER-only pipeline


def _model_dir(name: str) -> Path:
    return Path(str(resources.files("storyline.understand").joinpath("models", name)))


def tuned_ner_path(language: str | None) -> Path | None:
    """The directory of the tuned NER for ``language``, ``None`` when none ships."""
    name = _MODELS.get(lang_code(language))
    if name is None:
        return None
    path = _model_dir(name)
    return path if (path / "ner").is_dir() else None


def ner_only_path(language: str | None) -> Path | None:
    """The directory of the NER-only pipeline for ``language``, ``None`` when none ships."""
    code = lang_code(language)
    if code not in NER_ONLY:
        return None
    path = _model_dir(f"ner_{code}")
    return path if (path / "ner").is_dir() and (path / "config.cfg").is_file() else None


@functools.cache
def _tuned(path: Path) -> Language:
    import spacy

    return spacy.load(path)


def has_tuned_ner(nlp: Language) -> bool:
    """Whether the pipeline's ``ner`` is the tuned one (it knows the ``PER`` label)."""
    if "ner" not in nlp.pipe_names:
        return False
    ner: Any = nlp.get_pipe("ner")
    return TUNED_LABEL in ner.labels


def install_tuned_ner(nlp: Language, language: str | None) -> bool:
    """Replace ``nlp``'s ``ner`` with the tuned one for ``language``; ``False`` when there is none.

    Idempotent. Equivalent to ``nlp.remove_pipe("ner"); nlp.add_pipe("ner", source=spacy.load(path))``.
    """
    path = tuned_ner_path(language)
    if path is None or has_tuned_ner(nlp):
        return has_tuned_ner(nlp)
    position = nlp.pipe_names.index("ner") if "ner" in nlp.pipe_names else len(nlp.pipe_names)
    if "ner" in nlp.pipe_names:
        nlp.remove_pipe("ner")
    before = nlp.pipe_names[position] if position < len(nlp.pipe_names) else None
    if before is None:
        nlp.add_pipe("ner", source=_tuned(path))
    else:
        nlp.add_pipe("ner", source=_tuned(path), before=before)
    LOGGER.info("nlp: %s NER replaced by the tuned model at %s", language, path)
    return True
