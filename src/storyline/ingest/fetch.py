"""URL fetching over httpx, with an injectable transport (tests use ``httpx.MockTransport``).

``Fetcher.fetch`` returns a ``Fetched`` or raises ``FetchError`` with a stable reason: ``timeout``,
``network``, ``http_status`` (an ``HttpStatusError`` carrying the status and response headers, for
``Retry-After``), ``too_large``, ``unsupported_url`` or ``blocked_address``. Extra request headers
make a conditional GET: a 304 answer to one is a ``Fetched`` with ``status == 304`` and no body.
Turning a response into items is ``dispatch``'s (``iter_url``, ``iter_fetched``).

Every fetch goes through ``storyline.outbound``: without an injected transport the client's is
``GuardedTransport``, so the first URL and every redirect hop may reach only globally routable
addresses (or ``allow_private_networks``), and ``fetch_timeout_s`` bounds the whole fetch (connect,
redirects, headers and body), not each read. An injected transport (tests) is used as given.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType

import httpx

from storyline import outbound
from storyline.errors import FetchError
from storyline.model import utc_now
from storyline.settings import Settings

LOGGER = logging.getLogger(__name__)

MAX_REDIRECTS = 5


@dataclass(frozen=True, slots=True)
class Fetched:
    """One fetched response: the URL asked for, where redirects ended, and the (capped) body."""

    url: str
    final_url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    fetched_at: datetime = field(default_factory=utc_now)
    headers: Mapping[str, str] = field(default_factory=dict)
    """Response headers, names lower-cased (``etag``, ``last-modified``...)."""

    def hints(self) -> dict[str, str]:
        """``charset`` (when declared) and ``fetched`` (ISO 8601 UTC) as RawDoc hints."""
        hints = {"fetched": self.fetched_at.isoformat()}
        if self.charset:
            hints["charset"] = self.charset
        return hints


class HttpStatusError(FetchError):
    """A non-2xx answer (reason ``http_status``), with its ``status`` and lower-cased ``headers``."""

    def __init__(self, detail: str, *, status: int, headers: Mapping[str, str]) -> None:
        super().__init__("http_status", detail)
        self.status = status
        self.headers = dict(headers)


class Fetcher:
    """Fetches http(s) URLs with one reused ``httpx.Client``; close it, or use it as a context manager."""

    def __init__(self, *, settings: Settings, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self.transport = transport
        self._client: httpx.Client | None = None

    def __repr__(self) -> str:
        return f"Fetcher(settings={self.settings!r}, transport={self.transport!r})"

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client (a later ``fetch`` opens a new one)."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def fetch(self, url: str, *, headers: Mapping[str, str] | None = None) -> Fetched:
        """GET ``url``, following up to 5 redirects; raise ``FetchError`` on any failure.

        ``headers`` are sent with the request (``If-None-Match``/``If-Modified-Since`` for a
        conditional GET: then a 304 comes back as a ``Fetched`` with status 304 and no body)."""
        if url.partition(":")[0].lower() not in ("http", "https"):  # not urlsplit: it raises on "http://[x"
            raise FetchError("unsupported_url", f"{url}: only http and https URLs can be fetched")
        try:
            with outbound.deadline(self.settings.fetch_timeout_s):  # the whole fetch, not each read
                return self._get(url, headers)
        except outbound.BlockedAddress as e:
            raise FetchError(e.reason, f"{url}: {e.detail}") from e
        except httpx.TimeoutException as e:
            raise FetchError("timeout", self._timeout_detail(url)) from e
        except httpx.TooManyRedirects as e:
            raise FetchError("http_status", f"{url}: more than {MAX_REDIRECTS} redirects") from e
        except (httpx.UnsupportedProtocol, httpx.InvalidURL, UnicodeError) as e:  # UnicodeError: bad IDNA
            raise FetchError("unsupported_url", f"{url}: {e}") from e
        except httpx.HTTPError as e:
            raise FetchError("network", f"{url}: {type(e).__name__}: {e}") from e

    def _get(self, url: str, headers: Mapping[str, str] | None = None) -> Fetched:
        with self._http().stream("GET", url, headers=headers) as response:
            final = str(response.url)
            seen = {name.lower(): value for name, value in response.headers.items()}
            if response.status_code == 304 and headers:
                return Fetched(url, final, 304, "", None, b"", headers=seen)
            if not response.is_success:
                detail = f"{url}: HTTP {response.status_code} {response.reason_phrase} from {final}"
                raise HttpStatusError(detail, status=response.status_code, headers=seen)
            body = self._read_capped(response, url)
            content_type = response.headers.get("content-type", "")
            LOGGER.debug("fetch: %s -> %s %d bytes", url, final, len(body))
            return Fetched(
                url=url,
                final_url=final,
                status=response.status_code,
                content_type=content_type.partition(";")[0].strip().lower(),
                charset=(response.charset_encoding or "").lower() or None,
                body=body,
                headers=seen,
            )

    def _read_capped(self, response: httpx.Response, url: str) -> bytes:
        """The decoded body, refusing it as soon as it passes ``fetch_max_bytes``."""
        cap = self.settings.fetch_max_bytes
        too_large = FetchError("too_large", f"{url}: body over fetch_max_bytes={cap}")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise too_large
        parts, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise too_large
            if outbound.expired():  # an injected transport's stream has no guarded socket to cut
                raise FetchError("timeout", self._timeout_detail(url))
            parts.append(chunk)
        return b"".join(parts)

    def _timeout_detail(self, url: str) -> str:
        return f"{url}: not done within fetch_timeout_s={self.settings.fetch_timeout_s} (in all)"

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                transport=self.transport or outbound.GuardedTransport.from_settings(self.settings),
                trust_env=False,  # an environment proxy would reach what the guard refuses
                timeout=self.settings.fetch_timeout_s,
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                headers={"User-Agent": self.settings.user_agent},
            )
        return self._client
