"""Train a small NER-only spaCy pipeline for one language and write ``understand/models/ner_<lang>``.

    .venv/bin/python scripts/train_ner_lang.py --lang de|es|nl|pl|pt|ru [--minutes 9] [--seed 13]

Why. German, Spanish, Dutch, Polish, Portuguese and Russian have no spaCy pipeline in Storyline;
without one, names came from capitalisation rules and a gazetteer (CoNLL val F1 de 0.23, es 0.44,
nl 0.41). A small NER trained on the data in ``../shared/data`` does far better at a few MB.

What. A blank pipeline of the language (its tokenizer only) with its own ``tok2vec`` and ``ner``, the
architecture of ``spacy init config -p ner -o efficiency`` (hash embeddings of NORM, PREFIX,
SUFFIX and SHAPE, no vectors), trained from scratch:

- de/es/nl: on the CoNLL train part of ``ner/conll_<lang>_dev.jsonl`` (``doc`` ``conll0X-<lang>-train-…``);
  the val part is never read here, so ``storyline eval ner`` on it is out of fold.
- pl/pt/ru: on ``ner_train/wikiann_<lang>_train.jsonl`` minus its held-out tenth
  (``storyline.evaluate.ner.wikiann_heldout``, by hash of ``doc``), which ``storyline eval ner`` reports,
  with ``ner/bsnlp_{pl,ru}_dev.jsonl`` as out-of-domain checks. WikiANN has no MISC.

One training sentence in ten (sha256 of the document id, or of the sentence index where a file has
one document per split, as es and nl do) is set aside as the tune slice that picks the epoch (the
averaged weights with the best tune F1); training stops after ``--patience`` epochs without gain or
after ``--minutes``. Deterministic for a seed; run single-threaded (``OMP_NUM_THREADS=1``).

Output: a spaCy pipeline directory (``tokenizer``, ``tok2vec``, ``ner``) whose string store holds
only the blank language's strings and the labels: the features are hashed, so none of the
training words are needed (and none are stored: checked before writing).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import shutil
import sys
import time
import warnings
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import spacy
from spacy.tokens import Doc, Span
from spacy.training import Example

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from train_ner import is_tune, read_sentences  # noqa: E402  (scripts/ is on sys.path when run as a script)

from storyline.evaluate.ner import spans_of, wikiann_heldout  # noqa: E402
from storyline.understand.nlp import install_dot_ops  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
MODELS = ROOT / "src" / "storyline" / "understand" / "models"
CONLL = ("de", "es", "nl")
WIKIANN = ("pl", "pt", "ru")
LOGGER = logging.getLogger("train_ner_lang")
UTIL: Any = spacy.util  # fix_random_seed, compounding, minibatch: not typed


def training_rows(lang: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(train, tune) sentences of ``lang``: never the val part nor the WikiANN held-out tenth."""
    if lang in CONLL:
        rows = [r for r in read_sentences(DATA / "ner" / f"conll_{lang}_dev.jsonl") if "-train" in r["doc"]]
    elif lang in WIKIANN:
        rows = read_sentences(DATA / "ner_train" / f"wikiann_{lang}_train.jsonl")
        rows = [r for r in rows if not wikiann_heldout(r["doc"])]
    else:
        raise SystemExit(f"no training data for {lang!r}")
    per_doc = len({r["doc"] for r in rows}) > 10
    keys = [f"tune:{r['doc']}" if per_doc else f"tune:{r['doc']}:{i}" for i, r in enumerate(rows)]
    train = [r for r, k in zip(rows, keys, strict=True) if not is_tune(k)]
    tune = [r for r, k in zip(rows, keys, strict=True) if is_tune(k)]
    return train, tune


def gold_spans(doc: Doc, tags: list[str]) -> list[Span]:
    spans: list[Span] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if start >= 0 and (not tag.startswith("I-") or tag[2:] != label):
            spans.append(Span(doc, start, i, label=label))
            start = -1
        if tag.startswith("B-") or (tag.startswith("I-") and start < 0):
            start, label = i, tag[2:]
    return spans


def make_examples(nlp: Any, rows: list[dict[str, Any]], tokens: str) -> list[Example]:
    """Training examples: over the data's own tokens (``gold``) or over the language tokenizer's
    tokens of the joined text (``spacy``, what the model sees in production; gold spans that do not
    fall on token boundaries leave their tokens unlabelled)."""
    examples = []
    for row in rows:
        if not row["tokens"]:
            continue
        if tokens == "gold":
            reference = Doc(nlp.vocab, words=row["tokens"])
            reference.ents = gold_spans(reference, row["tags"])
            examples.append(Example(Doc(nlp.vocab, words=row["tokens"]), reference))
        else:
            text, spans = spans_of(row["tokens"], row["tags"])
            examples.append(Example.from_dict(nlp.make_doc(text), {"entities": spans}))
    return examples


def score(nlp: Any, rows: list[dict[str, Any]]) -> dict[str, float]:
    """Exact-match P/R/F1 of character spans, the text tokenized by the pipeline as in production."""
    tp = fp = fn = 0
    pairs = [spans_of(row["tokens"], row["tags"]) for row in rows if row["tokens"]]
    for (_, spans), doc in zip(pairs, nlp.pipe((t for t, _ in pairs), batch_size=256), strict=True):
        gold = set(spans)
        pred = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def build(lang: str, width: int, rows: list[int], seed: int) -> Any:
    from spacy.cli.init_config import init_config

    config = init_config(lang=lang, pipeline=["ner"], optimize="efficiency", gpu=False)
    config["system"]["seed"] = seed
    config["training"]["optimizer"]["use_averages"] = True  # the averaged weights are scored and kept
    config["components"]["tok2vec"]["model"]["encode"]["width"] = width
    config["components"]["tok2vec"]["model"]["embed"]["rows"] = rows
    return UTIL.load_model_from_config(config, auto_fill=True, validate=True)


def strip_strings(nlp: Any, lang: str, out: Path, train_rows: list[dict[str, Any]]) -> None:
    """Keep only the blank language's strings and the labels; check no training word is left."""
    blank = spacy.blank(lang)
    ner: Any = nlp.get_pipe("ner")
    for label in ner.labels:
        blank.vocab.strings.add(label)
    blank.vocab.strings.to_disk(out / "vocab" / "strings.json")
    for name in ("lexemes.bin", "vectors", "vectors.cfg", "key2row"):
        path = out / "vocab" / name
        if path.is_file():
            path.unlink()
    stored = set(json.loads((out / "vocab" / "strings.json").read_text(encoding="utf-8")))
    blank_strings = set(blank.vocab.strings)
    words = {t for r in train_rows for t in r["tokens"] if len(t) > 3}
    leaked = (stored - blank_strings - set(ner.labels)) | (words & stored - blank_strings)
    if leaked:
        raise SystemExit(f"training strings would be stored: {sorted(leaked)[:10]}")
    reloaded = spacy.load(out)
    if (
        set(reloaded.vocab.strings) - blank_strings - set(ner.labels) - {"ROOT"}
    ):  # ROOT: added by the parser moves
        raise SystemExit("the reloaded model carries strings beyond the blank language's")


def compare(lang: str) -> dict[str, dict[str, float]]:
    """F1 on the tune slice of the shipped model's names alone, and merged with what the rules find
    where the model found nothing (the gazetteer's known names only, or every rule name)."""
    from storyline.evaluate.ner import prf, spans_of
    from storyline.understand.entities import find_names
    from storyline.understand.entities._gazetteer import Gazetteer
    from storyline.understand.entities._rules import find_rule_names
    from storyline.understand.nlp import analyse_many

    _, tune_rows = training_rows(lang)
    gazetteer = Gazetteer()
    texts, golds = [], []
    for row in tune_rows:
        text, gold = spans_of(row["tokens"], row["tags"])
        texts.append(text)
        golds.append(set(gold))
    counts = {name: [0, 0, 0] for name in ("ner", "ner+gazetteer", "ner+rules")}
    for text, gold, analysis in zip(texts, golds, analyse_many(texts, lang), strict=True):
        ner = {(n.start, n.end, n.type) for n in find_names(text, analysis, language=lang)}
        known = {(n.start, n.end, n.type) for n in gazetteer.find(text, lang, None)}
        rules = {(n.start, n.end, n.type) for n in find_rule_names(text, lang, gazetteer, [0])}

        def merged(extra: set[tuple[int, int, str]], ner: set[tuple[int, int, str]] = ner) -> set[Any]:
            free = {x for x in extra if not any(x[0] < e and s < x[1] for s, e, _ in ner)}
            return ner | free

        for name, pred in (("ner", ner), ("ner+gazetteer", merged(known)), ("ner+rules", merged(rules))):
            counts[name][0] += len(pred & gold)
            counts[name][1] += len(pred)
            counts[name][2] += len(gold)
    return {name: prf(*c) for name, c in counts.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", required=True, choices=[*CONLL, *WIKIANN])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--minutes", type=float, default=9.0, help="training time budget")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--patience", type=int, default=3, help="stop after this many epochs without gain")
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--width", type=int, default=96)
    parser.add_argument("--rows", default="5000,1000,2500,2500", help="hash rows: NORM,PREFIX,SUFFIX,SHAPE")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--tokens",
        choices=("spacy", "gold"),
        default="spacy",
        help="train over the language tokenizer's tokens (as in production) or the data's own",
    )
    parser.add_argument(
        "--compare", action="store_true", help="only score the shipped model alone and merged with the rules"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if args.compare:
        for name, result in compare(args.lang).items():
            LOGGER.info("%s tune slice %s: %s", args.lang, name, {k: round(v, 4) for k, v in result.items()})
        return 0
    out: Path = args.out or MODELS / f"ner_{args.lang}"
    UTIL.fix_random_seed(args.seed)
    train_rows, tune_rows = training_rows(args.lang)
    nlp = build(args.lang, args.width, [int(r) for r in args.rows.split(",")], args.seed)
    warnings.filterwarnings("ignore", message=r"\[W030\]")  # misaligned gold spans: left unlabelled
    train = make_examples(nlp, train_rows, args.tokens)
    tune = tune_rows
    LOGGER.info("%s: train %d sentences, tune %d (%s tokens)", args.lang, len(train), len(tune), args.tokens)
    optimizer = nlp.initialize(lambda: train)
    install_dot_ops(nlp)
    best, best_epoch, stale = -1.0, 0, 0
    tmp = out.with_name(out.name + ".best")
    tmp.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    rng = random.Random(args.seed)
    for epoch in range(1, args.epochs + 1):
        rng.shuffle(train)
        losses: dict[str, float] = {}
        for batch in UTIL.minibatch(train, size=UTIL.compounding(8.0, 64.0, 1.01)):
            nlp.update(batch, drop=args.dropout, sgd=optimizer, losses=losses)
        with nlp.use_params(optimizer.averages):
            result = score(nlp, tune)
            if result["f1"] > best:
                best, best_epoch, stale = result["f1"], epoch, 0
                shutil.rmtree(tmp, ignore_errors=True)
                nlp.to_disk(tmp)
            else:
                stale += 1
        minutes = (time.monotonic() - started) / 60
        LOGGER.info("epoch %d loss %.1f tune %s (%.1f min)", epoch, losses.get("ner", 0.0), result, minutes)
        if stale >= args.patience or minutes * (epoch + 1) / epoch > args.minutes:
            break
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    strip_strings(nlp, args.lang, out, train_rows)
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    for key in ("performance", "sources", "url", "author", "email"):
        meta.pop(key, None)
    data = "CoNLL train part" if args.lang in CONLL else "WikiANN (minus the held-out tenth)"
    meta.update(
        name=f"storyline_ner_{args.lang}",
        version="1.0.0",
        description=f"NER-only pipeline trained on {data} by train_ner_lang.py, epoch {best_epoch}, "
        f"tune F1 {best:.4f}, seed {args.seed}, --tokens {args.tokens}",
    )
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    minutes = (time.monotonic() - started) / 60
    LOGGER.info(
        "best epoch %d tune F1 %.4f -> %s (%.1f MB, %.1f min)", best_epoch, best, out, size / 1e6, minutes
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
