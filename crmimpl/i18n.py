"""Numbers, money, dates and interface words in the language of an output.

The one place that knows how a language writes a figure and what an output's fixed words
are. Both come from ``templates/locale/<lang>.yaml`` (data, not code: STYLE.md 9), read
once per process::

    money(Decimal("1234567.89"), "ru")  ->  "1 234 567,89 ₽"
    money(Decimal("1234567.89"), "en")  ->  "RUB 1,234,567.89"
    words("gantt", "en")["start"]       ->  "Start"
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache
from typing import Any, Literal

LANGUAGES = ("ru", "en")
NBSP = "\u00a0"
DASH = "—"
DateStyle = Literal["date", "date_long", "date_title"]


@cache
def locale(lang: str) -> dict[str, Any]:
    """The whole locale file of ``lang`` (``templates/locale/<lang>.yaml``).

    Raises:
        ValueError: ``lang`` is not one of :data:`LANGUAGES`.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    from crmimpl.load import load_yaml  # here, not at the top: `crmimpl --help` needs no YAML
    from crmimpl.resources import templates_dir

    data = load_yaml(templates_dir() / "locale" / f"{lang}.yaml").data
    assert isinstance(data, dict), f"locale/{lang}.yaml must hold a mapping"
    return data


def words(section: str, lang: str) -> dict[str, Any]:
    """The interface words of one product (``gantt``, ``document``, ``titles``...)."""
    found = locale(lang)[section]
    assert isinstance(found, dict), f"locale/{lang}.yaml: {section} must hold a mapping"
    return found


def word(section: str, key: str, lang: str) -> str:
    """One interface word: ``word("titles", "tech_spec", "en")``."""
    return str(words(section, lang)[key])


def _format(lang: str) -> dict[str, Any]:
    return words("format", lang)


# ------------------------------------------------------------------ numbers and money


def _group(digits: str, sep: str) -> str:
    """Group an unsigned integer string by thousands."""
    out: list[str] = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return sep.join(out)


def number(value: float | int | Decimal, lang: str, decimals: int | None = None, *,
           group: bool = True) -> str:
    """Format a number: ``1 234,5`` (ru) or ``1,234.5`` (en).

    Args:
        value: The number.
        lang: ``ru`` or ``en``.
        decimals: Fixed number of decimals; ``None`` drops trailing zeros (up to 2).
        group: Separate thousands.
    """
    places = 2 if decimals is None else decimals
    quant = Decimal(1).scaleb(-places) if places else Decimal(1)
    dec = Decimal(str(value)).quantize(quant, rounding=ROUND_HALF_UP)
    sign = "-" if dec < 0 else ""
    whole, _, frac = f"{abs(dec):f}".partition(".")
    if decimals is None:
        frac = frac.rstrip("0")
    fmt = _format(lang)
    text = _group(whole, fmt["thousands"]) if group else whole
    return f"{sign}{text}{fmt['decimal']}{frac}" if frac else f"{sign}{text}"


def money(amount: Decimal | float | int, lang: str, currency: str = "RUB") -> str:
    """Format an amount with two decimals and the currency of the project.

    Russian puts the sign after the amount (``1 234,00 ₽``), English puts the ISO code
    before it (``RUB 1,234.00``).
    """
    fmt = _format(lang)
    text = number(Decimal(str(amount)), lang, decimals=2)
    sign = fmt["currency_signs"].get(currency, currency)
    return str(fmt["money"]).format(amount=text, sign=sign, currency=currency)


def currency_sign(currency: str, lang: str) -> str:
    """The sign the documents write for ``currency`` (``₽`` in Russian, else the ISO code)."""
    return str(_format(lang)["currency_signs"].get(currency, currency))


def amount(value: Decimal, lang: str) -> str:
    """An amount without currency, cents only when there are any: ``192 000`` /
    ``192,000``, ``1 234,50`` / ``1,234.50``."""
    return number(value, lang, decimals=0 if value == value.to_integral_value() else 2)


def plain_money(value: Decimal | float | int) -> str:
    """An amount in messages and terminal tables, which are in English whatever the
    documents' language: ``1 234 567.89``."""
    return f"{value:,.2f}".replace(",", " ")


def hours(value: float | Decimal, lang: str) -> str:
    """Effort in hours, without the unit (``12,5`` / ``12.5``)."""
    return number(value, lang)


def percent(value: float | Decimal, lang: str) -> str:
    """A percentage: ``22 %`` (ru, with a no-break space) or ``22%`` (en)."""
    return str(_format(lang)["percent"]).format(value=number(value, lang))


# ------------------------------------------------------------------ dates


def format_date(value: date, lang: str, style: DateStyle = "date") -> str:
    """A date in one of the locale's styles: ``date`` (tables), ``date_long`` (running
    text) or ``date_title`` (title pages)."""
    month = _format(lang)["months"][value.month - 1]
    return str(_format(lang)[style]).format(
        d=value.day, dd=f"{value.day:02d}", mm=f"{value.month:02d}", yyyy=f"{value.year:04d}",
        month=month, mon=month[:3])


def month_year(year: int, month: int, lang: str) -> str:
    """A month on its own: ``март 2026 г.`` / ``March 2026``."""
    name = _format(lang)["month_names"][month - 1]
    return str(_format(lang)["month_year"]).format(month=name, yyyy=f"{year:04d}")


def day(value: date | None, lang: str) -> str:
    """A date in a table: ``02.02.2026`` (ru) or ``2 Feb 2026`` (en); a dash for none."""
    return DASH if value is None else format_date(value, lang)


def day_long(value: date, lang: str) -> str:
    """A date in running text: ``2 февраля 2026 года`` or ``2 February 2026``."""
    return format_date(value, lang, "date_long")


def period(start: date | None, finish: date | None, lang: str) -> str:
    """A date range for text: ``02.02.2026 – 31.07.2026``."""
    return f"{day(start, lang)} – {day(finish, lang)}"


def date_cell_format(lang: str) -> str:
    """The workbook number format of date cells (``DD.MM.YYYY`` / ``D MMM YYYY``)."""
    return str(_format(lang)["date_cell"])


# ------------------------------------------------------------------ text

# Words that stay on the line of the number before them: units and abbreviations of both
# languages (``12 ч``, ``3 мес.``, ``40 чел.``, ``15 min``, ``2026 г.``), the currency and
# percent signs; and the number after ``№``.
_UNITS = (r"ч|час|часа|часов|мин|сек|дн|дня|дней|нед|мес|месяца|месяцев|лет|года?|гг?|"
          r"чел|человека?|руб|коп|тыс|млн|млрд|шт|раб|кал|h|hrs?|min|sec|GB|MB|TB|"
          r"[₽$€£¥₸%]|RUB|USD|EUR|GBP|CNY|KZT")
_TIE_UNIT = re.compile(rf"(?<=\d) (?=(?:{_UNITS})(?![^\W\d_]))")
_TIE_NUMBER_SIGN = re.compile(r"(?<=№) (?=\d)")
_TIE_CURRENCY = re.compile(r"(?<=\b(?:RUB|GBP|EUR|USD|KZT|BYN)) (?=\d)")
NB_HYPHEN = "\u2011"
_PHONE = re.compile(r"(?:\+\d{1,3}|\b8)[ -]?\(?\d{2,5}\)?[ -]?\d{1,4}(?:[ -]\d{2,4}){1,3}\b")
_TIE_DASH = re.compile(r"(?<=\S) (?=— )")
# A Russian name with initials never breaks between them: «Белоусова Н. Е.», «А. В. Ковалёв»
# (a table cell read «Белоусова Н.» / «Е.»).
_TIE_INITIALS = re.compile(r"(?<=[а-яё]) (?=[А-ЯЁ]\.(?:\s?[А-ЯЁ]\.)?(?!\s?[А-ЯЁ]))"
                           r"|(?<=\b[А-ЯЁ]\.) (?=[А-ЯЁ])")
# A Russian ordinal written with digits («1-я смена», «2-й этап», «3-го числа») never
# breaks at its hyphen: a table cell read «1- / я смена».
_ORDINAL_HYPHEN = re.compile(r"(?<=\d)-(?=(?:я|й|е|го|му|м|х|ми|ю|ой|ая|ый|ое|ом)(?![^\W\d_]))")
# Thousands groups a consultant typed with plain spaces («150 000 ₽», "1 200 records"):
# one to three digits, then groups of exactly three.
_DIGIT_GROUPS = re.compile(r"(?<![\d.,:/-])\d{1,3}(?: \d{3})+(?:,\d+)?(?!\d)")


@lru_cache(maxsize=1 << 16, typed=True)  # pure; called for every run of text
def no_widow(title: str) -> str:
    """A title whose last word cannot stand alone on its last line: the last two words are
    tied by a no-break space («Technical specification of the CRM» / «system» reads as
    a slip on a title page). A title of one or two words is returned as written."""
    head, sep, last = title.rstrip().rpartition(" ")
    if not sep or " " not in head.strip():
        return title
    return f"{head}{NBSP}{last}"


def tie(text: str) -> str:
    """Put no-break spaces where a line must not break in running text and tables: inside
    an amount typed with plain spaces (``150 000``), between a number and its unit
    (``12 ч``, ``3 мес.``, ``15 %``, ``RUB`` after an amount), after ``№``, before a
    dash (a line never starts with «—»), after a currency code before an amount
    (``RUB 180,000``), between a Russian surname and its initials («Белоусова Н. Е.»), and
    inside a phone number and a Russian ordinal («1-я смена») (no-break hyphens).
    Amounts, numbers and dates made by this module carry theirs already; this ties what
    templates write around them.
    """
    if "+" in text or "8-800" in text:
        # a phone number never breaks: «+7 (846) 270-11-» / «00» in a table cell
        text = _PHONE.sub(lambda m: m.group(0).replace(" ", NBSP).replace("-", NB_HYPHEN),
                          text)
    if "-" in text:
        text = _ORDINAL_HYPHEN.sub(NB_HYPHEN, text)
    if " " not in text:
        return text
    text = _DIGIT_GROUPS.sub(lambda m: m.group(0).replace(" ", NBSP), text)
    text = _TIE_UNIT.sub(NBSP, text)
    text = _TIE_NUMBER_SIGN.sub(NBSP, text)
    text = _TIE_CURRENCY.sub(NBSP, text)
    if "." in text:
        text = _TIE_INITIALS.sub(NBSP, text)
    return _TIE_DASH.sub(NBSP, text)



def without_note(name: str) -> str:
    """A name without its trailing note in parentheses: «АБС «Кредо-Банк» 5.4
    (интеграционная шина банка)» → «АБС «Кредо-Банк» 5.4», "Xero (accounting)" → "Xero"
    (the name as written when nothing else is left)."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", name).strip() or name


def join(items: Iterable[str], lang: str, last: bool = False) -> str:
    """Join phrases with commas; with ``last`` the final pair uses «и» / "and"."""
    parts = [str(x) for x in items if str(x)]
    if not last or len(parts) < 2:
        return ", ".join(parts)
    return ", ".join(parts[:-1]) + str(_format(lang)["and"]) + parts[-1]


def yes_no(value: bool, lang: str) -> str:
    """``да``/``нет`` or ``yes``/``no``."""
    return str(_format(lang)["yes" if value else "no"])


def plural_ru(n: int, one: str, few: str, many: str) -> str:
    """The Russian plural form for ``n`` (1 час, 2 часа, 5 часов)."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count(n: int, lang: str, ru: tuple[str, str, str], en: tuple[str, str]) -> str:
    """``n`` with its noun in the right form: ``5 отделов`` / ``5 departments``."""
    if lang == "ru":
        return f"{n} {plural_ru(n, *ru)}"
    return f"{n} {en[0] if n == 1 else en[1]}"


# ------------------------------------------------------------------ Russian agreement
# pymorphy3 inflects any Russian word, so a template can count whatever noun the project
# brings («52 группы», «21 рабочий день», «из 4 показателей») without a hand-kept list of
# forms. It costs ~15 MB of dictionaries and ~0.1 s to load, so it is imported only when
# a document asks for a Russian count, never by ``crmimpl --help``. ``ru.yaml`` ``nouns:``
# overrides the forms the dictionary gets wrong for counting («5 человек», not «людей»).

Case = Literal["nomn", "gent", "datv", "accs", "ablt", "loct"]


@cache
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


def _few_many(n: int) -> str:
    """``one``, ``few`` or ``many``: the Russian plural category of ``n``."""
    return plural_ru(n, "one", "few", "many")


def _fixed_forms(word: str) -> list[str] | None:
    forms = locale("ru").get("nouns", {}).get(word.lower())
    return list(forms) if forms else None


def _parse(word: str, head_gender: str | None) -> Any:
    """The likeliest parse of ``word``: a noun for the head (``head_gender`` None), else
    an adjective or participle (agreeing with the head's gender when it has one)."""
    parses = _morph().parse(word)
    if head_gender is None:
        nouns = [p for p in parses if p.tag.POS == "NOUN" and "nomn" in p.tag]
        return (nouns or parses)[0]
    adjectives = [p for p in parses if p.tag.POS in ("ADJF", "PRTF")]
    if not adjectives:
        return None
    same = [p for p in adjectives if head_gender in p.tag and "sing" in p.tag]
    return (same or adjectives)[0]


def _inflect(parse: Any, n: int, case: str, head: Any) -> str:
    """One word of a counted phrase in the form the number and ``case`` need."""
    category = _few_many(n)
    direct = case == "nomn" or (case == "accs" and "anim" not in head.tag)
    if category == "one":
        grammemes = {"sing", case}
    elif not direct:
        grammemes = {"plur", case}
    elif category == "many":
        grammemes = {"plur", "gent"}
    elif parse is head and head.tag.POS == "NOUN":
        grammemes = {"sing", "gent"}
    else:  # «2 рабочих дня», but «2 учебные группы»
        grammemes = {"plur", "nomn" if "femn" in head.tag else "gent"}
    inflected = parse.inflect(grammemes)
    return str(inflected.word) if inflected is not None else str(parse.word)


def agree_ru(n: int, phrase: str, case: Case = "nomn") -> str:
    """``phrase`` (a noun, optionally after adjectives, in the nominative singular) in the
    form that agrees with ``n``: ``agree_ru(21, "рабочий день")`` → ``рабочий день``,
    ``agree_ru(5, "рабочий день")`` → ``рабочих дней``, ``agree_ru(4, "показатель",
    "gent")`` → ``показателей``. Words after the head noun are not part of ``phrase``:
    the template writes them after the count."""
    words = phrase.split()
    fixed = _fixed_forms(phrase)
    if fixed and case in ("nomn", "accs"):
        return plural_ru(n, *fixed)
    if fixed and case == "gent" and _few_many(n) != "one":
        return fixed[2]  # «до 10 человек», «до 45 лет»
    head = _parse(words[-1], None)
    gender = next((g for g in ("masc", "femn", "neut") if g in head.tag), None)
    out = []
    for w in words[:-1]:
        parse = _parse(w, gender)
        out.append(w if parse is None else _inflect(parse, n, case, head))
    out.append(_inflect(head, n, case, head))
    return " ".join(_same_case(w, orig) for w, orig in zip(out, words, strict=True))


def _same_case(word: str, original: str) -> str:
    return word[:1].upper() + word[1:] if original[:1].isupper() else word


def plural_en(n: int | float, noun: str, plural: str | None = None) -> str:
    """The English noun for ``n``: ``group``/``groups``, ``person``/``people``."""
    if n == 1:
        return noun
    if plural:
        return plural
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def count_of(n: int, phrase: str, lang: str, plural: str | None = None,
             case: Case = "nomn") -> str:
    """``n`` and its noun phrase agreed, with a no-break space: ``52 группы``,
    ``21 рабочий день``, ``3 sessions`` (``plural`` for irregular English nouns, ``case``
    for Russian phrases after a preposition: ``из 4 показателей``)."""
    words = agree_ru(n, phrase, case) if lang == "ru" else plural_en(n, phrase, plural)
    return f"{number(n, lang)}{NBSP}{words}"


# ------------------------------------------------------------------ names in running text

_LEGAL_FORMS = re.compile(r"^[A-ZА-ЯЁ]{2,5}\b")


def quoted(text: str, lang: str) -> str:
    """``text`` in quotes for running text: «…» (ru) with inner «» turned into „“, or
    “…” (en). ``«Внедрение CRM в ООО „Оптима“»``, never «… «Оптима»»."""
    if lang != "ru":
        return f"“{text}”"
    inner = text.replace("«", "„").replace("»", "“")
    return f"«{inner}»"


# The English renderings of the Russian legal forms (abbreviated by short_legal_name)
_LEGAL_FORMS_EN = {"ООО": "LLC", "ПАО": "PJSC", "АО": "JSC", "ЗАО": "CJSC", "ОАО": "OJSC",
                   "ИП": "sole trader"}


def legal_form_en(name: str) -> str:
    """A company name with a Russian legal form written as English documents write it:
    ``ООО «Оптима Дистрибуция»`` → ``Оптима Дистрибуция LLC`` (the name itself is the
    project's: its translation overlay gives ``Optima Distribution LLC``); a sole
    trader's form goes before the name. Other names are returned as written."""
    text = short_legal_name(" ".join(name.split()))
    for ru, en in _LEGAL_FORMS_EN.items():
        if text.startswith(ru + " "):
            rest = text[len(ru):].strip().strip("«»\"“”„")
            return f"sole trader {rest}" if en == "sole trader" else f"{rest} {en}"
    return name


def organisation(name: str, lang: str, case: Case = "nomn") -> str:
    """A company's name in running text without declining the quoted name.

    ``ООО «Оптима»`` and ``АО «Банк»`` stay as written (the legal form is an abbreviation);
    ``Рекламное агентство «Креатив»`` declines its generic words only (``рекламного
    агентства «Креатив»``); a bare name gets a generic noun (``компании «Креатив»``).
    In English a Russian legal form becomes the English one after the name
    (``ООО «Оптима»`` → ``“Оптима” LLC``; see :func:`legal_form_en`).
    """
    if lang != "ru":
        return legal_form_en(name)
    prefix, quote, rest = name.partition("«")
    prefix = prefix.strip()
    if _LEGAL_FORMS.match(name) and (quote or " " not in name):
        return name
    if not quote:
        return f"{agree_ru(1, 'компания', case)} «{name}»"
    if not prefix:
        return f"{agree_ru(1, 'компания', case)} {name}"
    generic = agree_ru(1, prefix.lower(), case)
    return f"{generic} «{rest}"


def approx_hours(value: float | Decimal, lang: str) -> str:
    """Preliminary hours as a consultant writes them: to the half hour (``6,5``), whole
    hours from 10 on (``38``)."""
    dec = Decimal(str(value))
    step = Decimal(1) if dec >= 10 else Decimal("0.5")
    rounded = (dec / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    return number(rounded, lang)


_RU_UNIT_WORDS = re.compile(
    r"^(?:Отдел|Отделение|Служба|Дирекция|Бухгалтерия|Управление|Департамент|Группа|Сектор"
    r"|Склад|Администрация|Руководство|Филиал|Цех|Лаборатория|Канцелярия|Секретариат"
    r"|Казначейство|Контакт-центр|Колл-центр|Сервисная|Финансовый|Юридический|Коммерческий"
    r"|Коммерческая|Производственный|Технический|Центральный|Головной|Розничная|Розничный"
    r"|Диспетчерская|Сервисный)(?=[\s,]|$)")


def lower_position(position: str, lang: str) -> str:
    """A position run on inside a Russian sentence starts lower-case ("консультант");
    an abbreviation («ИТ-директор») stays as written."""
    if lang != "ru" or len(position) < 2 or position[1].isupper():
        return position
    return position[:1].lower() + position[1:]


def department_in_text(name: str, lang: str) -> str:
    """A Russian department's name inside a sentence or after the first item of a list:
    a common noun in lower case («отдел маркетинга», «бухгалтерия и финансовый отдел»);
    proper names and abbreviations (ИТ-служба, «Оптима-Сервис») stay as written."""
    if lang != "ru" or not _RU_UNIT_WORDS.match(name):
        return name
    return name[:1].lower() + name[1:]


def department_list(names: Iterable[str], lang: str) -> str:
    """Departments listed in a table cell: the first as written, the rest in lower case."""
    items = list(names)
    return ", ".join(items[:1] + [department_in_text(n, lang) for n in items[1:]])


_RU_LEGAL_FORMS = (
    ("публичное акционерное общество", "ПАО"),
    ("непубличное акционерное общество", "АО"),
    ("акционерное общество", "АО"),
    ("закрытое акционерное общество", "ЗАО"),
    ("открытое акционерное общество", "ОАО"),
    ("общество с ограниченной ответственностью", "ООО"),
    ("индивидуальный предприниматель", "ИП"),
    ("автономная некоммерческая организация", "АНО"),
    ("федеральное государственное унитарное предприятие", "ФГУП"),
    ("государственное унитарное предприятие", "ГУП"),
    ("муниципальное унитарное предприятие", "МУП"),
)


# English legal forms written out after the name, and how a signature block abbreviates
# them («Optima Distribution Limited Liability Company» → «Optima Distribution LLC»)
_EN_LEGAL_FORMS = (
    ("public joint stock company", "PJSC"),
    ("joint stock company", "JSC"),
    ("joint-stock company", "JSC"),
    ("limited liability company", "LLC"),
    ("public limited company", "plc"),
    ("limited", "Ltd"),
)


def short_legal_name(name: str) -> str:
    """A company's full legal name with its legal form abbreviated, as a signature block
    and running text write it: «Общество с ограниченной ответственностью «Оптима»» →
    «ООО «Оптима»», «Optima Distribution Limited Liability Company» → «Optima
    Distribution LLC». Other names are returned as written."""
    lowered = name.lower()
    for full, short in sorted(_RU_LEGAL_FORMS, key=lambda f: -len(f[0])):
        if lowered.startswith(full) and name[len(full):len(full) + 1] in (" ", "\u00a0"):
            return f"{short} {name[len(full):].strip()}"
    for full, short in _EN_LEGAL_FORMS:
        cut = len(name) - len(full)
        if cut > 0 and lowered.endswith(full) and name[cut - 1] in (" ", "\u00a0"):
            return f"{name[:cut].rstrip()} {short}"
    return name


def approx_money(value: Decimal | float | int, lang: str, currency: str = "RUB") -> str:
    """A preliminary amount rounded to thousands, without kopecks: ``4 446 000 ₽``
    (not ``4 445 931,60 ₽``)."""
    dec = (Decimal(str(value)) / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 1000
    fmt = _format(lang)
    sign = fmt["currency_signs"].get(currency, currency)
    return str(fmt["money"]).format(amount=number(dec, lang, decimals=0), sign=sign,
                                    currency=currency)


def whole_money(value: Decimal | float | int, lang: str, currency: str = "RUB") -> str:
    """An amount in whole currency units (half up), for a preliminary estimate's tables:
    ``4 843 817 ₽`` (not ``4 843 817,00 ₽``)."""
    dec = Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    fmt = _format(lang)
    sign = fmt["currency_signs"].get(currency, currency)
    return str(fmt["money"]).format(amount=number(dec, lang, decimals=0), sign=sign,
                                    currency=currency)


def rough_money(value: Decimal | float | int, lang: str, currency: str = "RUB") -> str:
    """A preliminary amount as a consultant says it in running text: millions with one
    decimal (``4,8 млн ₽`` / ``RUB 4.8 million``), otherwise thousands (``341 тыс. ₽`` /
    ``RUB 341,000``; ``11,5 тыс. ₽`` / ``GBP 11,500`` below 100 000); the templates put
    «около» / "about" before it."""
    dec = Decimal(str(value))
    fmt = _format(lang)
    sign = fmt["currency_signs"].get(currency, currency)
    if abs(dec) >= 1_000_000:
        millions = (dec / 1_000_000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        text = number(millions, lang, decimals=None) + (
            f"{NBSP}млн" if lang == "ru" else f"{NBSP}million")
    elif abs(dec) >= 1_000:
        # whole thousands from 100 000 up; below that one decimal of a thousand, so that
        # 11 510 is «11,5 тыс.» / "11,500" rather than a 4 % error
        step = Decimal(1) if abs(dec) >= 100_000 else Decimal("0.1")
        thousands = (dec / 1_000).quantize(step, rounding=ROUND_HALF_UP)
        text = (number(thousands, lang, decimals=None) + f"{NBSP}тыс." if lang == "ru"
                else number(thousands * 1000, lang, decimals=0))
    else:
        text = number(dec.quantize(Decimal(1), rounding=ROUND_HALF_UP), lang, decimals=0)
    return str(fmt["money"]).format(amount=text, sign=sign, currency=currency)


def whole_percent(value: float | Decimal, lang: str) -> str:
    """A percentage rounded to a whole number (``493 %``), for figures that are estimates."""
    dec = Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return percent(dec, lang)


# Russian units a Russian project writes after its figures (a KPI's "млн руб."), as the
# English documents write them: (before the number, after it). The unit is the
# formatter's, not the project's text, so no overlay has to translate it.
_UNITS_EN: dict[str, tuple[str, str]] = {
    "млн руб.": ("RUB ", " million"), "млн руб": ("RUB ", " million"),
    "млн ₽": ("RUB ", " million"), "млрд руб.": ("RUB ", " billion"),
    "тыс. руб.": ("RUB ", " thousand"), "тыс. руб": ("RUB ", " thousand"),
    "тыс. ₽": ("RUB ", " thousand"), "руб.": ("RUB ", ""), "руб": ("RUB ", ""),
    "₽": ("RUB ", ""), "мин": ("", " min"), "мин.": ("", " min"),
    "минут": ("", " min"), "ч": ("", " h"), "ч.": ("", " h"), "час": ("", " h"),
    "часов": ("", " h"), "сек": ("", " s"), "с": ("", " s"),
    "раб. дн.": ("", " working days"), "раб. дня": ("", " working days"),
    "рабочих дней": ("", " working days"), "дн.": ("", " days"), "дней": ("", " days"),
    "дня": ("", " days"), "мес.": ("", " months"), "месяцев": ("", " months"),
    "чел.": ("", " people"), "человек": ("", " people"), "шт.": ("", " pcs"),
    "клиентов": ("", " clients"), "сделок": ("", " deals"), "обращений": ("", " requests"),
    "т": ("", " t"), "км": ("", " km"),
}


# A currency with an optional scale, as an English-speaking project writes a money KPI's
# unit ("EUR thousand", "GBP m", "$ million"): the currency goes before the number
# ("EUR 250 thousand", "£1.2 million"), as a reader expects it.
_MONEY_UNIT = re.compile(r"^([A-Z]{3}|[£€$])\s*((?i:thousand|k|million|mln|m|billion|bn))?$")
_MONEY_SCALE = {"thousand": " thousand", "k": " thousand", "million": " million",
                "mln": " million", "m": " million", "billion": " billion", "bn": " billion"}


def unit_parts(unit: str, lang: str) -> tuple[str, str] | None:
    """A Russian unit, or a currency with a scale, as ``lang`` writes it around a number,
    (before, after); None when the unit is already in ``lang`` or not known (it is then
    written as given)."""
    if lang == "ru" or not unit:
        return None
    key = " ".join(unit.split())
    known = _UNITS_EN.get(key.lower())
    if known is not None:
        return known
    m = _MONEY_UNIT.match(key)
    if m is None:
        return None
    currency = m.group(1)
    before = currency if len(currency) == 1 else currency + " "
    return before, _MONEY_SCALE.get((m.group(2) or "").lower(), "")


def unit_label(unit: str | None, lang: str) -> str:
    """A unit on its own, as a column of figures heads it in ``lang``: a Russian
    project's ``млн руб.`` is ``RUB million`` and ``раб. дн.`` ``working days`` in an
    English workbook; a unit already in ``lang`` or not known stays as written."""
    if not unit:
        return ""
    parts = unit_parts(unit.strip(), lang)
    if parts is None:
        return unit.strip()
    return " ".join(p.strip() for p in parts if p.strip())


def with_unit(value: float | int | Decimal, unit: str, lang: str) -> str:
    """A measured value with its unit, the unit agreeing when it is a Russian noun the
    project wrote in any form: ``301 клиент``, ``380 клиентов``, ``52,5 клиента``;
    abbreviations and symbols (``млн руб.``, ``мин``, ``%``) stay as written."""
    text = number(value, lang)
    if not unit:
        return text
    word = unit.strip()
    if word == "%":  # the locale's percent: "19 %" in Russian, "19%" in English
        return percent(value, lang)
    parts = unit_parts(word, lang)
    if parts is not None:  # "млн руб." in an English sentence: "RUB 78 million"
        return f"{parts[0]}{text}{parts[1]}".replace(" ", NBSP)
    if lang == "ru" and re.fullmatch(r"[а-яё]{4,}", word):
        parse = _morph().parse(word)[0]
        if parse.tag.POS == "NOUN":
            whole = Decimal(str(value)) == Decimal(str(value)).to_integral_value()
            lemma = str(parse.normal_form)
            word = (agree_ru(int(Decimal(str(value))), lemma) if whole
                    else str((parse.inflect({"sing", "gent"}) or parse).word))
    return f"{text}{NBSP}{word}"
