"""Search by meaning across languages: the same event told in English, German and French is found from
a query in any one of them, through the vectors the pipeline stored, by the API and the search page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline.ingest import jsonl_item
from storyline.model import RawDoc, Rejection
from storyline.pipeline import Components, run
from storyline.settings import Settings
from storyline.store import SqliteStore
from storyline.web import create_app
from storyline.web.meaning import MeaningIndex

EVENT = {
    "en": (
        "US completes troop withdrawal from Afghanistan",
        "The last American soldiers left Kabul airport on Monday night, ending twenty years of military "
        "presence in Afghanistan. The withdrawal of the troops was completed a day before the deadline.",
    ),
    "de": (
        "Abzug der US-Truppen aus Afghanistan abgeschlossen",
        "Die letzten amerikanischen Soldaten haben in der Nacht zum Dienstag den Flughafen Kabul verlassen. "
        "Damit endet nach zwanzig Jahren die militärische Präsenz der USA in Afghanistan.",
    ),
    "fr": (
        "Les États-Unis achèvent le retrait de leurs troupes d'Afghanistan",
        "Les derniers soldats américains ont quitté l'aéroport de Kaboul lundi soir, mettant fin à vingt ans "
        "de présence militaire en Afghanistan. Le retrait a été achevé un jour avant la date limite.",
    ),
}
OTHER = (
    ("Tulip prices fall in the Netherlands", "Growers in Holland say the price of tulip bulbs fell sharply."),
    ("Bundesliga: Bayern gewinnt gegen Dortmund", "Bayern München hat das Spitzenspiel mit 3:1 gewonnen."),
    ("La recette de la tarte Tatin", "Faites caraméliser le sucre et le beurre, ajoutez les pommes."),
)


def _items() -> list[RawDoc | Rejection]:
    rows = [(f"event-{lang}", t, x) for lang, (t, x) in EVENT.items()]
    rows += [(f"other-{i}", t, x) for i, (t, x) in enumerate(OTHER)]
    items = []
    for k, (ident, title, text) in enumerate(rows):
        line = {"id": ident, "title": title, "text": text, "source": f"s{k}.example",
                "published": f"2021-08-3{k % 2}T10:00:00Z"}  # fmt: skip
        item = jsonl_item(json.dumps(line).encode(), f"in.jsonl:{k}")
        assert item is not None
        items.append(item)
    return items


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> SqliteStore:
    path = tmp_path_factory.mktemp("meaning") / "m.db"
    made = SqliteStore(path)
    settings = Settings(db=str(path), workers=1, understand=False, stories=True)
    run(_items(), Components.for_store(settings, made), made)
    return made


def _lang_of(store: SqliteStore, article_id: str) -> str | None:
    article = store.get_article(article_id)
    return article.language if article else None


@pytest.mark.parametrize(
    "query", ["Afghanistan troop withdrawal", "Abzug der Truppen aus Afghanistan", "retrait des troupes"]
)
def test_meaning_finds_the_event_in_three_languages(store: SqliteStore, query: str) -> None:
    index = MeaningIndex(store, "use.v1")
    top = [store.get_article(i) for i, _ in index.nearest(query, 3)]
    assert {a.language for a in top if a} == {"en", "de", "fr"}
    assert all(a is not None and "Afghan" in a.text for a in top)


def test_words_find_one_language_meaning_all(store: SqliteStore) -> None:
    settings = Settings(db=str(store.path), workers=1, trusted_hosts="testserver")
    client = TestClient(create_app(store, settings))
    q = {"q": "Abzug der Truppen aus Afghanistan"}
    words = client.get("/api/v1/search", params=q).json()
    assert {h["language"] for h in words} <= {"de"}
    meaning = client.get("/api/v1/search", params={**q, "mode": "meaning", "limit": 3}).json()
    assert {h["language"] for h in meaning} == {"en", "de", "fr"}
    assert meaning[0]["rank"] >= meaning[-1]["rank"] > 0
    both = client.get("/api/v1/search", params={**q, "mode": "both", "limit": 3}).json()
    assert {h["language"] for h in both} == {"en", "de", "fr"}
    only_fr = client.get("/api/v1/search", params={**q, "mode": "meaning", "language": "fr"}).json()
    assert only_fr and {h["language"] for h in only_fr} == {"fr"}
    page = client.get("/search", params={**q, "mode": "meaning"})
    assert page.status_code == 200
    for title, _ in EVENT.values():
        assert title.replace("'", "&#39;") in page.text


def test_the_index_reloads_when_the_store_changes(store: SqliteStore, tmp_path: Path) -> None:
    index = MeaningIndex(store, "use.v1", version=store.version)
    assert len(index.nearest("tulips", 100)) == 6
    assert index.nearest("   ") == []


def test_cli_search_by_meaning(store: SqliteStore) -> None:
    from click.testing import CliRunner

    from storyline.cli import cli

    args = ["-q", "--db", str(store.path), "search", "retrait des troupes", "--limit", "3", "--json"]
    words = CliRunner().invoke(cli, args)
    meaning = CliRunner().invoke(cli, [*args, "--meaning"])
    assert words.exit_code == 0 and meaning.exit_code == 0, meaning.output
    assert {h["language"] for h in json.loads(words.output)} <= {"fr"}
    assert {h["language"] for h in json.loads(meaning.output)} == {"en", "de", "fr"}
