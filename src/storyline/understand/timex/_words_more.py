"""The Italian, Dutch and Portuguese time vocabulary (see ``_lexicon`` for the fields).

Added for issue #16 and measured on sentences annotated over the shared texts
(``storyline.evaluate.timex_annotations``). Portuguese weekdays are the ``-feira`` forms only
(``segunda``, ``quarta``, ``quinta`` are also ordinals); their plurals (``às sextas-feiras``) make
sets.
"""

from __future__ import annotations

from storyline.understand.timex._lexicon import Lexicon, alts, forms

__all__ = ["DUTCH", "ITALIAN", "PORTUGUESE"]

# fmt: off
ITALIAN = Lexicon(
    lang="it",
    months=forms({
        "gennaio": 1, "febbraio": 2, "marzo": 3, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
        "agosto": 8, "settembre": 9, "ottobre": 10, "novembre": 11, "dicembre": 12,
    }),
    month_abbrevs=forms({
        "gen": 1, "feb": 2, "mar": 3, "apr": 4, "mag": 5, "giu": 6, "lug": 7, "ago": 8, "set|sett": 9,
        "ott": 10, "nov": 11, "dic": 12,
    }),
    weekdays=forms({
        "lunedì|lunedi": 0, "martedì|martedi": 1, "mercoledì|mercoledi": 2, "giovedì|giovedi": 3,
        "venerdì|venerdi": 4, "sabato": 5, "domenica": 6,
    }),
    units=forms({
        "secondo|secondi": "S", "minuto|minuti": "MIN", "ora|ore": "H",
        "giorno|giorni|giornata|giornate|notte|notti": "D", "settimana|settimane": "W",
        "fine settimana|weekend": "WE", "mese|mesi": "M", "trimestre|trimestri": "Q", "anno|anni": "Y",
        "decennio|decenni": "DE", "secolo|secoli": "CE",
    }),
    parts_of_day=forms({
        "mattina|mattino|mattinata": "MO", "mezzogiorno": "MI", "pomeriggio": "AF", "sera|serata": "EV",
        "notte|nottata": "NI",
    }),
    seasons=forms({"primavera": "SP", "estate": "SU", "autunno": "FA", "inverno": "WI"}),
    ordinals=forms({
        "primo|prima|1°|1º": 1, "secondo|seconda|2°|2º": 2, "terzo|terza|3°|3º": 3, "quarto|quarta|4°|4º": 4,
        "ultimo|ultima": -1,
    }),
    days=forms({
        "l'altro ieri|altroieri|l’altro ieri": -2, "ieri": -1, "oggi": 0, "domani": 1, "dopodomani": 2,
    }),
    last=alts("scorso|scorsa|scorsi|scorse|passato|passata|precedente|ultimo|ultima|ultimi|ultime"),
    next=alts("prossimo|prossima|prossimi|prossime|seguente|successivo|successiva|entrante|a venire"),
    this=alts("questo|questa|quest'|quest’|corrente|in corso"),
    refs=forms({
        "ora|adesso|attualmente|oggigiorno|al momento|in questo momento": "PRESENT_REF",
        "recentemente|di recente|ultimamente|in passato|finora|fino ad ora": "PAST_REF",
        "presto|prossimamente|in futuro|il futuro|più avanti|a breve": "FUTURE_REF",
    }),
    sets=forms({
        "quotidianamente|ogni giorno|tutti i giorni": "P1D", "settimanalmente|ogni settimana": "P1W",
        "mensilmente|ogni mese": "P1M", "annualmente|ogni anno|tutti gli anni": "P1Y",
    }),
    every=alts("ogni|al|per|tutti i|tutte le"),
    ago=alts("fa"),
    approx=alts("circa|quasi|oltre|più di|meno di|almeno|fino a|intorno a|poco più di"),
    fuzzy=forms({
        "alcuni|alcune|diversi|diverse|parecchi|parecchie|pochi|poche|molti|molte|ultimi|ultime|prossimi|"
        "prossime": "X",
    }),
    begin=alts("inizio|inizio del|inizio dell'|inizi del|all'inizio del|all’inizio del|primi del"),
    middle=alts("metà|metà del|a metà|a metà del"),
    end=alts("fine|fine del|fine dell'"),
)

DUTCH = Lexicon(
    lang="nl",
    months=forms({
        "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7, "augustus": 8,
        "september": 9, "oktober": 10, "november": 11, "december": 12,
    }),
    month_abbrevs=forms({
        "jan": 1, "feb": 2, "mrt": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep|sept": 9, "okt": 10,
        "nov": 11, "dec": 12,
    }),
    weekdays=forms({
        "maandag": 0, "dinsdag": 1, "woensdag": 2, "donderdag": 3, "vrijdag": 4, "zaterdag": 5, "zondag": 6,
    }),
    units=forms({
        "seconde|seconden": "S", "minuut|minuten": "MIN", "uur|uren": "H", "dag|dagen|nacht|nachten": "D",
        "week|weken": "W", "weekend|weekends": "WE", "maand|maanden": "M", "kwartaal|kwartalen": "Q",
        "jaar|jaren": "Y", "decennium|decennia": "DE", "eeuw|eeuwen": "CE",
    }),
    parts_of_day=forms({
        "ochtend|morgen|voormiddag": "MO", "middag": "MI", "namiddag": "AF", "avond": "EV", "nacht": "NI",
    }),
    seasons=forms({"lente|voorjaar": "SP", "zomer": "SU", "herfst|najaar": "FA", "winter": "WI"}),
    ordinals=forms({
        "eerste|1e|1ste": 1, "tweede|2e|2de": 2, "derde|3e|3de": 3, "vierde|4e|4de": 4, "laatste": -1,
    }),
    days=forms({"eergisteren": -2, "gisteren|gister": -1, "vandaag": 0, "morgen": 1, "overmorgen": 2}),
    last=alts("vorige|vorig|afgelopen|voorbije|voorbij|laatste"),
    next=alts("volgende|volgend|komende|komend|aanstaande|eerstvolgende"),
    this=alts("deze|dit|huidige|lopende"),
    refs=forms({
        "nu|momenteel|thans|tegenwoordig|op dit moment|vandaag de dag|de dag van vandaag": "PRESENT_REF",
        "onlangs|recentelijk|vroeger|destijds|tot nu toe|tot dusver": "PAST_REF",
        "binnenkort|in de toekomst|de toekomst": "FUTURE_REF",
    }),
    sets=forms({"dagelijks": "P1D", "wekelijks": "P1W", "maandelijks": "P1M", "jaarlijks": "P1Y"}),
    every=alts("elke|elk|iedere|ieder|per|alle"),
    ago=alts("geleden"),
    approx=alts("ongeveer|bijna|ruim|meer dan|minder dan|minstens|zo'n|zo’n|circa|nog geen"),
    fuzzy=forms({"enkele|een paar|verschillende|meerdere|vele": "X"}),
    begin=alts("begin|begin van|aan het begin van"),
    middle=alts("midden|half|medio"),
    end=alts("eind|einde|eind van|aan het eind van|eind"),
)

PORTUGUESE = Lexicon(
    lang="pt",
    months=forms({
        "janeiro": 1, "fevereiro": 2, "março|marco": 3, "abril": 4, "maio": 5, "junho": 6, "julho": 7,
        "agosto": 8, "setembro": 9, "outubro": 10, "novembro": 11, "dezembro": 12,
    }),
    month_abbrevs=forms({
        "jan": 1, "fev": 2, "mar": 3, "abr": 4, "mai": 5, "jun": 6, "jul": 7, "ago": 8, "set": 9, "out": 10,
        "nov": 11, "dez": 12,
    }),
    weekdays=forms({
        "segunda-feira": 0, "terça-feira|terca-feira": 1, "quarta-feira": 2, "quinta-feira": 3,
        "sexta-feira": 4, "sábado|sabado": 5, "domingo": 6,
        "segundas-feiras": 0, "terças-feiras": 1, "quartas-feiras": 2, "quintas-feiras": 3,
        "sextas-feiras": 4, "sábados|sabados": 5, "domingos": 6,
    }),
    units=forms({
        "segundo|segundos": "S", "minuto|minutos": "MIN", "hora|horas": "H", "dia|dias|noite|noites": "D",
        "semana|semanas": "W", "fim de semana|fins de semana": "WE", "mês|mes|meses": "M",
        "trimestre|trimestres": "Q", "ano|anos": "Y", "década|décadas": "DE", "século|séculos": "CE",
    }),
    parts_of_day=forms({"manhã": "MO", "meio-dia": "MI", "tarde": "AF", "noite": "NI"}),
    seasons=forms({"primavera": "SP", "verão|verao": "SU", "outono": "FA", "inverno": "WI"}),
    ordinals=forms({
        "primeiro|primeira|1º|1ª": 1, "segundo|segunda|2º|2ª": 2, "terceiro|terceira|3º|3ª": 3,
        "quarto|quarta|4º|4ª": 4, "último|última": -1,
    }),
    days=forms({"anteontem": -2, "ontem": -1, "hoje": 0, "amanhã": 1, "depois de amanhã": 2}),
    last=alts("passado|passada|passados|passadas|anterior|último|última|últimos|últimas"),
    next=alts("próximo|próxima|próximos|próximas|seguinte|que vem"),
    this=alts("este|esta|neste|nesta|corrente|em curso"),
    refs=forms({
        "agora|atualmente|actualmente|hoje em dia|neste momento|no momento": "PRESENT_REF",
        "recentemente|ultimamente|anteriormente|até agora": "PAST_REF",
        "em breve|brevemente|no futuro|o futuro|mais tarde|futuramente": "FUTURE_REF",
    }),
    sets=forms({
        "diariamente|todos os dias": "P1D", "semanalmente|todas as semanas": "P1W",
        "mensalmente|todos os meses": "P1M", "anualmente|todos os anos": "P1Y",
    }),
    every=alts("cada|por|todos os|todas as"),
    ago=alts("há|faz|atrás"),
    approx=alts("cerca de|quase|mais de|menos de|pelo menos|aproximadamente|por volta de"),
    fuzzy=forms({"vários|várias|alguns|algumas|poucos|poucas|muitos|muitas": "X"}),
    begin=alts("início de|início do|no início de|no início do|começo de|começo do|princípio de"),
    middle=alts("meados de|em meados de"),
    end=alts("fim de|fim do|final de|final do|no final de|no final do|no fim de|no fim do"),
)
# fmt: on
