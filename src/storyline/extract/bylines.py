"""Agency credits outside the dateline: bylines, ``(Reporting by ...)`` and copyright lines.

Only the head and the tail of an article are searched (credits sit there), so the cost does not grow
with the length of the article. This is the fallback when no dateline names an agency.
"""

from __future__ import annotations

import logging
import re

from storyline.extract.lexicon import AGENCY_PATTERN, canonical_agency

LOGGER = logging.getLogger(__name__)

_HEAD_CHARS = 400
_TAIL_CHARS = 600

# Reuters signs its copy "(Reporting by Jane Doe; Editing by John Roe)".
_REPORTING = re.compile(
    r"\(\s*(?:Additional\s+)?(?:Reporting|Writing)\s+by\b[^()]{1,400}\)"
    r"|^[ \t]*(?:Additional\s+)?Reporting\s+by\b[^\n]{1,300}?;\s*(?:Editing|Writing)\s+by\b",
    re.MULTILINE,
)
_BY = re.compile(
    rf"^[ \t]*(?:By|BY)[ \t]+[^\n,|(]{{2,60}}?[ \t]*(?:,|\||\(|[—–-]|\bfor\b|\bof\b)[ \t]*(?:[Tt]he[ \t]+)?"
    rf"(?P<agency>{AGENCY_PATTERN})",
    re.MULTILINE,
)
_COPYRIGHT = re.compile(
    rf"(?:©|\([Cc]\)|Copyright)[ \t]*(?:©[ \t]*)?(?:\d{{4}}[ \t]*)?(?:[Tt]he[ \t]+)?"
    rf"(?P<agency>{AGENCY_PATTERN})"
)
# A line that is nothing but a credit: "AFP", "(dpa)", "jd/ab (AFP, Reuters)".
_CREDIT_LINE = re.compile(
    rf"[ \t]*(?:[a-z]{{1,4}}(?:/[a-z]{{1,4}})*[ \t]*)?[(\[]?[ \t]*(?P<agency>{AGENCY_PATTERN})"
    rf"(?:[ \t]*[/,;&][ \t]*{AGENCY_PATTERN})*[ \t]*[)\]]?[ \t.]*$"
)


def find_byline_agency(text: str) -> str | None:
    """The agency credited in a byline or credit line near the start or end of ``text``, else ``None``.

    >>> find_byline_agency("Stocks fell.\\n\\n(Reporting by Jane Doe; Editing by John Roe)")
    'Reuters'
    """
    head, tail = text[:_HEAD_CHARS], text[-_TAIL_CHARS:]
    if _REPORTING.search(tail):
        return "Reuters"
    for part in (head, tail):
        m = _BY.search(part)
        if m is not None:
            return canonical_agency(m["agency"])
    m = _COPYRIGHT.search(tail) or _COPYRIGHT.search(head)
    if m is not None:
        return canonical_agency(m["agency"])
    lines = [line for line in tail.splitlines() if line.strip()]
    for line in lines[-3:]:
        m = _CREDIT_LINE.match(line)
        if m is not None:
            return canonical_agency(m["agency"])
    return None
