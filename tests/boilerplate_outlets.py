"""Synthetic outlets for the boilerplate tests: unrelated short reports of one site that share its
boilerplate (the site name in the title and as the opening, a subscription line), as the pages of a
real local site reach the text (issue 16: eight unrelated Egyptian reports glued into one story by
"بوابة فيتو" and "اشترك لتصلك أهم الأخبار").

Written for these tests (no shared text): each report is a different topic on a different day;
``RELATED`` are two reports of one event (a warehouse fire and its aftermath) that must still join.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

FIRST = datetime(2021, 3, 1, 8, tzinfo=UTC)

EN_SITE = "riverton-voice.example"
EN_TOPICS = [
    (
        "Tailor fined for sewing masks without a licence",
        "Inspectors fined a tailor who had sewn 1,600 face masks in his flat without a permit. "
        "The masks were seized and the workshop was closed.",
    ),
    (
        "Survey finds half of supermarkets crowded at weekends",
        "A polling centre counted shoppers in 25 supermarket branches and found half of them crowded. "
        "Managers said fewer customers came in the last week.",
    ),
    (
        "Two men arrested over stolen cars",
        "Detectives arrested two men suspected of stealing eleven cars from a parking garage. "
        "Both were released on bail pending trial.",
    ),
    (
        "Meat prices climb before the holiday",
        "Butchers raised the price of lamb by a fifth ahead of the holiday. "
        "Shoppers said they would buy poultry instead.",
    ),
    (
        "Bank opens a branch for small farmers",
        "A cooperative bank opened a branch that lends to small farmers at low interest. "
        "The first loans pay for seed and irrigation pumps.",
    ),
    (
        "School choir wins national contest",
        "A primary school choir won the national singing contest with a folk medley. "
        "The children will perform at the capital's opera house.",
    ),
    (
        "Ferry service suspended in high winds",
        "The river ferry stopped running after gusts reached ninety kilometres an hour. "
        "Commuters waited for buses across the old bridge.",
    ),
    (
        "Library extends its opening hours",
        "The central library will stay open until ten at night from next month. "
        "Students had petitioned for space to revise for exams.",
    ),
    (
        "Chess prodigy, 11, beats grandmaster",
        "An eleven-year-old girl beat a visiting grandmaster in a simultaneous exhibition. "
        "She learned the game from her grandfather.",
    ),
]
EN_RELATED = [
    (
        "Fire destroys furniture warehouse on Mill Road",
        "A fire destroyed the Hollins furniture warehouse on Mill Road overnight. "
        "Forty firefighters fought the blaze at the Hollins warehouse for six hours and no one was hurt.",
    ),
    (
        "Hollins warehouse fire on Mill Road was arson, firefighters say",
        "Firefighters said the blaze that destroyed the Hollins furniture warehouse on Mill Road "
        "was started deliberately. Police are looking for two men seen near the Hollins warehouse.",
    ),
]
EN_SUBSCRIBE = "Subscribe to get the top news of the day."


def plain(title: str, body: str) -> tuple[str, str]:
    """The same report without any boilerplate (what the stories should be decided on)."""
    return title, f"{title}\n{body}"


def en_article(title: str, body: str) -> tuple[str, str]:
    """A report as the site's pages reach the text: the site name as the opening and in the title,
    and the subscription line under the headline."""
    return f"{title} | Riverton Voice", f"Riverton Voice - Riverton: {body}\n{EN_SUBSCRIBE}"


AR_SITE = "vetogate.example"
AR_TOPICS = [
    (
        "ضبط ترزي لتصنيعه 1600 كمامة بدون تصريح",
        "ضبطت مباحث التموين ترزيا قام بتصنيع 1600 كمامة داخل مسكنه بدون ترخيص لبيعها بأسعار مرتفعة.",
    ),
    (
        "مسح لاحتياطات الوقاية في 25 سوبر ماركت",
        "أجرى مركز لبحوث الرأي العام مسحا داخل 25 فرعا للمتاجر الكبيرة ووجد أن نصفها مزدحم.",
    ),
    (
        "القبض على عاطلين بتهمة سرقة السيارات",
        "ألقت الشرطة القبض على عاطلين لاتهامهما بسرقة إحدى عشرة سيارة من جراج عام بالمعادي.",
    ),
    (
        "ارتفاع أسعار اللحوم قبل العيد",
        "رفع الجزارون سعر كيلو اللحم الضأن بنسبة الخمس قبل العيد واتجه المواطنون لشراء الدواجن.",
    ),
    (
        "بنك يفتتح فرعا لتمويل صغار المزارعين",
        "افتتح البنك الزراعي فرعا جديدا يمنح قروضا ميسرة لصغار المزارعين لشراء البذور ومضخات الري.",
    ),
    (
        "فوز كورال مدرسة ابتدائية بالمسابقة القومية",
        "فاز كورال مدرسة ابتدائية بالمسابقة القومية للغناء وسيقدم الأطفال حفلا في دار الأوبرا.",
    ),
    (
        "توقف المعديات النهرية بسبب الرياح",
        "توقفت المعديات النهرية عن العمل بعد أن بلغت سرعة الرياح تسعين كيلومترا في الساعة.",
    ),
    (
        "تمديد ساعات عمل المكتبة المركزية",
        "قررت إدارة المكتبة المركزية مد ساعات العمل حتى العاشرة مساء استجابة لطلبات الطلاب.",
    ),
    (
        "طفلة في الحادية عشرة تهزم أستاذا كبيرا في الشطرنج",
        "هزمت طفلة في الحادية عشرة من عمرها أستاذا دوليا كبيرا في مباراة استعراضية للشطرنج.",
    ),
]
AR_SUBSCRIBE = "اشترك لتصلك أهم الأخبار"


def ar_article(title: str, body: str) -> tuple[str, str]:
    """As the real pages reached the text: site name, headline, subscription line and body on one line."""
    return f"بوابة فيتو | {title}", f"بوابة فيتو | {title} {AR_SUBSCRIBE} {body}"


def records(language: str, *, boilerplate: bool = True) -> list[dict[str, Any]]:
    """The outlet's stream: the unrelated reports a day apart, the two related ones among them (a
    day apart from each other). Each record has its ``group``: equal groups are one event. Without
    ``boilerplate`` the same reports carry none (the stories to compare with)."""
    if language == "ar":
        page = ar_article if boilerplate else plain
        rows = [(f"ar{k}", *page(t, b), AR_SITE) for k, (t, b) in enumerate(AR_TOPICS)]
    else:
        page = en_article if boilerplate else plain
        rows = [(f"en{k}", *page(t, b), EN_SITE) for k, (t, b) in enumerate(EN_TOPICS)]
        related = [("fire", *page(t, b), EN_SITE) for t, b in EN_RELATED]
        rows = [*rows[:4], related[0], related[1], *rows[4:]]
    out = []
    for n, (group, title, text, site) in enumerate(rows):
        out.append(
            {
                "id": f"{site}/{n}",
                "url": f"https://{site}/news/{n}",
                "title": title,
                "text": text,
                "source": site,
                "lang": language,
                "published": (FIRST + timedelta(days=n)).isoformat(),
                "group": group,
            }
        )
    return out


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path
