"""One table of settings: defaults < ``storyline.toml`` < ``STORYLINE_*`` environment < CLI ``--set``.

Each field carries its default and a one-line help in ``metadata``; that table is the single source
for the TOML keys, the environment variables, ``--set NAME VALUE`` and ``docs/settings.md``.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from storyline.errors import ConfigError

ENV_PREFIX = "STORYLINE_"


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """Every knob Storyline has. Pass it down explicitly; nothing reads a global."""

    db: str = _setting("storyline.db", "path of the SQLite store")
    batch_size: int = _setting(64, "articles written per store transaction")
    max_item_bytes: int = _setting(20_000_000, "largest single input item (file, record, response) accepted")
    min_text_chars: int = _setting(40, "shortest article text accepted, in characters")
    fetch_timeout_s: float = _setting(15.0, "seconds one URL fetch may take in all (redirects and body)")
    fetch_max_bytes: int = _setting(10_000_000, "largest HTTP response body read from a URL")
    user_agent: str = _setting("storyline/0.1 (+news story tracker)", "User-Agent header sent with fetches")
    fetch_feed_links: bool = _setting(
        False, "fetch each feed entry's link instead of using the entry's own content"
    )
    shingle_words: int = _setting(5, "words per shingle for near-copy detection")
    minhash_perms: int = _setting(128, "MinHash permutations for near-copy detection")
    near_copy_threshold: float = _setting(
        0.7, "estimated Jaccard similarity at which an article is a near-copy"
    )
    workers: int = _setting(0, "processes for the per-article stages (0 = one per core, at most 2)")
    understand: bool = _setting(
        True, "find entities, quotes, dates and figures in each new original article on ingest"
    )
    stories: bool = _setting(True, "embed articles and group them into stories and storylines on ingest")
    embedder: str = _setting(
        "use.v1",
        "embedder for story assignment and search by meaning (use.v1, or use.v1-int8: the same model "
        "with int8 products, about 2x faster, needs the int8 extra)",
    )
    assigner: str = _setting("stories.v1", "story assigner: groups articles into stories and storylines")
    story_window_days: float = _setting(30.0, "a story takes new articles for this many days after its last")
    storyline_window_days: float = _setting(180.0, "stories this many days apart can still form a storyline")
    near_copy_window_days: float = _setting(
        365.0, "near-copies are looked for among originals published this many days before (0 = all)"
    )
    boilerplate_min_articles: int = _setting(
        1,
        "text an outlet already used in this many earlier articles (copies aside) is boilerplate, "
        "left out of story vectors and keys (0 = off)",
    )
    boilerplate_window_days: float = _setting(
        90.0, "an outlet's repeated text is counted over articles this many days back (0 = all)"
    )
    boilerplate_max_keys: int = _setting(4096, "units of text counted per outlet at most")
    allow_private_networks: str = _setting(
        "", "comma-separated networks (CIDR) outbound fetches may reach despite being private or loopback"
    )
    trusted_hosts: str = _setting(
        "", "comma-separated Host names the web server answers besides the loopback names"
    )
    base_url: str = _setting("", "public base URL of the web server, used for links in Atom feeds")
    lock_timeout_s: float = _setting(
        0.0, "seconds a second writer waits for the store's writer lock before exiting 2"
    )
    store_url: str = _setting(
        "", "postgresql://... to use PostgreSQL as the store; empty = the SQLite file db"
    )
    store: str = _setting(
        "", "store engine: sqlite.v1 (the file db) or postgres.v1 (store_url); empty = from store_url"
    )
    engine: str = _setting("inline", "where the per-article work runs: inline (a process pool) or ray")
    ray_address: str = _setting(
        "", "Ray cluster to connect to (auto, ray://host:10001); empty = start a local one"
    )
    ray_actors: int = _setting(0, "prepare actors on Ray (0 = one per CPU of the cluster)")
    follow_host_delay_s: float = _setting(
        1.0, "storyline follow: least seconds between two requests to one host"
    )

    def __post_init__(self) -> None:
        _check_range("batch_size", self.batch_size, 1, 100_000)
        _check_range("max_item_bytes", self.max_item_bytes, 1_000, 10**10)
        _check_range("min_text_chars", self.min_text_chars, 1, 10**6)
        _check_range("fetch_timeout_s", self.fetch_timeout_s, 0.01, 3600)
        _check_range("fetch_max_bytes", self.fetch_max_bytes, 1_000, 10**10)
        _check_range("shingle_words", self.shingle_words, 1, 20)
        _check_range("minhash_perms", self.minhash_perms, 16, 1024)
        _check_range("near_copy_threshold", self.near_copy_threshold, 0.05, 1.0)
        _check_range("workers", self.workers, 0, 256)
        _check_range("story_window_days", self.story_window_days, 0.01, 3650)
        _check_range("storyline_window_days", self.storyline_window_days, 0.01, 36500)
        _check_range("near_copy_window_days", self.near_copy_window_days, 0, 36500)
        _check_range("boilerplate_min_articles", self.boilerplate_min_articles, 0, 1000)
        _check_range("boilerplate_window_days", self.boilerplate_window_days, 0, 36500)
        _check_range("boilerplate_max_keys", self.boilerplate_max_keys, 16, 10_000_000)
        _check_range("lock_timeout_s", self.lock_timeout_s, 0, 86400)
        _check_range("ray_actors", self.ray_actors, 0, 100_000)
        if self.engine not in ("inline", "ray"):
            raise ConfigError(f"engine must be inline or ray, got {self.engine!r}")
        _check_range("follow_host_delay_s", self.follow_host_delay_s, 0, 3600)

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes`` applied (values are converted and checked)."""
        return dataclasses.replace(self, **{k: convert(k, v) for k, v in changes.items()})


def _check_range(name: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise ConfigError(f"{name} must be in [{low}, {high}], got {value}")


def describe() -> list[tuple[str, str, Any, str]]:
    """``(name, type, default, help)`` for every setting, in table order (for docs and ``--help``)."""
    return [(f.name, _type_name(f), f.default, f.metadata["help"]) for f in fields(Settings)]


def _type_name(f: dataclasses.Field[Any]) -> str:
    return f.type if isinstance(f.type, str) else f.type.__name__


def convert(name: str, value: Any) -> Any:
    """Convert ``value`` (often a string from env or CLI) to the type of setting ``name``."""
    by_name = {f.name: f for f in fields(Settings)}
    if name not in by_name:
        raise ConfigError(f"unknown setting {name!r}; known settings: {', '.join(sorted(by_name))}")
    kind = _type_name(by_name[name])
    if not isinstance(value, str):
        return value
    try:
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        if kind == "bool":
            lowered = value.strip().lower()
            if lowered in {"1", "true", "yes", "on"}:
                return True
            if lowered in {"0", "false", "no", "off"}:
                return False
            raise ValueError(value)
    except ValueError as e:
        raise ConfigError(f"setting {name!r} should be {kind}, got {value!r}") from e
    return value


def load(
    config_path: Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Iterable[tuple[str, str]] = (),
) -> Settings:
    """Build ``Settings`` from the layers, lowest first: defaults, TOML file, environment, overrides."""
    values: dict[str, Any] = {}
    path = config_path or Path("storyline.toml")
    if config_path is not None and not path.exists():
        raise ConfigError(f"config file {path} does not exist")
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise ConfigError(f"{path}: cannot read settings: {e}") from e
        table = data.get("storyline", data)
        values.update({k: convert(k, v) for k, v in table.items()})
    env = os.environ if env is None else env
    names = {f.name for f in fields(Settings)}
    for key, raw in env.items():
        if key.startswith(ENV_PREFIX) and key[len(ENV_PREFIX) :].lower() in names:
            name = key[len(ENV_PREFIX) :].lower()
            values[name] = convert(name, raw)
    for name, raw in overrides:
        values[name] = convert(name, raw)
    return Settings(**values)
