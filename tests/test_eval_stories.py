"""``evaluate_stories``: the JSON contract on a tiny file, and a floor on the ECB+ dev stream."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.embed.use import UseEmbedder
from storyline.errors import InputError
from storyline.evaluate.stories import evaluate_stories, read_stream, story_scores

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
KEYS = {
    "n",
    "n_gold",
    "n_pred",
    "bcubed_precision",
    "bcubed_recall",
    "bcubed_f1",
    "ari",
    "nmi",
    "articles_per_second",
}
#: Measured with the shipped model (docs/evaluation.md, "Stories"); pinned a little below.
ECB_FLOOR = 0.92

ROWS = [
    (
        "q1",
        "Quake of magnitude 7.1 hits Valparaiso, Chile",
        "A magnitude 7.1 earthquake struck near Valparaiso, "
        "Chile on Tuesday. Onemi lifted a tsunami warning and President Bachelet said damage was limited.",
        "quake",
    ),
    (
        "f1",
        "Bayern beat Dortmund 3-1",
        "Harry Kane scored twice as Bayern Munich beat Borussia Dortmund 3-1 "
        "at the Allianz Arena on Saturday, Thomas Tuchel's side moving top of the Bundesliga.",
        "football",
    ),
    (
        "q2",
        "Chile earthquake: tsunami alert lifted in Valparaiso",
        "Chile's Onemi emergency office lifted the "
        "tsunami alert after a 7.1 quake near Valparaiso on Tuesday; Bachelet said no deaths were reported.",
        "quake",
    ),
    (
        "f2",
        "Kane double as Bayern see off Dortmund",
        "Harry Kane's two goals gave Bayern Munich a 3-1 win over "
        "Borussia Dortmund on Saturday; Tuchel praised the pressing at the Allianz Arena.",
        "football",
    ),
]


@pytest.fixture(scope="module")
def embedder() -> UseEmbedder:
    return UseEmbedder()


def write(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    lines = [
        json.dumps(
            {
                "id": i,
                "title": t,
                "text": x,
                "lang": "en",
                "published": None,
                "source": None,
                "story": s,
                "topic": None,
            }
        )
        for i, t, x, s in rows
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_scores_on_a_tiny_stream(tmp_path: Path, embedder: UseEmbedder) -> None:
    calls: list[tuple[int, int]] = []
    result = evaluate_stories(
        write(tmp_path / "s.jsonl", ROWS),
        embedder=embedder,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert set(result) >= KEYS
    assert (result["n"], result["n_gold"]) == (4, 2)
    assert result["n_pred"] == 2 and result["bcubed_f1"] == 1.0 and result["ari"] == 1.0
    assert result["articles_per_second"] > 0
    assert calls[-1] == (4, 4)


def test_story_scores_from_labels() -> None:
    scores = story_scores(["a", "a", "b", "b"], ["x", "x", "x", "y"])
    assert scores["n"] == 4 and scores["n_gold"] == 2 and scores["n_pred"] == 2
    # per article: the a's share x with one a of three (2/3 each), the b in x 1/3, the b alone 1
    assert scores["bcubed_precision"] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4, abs=1e-4)
    assert scores["bcubed_recall"] == pytest.approx((1 + 1 + 1 / 2 + 1 / 2) / 4, abs=1e-4)
    assert 0 < scores["bcubed_f1"] < 1 and -1 <= scores["ari"] <= 1 and 0 <= scores["nmi"] <= 1


def test_a_bad_line_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "text": "x", "story": "s"}\n{"id": "b"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl:2"):
        list(read_stream(path))


@pytest.mark.slow
def test_ecbplus_dev_floor(embedder: UseEmbedder) -> None:
    path = DATA / "stories" / "ecbplus_dev_shuffled.jsonl"
    if not path.exists():
        pytest.skip(f"needs the shared evaluation data at {path} (../shared beside the repo)")
    result = evaluate_stories(path, embedder=embedder)
    assert result["n"] == 772 and result["n_gold"] == 66
    assert result["bcubed_f1"] >= ECB_FLOOR, result
