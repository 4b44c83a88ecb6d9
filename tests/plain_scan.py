"""Finds internal codes in what a page shows a reader (issue #14: "codes instead of words").

``scan(html)`` reads a page as a browser shows it: the text of the body and title (script and style
dropped), tooltips, placeholders and labels read aloud (``title``, ``placeholder``, ``aria-label``,
``alt``), with ``text-transform: uppercase`` of the app's stylesheet applied (a ``happened`` in a tag the
CSS uppercases is read as ``HAPPENED``). It reports each code it finds:

- TIMEX3 values, types and modifiers: durations (``P20Y``, ``PXD``, ``PT5H``), ``FUTURE_REF``,
  ``PAST_REF``, ``PRESENT_REF``, ``XXXX`` placeholders, ``2021-W07``/``2020-Q1``/``-SU`` tails and
  ``TMO``/``TEV`` parts of day, a day shown with a raw status (``2001-01-01 HAPPENED``), a day of
  the year as ``MM-DD`` (``05-01``);
- uppercase enum names shown raw (``HAPPENED``, ``UPCOMING``, ``DATE``, ``DURATION``, ``PER``, ``MISC``);
- a fraction where a percent is meant (``0.02`` in the same row as a ``%`` that follows no number);
- ALL-CAPS phrases (``BIDEN SUCCEEDED DONALD``) that the articles themselves do not write in capitals;
- Python reprs (``None``, ``[]``, ``{'``, ``datetime.date(``) and raw ISO timestamps (``T10:30``,
  microseconds).

What the articles say is theirs, not a code: a text run of 16 characters or more that is a verbatim
part of an article (``corpus``) is not scanned, and an ALL-CAPS phrase the corpus writes in capitals is
allowed. Fixed words of the templates (``label`` segments) may be uppercased by CSS (``LAST POLL``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import html as lxml_html
from lxml.etree import _Element

WEB = Path(__file__).resolve().parents[1] / "src" / "storyline" / "web"
STYLESHEET = WEB / "static" / "style.css"
TEMPLATES = WEB / "templates"

CODES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("TIMEX duration", re.compile(r"\bP(?:T?(?:\d+(?:\.\d+)?|X+)(?:DE|CE|[YMWDHS]))+\b")),
    ("TIMEX reference", re.compile(r"\b(?:FUTURE|PAST|PRESENT)_REF\b")),
    ("TIMEX placeholder", re.compile(r"\bX{4}\b|X{4}-|-W?XX\b|-XX-")),
    ("TIMEX period", re.compile(r"\b\d{4}-(?:W\d{2}|Q[1-4]|H[12]|SP|SU|FA|WI)\b")),
    ("TIMEX part of day", re.compile(r"\dT(?:MO|MI|AF|EV|NI|DT)\b")),
    ("day with raw status", re.compile(r"\b\d{4}-\d{2}-\d{2}\s+(?:happened|upcoming|undated)\b", re.I)),
    ("enum name", re.compile(
        r"\b(?:HAPPENED|UPCOMING|UNDATED|ONGOING|DATE|TIME|DURATION|SET|PER|ORG|LOC|MISC|GPE|NORP|"
        r"DIRECT|INDIRECT|MIXED)\b"
    )),
    ("Python repr", re.compile(r"\bNone\b|\{'|\['|'\]|'\}|\b(?:Decimal|datetime\.\w+)\(|object at 0x")),
    ("Python repr", re.compile(r"^\s*(?:\[\]|\{\}|\(\)|True|False|nan|NaN|inf)\s*$")),
    ("month-day code", re.compile(r"(?<![\d-])(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\d-])")),
    ("ISO timestamp", re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\d{2}:\d{2}:\d{2}\.\d+")),
)  # fmt: skip
FRACTION = re.compile(r"(?<![\d.,])0\.\d+(?![\d.,])")
TOKEN = re.compile(r"(?P<word>[^\W\d_]+(?:['’-][^\W\d_]+)*)|[^\w\s]+|\t|\d+")
"""Words, and what breaks a run of them: punctuation, digits, a tab (between table cells in ``innerText``)."""
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
BLOCKS = frozenset({
    "p", "li", "tr", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "div", "section", "header", "footer",
    "nav", "main", "aside", "blockquote", "figure", "figcaption", "form", "fieldset", "legend", "label",
    "table", "thead", "tbody", "ol", "ul", "dl", "title", "option", "button", "svg", "text",
})  # fmt: skip
MIN_QUOTED = 16
"""A text run at least this long that an article contains verbatim is the article's words."""


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    code: str
    context: str

    def __str__(self) -> str:
        return f"{self.kind} {self.code!r} in {self.context!r}"


@dataclass(frozen=True, slots=True)
class Rule:
    xpath: str
    upper: bool


def _norm(text: str) -> str:
    return " ".join(text.split())


def _class_test(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _simple_xpath(simple: str) -> str:
    """One simple selector (``tag``, ``.cls``, ``tag.cls.other``) as an XPath step."""
    m = re.fullmatch(r"(?P<tag>[a-z][a-z0-9]*|\*)?(?P<classes>(?:\.[A-Za-z0-9_-]+)*)", simple)
    if m is None or not simple:
        raise ValueError(f"plain_scan: unsupported CSS selector part {simple!r}: extend _simple_xpath")
    tests = [_class_test(c) for c in m["classes"].split(".") if c]
    return (m["tag"] or "*") + "".join(f"[{t}]" for t in tests)


def selector_xpath(selector: str) -> str:
    """A descendant selector (``.filters label``) as XPath; anything else (``>``, ``:``, ``[``, ``#``)
    is refused, so a stylesheet change cannot make the scan blind to what it uppercases."""
    parts = selector.split()
    if not parts or any(ch in selector for ch in ">+~:[#"):
        raise ValueError(f"plain_scan: unsupported CSS selector {selector!r}: extend selector_xpath")
    return "//" + "//".join(_simple_xpath(p) for p in parts)


def text_transform_rules(css: str) -> list[Rule]:
    """The rules of ``css`` that set ``text-transform`` to ``uppercase`` or back to ``none``."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        m = re.search(r"text-transform\s*:\s*([a-z-]+)", body)
        if m is None or m[1] not in ("uppercase", "none"):
            continue
        for selector in selectors.split(","):
            if selector.strip():
                rules.append(Rule(selector_xpath(selector.strip()), m[1] == "uppercase"))
    return rules


@cache
def app_rules() -> tuple[Rule, ...]:
    return tuple(text_transform_rules(STYLESHEET.read_text(encoding="utf-8")))


@cache
def template_labels() -> frozenset[str]:
    """The fixed text of the templates: the runs between HTML tags and Jinja blocks."""
    labels = set()
    for path in TEMPLATES.glob("*.html"):
        source = re.sub(
            r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", "\x00", path.read_text(encoding="utf-8"), flags=re.S
        )
        for run in re.split(r"<[^>]*>|\x00", source):
            if _norm(run):
                labels.add(_norm(run))
    return frozenset(labels)


class Corpus:
    """The articles' own words: titles and texts, whitespace folded."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.text = "\n".join(_norm(t) for t in texts if t)

    def quotes(self, run: str) -> bool:
        run = _norm(run).strip("…").strip()
        return len(run) >= MIN_QUOTED and run in self.text


def _uppercased(element: _Element, marks: dict[_Element, bool]) -> bool:
    node: _Element | None = element
    while node is not None:
        if node in marks:
            return marks[node]
        node = node.getparent()
    return False


def _block_of(element: _Element) -> _Element:
    node: _Element | None = element
    while node is not None:
        if isinstance(node.tag, str) and node.tag.lower() in BLOCKS:
            return node
        node = node.getparent()
    return element


def _runs(root: _Element) -> Iterator[tuple[str, _Element]]:
    """Every visible text run with the element whose style it takes, in document order."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in SHOWN_ATTRIBUTES:
            value = element.get(name)
            if value and _norm(value):
                yield value, element
        if element.text and _norm(element.text):
            yield element.text, element
        parent = element.getparent()
        if element.tail and _norm(element.tail) and parent is not None:
            yield element.tail, parent


def scan(html: str, corpus: Corpus | None = None, rules: Iterable[Rule] | None = None) -> list[Finding]:
    """The internal codes ``html`` shows (see the module docstring)."""
    corpus = corpus or Corpus(())
    root = lxml_html.document_fromstring(html)
    for dropped in root.xpath("//script|//style|//template|//head/*[not(self::title)]"):
        dropped.drop_tree()
    marks: dict[_Element, bool] = {}
    for rule in app_rules() if rules is None else rules:
        for element in root.xpath(rule.xpath):
            marks[element] = rule.upper
    labels = template_labels()
    findings: list[Finding] = []
    lines: dict[_Element, list[str]] = {}
    for raw, owner in _runs(root):
        shown = raw.upper() if _uppercased(owner, marks) else raw
        lines.setdefault(_block_of(owner), []).append(shown)
        if shown == raw and corpus.quotes(raw):
            continue
        context = _norm(shown)[:160]
        for kind, pattern in CODES:
            for m in pattern.finditer(shown):
                if kind == "enum name" and _norm(raw) in labels:
                    continue  # a fixed label the stylesheet uppercases
                findings.append(Finding(kind, m.group(), context))
        findings += _caps_phrases(shown, raw, corpus, labels, context)
    for parts in lines.values():
        findings += _fractions(_norm(" ".join(parts)))
    return findings


def _caps_phrases(
    shown: str, raw: str, corpus: Corpus, labels: frozenset[str], context: str
) -> list[Finding]:
    """Runs of two or more ALL-CAPS words (one of three letters or more) with only spaces between them,
    that the articles do not write so."""
    if _norm(raw) in labels:
        return []
    found = []
    run: list[str] = []
    for token in [*TOKEN.finditer(shown), None]:
        word = token["word"] if token is not None else None
        if word and word.isupper() and len(word) >= 2:
            run.append(word)
            continue
        if len(run) >= 2 and max(map(len, run)) >= 3 and not _written_in_caps(run, corpus):
            found.append(Finding("ALL-CAPS phrase", " ".join(run), context))
        run = []
    return found


def _written_in_caps(words: list[str], corpus: Corpus) -> bool:
    """Whether the articles themselves write these words in capitals, in this order."""
    pattern = re.compile(r"[\W\d_]+".join(re.escape(w) for w in words))
    return pattern.search(corpus.text) is not None


def _fractions(line: str) -> list[Finding]:
    """A fraction in a row (a line) whose ``%`` stands apart from any number: ``GDP | % | 0.02``. A
    fraction with its own sign (``0.25 %``, a quarter of a percent) is a value in percent, not a code."""
    if not any(not line[:i].rstrip()[-1:].isdigit() for i, ch in enumerate(line) if ch == "%"):
        return []
    return [Finding("fraction next to a bare %", m.group(), line[:160]) for m in FRACTION.finditer(line)]


def scan_text(text: str, corpus: Corpus | None = None) -> list[Finding]:
    """The internal codes in the text a browser renders (``document.body.innerText``: styles applied,
    one line per block). A line an article contains verbatim is the article's; an ALL-CAPS phrase
    within a fixed label of the templates is that label uppercased by the stylesheet."""
    corpus = corpus or Corpus(())
    labels = " \n ".join(label.upper() for label in template_labels())
    findings: list[Finding] = []
    for line in text.splitlines():
        if not _norm(line) or corpus.quotes(line):
            continue
        context = _norm(line)[:160]
        for kind, pattern in CODES:
            findings += [Finding(kind, m.group(), context) for m in pattern.finditer(line)]
        findings += [
            f for f in _caps_phrases(line, line, corpus, frozenset(), context) if f.code not in labels
        ]
        findings += _fractions(_norm(line))
    return findings
