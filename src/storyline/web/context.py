"""What every route shares: the store, the settings and the services, kept on ``app.state.web``."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from starlette.requests import Request

from storyline.embed import Embedder, embedder_for
from storyline.settings import Settings
from storyline.store import StoryReader, VersionedStore
from storyline.web.actions import CompareService, IngestService
from storyline.web.csrf import CsrfTokens
from storyline.web.data import ActivityCache
from storyline.web.digests import DigestService
from storyline.web.places import PlacesCache
from storyline.web.responses import ListingCache
from storyline.web.security import WriteGuard

LOGGER = logging.getLogger(__name__)


@dataclass
class WebContext:
    """The app's shared state (built once by ``create_app``)."""

    store: StoryReader
    settings: Settings
    guard: WriteGuard
    activity: ActivityCache = field(default_factory=ActivityCache)
    places: PlacesCache = field(default_factory=PlacesCache)
    """The story maps (``places.py``)."""
    csrf: CsrfTokens = field(default_factory=CsrfTokens)
    """The key of the write forms' CSRF fields (a new one at each start)."""
    compare: CompareService = field(init=False)
    ingest: IngestService = field(init=False)
    digests: DigestService = field(init=False)
    listings: ListingCache = field(init=False)
    embedder: Embedder = field(init=False)
    """The one embedder of the app (``settings.embedder``; its model loads on first use)."""

    def __post_init__(self) -> None:
        # SqliteStore, PostgresStore keep a write counter; a store without one is never cached
        self.listings = ListingCache(self.store.version if isinstance(self.store, VersionedStore) else None)
        self.compare = CompareService(self.store, self.settings)
        self.ingest = IngestService(self.store, self.settings)
        self.embedder = embedder_for(self.settings.embedder)
        self.digests = DigestService(self.store, embedder=self.embedder)


async def get_context(request: Request) -> WebContext:
    """FastAPI dependency: the app's ``WebContext``."""
    ctx: WebContext = request.app.state.web
    return ctx
