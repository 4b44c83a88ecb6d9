"""Precision first: which speakers and quotes to keep, and how sure we are of each quote.

For a journalist one wrong "X said" is worse than a missing one (issue 16), so after the rules
have proposed quotes:

- A speaker must be a person, organisation or group: a named mention (it overlaps a NER entity,
  or every word of it is capitalised), or a description whose head noun names a person or a body
  (``a European diplomat``, ``the committee``). A pronoun or relative word left unresolved
  (``who``, ``it``, ``that``, ``you``, ``which``, ``they``...) and a topic phrase (``A study``,
  ``Tensions with Turkey``) are dropped: the quote stays, without a speaker.
- A fragment is not a quote: content of one or two words (scare quotes such as ``"troops"``, or a
  word quoted under a clause) is dropped, unless it is a whole quoted utterance (``"Never!"``).
- ``confidence`` (0..1) is a fixed, hand-set score, not fitted: it starts from the quote's kind
  (direct speech is the least ambiguous), adds for a named speaker and a core reporting verb, and
  subtracts for a missing speaker and very short content. Only the display threshold
  (``DEFAULT_MIN_CONFIDENCE``) is chosen from data, by cross-validation on PolNeAR grouped by
  document (``scripts/eval_attributions.py``; docs/evaluation.md gives the out-of-fold figures).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.model import Quote
from storyline.understand.cues import SPEECH
from storyline.understand.quotes._marks import find_quoted
from storyline.understand.quotes._speakers import ROLES

LOGGER = logging.getLogger(__name__)

__all__ = ["DEFAULT_MIN_CONFIDENCE", "SpeakerCheck", "check_speaker", "is_fragment", "quote_confidence"]

# Chosen by 5-fold cross-validation grouped by document on polnear_dev (scripts/eval_attributions.py).
DEFAULT_MIN_CONFIDENCE = 0.2


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words that cannot be shown as a speaker on their own: pronouns, relatives, demonstratives.
UNRESOLVED = _set(
    """who whom whose which that it its this these those you your they them we us i me he him she her
    one someone somebody anyone anybody everyone everybody nobody none there what whoever here
    il elle ils elles on lui qui que ce cela ça er sie es wer der die das man él ella ellos ellas
    quien que lo lei loro esso chi ele ela eles elas quem hij zij ze het wie dat"""
) | frozenset(w for table in SPEECH.values() for w in table.unresolved)
# Head nouns of a description that names a person, a group or a body.
_PEOPLE = (
    _set(
        """people person man woman men women official officials spokesman spokeswoman spokesperson source
    sources analyst analysts expert experts observer observers witness witnesses resident residents
    lawyer lawyers attorney attorneys prosecutor prosecutors judge judges police officer officers
    investigator investigators aide aides critic critics supporter supporters voter voters researcher
    researchers scientist scientists economist economists doctor doctors activist activists member
    members leader leaders protester protesters worker workers student students teacher teachers
    farmer farmers owner owners executive executives manager managers employee employees colleague
    colleagues friend friends neighbour neighbours neighbor neighbors relative relatives family mother
    father son daughter wife husband brother sister victim victims survivor survivors soldier soldiers
    troops military army authorities authority government administration ministry department agency
    committee commission council court party campaign company firm group organisation organization
    union association bank board office team club coach player players fans parliament congress
    senate house lawmaker lawmakers legislators legislator republicans democrats reporter reporters
    journalist journalists correspondent editor writer author historian professor representative
    representatives delegate delegates negotiator negotiators mediator diplomats staff staffer staffers
    insider insiders organizer organizers organiser organisers campaigner campaigners candidate
    candidates nominee contender challenger incumbent spokespeople citizens citizen americans actor
    actress adviser advisor consultant spokesman strategist pollster donor donors"""
    )
    | ROLES
    | frozenset(w for table in SPEECH.values() for w in table.people)
)
_WORD = re.compile(r"[\w’'.-]+")
_SPLIT_HEAD = re.compile(
    r"\s+(?:of|with|from|at|in|for|on|to|de|du|des|von|vom|der|del|della|di|do|da|dos|das|van)\s+", re.I
)
_NAMED_LABELS = frozenset({"PERSON", "PER", "ORG", "NORP", "GPE", "SPEAKER", "SPEAKER_GROUP"})
_CORE_CUES = _set(
    """say says said saying tell tells told add adds added according dit déclaré sagte sagt erklärte
    dijo afirmó"""
)


@dataclass(frozen=True, slots=True)
class SpeakerCheck:
    """Whether a speaker may be shown, and as what: ``named``, ``described`` or ``refused``."""

    status: str
    reason: str = ""
    span: tuple[int, int] | None = None  # the organisation to show instead ("a report by Amnesty")


def check_speaker(
    speaker: str, start: int | None, end: int | None, entities: Sequence[tuple[int, int, str]]
) -> SpeakerCheck:
    """Judge the speaker as shown (``speaker`` at ``start:end``); ``entities`` are (start, end, label)."""
    words = _WORD.findall(speaker)
    if not words:
        return SpeakerCheck("refused", "empty")
    lower = [w.lower() for w in words]
    if len(words) == 1 and lower[0] in UNRESOLVED:
        return SpeakerCheck("refused", "unresolved pronoun")
    topic = _topic_check(speaker, start, end, entities)
    if topic is not None:
        return topic
    if (
        start is not None
        and end is not None
        and any(s < end and start < e and label in _NAMED_LABELS for s, e, label in entities)
    ):
        return SpeakerCheck("named")
    if any(ch in speaker for ch in "[]{}<>|"):
        return SpeakerCheck("refused", "markup")
    name_words = words[1:] if lower[0] in _DETERMINERS else words
    if name_words and all(w[:1].isupper() or not w[:1].isalpha() for w in name_words):
        return SpeakerCheck("named")  # "Tax Policy Center", "the United States"
    head_words = _WORD.findall(_SPLIT_HEAD.split(speaker, maxsplit=1)[0])
    if head_words and _is_person_noun(head_words[-1].lower().rstrip(".")):
        return SpeakerCheck("described")
    # Romance languages put the head first: "las autoridades locales", "des personnes proches"
    if len(head_words) > 1 and lower[0] in _DETERMINERS and _is_person_noun(head_words[1].lower()):
        return SpeakerCheck("described")
    return SpeakerCheck("refused", "not a person, organisation or group")


_DETERMINERS = _set(
    "a an the this that these those some many several one two three le la les un une"
) | frozenset(w for table in SPEECH.values() for w in table.determiners)
# Head nouns of a topic or a document, never a speaker on their own ("A study", "Tensions with Turkey").
_TOPICS = _set(
    """study studies report reports survey surveys poll polls data analysis analyses research findings
    figures statistics document documents paper papers memo letter tension tensions fear fears concern
    concerns talks review evidence estimate estimates forecast forecasts projections numbers results"""
) | frozenset(w for table in SPEECH.values() for w in table.topics)
_TOPIC_SPLIT = re.compile(r"\s(by|from|with|over|about|between|among|against|in|on|of|at|for|to)\s", re.I)


def _topic_check(
    speaker: str, start: int | None, end: int | None, entities: Sequence[tuple[int, int, str]]
) -> SpeakerCheck | None:
    """A topic phrase is refused; ``a report by Amnesty`` keeps the organisation named after by/from.

    A document named by its author before the head (``a CNN poll``) is left to the other checks.
    """
    split = _TOPIC_SPLIT.search(speaker)
    head = _WORD.findall(speaker[: split.start()] if split else speaker)
    content = [w.lower() for w in head if w.lower() not in _DETERMINERS]
    if not content or not ({content[0], content[-1]} & _TOPICS) or any(map(_is_person_noun, content)):
        return None
    if start is None or end is None:
        return SpeakerCheck("refused", "a topic, not a person, organisation or group")
    cut = start + split.start() if split else end
    if any(s < cut and start < e and label in _NAMED_LABELS for s, e, label in entities):
        return None
    if split is not None and split.group(1).lower() in {"by", "from"}:
        tail = start + split.end()
        named = [(s, e) for s, e, label in entities if tail <= s and e <= end and label in _NAMED_LABELS]
        if named:
            return SpeakerCheck("named", span=min(named))
    return SpeakerCheck("refused", "a topic, not a person, organisation or group")


def _is_person_noun(word: str) -> bool:
    """A head noun naming a person or body: listed, a listed word's plural, or an agent suffix."""
    singular = word[:-1] if word.endswith("s") else word
    if word in _PEOPLE or singular in _PEOPLE or (word.endswith("ies") and word[:-3] + "y" in _PEOPLE):
        return True
    return singular.endswith(_AGENT_SUFFIXES) and not singular.endswith("ment")


_AGENT_SUFFIXES = ("ist", "ian", "eon", "ant", "ent", "ee", "ess", "smith", "actor", "maker")


def is_fragment(text: str, quote: Quote, cue_start: int) -> bool:
    """One or two quoted words under a clause (scare quotes, a quoted term), not speech.

    A short quote is kept only when it is a whole utterance: direct, its cue after it and its
    closing mark followed by ``, ! ?`` (``"No," he said``; ``« Nous restons », a déclaré``), or
    opening a sentence or following a colon.
    """
    if len(_WORD.findall(quote.text)) > 2:
        return False
    if not quote.text.strip() or quote.kind != "direct":
        return True
    after = text[quote.end : quote.end + 6].lstrip(_CLOSERS)
    if (cue_start >= quote.end and after[:1] in ",!?") or quote.text[-1:] in {",", "!", "?"}:
        return False
    before = text[max(0, quote.start - 6) : quote.start].rstrip(_CLOSERS)
    return not (before == "" or before[-1:] in ":\n.")


_CLOSERS = " \u00a0\t\"'“”„‚‘’«»‹›「」"


def is_scare_quoted(quote: Quote) -> bool:
    """A mixed quote whose only quoted words are one- or two-word fragments under a non-speech cue.

    ``Trump wants to send "them" back``, ``praised the "troops"``: scare quotes, not speech. Under a
    speech or naming cue (``said he would deport "them"``, ``called the plan "a disaster"``) the
    attribution stands.
    """
    if quote.kind != "mixed":
        return False
    if {w.lower() for w in _WORD.findall(quote.cue)} & _SPEECH_CUES:
        return False
    parts = [quote.text[s:e] for q in find_quoted(quote.text) for s, e in q.parts]
    return bool(parts) and all(len(_WORD.findall(p)) <= 2 for p in parts)


_SPEECH_CUES = _CORE_CUES | _set(
    """call calls called calling describe describes described describing dub dubs dubbed label labels
    labelled labeled brand brands branded term terms termed write writes wrote written ask asks asked
    reply replies replied warn warns warned insist insists insisted claim claims claimed argue argues
    argued state states stated declare declares declared announce announces announced tweet tweets
    tweeted quoted quote quotes"""
)
# Below DEFAULT_MIN_CONFIDENCE: kept for the evaluation and ``--all``, hidden from readers.
SCARE_QUOTE_CONFIDENCE = 0.1


def quote_confidence(quote: Quote, speaker_status: str | None) -> float:
    """The hand-set score of the module docstring, in 0..1, rounded to 0.01."""
    if is_scare_quoted(quote):
        return SCARE_QUOTE_CONFIDENCE
    score = {"direct": 0.6, "mixed": 0.5, "indirect": 0.45}.get(quote.kind, 0.4)
    score += {"named": 0.25, "described": 0.15}.get(speaker_status or "", -0.25)
    cue_words = {w.lower() for w in _WORD.findall(quote.cue)}
    if cue_words & _CORE_CUES:
        score += 0.1
    n_words = len(_WORD.findall(quote.text))
    if n_words < 4:
        score -= 0.2
    elif n_words > 60:
        score -= 0.1
    return round(min(1.0, max(0.0, score)), 2)
