"""Online story assignment: decisions, identity, merges, near-copies, restore and windows."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from storyline.embed.use import UseEmbedder
from storyline.model import Article, Batch
from storyline.store.memory import MemoryStore
from storyline.stories.assign import (
    FEATURES,
    MODEL_PATH,
    AssignInput,
    AssignModel,
    AssignOutcome,
    StoryAssigner,
    TreeScore,
    decode_state,
    encode_state,
    load_score,
    prepare_assign_inputs,
)

CHILE_1 = (
    "Strong quake shakes central Chile",
    "SANTIAGO (Reuters) - A magnitude 7.1 earthquake struck off the coast of central Chile near Valparaiso "
    "on Tuesday, the US Geological Survey said, sending residents of Valparaiso and Vina del Mar into the "
    "streets. Chile's emergency office Onemi said there were no immediate reports of casualties and lifted "
    "a brief tsunami warning. President Michelle Bachelet said the armed forces were checking the port.",
)
CHILE_2 = (
    "Chile earthquake: 7.1 tremor near Valparaiso, tsunami alert lifted",
    "VALPARAISO, Chile (AP) - A powerful 7.1 magnitude earthquake hit near Valparaiso late Tuesday. Onemi, "
    "the national emergency office, briefly ordered the evacuation of the coast before lifting the tsunami "
    "warning. Bachelet said on Twitter that damage in Valparaiso and Vina del Mar appeared limited and that "
    "no deaths had been reported.",
)
JAPAN = (
    "Earthquake rattles northern Japan",
    "TOKYO (AFP) - A magnitude 6.4 earthquake struck off Miyagi prefecture in northern Japan on Saturday, "
    "the Japan Meteorological Agency said, shaking buildings in Sendai and Tokyo. Prime Minister Fumio "
    "Kishida told reporters that Tokyo Electric Power found no abnormalities at the Fukushima plant and "
    "that bullet train services between Tokyo and Sendai were suspended.",
)
FOOTBALL = (
    "Bayern beat Dortmund in Der Klassiker",
    "MUNICH (dpa) - Harry Kane scored twice as Bayern Munich beat Borussia Dortmund 3-1 in the Bundesliga "
    "on Saturday. Thomas Tuchel praised his side's pressing while Dortmund coach Edin Terzic lamented "
    "defensive errors at the Allianz Arena.",
)
START = datetime(2024, 3, 5, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def embedder() -> UseEmbedder:
    return UseEmbedder()


def article(key: str, title_text: tuple[str, str], at: datetime | None, **extra: object) -> Article:
    title, text = title_text
    return Article(id=key, title=title, text=text, published_at=at, language="en", source=key[:2], **extra)  # type: ignore[arg-type]


def stream(embedder: UseEmbedder, articles: list[Article]) -> list[AssignInput]:
    return prepare_assign_inputs(articles, embedder)


def run(items: list[AssignInput], assigner: StoryAssigner | None = None) -> list[AssignOutcome]:
    assigner = assigner or StoryAssigner()
    return [assigner.assign(item) for item in items]


def test_two_reports_join_and_a_different_event_does_not(embedder: UseEmbedder) -> None:
    items = stream(
        embedder,
        [
            article("a1", CHILE_1, START),
            article("a2", CHILE_2, START + timedelta(hours=2)),
            article("a3", JAPAN, START + timedelta(hours=3)),
            article("a4", FOOTBALL, START + timedelta(hours=4)),
        ],
    )
    outcomes = run(items)
    ids = [o.assignment.story_id for o in outcomes]
    assert ids[0] == ids[1], "two reports of the Chile quake are one story"
    assert ids[2] != ids[0] and ids[3] not in (ids[0], ids[2])
    assert [o.assignment.is_new_story for o in outcomes] == [True, False, True, True]
    assert ids[0].startswith("s") and len(ids[0]) == 16


def test_same_input_order_gives_the_same_ids_and_states(embedder: UseEmbedder) -> None:
    items = stream(
        embedder,
        [
            article(f"k{i}", t, START + timedelta(hours=i))
            for i, t in enumerate([CHILE_1, JAPAN, CHILE_2, FOOTBALL])
        ],
    )
    first, second = run(items), run(items)
    assert [o.assignment for o in first] == [o.assignment for o in second]
    assert [dict(o.story_states) for o in first] == [dict(o.story_states) for o in second]
    assert [o.stories for o in first] == [o.stories for o in second]


def test_a_near_copy_joins_its_original(embedder: UseEmbedder) -> None:
    copy = article("c2", FOOTBALL, START + timedelta(hours=1), duplicate_of="c1")
    items = stream(embedder, [article("c1", CHILE_1, START), copy])
    outcomes = run(items)
    assert outcomes[1].assignment.story_id == outcomes[0].assignment.story_id
    assert not outcomes[1].assignment.is_new_story


def test_outcome_rows_and_states(embedder: UseEmbedder) -> None:
    items = stream(
        embedder, [article("r1", CHILE_1, START), article("r2", CHILE_2, START + timedelta(days=1))]
    )
    outcome = run(items)[1]
    (row,) = outcome.stories
    assert row.n_articles == 2 and row.sources == ("r1", "r2") and row.languages == ("en",)
    assert row.first_seen_at == START and row.last_seen_at == START + timedelta(days=1)
    assert row.storyline_id is not None and row.storyline_id.startswith("l")
    state = decode_state(outcome.story_states[row.id])
    assert state.n == 2 and encode_state(state) == outcome.story_states[row.id]
    assert {line.id for line in outcome.storylines} == {row.storyline_id}


def test_a_story_idle_past_the_window_takes_no_new_members(embedder: UseEmbedder) -> None:
    soon = stream(
        embedder, [article("w1", CHILE_1, START), article("w2", CHILE_2, START + timedelta(days=5))]
    )
    assert len({o.assignment.story_id for o in run(soon, StoryAssigner(window_days=30))}) == 1
    late = stream(
        embedder, [article("w1", CHILE_1, START), article("w2", CHILE_2, START + timedelta(days=40))]
    )
    outcomes = run(late, StoryAssigner(window_days=30))
    assert outcomes[1].assignment.is_new_story


def test_undated_articles_take_the_stream_time(embedder: UseEmbedder) -> None:
    items = stream(embedder, [article("u1", CHILE_1, START), article("u2", CHILE_2, None)])
    outcome = run(items)[1]
    (row,) = outcome.stories
    assert row.last_seen_at == START


def write(store: MemoryStore, outcome: AssignOutcome, stored: Article) -> None:
    """Store one article with what its assignment changed, as the pipeline does."""
    store.write_batch(
        Batch(
            articles=(stored,),
            assignments=(outcome.assignment,),
            stories=outcome.stories,
            story_states=outcome.story_states,
            storylines=outcome.storylines,
            events=outcome.events,
        )
    )


def test_restore_then_continue_decides_as_an_uninterrupted_run(embedder: UseEmbedder) -> None:
    texts = [CHILE_1, JAPAN, FOOTBALL, CHILE_2, JAPAN, CHILE_1, FOOTBALL]
    articles = [article(f"p{i}", t, START + timedelta(hours=i)) for i, t in enumerate(texts)]
    items = stream(embedder, articles)
    whole = run(items)
    store = MemoryStore()
    first = StoryAssigner()
    for stored, outcome in zip(articles, run(items[:4], first), strict=False):
        write(store, outcome, stored)
    resumed = StoryAssigner()
    assert resumed.restore(store.iter_story_states()) == len(first.book.stories)
    rest = run(items[4:], resumed)
    assert [o.assignment for o in rest] == [o.assignment for o in whole[4:]]
    assert [dict(o.story_states) for o in rest] == [dict(o.story_states) for o in whole[4:]]


def forced_model(tmp_path: Path, *, join: float, merge: float) -> Path:
    """The shipped model with thresholds forced (join never / merge always ...)."""
    model = json.loads(MODEL_PATH.read_text())
    model["join"]["threshold"], model["merge"]["threshold"] = join, merge
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model))
    return path


def test_merges_keep_every_id_resolvable(embedder: UseEmbedder, tmp_path: Path) -> None:
    """Every article founds a story, and every new story merges into the oldest one."""
    texts = [CHILE_1, CHILE_2, CHILE_1, CHILE_2]
    articles = [article(f"m{i}", t, START + timedelta(hours=i)) for i, t in enumerate(texts)]
    items = stream(embedder, articles)
    store = MemoryStore()
    outcomes = run(items, StoryAssigner(model_path=forced_model(tmp_path, join=1e9, merge=-1e9)))
    handed_out = []
    for stored, outcome in zip(articles, outcomes, strict=True):
        write(store, outcome, stored)
        handed_out.append(outcome.assignment.story_id)
        for story_id in handed_out:  # every id handed out so far resolves, to a story holding its article
            row = store.get_story(story_id)
            assert row is not None
            while row.merged_into is not None:
                row = store.get_story(row.merged_into)
                assert row is not None
            assert f"m{handed_out.index(story_id)}" in row.article_ids
    founders = [o.assignment for o in outcomes]
    assert all(a.is_new_story for a in founders)
    events = [e for o in outcomes for e in o.events if e.kind == "story_merge"]
    assert len(events) == 3
    survivor = outcomes[0].assignment.story_id
    assert {e.object_id for e in events} == {survivor}
    for event in events:
        merged = store.get_story(event.subject_id)
        assert merged is not None and merged.merged_into == survivor
    whole = store.get_story(survivor)
    assert whole is not None and whole.merged_into is None and whole.n_articles == 4
    assert set(whole.article_ids) == {f"m{i}" for i in range(4)}
    assert [s.id for s in store.list_stories()] == [survivor]


def test_merged_rows_carry_merged_into(embedder: UseEmbedder, tmp_path: Path) -> None:
    items = stream(embedder, [article("x1", CHILE_1, START), article("x2", CHILE_2, START)])
    outcomes = run(items, StoryAssigner(model_path=forced_model(tmp_path, join=1e9, merge=-1e9)))
    rows = {row.id: row for row in outcomes[1].stories}
    merged = next(row for row in rows.values() if row.merged_into is not None)
    assert merged.merged_into == outcomes[0].assignment.story_id
    assert merged.id not in outcomes[1].story_states
    assert dataclasses.replace(rows[merged.merged_into]).n_articles == 2


def test_tree_score_walks_each_tree_to_its_leaf() -> None:
    """Two stumps on features 0 and 3: the score is bias + scale * (leaf of each)."""
    stumps = {
        "feature": [0, -1, -1, 3, -1, -1],
        "cut": [0.5, 0, 0, 0.2, 0, 0],
        "left": [1, 1, 2, 4, 4, 5],
        "right": [2, 1, 2, 5, 4, 5],
        "value": [0, -1.0, 2.0, 0, -3.0, 5.0],
        "roots": [0, 3],
        "depth": 1,
    }
    score = load_score({"trees": stumps, "bias": 0.5, "scale": 0.1, "threshold": 0.0})
    assert isinstance(score, TreeScore)
    row = np.zeros(len(FEATURES))
    assert score(row) == pytest.approx(0.5 + 0.1 * (-1.0 - 3.0))
    row[0], row[3] = 0.9, 0.3
    assert score(row) == pytest.approx(0.5 + 0.1 * (2.0 + 5.0))
    row[0] = 0.5  # a value equal to the cut goes left
    assert score(row) == pytest.approx(0.5 + 0.1 * (-1.0 + 5.0))
    with pytest.raises(ValueError, match="outside"):
        load_score({"trees": {**stumps, "left": [9, 1, 2, 4, 4, 5]}, "bias": 0, "scale": 1, "threshold": 0})


def test_the_shipped_model_loads_with_its_fitted_join_trees() -> None:
    model = AssignModel.load(MODEL_PATH)
    assert isinstance(model.join, TreeScore) and model.version == "assign.v1"
    assert len(model.join.roots) > 1 and model.join.depth >= 1
