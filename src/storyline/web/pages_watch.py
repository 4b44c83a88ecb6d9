"""The watchlists page: each standing query, when it was last read, its latest alerts and its feed,
with forms to add, edit and delete one.

The forms take the fields of ``storyline watch add`` (entity names, keywords, an example text and
its threshold, a webhook signed with a key from an environment variable of the server) and check
them with the same rules (``alerts.WatchlistInput``). Each post goes through ``WriteGuard.check`` as
the API's writes do (the token, typed in the form's token field, when the server has one; local
requests only without one; cross-site posts refused) and through the CSRF check (``csrf.py``);
a success redirects back to the page (303), a refused field shows the form again with the message
(422) and nothing written. Where this request could not write (a read-only store, or writes closed
to it), the page shows the list without forms. Names, terms and examples are untrusted text: the
templates escape them (autoescape). Alerts are raised on ingest; reading this page does not mark a
watchlist visited (``storyline digest --watchlist`` does).
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from storyline.alerts import InvalidWatchlist, WatchlistInput, start_cursor
from storyline.alerts.define import MAX_NAME_CHARS
from storyline.alerts.secrets import SecretUnavailable, env_reference
from storyline.model import Alert, Watchlist
from storyline.store import WatchStore
from storyline.web.context import WebContext, get_context
from storyline.web.pages import Render
from storyline.web.render import Pages, path_id

LOGGER = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)
Ctx = Annotated[WebContext, Depends(get_context)]
RECENT_ALERTS = 10
MAX_TERMS_CHARS = 20_000
MAX_EXAMPLE_CHARS = 50_000
NameField = Annotated[str, Form(max_length=MAX_NAME_CHARS + 50)]
TermsField = Annotated[str, Form(max_length=MAX_TERMS_CHARS)]
ExampleField = Annotated[str, Form(max_length=MAX_EXAMPLE_CHARS)]
ThresholdField = Annotated[str, Form(max_length=20)]
UrlField = Annotated[str, Form(max_length=2000)]
EnvField = Annotated[str, Form(max_length=200)]
TokenField = Annotated[str, Form(max_length=500)]
CsrfField = Annotated[str, Form(max_length=200)]


def watch_store(ctx: WebContext) -> WatchStore | None:
    """The store's watchlists side, or None when it keeps none."""
    return ctx.store if isinstance(ctx.store, WatchStore) else None


def _writable(ctx: WebContext) -> WatchStore | None:
    store = watch_store(ctx)
    return None if store is None or getattr(ctx.store, "readonly", False) else store


def can_write(ctx: WebContext, request: Request) -> bool:
    """Whether the page shows its forms: the store can be written and writes are open to this
    request (with the token when the server has one, else as a local request)."""
    guard = ctx.guard
    return _writable(ctx) is not None and (guard.token is not None or guard.is_local(request))


def writable_watchlists(ctx: WebContext, request: Request, token: str, csrf: str) -> WatchStore:
    """The watchlists side for a write ``request`` may make (``WriteGuard.check``, a store that can
    be written, then the CSRF field), else 401/403/405."""
    ctx.guard.check(request, form_token=token)
    store = _writable(ctx)
    if store is None:
        raise HTTPException(
            405, "this server's store keeps no watchlists or is read-only: use `storyline watch`"
        )
    ctx.csrf.check(request, csrf)
    return store


def _lines(text: str) -> tuple[str, ...]:
    return tuple(text.splitlines())


def _threshold(text: str) -> float:
    try:
        return float(text.strip() or "0.5")
    except ValueError:
        raise InvalidWatchlist(
            "threshold", f"the threshold is a number in [0, 1], not {text[:20]!r}"
        ) from None


def _secret(env_name: str) -> str | None:
    """The reference of the webhook key kept in the server's environment variable ``env_name``."""
    if not env_name.strip():
        return None
    try:
        return env_reference(env_name.strip())
    except SecretUnavailable as e:
        raise InvalidWatchlist("secret_env", str(e)) from e


def _form_values(w: Watchlist) -> dict[str, str]:
    """What the edit form shows of a stored watchlist (never its webhook URL: a credential; the
    page says whether there is one and whether it is signed)."""
    return {
        "name": w.name,
        "entities": "\n".join(w.entities),
        "keywords": "\n".join(w.keywords),
        "example": w.example,
        "threshold": f"{w.threshold:g}",
        "webhook": "",
        "secret_env": "",
    }


def _page(request: Request, ctx: WebContext, view: Pages, status: int = 200, **form: Any) -> HTMLResponse:
    rows: list[tuple[Watchlist, list[Alert]]] = []
    store = watch_store(ctx)
    if store is not None:
        for watchlist in store.list_watchlists():
            rows.append((watchlist, store.list_alerts(watchlist_id=watchlist.id, limit=RECENT_ALERTS)))
    return ctx.csrf.render(
        view,
        request,
        "watchlists.html",
        status,
        title="Watchlists",
        rows=rows,
        keeps=store is not None,
        writable=can_write(ctx, request),
        needs_token=ctx.guard.token is not None,
        error=form.get("error"),
        failed=form.get("failed"),
        values=form.get("values") or {"threshold": "0.5"},
    )


@router.get("/watchlists", response_class=HTMLResponse)
def watchlists_page(request: Request, ctx: Ctx, view: Render) -> HTMLResponse:
    """Every watchlist with its query, last visit, Atom feed and most recent alerts, and the forms."""
    return _page(request, ctx, view)


@router.post("/watchlists", response_model=None)
def create_watchlist(
    request: Request,
    ctx: Ctx,
    view: Render,
    name: NameField = "",
    entities: TermsField = "",
    keywords: TermsField = "",
    example: ExampleField = "",
    threshold: ThresholdField = "0.5",
    webhook: UrlField = "",
    secret_env: EnvField = "",
    token: TokenField = "",
    csrf: CsrfField = "",
) -> Response:
    """Add a watchlist (a name already taken is refused: edit that one)."""
    store = writable_watchlists(ctx, request, token, csrf)
    values = {"name": name, "entities": entities, "keywords": keywords, "example": example}
    values |= {"threshold": threshold, "webhook": webhook, "secret_env": secret_env}
    try:
        given = WatchlistInput(
            name, _lines(entities), _lines(keywords), example, _threshold(threshold), webhook
        )
        given = given.checked()
        if store.get_watchlist(given.id) is not None:
            raise InvalidWatchlist(
                "name", f"a watchlist named {given.name!r} exists: edit it, or pick another name"
            )
        watchlist = given.watchlist(ctx.embedder, webhook_secret=_secret(secret_env))
    except InvalidWatchlist as e:
        return _page(request, ctx, view, 422, error=str(e), failed=e.field, values=values)
    start_cursor(store)  # alerts from the articles stored from now on
    store.add_watchlist(watchlist)
    LOGGER.info("web: watchlist %s added", watchlist.id)
    return RedirectResponse(f"/watchlists#{path_id(watchlist.id)}", status_code=303)


def _found(store: WatchStore, watchlist_id: str) -> Watchlist:
    found = store.get_watchlist(watchlist_id)
    if found is None:
        raise HTTPException(404, f"no watchlist {watchlist_id!r}")
    return found


def _edit_page(
    request: Request, ctx: WebContext, view: Pages, watchlist: Watchlist, status: int = 200, **form: Any
) -> HTMLResponse:
    return ctx.csrf.render(
        view,
        request,
        "watchlist_edit.html",
        status,
        title=f"Edit {watchlist.name}",
        w=watchlist,
        writable=can_write(ctx, request),
        needs_token=ctx.guard.token is not None,
        error=form.get("error"),
        failed=form.get("failed"),
        values=form.get("values") or _form_values(watchlist),
    )


@router.get("/watchlists/{watchlist_id}/edit", response_class=HTMLResponse)
def edit_page(request: Request, ctx: Ctx, view: Render, watchlist_id: str) -> HTMLResponse:
    """The form of one watchlist, filled with what it holds."""
    store = watch_store(ctx)
    if store is None:
        raise HTTPException(404, "this store keeps no watchlists")
    return _edit_page(request, ctx, view, _found(store, watchlist_id))


@router.post("/watchlists/{watchlist_id}", response_model=None)
def edit_watchlist(
    request: Request,
    ctx: Ctx,
    view: Render,
    watchlist_id: str,
    entities: TermsField = "",
    keywords: TermsField = "",
    example: ExampleField = "",
    threshold: ThresholdField = "0.5",
    webhook: UrlField = "",
    secret_env: EnvField = "",
    remove_webhook: Annotated[str, Form(max_length=10)] = "",
    token: TokenField = "",
    csrf: CsrfField = "",
) -> Response:
    """Change a watchlist's query, threshold or webhook; its name, id, alerts and feed stay. A blank
    webhook field keeps the webhook (never shown whole); ``remove_webhook`` drops it."""
    store = writable_watchlists(ctx, request, token, csrf)
    previous = _found(store, watchlist_id)
    values = {"name": previous.name, "entities": entities, "keywords": keywords, "example": example}
    values |= {"threshold": threshold, "webhook": webhook, "secret_env": secret_env}
    url, secret = previous.webhook_url, previous.webhook_secret
    if remove_webhook:
        url = secret = None
    elif webhook.strip():
        url = webhook
    try:
        secret = _secret(secret_env) or secret
        given = WatchlistInput(
            previous.name, _lines(entities), _lines(keywords), example, _threshold(threshold), url
        )
        watchlist = given.watchlist(ctx.embedder, webhook_secret=secret, previous=previous)
    except InvalidWatchlist as e:
        return _edit_page(request, ctx, view, previous, 422, error=str(e), failed=e.field, values=values)
    store.add_watchlist(watchlist)
    LOGGER.info("web: watchlist %s changed", watchlist.id)
    return RedirectResponse(f"/watchlists#{path_id(watchlist.id)}", status_code=303)


@router.post("/watchlists/{watchlist_id}/delete")
def delete_watchlist(
    request: Request, ctx: Ctx, watchlist_id: str, token: TokenField = "", csrf: CsrfField = ""
) -> RedirectResponse:
    """Remove a watchlist and its alerts."""
    store = writable_watchlists(ctx, request, token, csrf)
    if not store.remove_watchlist(watchlist_id):
        raise HTTPException(404, f"no watchlist {watchlist_id!r}")
    LOGGER.info("web: watchlist %s removed", watchlist_id)
    return RedirectResponse("/watchlists", status_code=303)
