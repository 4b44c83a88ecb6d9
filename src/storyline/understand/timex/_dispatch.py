"""Which rules can start at a given word: two-word dispatch for the timex grammar.

Trying every rule at every word costs about 18 µs per word (40 rules, most opening with optional
word lists), far too slow for a 720-word article. So each rule's regex is analysed once (with the
standard library's regex parser) for the first two words it can start with (a word is a run of
word characters; spaces, hyphens and other non-word characters separate words). A scan looks up
the word at each word start (and, where it matters, the word after it: ``the`` opens a dozen rules,
``the third`` only two) and tries only the rules that can start there, in priority order.

The analysis over-approximates (lookarounds are ignored, repeats and open character classes give a
prefix test), so a rule is sometimes tried where it cannot match, never skipped where it can; a test
checks the fast scan against trying the full alternation at every word.
"""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from storyline.understand.timex._numbers import word_alternation

__all__ = ["Dispatch", "WordTest", "first_words"]

LOGGER = logging.getLogger(__name__)

# The standard library's regex parser: private, but stable within a Python minor version (3.11 here).
sre_parse: Any = importlib.import_module("re._parser")
sre: Any = importlib.import_module("re._constants")

_MAX_STARTS = 40_000
_EXPAND_CLASS = 40
_OPEN = object()  # marker: the word may go on with anything from here
_NEXT_WORD = re.compile(r"\W*(\w+)")


class _TooMany(Exception):
    """Too many starts to list."""


@dataclass(frozen=True, slots=True)
class WordTest:
    """A word equal to ``text`` (``exact``), or beginning with it and then one of ``next_chars``."""

    text: str
    exact: bool = True
    next_chars: frozenset[str] | None = None

    def accepts(self, word: str) -> bool:
        """Whether ``word`` (case-folded) passes."""
        if self.exact:
            return word == self.text
        if not word.startswith(self.text):
            return False
        return self.next_chars is None or (
            len(word) > len(self.text) and word[len(self.text)] in self.next_chars
        )


Start = tuple[WordTest, ...]
"""The first one or two words a rule can start with (one: any second word)."""


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _class_chars(items: list[Any]) -> tuple[set[str], bool] | None:
    """The word characters of a character class and whether it also matches non-word characters."""
    chars: set[str] = set()
    other = False
    for op, av in items:
        if op is sre.LITERAL:
            codes = [av]
        elif op is sre.RANGE and av[1] - av[0] <= 64:
            codes = list(range(av[0], av[1] + 1))
        elif op is sre.CATEGORY and av in (sre.CATEGORY_SPACE, sre.CATEGORY_UNI_SPACE):
            other = True
            continue
        elif op is sre.CATEGORY and av in (sre.CATEGORY_DIGIT, sre.CATEGORY_UNI_DIGIT):
            codes = [ord(d) for d in "0123456789"]
        else:
            return None
        for code in codes:
            ch = chr(code).lower()
            if _is_word(ch):
                chars.add(ch)
            else:
                other = True
    return chars, other


def _separator_only(items: Sequence[tuple[Any, Any]]) -> bool:
    """Whether a sub-pattern can only match non-word characters."""
    for op, av in items:
        if op is sre.LITERAL and not _is_word(chr(av)):
            continue
        if op is sre.CATEGORY and av in (sre.CATEGORY_SPACE, sre.CATEGORY_UNI_SPACE):
            continue
        if op is sre.IN:
            found = _class_chars(av)
            if found is not None and not found[0]:
                continue
        return False
    return bool(items)


class _Walker:
    """Collects the starts of one parsed pattern (see the module docstring)."""

    def __init__(self, n_words: int) -> None:
        self.n_words = n_words
        self.out: set[Start] = set()

    def add(self, start: Start) -> None:
        self.out.add(start)
        if len(self.out) > _MAX_STARTS:
            raise _TooMany

    def separator(self, tail: Sequence[Any], words: Start, prefix: str) -> None:
        if prefix:
            words = (*words, WordTest(prefix))
            if len(words) == self.n_words:
                self.add(words)
                return
        elif not words:
            self.add((WordTest(""),))  # the pattern opens with a non-word character
            return
        self.walk(tail, words, "")

    def walk(self, rest: Sequence[tuple[Any, Any]], words: Start, prefix: str) -> None:
        if not rest:
            self.add((*words, WordTest(prefix)) if prefix or not words else words)
            return
        op, av = rest[0]
        tail = rest[1:]
        if op is _OPEN:
            self.add((*words, WordTest(prefix, exact=False)))
        elif op is sre.LITERAL:
            ch = chr(av).lower()
            if _is_word(ch):
                self.walk(tail, words, prefix + ch)
            else:
                self.separator(tail, words, prefix)
        elif op is sre.IN:
            self._char_class(av, tail, words, prefix)
        elif op is sre.BRANCH:
            for alternative in av[1]:
                self.walk([*alternative.data, *tail], words, prefix)
        elif op is sre.SUBPATTERN:
            self.walk([*av[3].data, *tail], words, prefix)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, sub = av
            if low == 0:
                self.walk(tail, words, prefix)
            if high == 0:
                return
            if _separator_only(sub.data):
                self.separator(tail, words, prefix)
            elif high == 1:
                self.walk([*sub.data, *tail], words, prefix)
            else:
                self.walk([*sub.data, (_OPEN, None)], words, prefix)
        elif op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            self.walk(tail, words, prefix)
        elif op is sre.CATEGORY and av in (sre.CATEGORY_SPACE, sre.CATEGORY_UNI_SPACE):
            self.separator(tail, words, prefix)
        else:
            self.add((*words, WordTest(prefix, exact=False)))

    def _char_class(self, items: list[Any], tail: Sequence[Any], words: Start, prefix: str) -> None:
        found = _class_chars(items)
        if found is None:
            self.add((*words, WordTest(prefix, exact=False)))
            return
        chars, other = found
        if other:
            self.separator(tail, words, prefix)
        if chars and len(chars) <= _EXPAND_CLASS and not any(ch.isdigit() for ch in chars):
            for ch in sorted(chars):
                self.walk(tail, words, prefix + ch)
        elif chars:
            self.add((*words, WordTest(prefix, exact=False, next_chars=frozenset(chars))))


def first_words(pattern: re.Pattern[str], n_words: int = 2) -> set[Start] | None:
    """The first ``n_words`` words ``pattern`` can start with, or ``None`` when they cannot be listed."""
    for n in range(n_words, 0, -1):
        walker = _Walker(n)
        try:
            walker.walk(list(sre_parse.parse(pattern.pattern, pattern.flags).data), (), "")
        except (_TooMany, RecursionError, re.error):
            continue
        return walker.out
    return None


Candidates = tuple[tuple[int, frozenset[str] | None, tuple[WordTest, ...]], ...]
"""(rule index, next words it may take, other tests for the next word); ``None``: any next word."""


@dataclass(slots=True)
class Dispatch:
    """Word -> the rules that may start with it (ascending index = priority order)."""

    exact: dict[str, list[tuple[int, WordTest | None]]] = field(default_factory=dict)
    prefixes: dict[str, list[tuple[WordTest, int, WordTest | None]]] = field(default_factory=dict)
    everywhere: list[int] = field(default_factory=list)
    non_word: tuple[int, ...] = ()
    _cache: dict[str, Candidates] = field(default_factory=dict)
    _pairs: dict[tuple[str, str], tuple[int, ...]] = field(default_factory=dict)
    _starts: re.Pattern[str] | None = None

    @classmethod
    def build(cls, patterns: Sequence[re.Pattern[str]]) -> Dispatch:
        """Analyse every pattern (see the module docstring)."""
        dispatch = cls()
        non_word: set[int] = set()
        for index, pattern in enumerate(patterns):
            starts = first_words(pattern)
            if starts is None:
                LOGGER.debug("timex rule %d: first words not listable; tried at every word", index)
                dispatch.everywhere.append(index)
                continue
            for start in starts:
                first, second = start[0], (start[1] if len(start) > 1 else None)
                if not first.text and first.exact:
                    non_word.add(index)
                elif first.exact:
                    dispatch.exact.setdefault(first.text, []).append((index, second))
                else:
                    dispatch.prefixes.setdefault(first.text, []).append((first, index, second))
        dispatch.non_word = tuple(sorted(non_word))
        return dispatch

    def candidates(self, word: str) -> Candidates:
        """The rules that may start with ``word`` (case-folded) and what they need of the next word."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        anything: set[int] = set(self.everywhere)
        exact: dict[int, set[str]] = {}
        tests: dict[int, set[WordTest]] = {}
        found = list(self.exact.get(word, ()))
        for length in range(len(word) + 1):
            found.extend((i, s) for test, i, s in self.prefixes.get(word[:length], ()) if test.accepts(word))
        for index, second in found:
            if second is None or (not second.text and not second.exact and second.next_chars is None):
                anything.add(index)
            elif second.exact:
                exact.setdefault(index, set()).add(second.text)
            else:
                tests.setdefault(index, set()).add(second)
        result = tuple(
            (i, None, ()) if i in anything else (i, frozenset(exact.get(i, ())), tuple(tests.get(i, ())))
            for i in sorted(anything | set(exact) | set(tests))
        )
        if len(self._cache) < 50_000:
            self._cache[word] = result
        return result

    def rules_at(self, word: str, text: str, after: int) -> tuple[int, ...]:
        """Indices of the rules that may start at ``word``, whose next word starts after ``after``."""
        candidates = self._cache.get(word)
        if candidates is None:
            candidates = self.candidates(word)
        if all(exact is None for _, exact, _ in candidates):
            return tuple(index for index, _, _ in candidates)
        found = _NEXT_WORD.match(text, after)
        following = found.group(1).lower() if found else ""
        key = (word, following)
        chosen = self._pairs.get(key)
        if chosen is None:
            chosen = tuple(
                index
                for index, exact, tests in candidates
                if exact is None or following in exact or any(test.accepts(following) for test in tests)
            )
            if len(self._pairs) < 200_000:
                self._pairs[key] = chosen
        return chosen

    def starts(self) -> re.Pattern[str]:
        """A pattern finding the word starts where some rule may match (group 1: the word)."""
        if self._starts is None:
            exact = word_alternation(self.exact)
            prefixes = sorted(
                {test.text + (_char_class(test.next_chars) if test.next_chars else "") for entries in
                 self.prefixes.values() for test, _, _ in entries}
            )  # fmt: skip
            branches = [rf"((?:{exact})(?!\w)", *[rf"(?={p})\w+" for p in prefixes]] if self.exact else []
            words = "|".join(branches) + ")" if branches else ""
            if self.everywhere or not words:
                words = r"(\w+)"
            other = r"|[^\w\s]" if self.non_word else ""
            self._starts = re.compile(rf"(?<![\w'’-])(?:{words}{other})", re.IGNORECASE)
        return self._starts


def _char_class(chars: frozenset[str]) -> str:
    return "[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]"
