"""Storylines: the seed articles (AFP and dpa on NATO, Afghanistan, Stoltenberg) end in one storyline."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.embed.use import UseEmbedder
from storyline.model import Article, Storyline
from storyline.stories.assign import AssignOutcome, StoryAssigner, prepare_assign_inputs, storyline_id_for

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
AFP_AT = datetime(2021, 2, 17, tzinfo=UTC)
DPA_AT = datetime(2020, 11, 17, tzinfo=UTC)  # three months earlier (the file itself carries no date)
UNRELATED = Article(
    id="other",
    title="Floods close schools in Queensland",
    text="Heavy rain flooded roads across Queensland on Monday and closed more than 200 schools, the state "
    "premier Annastacia Palaszczuk said, as the Bureau of Meteorology warned of more storms near Brisbane.",
    published_at=datetime(2021, 2, 16, tzinfo=UTC),
    language="en",
)


@pytest.fixture(scope="module")
def embedder() -> UseEmbedder:
    return UseEmbedder()


def seed(name: str, at: datetime | None) -> Article:
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    if text.lstrip().startswith(
        "date "
    ):  # "date 2021-02-17 Brussels (AFP)": the dateline the extractor reads
        text = text.split("\n", 1)[1]
    return Article(id=name, text=text.strip(), published_at=at, language="en")


AFP = "000_0456c59c1de563e2.txt"
DPA = "004_4bb9b37ee3aee4b5.txt"


def final_storyline(outcomes: list[AssignOutcome], story_id: str) -> str:
    """The live storyline of a story at the end of the run (following storyline merges)."""
    line: str | None = None
    merged: dict[str, str] = {}
    for outcome in outcomes:
        for row in outcome.stories:
            if row.id == story_id:
                line = row.storyline_id
        for lines in outcome.storylines:
            if lines.merged_into:
                merged[lines.id] = lines.merged_into
    assert line is not None
    while line in merged:
        line = merged[line]
    return line


@pytest.mark.parametrize(
    "order",
    [
        [(AFP, AFP_AT), (DPA, None)],  # dpa undated, read after AFP: it takes the stream's time
        [(DPA, DPA_AT), (AFP, AFP_AT)],  # dpa dated three months earlier (past the story window)
        [(AFP, AFP_AT), (DPA, DPA_AT)],  # dpa arrives late, dated three months earlier
    ],
    ids=["dpa-undated", "dpa-first", "dpa-backdated"],
)
def test_the_seeds_end_in_one_storyline(
    embedder: UseEmbedder, order: list[tuple[str, datetime | None]]
) -> None:
    articles = [seed(name, at) for name, at in order]
    articles.insert(1, UNRELATED)
    assigner = StoryAssigner()
    outcomes = [assigner.assign(item) for item in prepare_assign_inputs(articles, embedder)]
    first, other, second = (o.assignment.story_id for o in outcomes)
    assert final_storyline(outcomes, first) == final_storyline(outcomes, second)
    assert final_storyline(outcomes, other) != final_storyline(outcomes, first)


def test_storyline_ids_are_stable_and_merges_are_events(embedder: UseEmbedder) -> None:
    articles = [seed(DPA, DPA_AT), seed(AFP, AFP_AT)]
    assigner = StoryAssigner()
    outcomes = [assigner.assign(item) for item in prepare_assign_inputs(articles, embedder)]
    dpa_story, afp_story = (o.assignment.story_id for o in outcomes)
    assert dpa_story != afp_story, "three months apart: past the 30-day story window"
    rows: dict[str, Storyline] = {line.id: line for o in outcomes for line in o.storylines}
    older, younger = storyline_id_for(dpa_story), storyline_id_for(afp_story)
    assert rows[younger].merged_into == older
    assert rows[older].merged_into is None and rows[older].n_articles == 2
    events = [e for o in outcomes for e in o.events if e.kind == "storyline_merge"]
    assert [(e.subject_id, e.object_id) for e in events] == [(younger, older)]


def _cli(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["-q", "--db", str(db), "--set", "stories", "true", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize(
    "runs", [[[AFP, DPA]], [[DPA], [AFP]], [[AFP], [DPA]]], ids=["one-run", "dpa-then-afp", "afp-then-dpa"]
)
def test_the_seeds_ingested_with_stories_on_make_one_storyline(tmp_path: Path, runs: list[list[str]]) -> None:
    """Through the real pipeline and store (a second ``ingest`` restores the assigner from the store)."""
    db = tmp_path / "seeds.db"
    for names in runs:
        _cli(db, "ingest", *(str(EXAMPLES / name) for name in names))
    (line,) = json.loads(_cli(db, "storylines", "--json"))
    articles = json.loads(_cli(db, "articles", "--json"))
    assert len(articles) == 2 and line["n_articles"] == 2
    assert {a["story_id"] for a in articles} <= set(line["stories"])
