"""The pages that write: watchlist forms (add, edit, delete) and the upload form.

Every post goes through the write guard (the token typed in the form when the server has one, local
requests only without one, cross-site posts refused) and the CSRF field; a refused post writes
nothing. Fields are checked with the rules ``storyline watch add`` uses (``alerts.WatchlistInput``).
Uploads run the pipeline as ``POST /api/v1/ingest`` does, so the watchlists' alerts follow.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyline.model import Watchlist, watchlist_id
from storyline.settings import Settings
from storyline.store import MemoryStore, SqliteStore
from storyline.web import create_app
from storyline.web.csrf import COOKIE
from tests.conftest import AFP_SEED, DPA_SEED

HOSTILE = "<img src=x onerror=alert(1)>"
TOKEN = "s3cret-token"
_CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')


@pytest.fixture
def store() -> Iterator[MemoryStore]:
    made = MemoryStore()
    yield made
    made.close()


def client(store: Any, token: str | None = None, **kw: Any) -> TestClient:
    """A client talking to the app as http://127.0.0.1 (a local request)."""
    settings = kw.pop("settings", None) or Settings(workers=1)
    return TestClient(create_app(store, settings, token=token, **kw), base_url="http://127.0.0.1")


def csrf_of(web: TestClient, path: str = "/watchlists") -> str:
    """The CSRF field of the page's forms (the GET sets the client's cookie)."""
    page = web.get(path)
    assert page.status_code == 200
    found = _CSRF.search(page.text)
    assert found is not None, "no csrf field on " + path
    return found.group(1)


def notice(html: str) -> str:
    """The text of the page's error notice."""
    found = re.search(r'<div class="notice error"[^>]*><p>(.*?)</p>', html, re.S)
    assert found is not None
    return found.group(1)


def add(web: TestClient, csrf: str, **fields: str) -> Any:
    return web.post("/watchlists", data={"csrf": csrf, **fields}, follow_redirects=False)


# -- watchlists: add, edit, delete ------------------------------------------------------------------


def test_add_edit_and_delete_a_watchlist(store: MemoryStore) -> None:
    web = client(store)
    csrf = csrf_of(web)
    made = add(
        web, csrf, name=" NATO ", entities="Jens Stoltenberg\n\nStoltenberg", keywords="Taliban\ntaliban"
    )
    assert made.status_code == 303
    wid = watchlist_id("NATO")
    assert made.headers["location"] == f"/watchlists#{wid}"
    stored = store.get_watchlist(wid)
    assert stored is not None
    assert (stored.name, stored.entities, stored.keywords) == (
        "NATO",
        ("Jens Stoltenberg", "Stoltenberg"),
        ("Taliban",),
    )
    page = web.get("/watchlists").text
    assert f'id="{wid}"' in page and f'href="/watchlists/{wid}/edit"' in page
    assert f'action="/watchlists/{wid}/delete"' in page

    form = web.get(f"/watchlists/{wid}/edit").text
    assert "Jens Stoltenberg\nStoltenberg</textarea>" in form and 'name="name"' not in form
    edited = web.post(
        f"/watchlists/{wid}",
        data={"csrf": csrf, "entities": "", "keywords": "Afghanistan\nKabul", "threshold": "0.7"},
        follow_redirects=False,
    )
    assert edited.status_code == 303
    after = store.get_watchlist(wid)
    assert after is not None
    assert (after.entities, after.keywords, after.threshold) == ((), ("Afghanistan", "Kabul"), 0.7)
    assert after.created_at == stored.created_at and after.name == "NATO"  # the id, feed and alerts stay
    assert len(store.list_watchlists()) == 1

    gone = web.post(f"/watchlists/{wid}/delete", data={"csrf": csrf}, follow_redirects=False)
    assert gone.status_code == 303 and store.list_watchlists() == []
    assert web.post(f"/watchlists/{wid}/delete", data={"csrf": csrf}).status_code == 404
    assert web.get(f"/watchlists/{wid}/edit").status_code == 404
    assert web.post(f"/watchlists/{wid}", data={"csrf": csrf, "keywords": "x"}).status_code == 404


def test_example_text_is_embedded_once_and_again_when_it_changes(store: MemoryStore) -> None:
    web = client(store)
    csrf = csrf_of(web)
    text = "Storms and flooding close schools and roads in Australia"
    assert add(web, csrf, name="floods", example=text, threshold="0.4").status_code == 303
    first = store.get_watchlist(watchlist_id("floods"))
    assert first is not None and first.example_vector is not None and first.threshold == 0.4
    same = {"csrf": csrf, "example": text, "threshold": "0.45"}
    assert web.post(f"/watchlists/{first.id}", data=same, follow_redirects=False).status_code == 303
    kept = store.get_watchlist(first.id)
    assert kept is not None and kept.example_vector == first.example_vector and kept.threshold == 0.45
    other = {"csrf": csrf, "example": "Central bank raises interest rates again", "threshold": "0.45"}
    assert web.post(f"/watchlists/{first.id}", data=other, follow_redirects=False).status_code == 303
    changed = store.get_watchlist(first.id)
    assert changed is not None and changed.example_vector not in (None, first.example_vector)


def test_webhook_is_kept_redacted_replaced_and_removed(store: MemoryStore) -> None:
    web = client(store)
    csrf = csrf_of(web)
    hook = "https://hooks.example.com/services/T000/B000/SECRETPATH"
    made = add(web, csrf, name="hooked", keywords="flood", webhook=hook, secret_env="HOOK_KEY")
    assert made.status_code == 303
    wid = watchlist_id("hooked")
    stored = store.get_watchlist(wid)
    assert stored is not None and (stored.webhook_url, stored.webhook_secret) == (hook, "env:HOOK_KEY")
    for path in ("/watchlists", f"/watchlists/{wid}/edit"):
        page = web.get(path).text
        assert "SECRETPATH" not in page and "https://hooks.example.com/…" in page, path
    keep = web.post(f"/watchlists/{wid}", data={"csrf": csrf, "keywords": "floods"}, follow_redirects=False)
    assert keep.status_code == 303
    kept = store.get_watchlist(wid)
    assert kept is not None and (kept.webhook_url, kept.webhook_secret, kept.keywords) == (
        hook,
        "env:HOOK_KEY",
        ("floods",),
    )
    new = {"csrf": csrf, "keywords": "floods", "webhook": "https://other.example/h"}
    assert web.post(f"/watchlists/{wid}", data=new, follow_redirects=False).status_code == 303
    moved = store.get_watchlist(wid)
    assert moved is not None and (moved.webhook_url, moved.webhook_secret) == (
        "https://other.example/h",
        "env:HOOK_KEY",
    )
    drop = {"csrf": csrf, "keywords": "floods", "remove_webhook": "on"}
    assert web.post(f"/watchlists/{wid}", data=drop, follow_redirects=False).status_code == 303
    dropped = store.get_watchlist(wid)
    assert dropped is not None and (dropped.webhook_url, dropped.webhook_secret) == (None, None)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "empty"}, "give at least one entity, keyword or example text"),
        ({"name": "   ", "keywords": "x"}, "a watchlist needs a name"),
        ({"name": "n" * 201, "keywords": "x"}, "at most 200 characters"),
        ({"name": "t", "keywords": "x", "threshold": "1.5"}, "the threshold is a cosine in [0, 1]"),
        ({"name": "t", "keywords": "x", "threshold": "nan"}, "the threshold is a cosine in [0, 1]"),
        ({"name": "t", "keywords": "x", "threshold": "high"}, "the threshold is a number in [0, 1]"),
        ({"name": "t", "keywords": "!!!"}, "has no letter or digit"),
        ({"name": "t", "keywords": "x", "webhook": "ftp://example.com/h"}, "expected an http(s) URL"),
        ({"name": "t", "keywords": "x", "webhook": "javascript:alert(1)"}, "expected an http(s) URL"),
        (
            {"name": "t", "keywords": "x", "webhook": "https://h.example/", "secret_env": "1-BAD"},
            "not an environment variable name",
        ),
        ({"name": "t", "keywords": "x", "secret_env": "HOOK_KEY"}, "give a webhook URL too"),
    ],
)
def test_bad_fields_are_refused_with_a_message(
    store: MemoryStore, fields: dict[str, str], message: str
) -> None:
    web = client(store)
    answer = add(web, csrf_of(web), **fields)
    assert answer.status_code == 422
    assert message in notice(answer.text).replace("&#39;", "'")
    assert store.list_watchlists() == []
    assert 'aria-invalid="true"' in answer.text  # the field is marked
    assert _CSRF.search(answer.text)  # the form is there again, to correct


def test_a_taken_name_is_refused_and_the_form_keeps_what_was_typed(store: MemoryStore) -> None:
    web = client(store)
    csrf = csrf_of(web)
    assert add(web, csrf, name="nato", keywords="NATO").status_code == 303
    again = add(web, csrf, name="NATO", keywords="Brussels\nSHAPE", example="defence ministers")
    assert again.status_code == 422 and "exists: edit it" in notice(again.text)
    assert "Brussels\nSHAPE</textarea>" in again.text and ">defence ministers</textarea>" in again.text
    [only] = store.list_watchlists()
    assert only.keywords == ("NATO",)


def test_a_bad_edit_changes_nothing(store: MemoryStore) -> None:
    web = client(store)
    csrf = csrf_of(web)
    assert add(web, csrf, name="nato", keywords="NATO").status_code == 303
    wid = watchlist_id("nato")
    refused = web.post(f"/watchlists/{wid}", data={"csrf": csrf, "keywords": "", "entities": ""})
    assert refused.status_code == 422 and "give at least one" in notice(refused.text)
    kept = store.get_watchlist(wid)
    assert kept is not None and kept.keywords == ("NATO",)


def test_hostile_names_and_terms_are_shown_as_text(store: MemoryStore) -> None:
    web = client(store)
    csrf = csrf_of(web)
    assert (
        add(web, csrf, name=HOSTILE, keywords=f"{HOSTILE}\n</textarea><script>alert(2)</script>").status_code
        == 303
    )
    wid = watchlist_id(HOSTILE)
    for path in ("/watchlists", f"/watchlists/{wid}/edit"):
        page = web.get(path).text
        assert HOSTILE not in page and "<script>alert(2)" not in page, path
        assert "&lt;img src=x onerror=alert(1)&gt;" in page, path
    refused = add(web, csrf, name=HOSTILE, keywords="again")  # the message quotes the name
    assert refused.status_code == 422 and HOSTILE not in refused.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in notice(refused.text)
    echoed = add(web, csrf, name='"><svg onload=alert(3)>', keywords="x", threshold='"><b>')
    assert echoed.status_code == 422 and "<svg onload" not in echoed.text and "<b>" not in echoed.text


# -- who may write ----------------------------------------------------------------------------------


def test_forms_need_the_token_when_one_is_set(store: MemoryStore) -> None:
    web = client(store, token=TOKEN)
    page = web.get("/watchlists").text
    assert 'type="password" name="token"' in page
    csrf = csrf_of(web)
    assert add(web, csrf, name="nato", keywords="NATO").status_code == 401
    assert add(web, csrf, name="nato", keywords="NATO", token="guess").status_code == 401
    assert store.list_watchlists() == []
    assert add(web, csrf, name="nato", keywords="NATO", token=TOKEN).status_code == 303
    wid = watchlist_id("nato")
    assert web.post(f"/watchlists/{wid}", data={"csrf": csrf, "keywords": "x"}).status_code == 401
    assert web.post(f"/watchlists/{wid}/delete", data={"csrf": csrf, "token": "nope"}).status_code == 401
    kept = store.get_watchlist(wid)
    assert kept is not None and kept.keywords == ("NATO",)
    bearer = web.post(
        f"/watchlists/{wid}/delete", data={"csrf": csrf}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert bearer.status_code == 200 and store.list_watchlists() == []  # 303 followed to the page


def test_without_write_access_the_page_is_read_only_and_posts_write_nothing(store: MemoryStore) -> None:
    store.add_watchlist(Watchlist(watchlist_id("nato"), "nato", keywords=("NATO",)))
    settings = Settings(workers=1, trusted_hosts="news.example.com")
    app = create_app(store, settings)  # no token: writes only from local requests
    remote = TestClient(app, base_url="http://news.example.com")
    page = remote.get("/watchlists")
    assert page.status_code == 200 and "<h2>nato</h2>" in page.text
    assert 'method="post"' not in page.text and "/edit" not in page.text
    assert 'method="post"' not in remote.get("/upload").text
    csrf = csrf_of(TestClient(app, base_url="http://127.0.0.1"))
    for path, data in [
        ("/watchlists", {"name": "x", "keywords": "x"}),
        (f"/watchlists/{watchlist_id('nato')}", {"keywords": "y"}),
        (f"/watchlists/{watchlist_id('nato')}/delete", {}),
    ]:
        assert remote.post(path, data={"csrf": csrf, **data}).status_code == 403, path
    [kept] = store.list_watchlists()
    assert kept.keywords == ("NATO",)


def test_read_only_store_shows_no_forms(tmp_path: Path) -> None:
    made = SqliteStore(tmp_path / "ro.db")
    made.add_watchlist(Watchlist(watchlist_id("nato"), "nato", keywords=("NATO",)))
    made.close()
    store = SqliteStore(tmp_path / "ro.db", readonly=True)
    try:
        web = client(store, settings=Settings(db=str(tmp_path / "ro.db"), workers=1))
        page = web.get("/watchlists").text
        assert "<h2>nato</h2>" in page and 'method="post"' not in page
        assert add(web, "", name="x", keywords="x").status_code == 405
        assert "read-only" in web.get("/upload").text
    finally:
        store.close()


@pytest.mark.parametrize("how", ["missing", "wrong", "other session", "no cookie"])
def test_a_bad_csrf_field_is_refused(store: MemoryStore, how: str) -> None:
    web = client(store)
    csrf = csrf_of(web)
    other = client(store)
    field = {"missing": "", "wrong": "0" * 64, "other session": csrf_of(other), "no cookie": csrf}[how]
    if how == "no cookie":
        web.cookies.delete(COOKIE)
    answer = add(web, field, name="nato", keywords="NATO")
    assert answer.status_code == 403 and "CSRF" in answer.text
    assert store.list_watchlists() == []
    store.add_watchlist(Watchlist(watchlist_id("nato"), "nato", keywords=("NATO",)))
    wid = watchlist_id("nato")
    assert web.post(f"/watchlists/{wid}/delete", data={"csrf": field}).status_code == 403
    assert web.post(f"/watchlists/{wid}", data={"csrf": field, "keywords": "x"}).status_code == 403
    assert store.get_watchlist(wid) is not None


def test_the_csrf_cookie_is_http_only_strict_and_kept(store: MemoryStore) -> None:
    web = client(store)
    first = web.get("/watchlists")
    cookie = first.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Path=/" in cookie and first.headers["cache-control"] == "no-store"
    second = web.get("/upload")
    assert "set-cookie" not in second.headers  # one per browser: every form shares it
    assert _CSRF.findall(first.text)[0] == _CSRF.findall(second.text)[0]
    secure = TestClient(create_app(store, Settings(workers=1)), base_url="https://127.0.0.1")
    assert "Secure" in secure.get("/watchlists").headers["set-cookie"]


def test_cross_site_posts_are_refused(store: MemoryStore) -> None:
    web = client(store)
    csrf = csrf_of(web)
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        data = {"csrf": csrf, "name": "x", "keywords": "x"}
        assert web.post("/watchlists", data=data, headers=headers).status_code == 403
        files = {"file": ("a.txt", AFP_SEED.read_bytes())}
        assert web.post("/upload", data={"csrf": csrf}, files=files, headers=headers).status_code == 403
    assert store.list_watchlists() == [] and store.count_articles() == 0
    same = add(web, csrf, name="x", keywords="x")
    assert same.status_code == 303


# -- upload -----------------------------------------------------------------------------------------


def _upload(web: TestClient, csrf: str, files: list[tuple[str, bytes]], **fields: str) -> Any:
    return web.post("/upload", data={"csrf": csrf, **fields}, files=[("file", f) for f in files])


def test_upload_stores_files_and_shows_the_run(store: MemoryStore) -> None:
    web = client(store)
    csrf = csrf_of(web, "/upload")
    copy = AFP_SEED.read_text(encoding="utf-8").replace("NATO defense ministers", "NATO defence ministers", 1)
    rows = [
        {"title": HOSTILE, "text": "Brussels (AFP) - A report about tulips and prices " * 3},
        {"title": "no text"},
    ]
    jsonl = "\n".join(json.dumps(r) for r in rows).encode()
    files = [
        ("afp.txt", AFP_SEED.read_bytes()),
        (f"{HOSTILE}.jsonl", jsonl),
        ("copy.txt.gz", gzip.compress(copy.encode())),
        ("picture.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
    ]
    answer = _upload(web, csrf, files)
    assert answer.status_code == 200
    page = answer.text
    counts = dict(re.findall(r'<dd class="(\w+)">(\d+)', page))
    assert counts["stored"] == "3" and counts["copies"] == "1" and int(counts["rejected"]) >= 2
    assert store.count_articles() == 3
    for article in store.iter_articles():
        assert f'href="/articles/{article.id}"' in page
    table = page[page.index('<table class="table rejections">') :]
    rejected = re.findall(r"<tr><td>([^<]*)</td><td>(\w+)</td><td><code>(\w+)</code>", table)
    assert ("upload:picture.png", "read", "binary") in rejected, rejected  # each with its reason
    assert any(reason == "missing_text" for _, _, reason in rejected), rejected
    assert HOSTILE not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert '<span class="tag">copy</span>' in page
    again = _upload(web, csrf, files[:1])
    assert dict(re.findall(r'<dd class="(\w+)">(\d+)', again.text))["unchanged"] == "1"
    assert store.count_articles() == 3


def test_upload_raises_the_alerts_of_an_edited_watchlist(store: MemoryStore) -> None:
    web = client(store)
    csrf = csrf_of(web)
    assert add(web, csrf, name="tulips", keywords="tulips").status_code == 303
    wid = watchlist_id("tulips")
    weather = (
        b"Berlin (dpa) - Rain and wind are expected across northern Germany on Sunday, forecasters said."
    )
    assert _upload(web, csrf, [("weather.txt", weather)]).status_code == 200  # matched against "tulips"
    assert store.list_alerts(watchlist_id=wid) == []
    edit = {"csrf": csrf, "keywords": "Stoltenberg"}
    assert web.post(f"/watchlists/{wid}", data=edit, follow_redirects=False).status_code == 303
    assert _upload(web, csrf, [("afp.txt", AFP_SEED.read_bytes())]).status_code == 200
    alerts = store.list_alerts(watchlist_id=wid)
    assert len(alerts) == 1 and "keyword" in alerts[0].reasons  # matched by the edited terms
    assert alerts[0].title in web.get("/watchlists").text


def test_upload_needs_the_token_and_the_csrf_field(store: MemoryStore) -> None:
    web = client(store, token=TOKEN)
    csrf = csrf_of(web, "/upload")
    afp = [("afp.txt", AFP_SEED.read_bytes())]
    assert _upload(web, csrf, afp).status_code == 401
    assert _upload(web, csrf, afp, token="guess").status_code == 401
    assert _upload(web, "0" * 64, afp, token=TOKEN).status_code == 403
    assert store.count_articles() == 0
    assert _upload(web, csrf, afp, token=TOKEN).status_code == 200
    assert store.count_articles() == 1


def test_upload_refuses_bad_requests(tmp_path: Path, store: MemoryStore) -> None:
    web = client(store)
    csrf = csrf_of(web, "/upload")
    empty = web.post("/upload", data={"csrf": csrf}, files=[("file", ("", b""))])  # no file chosen
    assert empty.status_code == 422 and "choose at least one file" in notice(empty.text)
    plain = web.post("/upload", content=b"text", headers={"content-type": "text/plain"})
    assert plain.status_code == 415
    small = client(store, settings=Settings(workers=1, max_item_bytes=1000))
    token = csrf_of(small, "/upload")
    assert _upload(small, token, [("big.txt", b"x" * 5000)]).status_code == 413
    assert store.count_articles() == 0
    made = SqliteStore(tmp_path / "ro.db")
    made.close()
    readonly = SqliteStore(tmp_path / "ro.db", readonly=True)
    try:
        ro = client(readonly, settings=Settings(db=str(tmp_path / "ro.db"), workers=1))
        assert _upload(ro, "", [("a.txt", DPA_SEED.read_bytes())]).status_code == 405
    finally:
        readonly.close()
