"""Values, the full-text index and the article read queries of ``PostgresStore``.

- Text: PostgreSQL refuses NUL in ``text``, and article text is attacker-controlled, so every string
  crossing the driver is escaped reversibly (``\\x00`` -> U+E000 U+E001, U+E000 -> U+E000 U+E000; both
  private-use characters that no word contains) by the adapters ``register_text_adapters`` installs.
- Search: the ``fts`` column is a ``tsvector`` built here from ``storyline.store.query.tokenize``, the
  tokenizer behind the memory store and modelled on SQLite's FTS5 ``unicode61 remove_diacritics 2``:
  words folded for case and accents, no stemming, title words weight A, text words D. So a query
  matches the same articles in every store (PostgreSQL's own parser would split ``afp.com``, ``3.5``
  or ``U.S.`` differently, and ``unaccent`` would need an extension a managed database may refuse).
  Ranking is ``ts_rank`` with the title worth ``TITLE_WEIGHT`` times the text; snippets are cut in
  Python by the memory store's function from the page's rows only, in the format FTS5 gives.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from psycopg import Connection
from psycopg.types.string import StrDumperUnknown, TextLoader

from storyline.model import Article, Precision, RawDoc, Rejection
from storyline.store import rows as shared
from storyline.store.memory import _snippet  # the same snippet as the memory store's
from storyline.store.protocols import ArticleFilter, SearchHit
from storyline.store.query import Query, parse_query, term_words, tokenize
from storyline.store.sqlite_read import ARTICLE_COLUMNS, TITLE_WEIGHT, UNKNOWN

LOGGER = logging.getLogger(__name__)

Conn = Connection[tuple[Any, ...]]
_COLUMNS = ", ".join(f"a.{name}" for name in ARTICLE_COLUMNS)
SELECT_ARTICLE = f"SELECT {_COLUMNS} FROM articles AS a"
_ORDER = " ORDER BY a.published_at DESC NULLS LAST, a.seq DESC"
MAX_LEXEME_BYTES = 2000
"""PostgreSQL's limit is 2047 bytes per lexeme; longer tokens are left out of the index."""
MAX_POSITIONS = 255
"""PostgreSQL keeps at most 256 positions per lexeme."""
MAX_POSITION = 16383
MAX_TSVECTOR_CHARS = 500_000
"""Lexemes past this much of the index literal are left out (PostgreSQL's tsvector limit is 1 MB)."""
RANK_WEIGHTS = f"{{{1 / TITLE_WEIGHT}, {1 / TITLE_WEIGHT}, {1 / TITLE_WEIGHT}, 1.0}}"  # D, C, B, A

_ESC = "\ue000"
_UNESCAPE = re.compile("\ue000(.)", re.DOTALL)


def escape_text(value: str) -> str:
    """``value`` without NUL, reversibly (see the module docstring)."""
    if "\x00" in value or _ESC in value:
        return value.replace(_ESC, _ESC + _ESC).replace("\x00", _ESC + "\ue001")
    return value


def unescape_text(value: str) -> str:
    if _ESC not in value:
        return value
    return _UNESCAPE.sub(lambda m: "\x00" if m.group(1) == "\ue001" else m.group(1), value)


class _SafeStrDumper(StrDumperUnknown):
    def dump(self, obj: str) -> bytes | bytearray | memoryview | None:
        return super().dump(escape_text(obj))


class _SafeTextLoader(TextLoader):
    def load(self, data: Any) -> Any:
        value = super().load(data)
        return unescape_text(value) if isinstance(value, str) else value


def register_text_adapters(conn: Conn) -> None:
    """Make ``conn`` escape NUL in every string sent and undo it in every text read."""
    conn.adapters.register_dumper(str, _SafeStrDumper)
    for name in ("text", "varchar", "bpchar"):
        conn.adapters.register_loader(name, _SafeTextLoader)


def utc(value: datetime | None) -> datetime | None:
    """An aware UTC datetime (naive means UTC, as in the SQLite store)."""
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


TIMES = shared.Times(dump=utc, load=utc)
"""Datetimes in PostgreSQL rows: aware UTC ``timestamptz`` values."""


def iso(value: datetime | None) -> str | None:
    return None if value is None else cast(datetime, utc(value)).isoformat()


def article_values(article: Article) -> tuple[Any, ...]:
    """The values of ``article`` in ``ARTICLE_COLUMNS`` order, then its index literal."""
    a = article
    return (
        a.id, a.url, a.source, a.agency, a.place, a.title, a.text, a.language, float(a.language_confidence),
        utc(a.published_at), a.published_precision, a.duplicate_of, a.origin, a.raw_id, a.content_hash,
        utc(a.ingested_at), tsvector(a.title, a.text),
    )  # fmt: skip


def row_article(row: Sequence[Any]) -> Article:
    return Article(
        id=row[0], url=row[1], source=row[2], agency=row[3], place=row[4], title=row[5], text=row[6],
        language=row[7], language_confidence=row[8], published_at=utc(row[9]),
        published_precision=cast("Precision | None", row[10]), duplicate_of=row[11], origin=row[12],
        raw_id=row[13], content_hash=row[14], ingested_at=cast(datetime, utc(row[15])),
    )  # fmt: skip


def tsvector(title: str, text: str) -> str:
    """The ``tsvector`` literal of an article: folded words with positions, title A, text D."""
    positions: dict[str, list[str]] = {}
    n = 0
    for weight, source in (("A", title), ("", text)):
        for word, _, _ in tokenize(source):
            n += 1
            if not word or len(word.encode("utf-8")) > MAX_LEXEME_BYTES:  # "" from a lone combining mark
                continue
            slots = positions.setdefault(word, [])
            if len(slots) < MAX_POSITIONS:
                slots.append(f"{min(n, MAX_POSITION)}{weight}")
    parts, size = [], 0
    for word, slots in positions.items():
        part = "'" + word.replace("\\", "\\\\").replace("'", "''") + "':" + ",".join(slots)
        size += len(part) + 1
        if size > MAX_TSVECTOR_CHARS:
            LOGGER.debug("store: search index of %r cut at %d characters", title[:60], MAX_TSVECTOR_CHARS)
            break
        parts.append(part)
    return " ".join(parts)


def _lexeme(word: str, prefix: bool) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'" + (":*" if prefix else "")


def tsquery(groups: Query) -> str:
    """The ``tsquery`` of parsed groups: AND of ORs of phrases (``<->``); '' when nothing to match."""
    rendered = []
    for group in groups:
        phrases = []
        for term in group:
            words = [w for w in term_words(term) if w]
            if not words:
                continue
            lexemes = [_lexeme(w, term.prefix and i == len(words) - 1) for i, w in enumerate(words)]
            phrases.append("(" + " <-> ".join(lexemes) + ")")
        if not phrases:
            return ""  # a group that can match nothing makes the whole AND match nothing
        rendered.append("(" + " | ".join(phrases) + ")")
    return " & ".join(rendered)


def where(filters: ArticleFilter) -> tuple[list[str], list[Any]]:
    return shared.where(filters, TIMES, "%s")


def get_article(conn: Conn, article_id: str) -> Article | None:
    row = conn.execute(SELECT_ARTICLE + " WHERE a.id = %s", (article_id,)).fetchone()
    return None if row is None else row_article(row)


def list_articles(conn: Conn, filters: ArticleFilter, limit: int, offset: int) -> list[Article]:
    if limit <= 0:
        return []
    clauses, params = where(filters)
    sql = SELECT_ARTICLE + shared.where_sql(clauses) + _ORDER + " LIMIT %s OFFSET %s"
    return [row_article(r) for r in conn.execute(sql, (*params, limit, max(offset, 0)))]


def count_articles(conn: Conn, filters: ArticleFilter) -> int:
    clauses, params = where(filters)
    row = conn.execute("SELECT count(*) FROM articles AS a" + shared.where_sql(clauses), params).fetchone()
    return int(row[0]) if row else 0


def duplicates_of(conn: Conn, article_id: str) -> list[Article]:
    rows = conn.execute(SELECT_ARTICLE + " WHERE a.duplicate_of = %s ORDER BY a.seq", (article_id,))
    return [row_article(r) for r in rows]


def search(conn: Conn, query: str, filters: ArticleFilter, limit: int, offset: int) -> list[SearchHit]:
    """Full-text search, best first; ``rank`` is higher for better hits."""
    groups = parse_query(query)
    expression = tsquery(groups)
    if not expression or limit <= 0:
        return []
    clauses, params = where(filters)
    sql = (
        f"SELECT {_COLUMNS}, ts_rank(%s::real[], a.fts, q.q, 1) AS score"
        " FROM articles AS a, to_tsquery('simple', %s) AS q(q)"
        " WHERE a.fts @@ q.q"
        + shared.where_sql(clauses, " AND ")
        + " ORDER BY score DESC, a.seq DESC LIMIT %s OFFSET %s"
    )
    rows = conn.execute(sql, (RANK_WEIGHTS, expression, *params, limit, max(offset, 0))).fetchall()
    compiled = [[(term_words(term), term.prefix) for term in group] for group in groups]
    hits = []
    for row in rows:
        article = row_article(row)
        hits.append(
            SearchHit(article, _snippet(article.text, tokenize(article.text), compiled), float(row[-1]))
        )
    return hits


def list_rejections(conn: Conn, limit: int, offset: int) -> list[Rejection]:
    if limit <= 0:
        return []
    rows = conn.execute(
        f"SELECT {shared.REJECTION_COLUMNS} FROM rejections ORDER BY at DESC, id DESC LIMIT %s OFFSET %s",
        (limit, max(offset, 0)),
    )
    return [shared.rejection_row(row, TIMES) for row in rows]


def get_raw(conn: Conn, raw_id: str) -> RawDoc | None:
    row = conn.execute(f"SELECT {shared.RAW_COLUMNS} FROM raws WHERE raw_id = %s", (raw_id,)).fetchone()
    if row is None:
        return None
    return shared.raw_row(row)


def _counts(conn: Conn, sql: str, *params: Any) -> dict[str, int]:
    """Counts, largest first, then by key in code point order (SQLite's BINARY, the memory store's)."""
    rows = [(str(key), int(n)) for key, n in conn.execute(sql, params)]
    return dict(sorted(rows, key=lambda kv: (-kv[1], kv[0])))


def stats(conn: Conn) -> dict[str, object]:
    """Counts for ``storyline stats`` (see ``StoryReader.stats``), as the SQLite store gives them."""

    def one(sql: str) -> Any:
        row = conn.execute(sql).fetchone()
        return row[0] if row else None

    n_articles = int(one("SELECT count(*) FROM articles"))
    n_duplicates = int(one("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"))
    by = "SELECT COALESCE({}, %s), count(*) FROM articles GROUP BY 1"
    return {
        "n_articles": n_articles,
        "n_originals": n_articles - n_duplicates,
        "n_duplicates": n_duplicates,
        "n_rejections": int(one("SELECT count(*) FROM rejections")),
        "n_raws": int(one("SELECT count(*) FROM raws")),
        "by_language": _counts(conn, by.format("language"), UNKNOWN),
        "by_source": _counts(conn, by.format("source"), UNKNOWN),
        "by_agency": _counts(conn, by.format("agency"), UNKNOWN),
        "first_published_at": iso(one("SELECT min(published_at) FROM articles")),
        "last_published_at": iso(one("SELECT max(published_at) FROM articles")),
        "rejections_by_reason": _counts(
            conn,
            "SELECT stage || '/' || reason, count(*) FROM rejections GROUP BY 1",
        ),
    }


def existing_article_ids(conn: Conn, ids: Sequence[str]) -> set[str]:
    unique = list(dict.fromkeys(ids))
    if not unique:
        return set()
    return {r[0] for r in conn.execute("SELECT id FROM articles WHERE id = ANY(%s)", (unique,))}


def original_with_hash(conn: Conn, content_hash: str) -> str | None:
    row = conn.execute(
        "SELECT id FROM articles WHERE content_hash = %s AND duplicate_of IS NULL ORDER BY seq LIMIT 1",
        (content_hash,),
    ).fetchone()
    return None if row is None else str(row[0])


def latest_published(conn: Conn) -> datetime | None:
    row = conn.execute("SELECT max(published_at) FROM articles").fetchone()
    return utc(row[0]) if row else None
