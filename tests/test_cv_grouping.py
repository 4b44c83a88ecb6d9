"""Cross-validation grouped by article (issue 16, honest evaluation): the fold helpers.

``evaluate.similarity.article_groups`` keeps every pair that shares an article in one group, and
``scripts/learn_quote_cues.learn_table`` learns the cue table from summed per-article counts, so a
fold's table never sees the fold's articles (``scripts/cv_quote_cues.py``)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from storyline.evaluate.similarity import GoldPair, article_groups

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from learn_quote_cues import learn_table


def _pair(pair_id: str, text1: str, text2: str) -> GoldPair:
    return GoldPair(pair_id, "en", "en", text1, text2, 1.0)


def test_pairs_sharing_an_article_id_or_a_text_share_a_group() -> None:
    pairs = [
        _pair("1_2", "a", "b"),
        _pair("2_3", "b'", "c"),  # shares article 2 with the first pair
        _pair("4_5", "d", "e"),
        _pair("6_7", "e", "f"),  # shares the text "e" (another id) with the third
        _pair("8_9", "g", "h"),
        _pair("3_10", "i", "j"),  # shares article 3: joins the first group transitively
    ]
    groups = article_groups(pairs)
    assert groups[0] == groups[1] == groups[5]
    assert groups[2] == groups[3]
    assert len({groups[0], groups[2], groups[4]}) == 3


def test_every_pair_alone_when_nothing_is_shared() -> None:
    pairs = [_pair(f"{2 * i}_{2 * i + 1}", f"x{i}", f"y{i}") for i in range(5)]
    assert sorted(article_groups(pairs)) == [0, 1, 2, 3, 4]


def test_the_cue_table_keeps_keys_by_count_and_cue_rate_over_summed_articles() -> None:
    say = ("say", "VERB", "ccomp")
    make = ("make", "VERB", "dobj")
    bare = ("tell", "VERB", "none")
    one = (Counter({say: 2, make: 4, bare: 5}), Counter({say: 2, bare: 5}))
    two = (Counter({say: 1, make: 4}), Counter({say: 1, make: 1}))
    assert learn_table([one, two], threshold=0.25, min_count=3) == {"VERB": {"say": ["ccomp"]}}
    # "make": 1 cue in 8 = 0.125, kept only under a lower threshold; "none" frames never count
    assert learn_table([one, two], threshold=0.1, min_count=3) == {
        "VERB": {"make": ["dobj"], "say": ["ccomp"]}
    }
    # from the first article alone "say" is seen twice: under min_count 3
    assert learn_table([one], threshold=0.25, min_count=3) == {}
