"""Time expressions beyond English: hand-written sentences (this project's own) per language,
normalised against a fixed publication date (Wednesday 2021-02-17, ISO week 7)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storyline.understand.timex import find_time_mentions

PUBLISHED = datetime(2021, 2, 17, 9, 0, tzinfo=UTC)

CASES: list[tuple[str, str, dict[str, tuple[str, str]]]] = [
    ("de", "Die Minister trafen sich am vergangenen Dienstag in Brüssel.",
     {"vergangenen Dienstag": ("DATE", "2021-02-16")}),
    ("de", "Die Frist endete am 12.02.2021, der Bericht kam am 26. Januar, 2021.",
     {"12.02.2021": ("DATE", "2021-02-12"), "26. Januar, 2021": ("DATE", "2021-01-26")}),
    ("de", "In den nächsten zwölf Monaten soll er drei weitere Jahre verhandeln.",
     {"nächsten zwölf Monaten": ("DURATION", "P12M"), "drei weitere Jahre": ("DURATION", "P3Y")}),
    ("de", "Die Polizei meldete am späten Montagabend, dass nun alles ruhig sei.",
     {"späten Montagabend": ("TIME", "2021-02-15TEV"), "nun": ("DATE", "PRESENT_REF")}),
    ("es", "El pasado lunes el ministro dijo que la semana pasada fue difícil.",
     {"El pasado lunes": ("DATE", "2021-02-15"), "la semana pasada": ("DATE", "2021-W06")}),
    ("es", "El contrato se firmó el 05/02/2021 y en el año 2020 hubo pérdidas.",
     {"05/02/2021": ("DATE", "2021-02-05"), "el año 2020": ("DATE", "2020")}),
    ("es", "En las últimas horas, y durante los próximos diez años, nada cambiará.",
     {"las últimas horas": ("DURATION", "PTXH"), "los próximos diez años": ("DURATION", "P10Y")}),
    ("es", "Publicado Feb 03, 2021 a las 4:19 p. m.",
     {"Feb 03, 2021": ("DATE", "2021-02-03"), "4:19 p. m.": ("TIME", "2021-02-03T16:19")}),
    ("fr", "L'accord, signé le 20 janvier dernier, entre en vigueur le 13 mars , 2021.",
     {"20 janvier dernier": ("DATE", "2021-01-20"), "13 mars , 2021": ("DATE", "2021-03-13")}),
    ("fr", "Ces derniers temps, les ventes ont baissé de 3 % par rapport à l'an dernier.",
     {"Ces derniers temps": ("DATE", "PAST_REF"), "l'an dernier": ("DATE", "2020")}),
    ("it", "Il vertice si terrà il 12 marzo a Roma, ha detto ieri il ministro.",
     {"12 marzo": ("DATE", "2021-03-12"), "ieri": ("DATE", "2021-02-16")}),
    ("it", "La settimana scorsa il governo ha approvato il bilancio di quest'anno.",
     {"La settimana scorsa": ("DATE", "2021-W06"), "quest'anno": ("DATE", "2021")}),
    ("it", "Tre anni fa, lunedì mattina, il 17/02/2018 alle 10:30, tutto cambiò.",
     {"Tre anni fa": ("DATE", "2018"), "lunedì mattina": ("TIME", "2021-02-15TMO"),
      "17/02/2018": ("DATE", "2018-02-17"), "10:30": ("TIME", "2018-02-17T10:30")}),
    ("it", "Il prossimo anno, e ogni settimana fino a dicembre 2022, ci saranno controlli.",
     {"Il prossimo anno": ("DATE", "2022"), "ogni settimana": ("SET", "P1W"),
      "dicembre 2022": ("DATE", "2022-12")}),
    ("nl", "Vorige week maakte het kabinet bekend dat de wet op 1 januari 2022 ingaat.",
     {"Vorige week": ("DATE", "2021-W06"), "1 januari 2022": ("DATE", "2022-01-01")}),
    ("nl", "De minister zei gisteren dat de staking twee jaar geleden begon, in augustus vorig jaar.",
     {"gisteren": ("DATE", "2021-02-16"), "twee jaar geleden": ("DATE", "2019"),
      "augustus vorig jaar": ("DATE", "2020-08")}),
    ("nl", "Het museum is elke dag open tot 17 uur, maar 's maandags gesloten; dit jaar gratis.",
     {"elke dag": ("SET", "P1D"), "17 uur": ("TIME", "2021-02-17T17:00"),
      "'s maandags": ("SET", "XXXX-WXX-1"), "dit jaar": ("DATE", "2021")}),
    ("pt", "No ano passado, a empresa contratou 300 pessoas; a próxima semana será decisiva.",
     {"ano passado": ("DATE", "2020"), "a próxima semana": ("DATE", "2021-W08")}),
    ("pt", "O acordo foi assinado em 17/02/2021, há três meses que negociavam, disse ontem o ministro.",
     {"17/02/2021": ("DATE", "2021-02-17"), "há três meses": ("DATE", "2020-11"),
      "ontem": ("DATE", "2021-02-16")}),
    ("pt", "A reunião de 3 de março de 2021 no Rio de Janeiro durou duas horas.",
     {"3 de março de 2021": ("DATE", "2021-03-03"), "duas horas": ("DURATION", "PT2H")}),
]  # fmt: skip

WITHOUT_DATES = [
    ("it", "Il sindaco ha inaugurato la nuova biblioteca comunale."),
    ("nl", "De jonge wijnboer toonde een wijn van twintig jaar oude stokken."),
    ("pt", "O clube Primeiro de Outubro joga no Rio de Janeiro."),
    ("de", "Er kam mit seiner Frau und den Kindern."),
]


def found(text: str, language: str) -> dict[str, tuple[str, str]]:
    ms = find_time_mentions(text, article_id="t", published_at=PUBLISHED, language=language)
    return {m.text: (m.type, m.value) for m in ms}


@pytest.mark.parametrize(
    ("language", "text", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_time_expressions_per_language(
    language: str, text: str, expected: dict[str, tuple[str, str]]
) -> None:
    assert found(text, language) == expected


@pytest.mark.parametrize(("language", "text"), WITHOUT_DATES)
def test_sentences_without_dates_give_nothing(language: str, text: str) -> None:
    assert found(text, language) == {}


def test_precision_is_kept_year_month_day_week() -> None:
    values = {
        v for _, v in found("Vorige week, in augustus vorig jaar, in 2019 en op 3 mei 2020.", "nl").values()
    }
    assert values == {"2021-W06", "2020-08", "2019", "2020-05-03"}
