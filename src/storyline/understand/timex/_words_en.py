"""The English time vocabulary (see ``_lexicon`` for what each field holds)."""

from __future__ import annotations

from storyline.understand.timex._lexicon import Lexicon, alts, forms

__all__ = ["ENGLISH"]

# fmt: off
ENGLISH = Lexicon(
    lang="en",
    months=forms({
        "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
        "september": 9, "october": 10, "november": 11, "december": 12,
    }),
    month_abbrevs=forms({
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep|sept": 9, "oct": 10,
        "nov": 11, "dec": 12,
    }),
    weekdays=forms({
        "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    }),
    units=forms({
        "second|seconds": "S", "minute|minutes|min": "MIN", "hour|hours|hrs": "H",
        "day|days|night|nights": "D", "week|weeks": "W", "fortnight|fortnights": "2W",
        "weekend|weekends": "WE", "month|months": "M", "quarter|quarters": "Q", "year|years": "Y",
        "decade|decades": "DE", "century|centuries": "CE", "millennium|millennia": "ML",
    }),
    parts_of_day=forms({
        "morning|mornings": "MO", "afternoon|afternoons": "AF", "evening|evenings": "EV",
        "night|nights|overnight": "NI",
    }),
    seasons=forms({"spring": "SP", "summer": "SU", "fall|autumn": "FA", "winter": "WI"}),
    ordinals=forms({
        "first|1st": 1, "second|2nd": 2, "third|3rd": 3, "fourth|4th": 4, "fifth|5th": 5,
        "final|last": -1,
    }),
    days=forms({"yesterday": -1, "today|tonight": 0, "tomorrow": 1}),
    last=alts("last|past|previous|preceding|prior"),
    next=alts("next|coming|following|upcoming"),
    this=alts("this|current|present|same"),
    refs=forms({
        "now|right now|currently|nowadays|these days|at present|presently|at the moment|"
        "the present|current": "PRESENT_REF",
        "recently|lately|the past|recent|more recently": "PAST_REF",
        "the future|soon|shortly|the near future|the near term|the short term|the long term|"
        "as soon as possible|someday|a later date": "FUTURE_REF",
    }),
    sets=forms({
        "hourly": "PT1H", "daily|nightly": "P1D", "weekly": "P1W", "biweekly": "P2W", "monthly": "P1M",
        "yearly|annually": "P1Y",
    }),
    every=alts("every|each|per|a|an"),
    ago=alts("ago"),
    approx=alts(
        "about|around|nearly|almost|roughly|approximately|some|more than|less than|at least|"
        "at most|up to|over|under|no more than|fewer than|the better part of"
    ),
    fuzzy=forms({"several|many|some|a few|few|a couple of|couple of|a number of|numerous": "X"}),
    begin=alts("early|the beginning of|the start of|the first half of|beginning of|start of"),
    middle=alts("mid|the middle of|middle of"),
    end=alts("late|the end of|end of|the close of|the second half of"),
)
# fmt: on
