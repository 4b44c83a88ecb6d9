from __future__ import annotations

from pathlib import Path

import pytest

from storyline import settings as settings_mod
from storyline.errors import ConfigError
from storyline.settings import Settings


def test_layers_apply_in_order(tmp_path: Path) -> None:
    config = tmp_path / "storyline.toml"
    config.write_text('[storyline]\nbatch_size = 10\ndb = "from-file.db"\nworkers = 3\n')
    env = {"STORYLINE_BATCH_SIZE": "20", "STORYLINE_UNRELATED": "x"}
    loaded = settings_mod.load(config, env=env, overrides=[("workers", "1")])
    assert (loaded.db, loaded.batch_size, loaded.workers) == ("from-file.db", 20, 1)


def test_bad_values_are_config_errors_naming_the_setting() -> None:
    with pytest.raises(ConfigError, match="near_copy_threshold must be in"):
        Settings(near_copy_threshold=1.7)
    with pytest.raises(ConfigError, match="'batch_size' should be int"):
        settings_mod.load(env={}, overrides=[("batch_size", "many")])
    with pytest.raises(ConfigError, match="unknown setting 'nope'"):
        settings_mod.load(env={}, overrides=[("nope", "1")])


def test_bool_settings_parse_words() -> None:
    assert settings_mod.load(env={"STORYLINE_FETCH_FEED_LINKS": "yes"}).fetch_feed_links is True
    with pytest.raises(ConfigError):
        settings_mod.load(env={"STORYLINE_FETCH_FEED_LINKS": "maybe"})


def test_missing_named_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        settings_mod.load(tmp_path / "absent.toml", env={})


def test_every_setting_is_documented() -> None:
    docs = (Path(__file__).parents[1] / "docs" / "settings.md").read_text()
    for name, *_ in settings_mod.describe():
        assert f"`{name}`" in docs, f"docs/settings.md does not document {name}"
