"""Property test over the HTTP API: whatever the parameters and bodies, no 5xx, and every error has the
one error shape. The endpoints and their parameters are read from the OpenAPI document itself, so a new
endpoint is fuzzed without editing this file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.settings import Settings
from storyline.web import create_app
from storyline.web.ratelimit import RateLimits
from tests.test_web_api import ERROR_KEYS, seed_store

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

values = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1001",
            "true",
            "perhaps",
            "2021-02-17",
            "2021-02-30",
            "0001-01-01T00:00+09:00",
            "9999-12-31T23:59:59-09:00",
            "Taliban",
            '"peace deal" OR nato*',
            "NEAR(a b)",
            "x" * 600,
        ]
    ),
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.integers()
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def fuzz_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = seed_store(tmp_path_factory.mktemp("fuzz") / "fuzz.db")
    settings = Settings(db=str(store.path), workers=1, trusted_hosts="testserver")
    app = create_app(store, settings, limits=RateLimits(compare_burst=10_000))
    yield TestClient(app, raise_server_exceptions=False)
    store.close()


def _get_operations(client: TestClient) -> list[tuple[str, list[str]]]:
    doc = client.get("/api/v1/openapi.json").json()
    ops = []
    for path, methods in doc["paths"].items():
        if "get" in methods:
            ops.append(
                (path, [p["name"] for p in methods["get"].get("parameters", []) if p["in"] == "query"])
            )
    return ops


def _check(response: Any) -> None:
    assert response.status_code < 500, (response.request.url, response.text)
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == ERROR_KEYS and body["status"] == response.status_code and body["ok"] is False


def test_get_endpoints_never_fail(fuzz_client: TestClient) -> None:
    operations = _get_operations(fuzz_client)
    assert len(operations) >= 8

    @settings(FUZZ, max_examples=200)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        path, names = data.draw(st.sampled_from(operations))
        filled = path
        while "{" in filled:
            head, _, rest = filled.partition("{")
            filled = (
                head + quote(data.draw(st.text(min_size=1, max_size=30)), safe="") + rest.partition("}")[2]
            )
        keys = data.draw(st.lists(st.sampled_from([*names, "junk"]), max_size=5)) if names else []
        params: list[tuple[str, str | int | float | bool | None]] = [(k, data.draw(values)) for k in keys]
        _check(fuzz_client.get(filled, params=params))

    run()


sides = st.fixed_dictionaries(
    {},
    optional={
        "id": st.text(max_size=20),
        "text": st.text(min_size=30, max_size=400)
        | st.sampled_from(["Berlin (dpa) – " + "Kanzler sagt. " * 8]),
        "title": st.text(max_size=30),
    },
)
compare_bodies = st.one_of(json_values, st.fixed_dictionaries({"a": sides, "b": sides}))


@FUZZ
@given(body=compare_bodies)
def test_compare_never_fails(fuzz_client: TestClient, body: object) -> None:
    local = TestClient(fuzz_client.app, base_url="http://127.0.0.1", raise_server_exceptions=False)
    _check(local.post("/api/v1/compare", json=body))  # local: no token needed


@FUZZ
@given(
    body=st.one_of(st.binary(max_size=300), json_values.map(lambda v: json.dumps(v).encode())),
    kind=st.sampled_from(["text/plain", "application/json", "text/html", "multipart/form-data", "", "x/y"]),
)
def test_ingest_never_fails(fuzz_client: TestClient, body: bytes, kind: str) -> None:
    _check(fuzz_client.post("/api/v1/ingest", content=body, headers={"content-type": kind}))


def test_store_is_still_readable(fuzz_client: TestClient) -> None:
    assert fuzz_client.get("/api/v1/stats").json()["n_articles"] >= 4
