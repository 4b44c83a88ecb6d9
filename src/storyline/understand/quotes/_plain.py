"""Attributions without a parser: quotation marks, cue words and name-like spans.

Used for languages without a spaCy model on PyPI (German, Spanish, Italian, Portuguese, Dutch...)
and for English/French when their model is not installed.

- **Direct**: a quoted passage whose sentence holds a cue word of the language (``sagte``, ``dijo``,
  ``ha detto``, ``disse``, ``zei``, ``said``...) after the closing mark or before the opening mark;
  the speaker is the nearest name-like span next to the cue: a run of capitalised words, optionally
  after a determiner (``der Minister``), or a personal pronoun (``sagte er``).
- **Indirect**: ``<speaker> <cue>, dass/que/che/dat/that ...`` (content = the clause to the end of
  the sentence), ``laut/según/secondo/segundo/volgens/selon/according to X, ...`` (content = the
  rest of the sentence), and a post-posed ``..., <cue> <speaker>.``
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from dataclasses import replace

from storyline.understand.cues import ACCORDING, CUE_FORMS, PRONOUNS, SPEECH, SpeechTable
from storyline.understand.nlp import EntitySpan
from storyline.understand.quotes._confidence import check_speaker
from storyline.understand.quotes._marks import Quoted
from storyline.understand.quotes._parse import Candidate

LOGGER = logging.getLogger(__name__)

__all__ = ["plain_candidates"]

_COMPLEMENTISERS = r"(?:dass|daß|que|che|dat|that|qu['’])"
_DETERMINER = (
    r"(?:(?:der|die|das|el|la|los|las|il|lo|la|le|les|l['’]|o|a|os|as|de|het|the|ein|eine|un|una|uno|um|uma"
    r"|een|a|an)\s+)"
)
_CAP = r"[A-ZÀ-ÖØ-Þ](?:[a-z]{0,3}\.|[\w’'-]*)"
_PARTICLE = r"von|van|de|del|da|di|der|den|la|le"
_NAME = rf"(?<![\w])(?:{_DETERMINER}(?:[a-zà-ÿ][\w-]*\s+){{0,2}})?{_CAP}(?:\s+(?:{_CAP}|{_PARTICLE}))*"
_NAME_RE = re.compile(_NAME)
_WINDOW = 90
_COLON = re.compile(r"\s*((?:[A-Z][\w.’'-]*\s){0,3}[A-Z][\w.’'-]*):\s+(\S.*)")


@functools.cache
def _cue_re(lang: str) -> re.Pattern[str]:
    forms = CUE_FORMS.get(lang) or frozenset().union(*CUE_FORMS.values())
    alternatives = "|".join(sorted((re.escape(f) for f in forms), key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])", re.IGNORECASE)


@functools.cache
def _pronoun_re(lang: str) -> re.Pattern[str]:
    words = sorted(PRONOUNS.get(lang, PRONOUNS["en"]), key=len, reverse=True)
    return re.compile(rf"(?<![\w])(?:{'|'.join(map(re.escape, words))})(?![\w])", re.IGNORECASE)


def _sentence_of(sentences: Sequence[tuple[int, int]], pos: int) -> tuple[int, int]:
    for start, end in sentences:
        if start <= pos < end:
            return start, end
    return pos, pos


def _speaker_near(text: str, lang: str, start: int, end: int, after: bool) -> tuple[int, int] | None:
    """The name-like span or pronoun in ``text[start:end]`` nearest to its start (``after``) or end."""
    window = text[start:end]
    best: tuple[int, int] | None = None
    for regex in (_pronoun_re(lang), _NAME_RE):
        for match in regex.finditer(window):
            span = (start + match.start(), start + match.end())
            if best is None or (span[0] < best[0] if after else span[1] > best[1]):
                best = span
            if after:
                break
    return best


def _direct(text: str, lang: str, q: Quoted, sentences: Sequence[tuple[int, int]]) -> Candidate | None:
    s_start, _ = _sentence_of(sentences, q.start)
    after = _cue_re(lang).search(text, q.end, min(len(text), q.end + _WINDOW))
    if (
        after
        and "\n" not in text[q.end : after.start()]
        and not re.search(r"[.!?]\s", text[q.end : after.start()])
    ):
        right = min(len(text), after.end() + 60)
        nl = text.find("\n", after.end(), right)
        right = nl if nl >= 0 else right
        speaker = _speaker_near(text, lang, after.end(), right, after=True) or _speaker_near(
            text, lang, q.end, after.start(), after=False
        )
        return Candidate(((q.start, q.end),), (after.start(), after.end()), speaker, "plain-direct")
    lead = text[s_start : q.start]
    if not lead.strip() and text[:s_start].rstrip().endswith(":"):
        s_start = max(text.rfind("\n", 0, len(text[:s_start].rstrip())) + 1, 0)
        lead = text[s_start : q.start]
    cues = list(_cue_re(lang).finditer(lead))
    if cues and lead.rstrip().endswith((":", ",")):
        cue = cues[-1]
        cue_span = (s_start + cue.start(), s_start + cue.end())
        speaker = _speaker_near(text, lang, s_start, cue_span[0], after=False) or _speaker_near(
            text, lang, cue_span[1], q.start, after=True
        )
        return Candidate(((q.start, q.end),), cue_span, speaker, "plain-direct")
    return None


def _indirect(text: str, lang: str, start: int, end: int) -> list[Candidate]:
    sentence = text[start:end]
    stop = len(sentence.rstrip().rstrip(".!?…").rstrip())
    found: list[Candidate] = []
    for phrase in ACCORDING.get(lang, ()):
        match = re.match(rf"\s*({re.escape(phrase)})\s+({_NAME})\s*,\s*", sentence, re.IGNORECASE)
        if match and match.end() < stop:
            found.append(
                Candidate(
                    ((start + match.end(), start + stop),),
                    (start + match.start(1), start + match.end(1)),
                    (start + match.start(2), start + match.end(2)),
                    "plain-according",
                )
            )
    for cue in _cue_re(lang).finditer(sentence):
        comp = re.match(rf"\s*,?\s*({_COMPLEMENTISERS})", sentence[cue.end() :], re.IGNORECASE)
        if comp:
            content_start = cue.end() + comp.start(1)
            if content_start < stop:
                speaker = _speaker_near(text, lang, start, start + cue.start(), after=False)
                found.append(
                    Candidate(
                        ((start + content_start, start + stop),),
                        (start + cue.start(), start + cue.end()),
                        speaker,
                        "plain-that",
                    )
                )
            continue
        lead = sentence[: cue.start()].rstrip()
        if lead.endswith(",") and not re.search(r"[\"“”„«»]", lead) and cue.end() >= stop - 40:
            speaker = _speaker_near(text, lang, start + cue.end(), start + stop, after=True)
            if speaker is not None and len(lead) > 15:
                found.append(
                    Candidate(
                        ((start, start + len(lead) - 1),),
                        (start + cue.start(), start + cue.end()),
                        speaker,
                        "plain-post",
                    )
                )
    return found


def _colon(text: str, start: int, end: int) -> Candidate | None:
    """``Name: what they said`` at the start of a paragraph (headlines, transcripts)."""
    match = _COLON.match(text, start, end)
    if match is None or len(match.group(2).split()) < 3 or match.group(1).isupper():
        return None
    content_end = end
    while content_end > match.start(2) and text[content_end - 1] in " \t.":
        content_end -= 1
    cue = (match.end(1), match.end(1) + 1)
    return Candidate(((match.start(2), content_end),), cue, (match.start(1), match.end(1)), "colon")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


def plain_candidates(
    text: str,
    language: str | None,
    quoted: Sequence[Quoted],
    sentences: Sequence[tuple[int, int]],
    *,
    covered: Sequence[Candidate] = (),
    indirect: bool = True,
    entities: Sequence[EntitySpan] = (),
) -> list[Candidate]:
    """Attribution candidates found without a parser (see the module docstring).

    Quoted passages that overlap a ``covered`` candidate are skipped; ``indirect=False`` keeps only
    direct quotes and ``Name:`` paragraphs (the fallback after the parser's rules). ``entities``
    (the NER spans of the text) are preferred as speakers in the languages of ``speech.json``.
    """
    lang = language or ""
    multilingual = lang in SPEECH
    taken = [(c.start, c.end) for c in covered]
    found: list[Candidate] = []

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken)

    for q in quoted:
        if free(q.start, q.end) and len(text[q.inner_start : q.inner_end].split()) >= 2:
            cand = (
                _direct_ml(text, lang, q, sentences, entities)
                if multilingual
                else _direct(text, lang, q, sentences)
            )
            if cand is not None:
                found.append(cand)
                taken.append((cand.start, cand.end))
    for start, end in _paragraphs(text):
        cand = _colon_ml(text, lang, start, end, entities) if multilingual else _colon(text, start, end)
        if cand is not None and free(cand.start, cand.end):
            found.append(cand)
            taken.append((cand.start, cand.end))
    if indirect:
        if multilingual:  # "Headline  Body": a run of spaces ends a sentence too
            sentences = [
                (s + m.start(), s + m.end())
                for s, e in sentences
                for m in re.finditer(r"\S.*?(?=\s{2,}\S|$)", text[s:e], re.S)
            ]
        for start, end in sentences:
            cands = (
                _indirect_ml(text, lang, start, end, entities)
                if multilingual
                else _indirect(text, lang, start, end)
            )
            for cand in cands:
                if free(cand.start, cand.end):
                    found.append(cand)
                    if multilingual:
                        taken.append((cand.start, cand.end))
    return found


def _colon_ml(text: str, lang: str, start: int, end: int, entities: Sequence[EntitySpan]) -> Candidate | None:
    """``Name: what they said`` opening a paragraph, when ``Name`` is a person or organisation entity.

    Without NER a capitalised word before a colon is as often a topic (``Corona: ...``) as a
    speaker, so the rule needs an entity span (or a quotation after the colon, left to ``_direct_ml``).
    """
    cand = _colon(text, start, end)
    if cand is None or cand.speaker is None:
        return None
    entity = _entity_in(entities, cand.speaker[0], cand.speaker[1])
    if entity is None or entity != cand.speaker:
        return None
    return cand


# --- Languages other than English: speaker phrases, entity spans, and the table of ``speech.json``.

_TOKEN = re.compile(r"[^\s,.;:!?()\[\]\"“”„«»‹›—–]+|[,.;:!?()\[\]\"“”„«»‹›—–]")
_INVERTED = re.compile(r"[-‑](?:t[-‑])?(il|elle|ils|elles|on)\s*$", re.IGNORECASE)
_PERSON_LABELS = frozenset({"PER", "PERSON"})
_BODY_LABELS = frozenset({"ORG", "NORP"})
_MAX_PHRASE = 8


def _is_time(word: str, table: SpeechTable) -> bool:
    low = word.lower()
    return low in table.time or any(low.startswith(t) and len(t) > 4 for t in table.time if t[:1].isalpha())


def _is_cap(word: str) -> bool:
    return word[:1].isupper() or (word[:1].isdigit() and "-" in word)


def _phrase(text: str, lang: str, start: int, end: int) -> tuple[int, int] | None:
    """The noun phrase (a name, or a described person or body) opening ``text[start:end]``.

    ``[determiner] [up to 3 words] head [name words] [of-preposition + phrase]``, ended by
    punctuation, a function word, a time word or a new determiner after the head.
    """
    table = SPEECH.get(lang, SpeechTable())
    tokens = [m for m in _TOKEN.finditer(text, start, end)]
    if not tokens:
        return None
    i = 0
    first = tokens[0].group()
    if first.lower() in table.determiners or first.lower().startswith(("l'", "l’")):
        i = 1
    kept_end: int | None = None
    seen_head = False
    n_lower = 0
    while i < len(tokens) and i < _MAX_PHRASE:
        word = tokens[i].group()
        low = word.lower()
        if not word[:1].isalnum():
            break
        if (
            low in table.prepositions
            and seen_head
            and i + 1 < len(tokens)
            and tokens[i + 1].group()[:1].isalnum()
        ):
            nxt = tokens[i + 1].group().lower()
            if nxt in table.determiners or _is_cap(tokens[i + 1].group()) or nxt in table.people:
                i += 2 if nxt in table.determiners else 1
                continue
            break
        if (
            low in table.stop
            or low in table.determiners
            or low in table.complementisers
            or _is_time(word, table)
        ):
            break
        if low in CUE_FORMS.get(lang, frozenset()):
            break
        if _is_cap(word) or low in table.people:
            seen_head = True
            kept_end = tokens[i].end()
        elif tokens[0].group().lower() in table.determiners or first.lower().startswith(("l'", "l’")):
            n_lower += 1
            if n_lower > 3 or (seen_head and any(_is_cap(t.group()) for t in tokens[1:i])):
                break
            if lang in _HEAD_FINAL and seen_head and not _adjective_before(tokens[i - 1].group(), table):
                break  # "de politie | was": the noun ends a Dutch or German phrase
            seen_head = True
            kept_end = tokens[i].end()
        else:
            break
        i += 1
    if kept_end is None:
        return None
    return tokens[0].start(), kept_end


_HEAD_FINAL = frozenset({"de", "nl"})
_IMPERSONAL = re.compile(r"(?<![\w])(?:si|se|man|on|men)\s+$", re.IGNORECASE)


def _adjective_before(word: str, table: SpeechTable) -> bool:
    """A Dutch or German word that may precede its noun (``nieuwe``, ``neuen``), not a person noun."""
    low = word.lower()
    return low not in table.people and low.endswith(("e", "en", "er", "es"))


def _entity_in(
    entities: Sequence[EntitySpan], start: int, end: int, *, last: bool = False
) -> tuple[int, int] | None:
    """The first (``last``: the last) person entity in ``start:end``, else organisation."""
    for labels in (_PERSON_LABELS, _BODY_LABELS):
        found = [
            (e.start, e.end) for e in entities if e.label in labels and start <= e.start and e.end <= end
        ]
        if found:
            return max(found) if last else min(found)
    return None


def _skip_time(text: str, lang: str, pos: int, end: int) -> int:
    """``pos`` moved past time words and adverbs (``am Mittwoch``, ``el jueves temprano``)."""
    table = SPEECH.get(lang, SpeechTable())
    tokens = list(_TOKEN.finditer(text, pos, end))
    i = 0
    while i < len(tokens):
        low = tokens[i].group().lower()
        if _is_time(low, table):
            i += 1
        elif (
            (low in table.determiners or low in table.stop)
            and i + 1 < len(tokens)
            and _is_time(tokens[i + 1].group(), table)
        ):
            i += 2
        else:
            break
    return tokens[i].start() if i < len(tokens) else pos


def _clause_end(text: str, pos: int, limit: int) -> int:
    match = re.compile(r"[.;:!?\n]|,\s").search(text, pos, limit)
    return match.start() if match else limit


def speaker_after(
    text: str, lang: str, pos: int, limit: int, entities: Sequence[EntitySpan]
) -> tuple[int, int] | None:
    """The speaker right after a post-posed cue at ``pos`` (``sagte er``, ``dijo el ministro``)."""
    start = _skip_time(text, lang, pos, limit)
    end = _clause_end(text, start, limit)
    if end <= start:
        return None
    first = re.match(r"\s*([\w’'-]+)", text[start:end])
    if first and first.group(1).lower() in PRONOUNS.get(lang, {}):
        return start + first.start(1), start + first.end(1)
    phrase = _phrase(text, lang, start, end)
    window_end = min(end, (phrase[1] if phrase else start) + 40)
    entity = _entity_in(entities, start, window_end)
    if entity is not None and (phrase is None or entity[0] <= phrase[1] + 1):
        return entity
    return phrase


def speaker_before(
    text: str, lang: str, start: int, cue: int, entities: Sequence[EntitySpan]
) -> tuple[int, int] | None:
    """The speaker of a cue at ``cue`` in the clause ``text[start:cue]`` (``der Minister sagte``)."""
    lead = text[start:cue]
    inverted = _INVERTED.search(lead)
    if inverted:
        return start + inverted.start(1), start + inverted.end(1)
    stripped = lead.rstrip()
    while stripped.endswith(")") and "(" in stripped:  # "Werner Kogler (Grüne) hofft"
        stripped = stripped[: stripped.rfind("(")].rstrip()
    if not stripped:
        return None
    entity = _entity_in(entities, start, start + len(stripped), last=True)
    if entity is not None and len(text[entity[1] : start + len(stripped)].split()) <= 1:
        return entity
    if stripped.endswith(","):  # "Azzolina, que compareció ..., dijo": the clause opens with the speaker
        opening = _skip_opening(text, lang, start, start + len(stripped))
        phrase = _phrase(text, lang, opening, start + len(stripped))
        if phrase is not None and text[phrase[1] : phrase[1] + 1] == ",":
            return phrase
        return None
    words = list(_TOKEN.finditer(text, start, start + len(stripped)))
    table = SPEECH.get(lang, SpeechTable())
    for back in range(1, min(len(words), _MAX_PHRASE) + 1):
        cand = words[-back]
        low = cand.group().lower()
        if not cand.group()[:1].isalnum():
            return None
        if (
            low in table.determiners
            or (back == len(words) and _is_cap(cand.group()))
            or (back < len(words) and not words[-back - 1].group()[:1].isalnum() and _is_cap(cand.group()))
        ):
            phrase = _phrase(text, lang, cand.start(), start + len(stripped))
            if phrase is not None and phrase[1] == start + len(stripped):
                return phrase
        if low in table.stop or (low not in table.people and not _is_cap(cand.group()) and back > 3):
            break
    return None


def _skip_opening(text: str, lang: str, start: int, end: int) -> int:
    """Past opening spaces and time words of a clause."""
    while start < end and text[start].isspace():
        start += 1
    return _skip_time(text, lang, start, end)


_SEPARATOR = re.compile(r"\s*(?:[,;]\s*|[—–]\s*,?\s*)")


def _cue_at(text: str, lang: str, pos: int) -> re.Match[str] | None:
    return _cue_re(lang).match(text, pos)


def _direct_ml(
    text: str, lang: str, q: Quoted, sentences: Sequence[tuple[int, int]], entities: Sequence[EntitySpan]
) -> Candidate | None:
    """A quoted passage with a cue after it (``„…“, sagte er``; ``"…", Giuliani ha detto``) or before."""
    words = text[q.inner_start : q.inner_end].split()
    if len(words) <= 3 and all(_is_cap(w) for w in words):  # „Bild“, "La Hiena": a name or title
        return None
    line_end = text.find("\n", q.end)
    line_end = len(text) if line_end < 0 else line_end
    limit = min(line_end, q.end + 160)
    inner_last = text[q.inner_end - 1 : q.inner_end]
    sep = _SEPARATOR.match(text, q.end)
    pos = sep.end() if sep and sep.end() > q.end else q.end
    if (sep is None or sep.end() == q.end) and text[q.end - 1 : q.end] not in {"—", "–", "―"}:
        if inner_last not in {",", "!", "?", "…"}:
            pos = -1
        else:
            pos = q.end + len(text[q.end : limit]) - len(text[q.end : limit].lstrip())
    if pos >= 0:
        cue = _cue_at(text, lang, pos)
        if cue is not None:
            speaker = speaker_after(text, lang, cue.end(), limit, entities)
            return Candidate(((q.start, q.end),), (cue.start(), cue.end()), speaker, "plain-direct")
        subject = speaker_after(text, lang, pos, min(limit, pos + 60), entities)
        if subject is not None:
            gap = re.match(r"\s*", text[subject[1] :])
            after = subject[1] + (gap.end() if gap else 0)
            cue = _cue_at(text, lang, after)
            if cue is not None:
                return Candidate(((q.start, q.end),), (cue.start(), cue.end()), subject, "plain-direct")
        dash = re.match(r"\s*\.?\s*[—–]\s*", text[q.end : limit])
        if dash is not None:
            named = _phrase(text, lang, q.end + dash.end(), limit)
            if named is not None and _is_cap(text[named[0] : named[1]]):
                cue_span = (q.end + dash.start(), q.end + dash.end())
                return Candidate(((q.start, q.end),), cue_span, named, "plain-dash")
    s_start, _ = _sentence_of(sentences, q.start)
    lead = text[s_start : q.start]
    if not lead.strip() and text[:s_start].rstrip().endswith(":"):
        s_start = max(text.rfind("\n", 0, len(text[:s_start].rstrip())) + 1, 0)
        lead = text[s_start : q.start]
    if not lead.rstrip().endswith((":", ",")):
        return None
    cues = [c for c in _cue_re(lang).finditer(lead)]
    if not cues:
        colon = re.match(r"\s*(.+?)\s*:\s*$", lead)
        if colon is None:
            return None
        named = _phrase(text, lang, s_start + colon.start(1), s_start + colon.end(1))
        entity = _entity_in(entities, s_start, q.start)
        if entity is None or named is None or named[1] != s_start + colon.end(1):
            return None
        cue_span = (s_start + colon.end(1), s_start + colon.end(1) + 1)
        return Candidate(((q.start, q.end),), cue_span, entity, "plain-colon")
    cue = cues[-1]
    cue_span = (s_start + cue.start(), s_start + cue.end())
    speaker = speaker_before(text, lang, s_start, cue_span[0], entities) or speaker_after(
        text, lang, cue_span[1], q.start, entities
    )
    return Candidate(((q.start, q.end),), cue_span, speaker, "plain-direct")


def _according_ml(
    text: str, lang: str, start: int, end: int, entities: Sequence[EntitySpan]
) -> list[Candidate]:
    """``laut X``, ``según X``, ``secondo X``, ``selon X``... anywhere in the sentence."""
    sentence = text[start:end]
    stop = start + len(sentence.rstrip().rstrip(".!?…").rstrip())
    found: list[Candidate] = []
    for phrase in ACCORDING.get(lang, ()):
        for match in re.finditer(rf"(?<![\w])({re.escape(phrase)})\s+", sentence, re.IGNORECASE):
            p_start, p_end = start + match.start(1), start + match.end()
            speaker = _phrase(text, lang, p_end, stop)
            entity = _entity_in(entities, p_end, min(stop, p_end + 60))
            if entity is not None and entity[0] == p_end:
                speaker = entity
            if speaker is None or speaker[0] != p_end:
                continue
            named = [(e.start, e.end, e.label) for e in entities]
            if (
                check_speaker(text[speaker[0] : speaker[1]], speaker[0], speaker[1], named).status
                == "refused"
            ):
                continue  # "según el informe": a document, not a speaker
            lead = text[start:p_start].strip()
            tail = text[speaker[1] : stop]
            if not lead:  # "Según X, ..."; "Laut X verfügen ..."
                body = speaker[1] + len(tail) - len(tail.lstrip(" ,\u00a0"))
                content = (body, stop)
            elif not tail.strip(" ,") or tail.lstrip().startswith(","):  # "..., según X."
                content = (start, start + len(text[start:p_start].rstrip(" ,")))
                if tail.strip(" ,"):
                    continue
            else:  # "Sie waren laut Polizei am Montag ...": the sentence around the phrase
                parts = ((start, p_start), (speaker[1], stop))
                found.append(Candidate(parts, (p_start, start + match.end(1)), speaker, "plain-according"))
                continue
            if content[1] - content[0] > 15:
                found.append(
                    Candidate((content,), (p_start, start + match.end(1)), speaker, "plain-according")
                )
    return found


def _indirect_ml(
    text: str, lang: str, start: int, end: int, entities: Sequence[EntitySpan]
) -> list[Candidate]:
    sentence = text[start:end]
    stop = start + len(sentence.rstrip().rstrip(".!?…").rstrip())
    table = SPEECH.get(lang, SpeechTable())
    found = _according_ml(text, lang, start, end, entities)
    comps = "|".join(sorted(map(re.escape, table.complementisers), key=len, reverse=True)) or "(?!)"
    for cue in _cue_re(lang).finditer(text, start, stop):
        if cue.group().lower() in {a.lower() for a in ACCORDING.get(lang, ())}:
            continue
        if _IMPERSONAL.search(text[start : cue.start()]) or re.match(r"\s+(?:man|on)\b", text[cue.end() :]):
            continue  # "si dice che", "se dice que", "sagt man": nobody speaks
        rest = text[cue.end() : stop]
        comp = re.match(rf"\s*,?\s*(?:{comps})(?![\w])", rest, re.IGNORECASE)
        subject = None if comp is not None else speaker_after(text, lang, cue.end(), stop, entities)
        if subject is not None:  # "dijo el ministro que ...", "sagte der Minister, dass ..."
            comma = ",?" if lang in _HEAD_FINAL else ""  # "dijo Fury, que ...": a relative clause
            comp = re.match(rf"\s*{comma}\s*(?:{comps})(?![\w])", text[subject[1] : stop], re.IGNORECASE)
            if comp is not None:
                rest = text[cue.end() : subject[1]] + text[subject[1] : stop]
                comp = re.match(
                    rf"(.*?)(?:{comps})(?![\w])", rest[: subject[1] - cue.end() + comp.end()], re.I
                )
        colon = re.match(r"([^,.;]{0,60}?):\s+(?=\S)", rest)
        if comp is not None or colon is not None:
            if comp is not None:
                head = re.search(rf"(?:{comps})(?![\w])", rest[: comp.end()], re.IGNORECASE)
                content_start = cue.end() + (head.start() if head else comp.end())
            else:
                content_start = cue.end() + colon.end()  # type: ignore[union-attr]
            if stop - content_start > 10 and not any(ch in text[cue.end() : content_start] for ch in '"“„«'):
                speaker = speaker_before(text, lang, start, cue.start(), entities) or speaker_after(
                    text, lang, cue.end(), content_start, entities
                )
                found.append(
                    Candidate(((content_start, stop),), (cue.start(), cue.end()), speaker, "plain-that")
                )
            continue
        lead = text[start : cue.start()].rstrip()
        as_clause = re.search(r",\s*(wie|como|come|comme|zoals|conforme)\s+([^,]*)$", lead, re.IGNORECASE)
        if as_clause is not None and len(as_clause.group(2).split()) <= 8 and as_clause.start() > 15:
            verb_final = as_clause.group(1).lower() in {"wie", "zoals"}
            speaker = (
                _phrase(text, lang, start + as_clause.start(2), cue.start())
                if verb_final
                else speaker_after(text, lang, cue.end(), stop, entities)
            )
            if speaker is not None:
                content = (start, start + as_clause.start())
                found.append(Candidate((content,), (cue.start(), cue.end()), speaker, "plain-as"))
            continue
        if lead.endswith((",", "—", "–")) and not re.search(r"[\"“”„«»]", lead) and len(lead) > 15:
            speaker = speaker_after(text, lang, cue.end(), stop, entities)
            if speaker is not None and len(text[speaker[1] : stop].split()) <= 4:  # "..., dijo X ayer."
                found.append(
                    Candidate(
                        ((start, start + len(lead) - 1),), (cue.start(), cue.end()), speaker, "plain-post"
                    )
                )
    return found


def fill_speaker(text: str, lang: str, cand: Candidate, entities: Sequence[EntitySpan]) -> Candidate:
    """``cand`` with the speaker phrase next to its cue (after it, else before it in its sentence)."""
    line_end = text.find("\n", cand.cue[1])
    limit = min(len(text) if line_end < 0 else line_end, cand.cue[1] + 120)
    if cand.start >= cand.cue[1]:
        limit = min(limit, cand.start)
    speaker = speaker_after(text, lang, cand.cue[1], limit, entities)
    if speaker is None:
        s_start = max(text.rfind("\n", 0, cand.cue[0]) + 1, cand.end if cand.end <= cand.cue[0] else 0)
        ends = [m.end() for m in re.finditer(r"[.!?…»”\"]\s+", text[s_start : cand.cue[0]])]
        begin = s_start + ends[-1] if ends else s_start
        speaker = speaker_before(text, lang, begin, cand.cue[0], entities)
    return cand if speaker is None else replace(cand, speaker=speaker)
