"""Reads while another process writes: ``storyline serve`` answers every page and API listing with a
well-formed response and no 5xx while a ``storyline ingest`` of a few hundred articles runs."""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
from pathlib import Path

import httpx

from .conftest import AFP_SEED
from .procs import FAST, count, start, storyline, wait_for, write_corpus

N = 400
PATHS = ("/", "/api/v1/stories", "/api/v1/articles", "/api/v1/search?q=NATO", "/api/v1/search?q=a7x1")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _check(path: str, response: httpx.Response) -> str | None:
    """What is wrong with ``response``, or None."""
    if response.status_code >= 500 or response.status_code != 200:
        return f"{path}: {response.status_code} {response.text[:200]}"
    if path == "/":
        ok = response.headers["content-type"].startswith("text/html") and response.text.rstrip().endswith(
            "</html>"
        )
        return None if ok else f"{path}: not a whole HTML page"
    try:
        value = json.loads(response.text)
    except ValueError as e:
        return f"{path}: not JSON: {e}"
    if not isinstance(value, list) or not all(isinstance(v, dict) and "id" in v for v in value):
        return f"{path}: not a list of objects with ids"
    return None


def test_serve_answers_while_an_ingest_writes(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    assert subprocess.run(storyline(db, *FAST, "ingest", str(AFP_SEED)), capture_output=True).returncode == 0
    corpus = write_corpus(tmp_path / "big.jsonl", N)
    port = _free_port()
    server = subprocess.Popen(
        storyline(db, *FAST, "serve", "--port", str(port)), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    problems: list[str] = []
    answers = 0
    stop = threading.Event()

    def client() -> None:
        nonlocal answers
        with httpx.Client(base_url=base, timeout=30) as http:
            while not stop.is_set():
                for path in PATHS:
                    try:
                        problem = _check(path, http.get(path))
                    except httpx.HTTPError as e:
                        problem = f"{path}: {type(e).__name__}: {e}"
                    answers += 1
                    if problem:
                        problems.append(problem)

    try:

        def up() -> bool:
            try:
                return httpx.get(f"{base}/api/v1/stats", timeout=2).status_code == 200
            except httpx.HTTPError:
                assert server.poll() is None, "the server exited"
                return False

        wait_for(up, 60, "the server")
        reader = threading.Thread(target=client, daemon=True)
        reader.start()
        writer = start(db, *FAST, "--set", "batch_size", "20", "ingest", str(corpus))
        _, err = writer.communicate(timeout=300)
        time.sleep(0.5)  # a few more rounds on the finished store
        stop.set()
        reader.join(timeout=60)
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)
    assert writer.returncode == 0, err
    assert count(db) == N + 1
    assert answers >= 2 * len(PATHS), "the client hardly ran; the test proves nothing"
    assert problems == []
