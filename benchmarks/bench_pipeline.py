"""The whole pipeline as ``storyline ingest`` runs it, default settings, on a multilingual corpus.

* ``pipeline_articles_per_second``: ``n`` articles (``benchmarks/pipeline_corpus.py``) into an empty
  SQLite store by one ``python -m storyline -q --db X ingest corpus.jsonl`` subprocess (start-up,
  model loading and the worker processes included), wall clock;
* ``pipeline_cpu_ms_per_article``: that child's user + system CPU time, its reaped workers included
  (``os.wait4``), per article;
* ``pipeline_peak_rss_mb``: the largest sum of the resident sets of the child and all its
  descendants, sampled from /proc every 0.2 s (``pipeline_peak_pss_mb``: the same for the
  proportional set sizes, which count the pages the forked workers share once;
  ``pipeline_max_process_rss_mb``: the largest single process, from ``ru_maxrss``);
* ``pipeline_stage_ms``: CPU milliseconds per article of each stage, measured in this process on the
  same articles (see ``stage_breakdown``), and their sum ``pipeline_stage_sum_ms_per_article``;
* ``pipeline_slowdown_50k_vs_1k``: seconds per article to ingest the same ``probe`` new articles
  into a store of 1k articles and into one of ``n_large``, each run a fresh subprocess from
  start-up; the stores are built once by the same command over the same stream and cached in
  ``benchmarks/.cache/`` (git-ignored);
* ``pipeline_corpus``: the corpus's size, language mix (shared-data labels) and mean words.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock

from benchmarks.pipeline_corpus import VERSION, describe, pipeline_articles, write_rows

STAGES = (
    "extract",
    "language",
    "dedup",
    "nlp",
    "quotes",
    "dates",
    "figures",
    "entities",
    "embed",
    "assign",
    "storylines",
    "resolve",
    "write",
    "alerts",
)
CACHE = Path(__file__).with_name(".cache")
STORE_PER_DAY = 1000.0
"""Articles per day of the stream the size-comparison stores are filled from (50k: seven weeks)."""
STEP = 5000
"""A store is filled by ingest runs of this many articles; each is a checkpoint a later build resumes."""


# -- the one adapter --------------------------------------------------------------------------------
def _api() -> SimpleNamespace:
    """Every storyline name the stage breakdown uses, imported by name at run time: after a
    re-layering, this table is the only place to fix (``module:attribute``)."""
    names = {
        "Settings": "storyline.settings:Settings",
        "iter_inputs": "storyline.ingest:iter_inputs",
        "Rejected": "storyline.errors:Rejected",
        "extract_article": "storyline.extract:extract_article",
        "with_language": "storyline.language:with_language",
        "make_signature": "storyline.dedup:make_signature",
        "chunk": "storyline.engine.ordered:CHUNK",
        "analyse_many": "storyline.understand.nlp:analyse_many",
        "get_nlp": "storyline.understand.nlp:get_nlp",
        "find_mentions": "storyline.understand.entities:find_mentions",
        "cluster_mentions": "storyline.understand.entities:cluster_mentions",
        "find_attributions": "storyline.understand.quotes:find_attributions",
        "find_time_mentions": "storyline.understand.timex:find_time_mentions",
        "find_figures": "storyline.understand.figures:find_figures",
        "Findings": "storyline.understand:Findings",
        "embedder_for": "storyline.embed:embedder_for",
        "prepare_assign_inputs": "storyline.stories.assign:prepare_assign_inputs",
        "pipeline": "storyline.pipeline",
        "Prepared": "storyline.pipeline:Prepared",
        "Components": "storyline.pipeline:Components",
        "run": "storyline.pipeline:run",
        "BatchWriter": "storyline.batching:BatchWriter",
        "on_batch": "storyline.alerts:on_batch",
        "SqliteStore": "storyline.store:SqliteStore",
    }
    found: dict[str, Any] = {}
    for key, spec in names.items():
        module, _, attr = spec.partition(":")
        value: Any = importlib.import_module(module)
        found[key] = getattr(value, attr) if attr else value
    return SimpleNamespace(**found)


# -- the end-to-end run -----------------------------------------------------------------------------
@dataclass
class CliRun:
    stored: int
    seconds: float
    cpu_seconds: float
    max_process_rss_mb: float
    tree_rss_mb: float
    tree_pss_mb: float


def _tree(root: int) -> list[int]:
    """``root`` and its live descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB; zeros when it is gone."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0, 0
    values = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in ("Rss:", "Pss:"):
            values[parts[0]] = int(parts[1])
    return values.get("Rss:", 0), values.get("Pss:", 0)


class _TreeSampler(threading.Thread):
    def __init__(self, pid: int, every_s: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.every_s = pid, every_s
        self.peak_rss_kb = self.peak_pss_kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            rss = pss = 0
            for pid in _tree(self.pid):
                r, p = _memory_kb(pid)
                rss, pss = rss + r, pss + p
            self.peak_rss_kb = max(self.peak_rss_kb, rss)
            self.peak_pss_kb = max(self.peak_pss_kb, pss)
            self.done.wait(self.every_s)


def _child_env() -> dict[str, str]:
    """This environment without ``STORYLINE_*`` settings, with the storyline being measured first
    on the path (default settings, exactly what ``storyline ingest`` runs)."""
    import storyline

    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYLINE_")}
    src = str(Path(storyline.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
    return env


def cli_ingest(corpus: Path, db: Path) -> CliRun:
    """One ``python -m storyline -q --db DB ingest --json CORPUS`` in an empty folder (no
    ``storyline.toml``, no ``STORYLINE_*``): its counts, wall clock, CPU and memory."""
    with tempfile.TemporaryDirectory() as cwd:
        cmd = [sys.executable, "-m", "storyline", "-q", "--db", str(db), "ingest", "--json", str(corpus)]
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=_child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        sampler = _TreeSampler(proc.pid)
        sampler.start()
        out_chunks: list[bytes] = []
        err_chunks: list[bytes] = []
        readers = [
            threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()), daemon=True),  # type: ignore[union-attr]
            threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True),  # type: ignore[union-attr]
        ]
        for r in readers:
            r.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        sampler.done.set()
        sampler.join()
        for r in readers:
            r.join()
    out, err = b"".join(out_chunks).decode(), b"".join(err_chunks).decode()
    if proc.returncode not in (0, 1):  # 1: some inputs rejected, the rest stored
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{err[-4000:]}")
    stats = json.loads(out)
    return CliRun(
        stored=int(stats["stored"]),
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        max_process_rss_mb=usage.ru_maxrss / 1024,
        tree_rss_mb=sampler.peak_rss_kb / 1024,
        tree_pss_mb=sampler.peak_pss_kb / 1024,
    )


# -- the per-stage breakdown ------------------------------------------------------------------------
@dataclass
class _Timers:
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    depth: dict[str, int] = field(default_factory=dict)

    @contextlib.contextmanager
    def time(self, stage: str) -> Iterator[None]:
        """CPU time (this process, all threads: comparable with the end-to-end CPU figure, and not
        inflated by other work on the machine) of the outermost of nested entries into ``stage``."""
        self.depth[stage] = self.depth.get(stage, 0) + 1
        start = time.process_time()
        try:
            yield
        finally:
            self.depth[stage] -= 1
            if not self.depth[stage]:
                self.seconds[stage] += time.process_time() - start

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.time(stage):
                return fn(*args, **kwargs)

        return timed


def _language_of(article: Any) -> str | None:
    return (article.language or "").split("-")[0].lower() or None


def stage_breakdown(corpus: Path, db: Path) -> tuple[dict[str, float], float, int]:
    """Seconds per stage over the articles of ``corpus`` in this process, the seconds spent loading
    models (first call per language, the embedder), and the articles timed.

    extract, language (and dedup's MinHash signature): the functions ``prepare_light`` chains, per
    article; nlp: ``analyse_many`` per language group of each engine chunk; entities (mentions and
    their in-article clusters), quotes, dates, figures: each finder on the same analyses; embed:
    ``prepare_assign_inputs`` per chunk. Then the ordered part by ``pipeline.run`` itself, fed
    those results instead of the engine's, into an empty SQLite store, with the stateful objects'
    methods wrapped: dedup (``Deduplicator.mark``), resolve (``FactResolver.resolve``), assign
    (``assign``, less what its storyline book takes: storylines), write (``BatchWriter.flush``, less
    the alerts hook it calls: alerts)."""
    api = _api()
    settings = api.Settings().replace(db=str(db))
    t = _Timers()
    raws = list(api.iter_inputs([str(corpus)], settings))
    items: list[tuple[Any, Any, Any]] = []
    for raw in raws:
        try:
            with t.time("extract"):
                article = api.extract_article(raw, settings)
            with t.time("language"):
                article = api.with_language(article)
        except api.Rejected:
            continue
        with t.time("dedup"):
            signature = api.make_signature(
                article.text, shingle_words=settings.shingle_words, num_perm=settings.minhash_perms
            )
        items.append((raw, article, signature))
    articles = [a for _, a, _ in items]

    load_start = time.perf_counter()  # models and caches: once per process, not per article
    for language in dict.fromkeys(_language_of(a) for a in articles):
        first = next(a for a in articles if _language_of(a) == language)
        _findings(api, _Timers(), first, api.analyse_many([first.text], language)[0], language)
    embedder = api.embedder_for(settings.embedder)
    api.prepare_assign_inputs(articles[: api.chunk], embedder)
    load_seconds = time.perf_counter() - load_start

    findings: list[Any] = []
    inputs: list[Any] = []
    for at in range(0, len(articles), api.chunk):
        chunk = articles[at : at + api.chunk]
        groups: dict[str | None, list[int]] = {}
        for i, article in enumerate(chunk):
            groups.setdefault(_language_of(article), []).append(i)
        found: dict[int, Any] = {}
        for language, members in groups.items():
            with t.time("nlp"):
                analyses = list(api.analyse_many([chunk[i].text for i in members], language))
            for i, analysis in zip(members, analyses, strict=True):
                found[i] = _findings(api, t, chunk[i], analysis, language)
        findings.extend(found[i] for i in range(len(chunk)))
        with t.time("embed"):
            inputs.extend(api.prepare_assign_inputs(chunk, embedder))

    prepared = [
        api.Prepared(raw, article, signature, assign_input=vec, findings=found)
        for (raw, article, signature), vec, found in zip(items, inputs, findings, strict=True)
    ]
    engine = SimpleNamespace(prepared=lambda *_a, **_k: iter(prepared))
    flush = api.BatchWriter.flush
    with (
        api.SqliteStore(db) as store,
        mock.patch.object(api.pipeline, "engine", engine),
        mock.patch.object(api.BatchWriter, "flush", t.wrap("write", flush)),
    ):
        components = api.Components.for_store(settings, store)
        components.dedup.mark = t.wrap("dedup", components.dedup.mark)
        if components.facts is not None:
            components.facts.resolve = t.wrap("resolve", components.facts.resolve)
        assigner = components.assigner
        if assigner is not None:
            assigner.assign = t.wrap("assign", assigner.assign)
            lines = getattr(assigner, "lines", None)
            for name in ("found", "grow", "link", "merge_stories", "changed_rows"):
                if lines is not None and hasattr(lines, name):
                    setattr(lines, name, t.wrap("storylines", getattr(lines, name)))
        alerts = t.wrap("alerts", lambda batch: api.on_batch(store, batch))
        api.run(iter(()), components, store, on_stored=alerts)
    t.seconds["assign"] -= t.seconds["storylines"]
    t.seconds["write"] -= t.seconds["alerts"]
    return t.seconds, load_seconds, len(articles)


def _findings(api: Any, t: _Timers, article: Any, analysis: Any, language: str | None) -> Any:
    """One article's ``Findings`` from its analysis, each finder timed (as ``find_facts_one``)."""
    text, article_id = article.text, article.id
    mentions, clusters = None, ()
    if api.get_nlp(language) is not None:
        with t.time("entities"):
            found = api.find_mentions(text, analysis, article_id=article_id, language=language)
            mentions, clusters = tuple(found), api.cluster_mentions(text, found, language=language)
    with t.time("quotes"):
        attributions = api.find_attributions(
            text, article_id=article_id, language=language, analysis=analysis
        )
    with t.time("dates"):
        times = api.find_time_mentions(
            text, article_id=article_id, published_at=article.published_at, language=language
        )
    with t.time("figures"):
        figures = api.find_figures(text, article_id=article_id, language=language)
    return api.Findings(
        article_id, mentions, tuple(clusters), tuple(attributions), tuple(times), tuple(figures)
    )


# -- stores of 1k and 50k ---------------------------------------------------------------------------
def _copy_db(src: Path, dst: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{dst}{suffix}").unlink(missing_ok=True)
        if Path(f"{src}{suffix}").exists():
            shutil.copy(f"{src}{suffix}", f"{dst}{suffix}")


def _remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _cached(size: int) -> Path:
    return CACHE / f"pipeline-v{VERSION}-{size}.db"


def _checkpoint(size: int) -> Path:
    return CACHE / f"pipeline-v{VERSION}-partial-{size}.db"


def base_store(size: int) -> Path:
    """A store of the first ``size`` articles of the stream (``STORE_PER_DAY``), built by
    ``storyline ingest`` with default settings in runs of ``STEP`` articles, from the largest cached
    store or checkpoint of the same stream, and cached in ``benchmarks/.cache/``."""
    target = _cached(size)
    if target.exists():
        return target
    CACHE.mkdir(exist_ok=True)
    have, start_from = 0, None
    for path in CACHE.glob(f"pipeline-v{VERSION}-*.db"):
        n = int(path.stem.rsplit("-", 1)[1])
        if have < n <= size:
            have, start_from = n, path
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        work, fill = Path(tmp) / "work.db", Path(tmp) / "fill.jsonl"
        if start_from is not None:
            _copy_db(start_from, work)
        while have < size:
            step = min(STEP - have % STEP, size - have)
            write_rows(fill, list(pipeline_articles(step, start=have, per_day=STORE_PER_DAY)))
            print(f"  pipeline: building the {size:,}-article store: {have:,} + {step:,}", file=sys.stderr)
            cli_ingest(fill, work)
            have += step
            if have < size:
                for old in CACHE.glob(f"pipeline-v{VERSION}-partial-*.db"):
                    _remove_db(old)
                _copy_db(work, _checkpoint(have))
        _copy_db(work, target)
    for old in CACHE.glob(f"pipeline-v{VERSION}-partial-*.db"):
        if int(old.stem.rsplit("-", 1)[1]) <= size:
            _remove_db(old)
    return target


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def bench_pipeline(
    *, n: int = 2000, n_large: int = 50_000, probe: int = 500, repeats: int = 3
) -> dict[str, object]:
    """The ``pipeline_*`` figures (module docstring); ``--quick``: a smaller corpus and large store."""
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus = root / "corpus.jsonl"
        articles = list(pipeline_articles(n))
        write_rows(corpus, articles)
        results["pipeline_corpus"] = describe(articles)

        run = cli_ingest(corpus, root / "e2e.db")
        results["pipeline_articles"] = run.stored
        results["pipeline_articles_per_second"] = round(run.stored / run.seconds, 2)
        results["pipeline_cpu_ms_per_article"] = round(1000 * run.cpu_seconds / max(1, run.stored), 1)
        results["pipeline_peak_rss_mb"] = round(run.tree_rss_mb, 1)
        results["pipeline_peak_pss_mb"] = round(run.tree_pss_mb, 1)
        results["pipeline_max_process_rss_mb"] = round(run.max_process_rss_mb, 1)

        seconds, load_seconds, timed = stage_breakdown(corpus, root / "stages.db")
        stage_ms = {s: round(1000 * seconds[s] / max(1, timed), 2) for s in STAGES}
        results["pipeline_stage_ms"] = stage_ms
        results["pipeline_stage_sum_ms_per_article"] = round(sum(stage_ms.values()), 1)
        results["pipeline_model_load_s"] = round(load_seconds, 1)

        sizes = (1000, n_large)
        bases = {size: base_store(size) for size in sizes}
        probe_file = root / "probe.jsonl"
        write_rows(probe_file, list(pipeline_articles(probe, start=n_large, per_day=STORE_PER_DAY)))
        timings: dict[int, list[float]] = {size: [] for size in sizes}
        for _ in range(repeats):  # alternate, so load from other processes hits both alike
            for size in sizes:
                work = root / "work.db"
                _copy_db(bases[size], work)
                probe_run = cli_ingest(probe_file, work)
                timings[size].append(probe_run.seconds / max(1, probe_run.stored))
                _remove_db(work)
        small, large = (_median(timings[size]) for size in sizes)
        results["pipeline_large_store_articles"] = n_large
        results["pipeline_probe_articles"] = probe
        results["pipeline_ms_per_article_1k"] = round(1000 * small, 1)
        results["pipeline_ms_per_article_large"] = round(1000 * large, 1)
        results["pipeline_slowdown_50k_vs_1k"] = round(large / small, 3)
    return results


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    figures = bench_pipeline(n=300, n_large=3000, probe=100, repeats=1) if quick else bench_pipeline()
    print(json.dumps(figures, indent=2))
