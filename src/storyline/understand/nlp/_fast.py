"""A faster, equivalent matcher for spaCy's ``attribute_ruler`` (the same matches, found by lookup).

The small English pipeline's attribute ruler holds 179 token patterns (tag map, exceptions) that
spaCy's general ``Matcher`` tries at every token: about 25 ms for a 700-token article, more than the
parser itself. Every pattern of the shipped English and French rulers is one or two tokens whose
attributes (``LOWER``, ``TAG``, ``POS``, ``DEP``, ``IS_SPACE``) are compared by equality, ``IN``,
``NOT_IN`` or ``REGEX``. ``install_fast_matcher(nlp)`` indexes the patterns by the value their first
token requires and replaces the ruler's ``match`` with a lookup that returns **the same match list**
(``(attr_id, match_id, start, end)``, sorted, as ``AttributeRuler.match`` does); the ruler's own
``set_annotations`` still applies them. A ruler with any other kind of pattern is left as it is.
``tests/test_nlp_fast.py`` checks the two give identical matches on real articles.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

LOGGER = logging.getLogger(__name__)

__all__ = ["FastRulerMatch", "install_fast_matcher"]

_ATTRS = ("LOWER", "TAG", "POS", "DEP", "IS_SPACE")  # the order of a token's row
Test = Callable[[object], bool]
Spec = tuple[tuple[int, Test], ...]


class Unsupported(ValueError):
    """A pattern this matcher cannot reproduce exactly."""


def _test(value: Any) -> Test:
    if isinstance(value, str | bool):
        return lambda v: v == value
    if isinstance(value, dict) and len(value) == 1:
        op, arg = next(iter(value.items()))
        if op == "IN" and isinstance(arg, list):
            allowed = frozenset(arg)
            return lambda v: v in allowed
        if op == "NOT_IN" and isinstance(arg, list):
            refused = frozenset(arg)
            return lambda v: v not in refused
        if op == "REGEX" and isinstance(arg, str):
            pattern = re.compile(arg)
            return lambda v: isinstance(v, str) and pattern.search(v) is not None
    raise Unsupported(f"attribute value {value!r}")


_MEMO_MAX = 200_000


class FastRulerMatch:
    """``AttributeRuler.match`` by lookup (see the module docstring).

    A one-token pattern's result depends only on the token's attribute values, so the one-token
    patterns matching each distinct ``(LOWER, TAG, POS, DEP, IS_SPACE)`` are computed once and
    remembered; the few longer patterns are tried at every token."""

    def __init__(self, ruler: Any) -> None:
        self._single: list[tuple[int, int, Spec]] = []
        self._multi: list[tuple[int, int, tuple[Spec, ...]]] = []
        self._memo: dict[tuple[object, ...], list[tuple[int, int]]] = {}
        self._first_memo: dict[tuple[object, ...], list[tuple[int, int, tuple[Spec, ...]]]] = {}
        self._lowers: dict[str, str | None] = {}
        self._lower_values: set[str] = set()
        self._lower_tests: list[Test] = []  # LOWER tests other than equality or IN
        for attr_id in range(len(ruler.attrs)):
            key = str(attr_id)
            match_id = ruler.vocab.strings[key]
            for pattern in ruler.matcher.get(key)[1]:
                specs = self._specs(pattern)
                if len(specs) == 1:
                    self._single.append((attr_id, match_id, specs[0]))
                    self._note_lower(pattern[0].get("LOWER"))
                else:
                    self._multi.append((attr_id, match_id, specs))

    def _note_lower(self, value: Any) -> None:
        if isinstance(value, str):
            self._lower_values.add(value)
        elif isinstance(value, dict) and set(value) == {"IN"}:
            self._lower_values.update(value["IN"])
        elif value is not None:
            self._lower_tests.append(_test(value))

    def _lower_key(self, lower: str) -> str | None:
        """``lower`` when some one-token pattern could tell it apart from other words, else None."""
        found = self._lowers.get(lower, "")
        if found == "":
            relevant = lower in self._lower_values or any(test(lower) for test in self._lower_tests)
            found = lower if relevant else None
            if len(self._lowers) < _MEMO_MAX:
                self._lowers[lower] = found
        return found

    @staticmethod
    def _specs(pattern: list[dict[str, Any]]) -> tuple[Spec, ...]:
        if not pattern or len(pattern) > 3:
            raise Unsupported(f"pattern of {len(pattern)} tokens")
        specs: list[Spec] = []
        for token in pattern:
            unknown = set(token) - set(_ATTRS)
            if unknown:
                raise Unsupported(f"pattern keys {sorted(unknown)}")
            specs.append(tuple((_ATTRS.index(k), _test(v)) for k, v in token.items()))
        return tuple(specs)

    def _singles(self, row: tuple[object, ...]) -> list[tuple[int, int]]:
        found = self._memo.get(row)
        if found is None:
            found = [(a, m) for a, m, spec in self._single if all(test(row[k]) for k, test in spec)]
            if len(self._memo) >= _MEMO_MAX:
                self._memo.clear()
            self._memo[row] = found
        return found

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        rows = [(t.lower_, t.tag_, t.pos_, t.dep_, t.is_space) for t in doc]
        found: set[tuple[int, int, int, int]] = set()
        for i, row in enumerate(rows):
            key = (self._lower_key(row[0]), *row[1:])
            found.update((a, m, i, i + 1) for a, m in self._singles(key))
            for attr_id, match_id, specs in self._starting(row):
                n = len(specs)
                if i + n <= len(rows) and all(
                    all(test(rows[i + j][k]) for k, test in specs[j]) for j in range(1, n)
                ):
                    found.add((attr_id, match_id, i, i + n))
        return sorted(found)

    def _starting(self, row: tuple[object, ...]) -> list[tuple[int, int, tuple[Spec, ...]]]:
        """The longer patterns whose first token ``row`` matches (remembered per row)."""
        found = self._first_memo.get(row)
        if found is None:
            found = [p for p in self._multi if all(test(row[k]) for k, test in p[2][0])]
            if len(self._first_memo) >= _MEMO_MAX:
                self._first_memo.clear()
            self._first_memo[row] = found
        return found


def install_fast_matcher(nlp: Language) -> bool:
    """Give ``nlp``'s ``attribute_ruler`` the fast ``match``; ``False`` (ruler unchanged) when its
    patterns are of a kind the fast matcher does not reproduce."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler: Any = nlp.get_pipe("attribute_ruler")
    try:
        fast = FastRulerMatch(ruler)
    except Unsupported as e:
        LOGGER.info("nlp: attribute_ruler keeps spaCy's matcher (%s)", e)
        return False
    ruler.match = fast
    return True
