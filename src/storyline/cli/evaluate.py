"""``storyline eval TASK FILE``: score a labelled file (formats in ../shared/data/README.md).

Each task's module is ``storyline.evaluate.<task>`` with ``evaluate_<task>(path, *, progress=...)``
returning the JSON keys of DESIGN.md section 6.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from storyline.cli._common import ERR, OUT, Context, emit_json, handle_errors, make_table

TASKS = ("similarity", "stories", "quotes", "timex", "ner", "entities", "novelty")
EMBEDDED = frozenset({"similarity", "stories", "novelty"})
"""The tasks whose evaluator is handed the embedder (``settings.embedder``)."""


def _evaluator(task: str) -> Any:
    try:
        module = importlib.import_module(f"storyline.evaluate.{task}")
    except ModuleNotFoundError as e:
        raise click.UsageError(f"the {task!r} evaluation is not available in this version") from e
    return getattr(module, f"evaluate_{task}")


@click.command("eval")
@click.argument("task", type=click.Choice(TASKS))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@click.option(
    "--split",
    type=click.Choice(["all", "fit", "tune", "heldout"]),
    default=None,
    help="similarity (default all) and ner (default heldout): the part of the file; heldout = what the "
    "shipped model was not fitted on; timex --annotations: all (default), tune or heldout",
)
@click.option(
    "--annotations",
    is_flag=True,
    help="timex: FILE is an annotation file (src/storyline/evaluate/annotations/timex_*.jsonl) whose "
    "sentences are read from --data; scores per language",
)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="with --annotations: the shared data directory (default $STORYLINE_SHARED/data or ../shared/data)",
)
@click.pass_obj
@handle_errors
def evaluate(
    obj: Context,
    task: str,
    file: Path,
    as_json: bool,
    split: str | None,
    annotations: bool,
    data_dir: Path | None,
) -> None:
    """Score a labelled file: similarity, stories, quotes, timex, ner or entities."""
    run = _evaluator(task)
    if annotations and task != "timex":
        raise click.UsageError(f"--annotations applies to timex, not {task}")
    if data_dir is not None and not annotations:
        raise click.UsageError("--data applies with --annotations")
    split_tasks = {"similarity", "ner", "timex"} if annotations else {"similarity", "ner"}
    if split is not None and task not in split_tasks:
        raise click.UsageError(f"--split applies to similarity, ner and timex --annotations, not {task}")
    if annotations:
        if split == "fit":
            raise click.UsageError("timex --annotations splits are all, tune and heldout")
        module = importlib.import_module("storyline.evaluate.timex")
        run = module.evaluate_timex_annotations
    elif split == "tune":
        raise click.UsageError("--split tune applies to timex --annotations")
    options: dict[str, Any] = {"split": split} if split is not None else {}
    if annotations:
        options["data_dir"] = data_dir
    if task in EMBEDDED:
        options["embedder"] = obj.embedder
    with Progress(
        TextColumn(f"eval {task}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=ERR,
        disable=obj.quiet,
        transient=True,
    ) as progress:
        bar = progress.add_task(task, total=None)

        def advance(done: int, total: int) -> None:
            progress.update(bar, completed=done, total=total)

        result = run(file, progress=advance, **options)
    if as_json:
        emit_json(result)
        return
    table = make_table("metric", "value")
    for key, value in result.items():
        if isinstance(value, dict):
            value = ", ".join(
                f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in value.items()
            )
        elif isinstance(value, float):
            value = f"{value:.4f}"
        table.add_row(key, str(value))
    OUT.print(table)


COMMANDS = [evaluate]
