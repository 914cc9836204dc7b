"""Numbers, money, dates and interface words per language (``crmimpl.i18n``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from crmimpl import i18n


@pytest.mark.parametrize(("amount", "lang", "expected"), [
    (Decimal("1234567.89"), "ru", "1\u00a0234\u00a0567,89\u00a0₽"),
    (Decimal("1234567.89"), "en", "RUB\u00a01,234,567.89"),
    (Decimal("0"), "ru", "0,00\u00a0₽"),
    (Decimal("999.995"), "en", "RUB\u00a01,000.00"),
])
def test_money(amount: Decimal, lang: str, expected: str) -> None:
    assert i18n.money(amount, lang) == expected


def test_money_in_another_currency() -> None:
    assert i18n.money(Decimal("5"), "ru", "EUR") == "5,00\u00a0€"
    assert i18n.money(Decimal("5"), "ru", "GBP") == "5,00\u00a0GBP"
    assert i18n.money(Decimal("5"), "en", "EUR") == "EUR\u00a05.00"


def test_numbers() -> None:
    assert i18n.number(1234.5, "ru") == "1\u00a0234,5"
    assert i18n.number(1234.5, "en") == "1,234.5"
    assert i18n.number(-12000, "en") == "-12,000"
    assert i18n.number(Decimal("1234.5"), "ru", decimals=2, group=False) == "1234,50"
    assert i18n.percent(Decimal("22"), "en") == "22%"
    assert i18n.percent(Decimal("22.5"), "ru") == "22,5\u00a0%"
    assert i18n.amount(Decimal("192000"), "ru") == "192\u00a0000"
    assert i18n.amount(Decimal("1234.5"), "en") == "1,234.50"
    assert i18n.plain_money(Decimal("1234567.891")) == "1 234 567.89"


def test_dates() -> None:
    when = date(2026, 2, 2)
    assert i18n.day(when, "ru") == "02.02.2026"
    assert i18n.day(when, "en") == "2\u00a0Feb\u00a02026"  # never split over lines
    assert i18n.day(None, "en") == i18n.DASH
    assert i18n.day_long(when, "ru") == "2\u00a0февраля 2026\u00a0года"
    assert i18n.day_long(when, "en") == "2\u00a0February 2026"
    assert i18n.format_date(when, "ru", "date_title") == "02.02.2026"
    assert i18n.format_date(when, "en", "date_title") == "2 February 2026"
    assert i18n.period(when, date(2026, 7, 31), "ru") == "02.02.2026 – 31.07.2026"
    assert i18n.date_cell_format("ru") == "DD.MM.YYYY"


def test_tie_keeps_numbers_with_their_units() -> None:
    nb = "\u00a0"
    assert i18n.tie("148 ч, 3 мес. и 40 чел.") == f"148{nb}ч, 3{nb}мес. и 40{nb}чел."
    assert i18n.tie("22 % и № 5") == f"22{nb}% и №{nb}5"
    assert i18n.tie("стоимость — 10") == f"стоимость{nb}— 10"
    assert i18n.tie("15 min, 12 h") == f"15{nb}min, 12{nb}h"
    # Ordinary counted nouns and words that only start like a unit stay breakable.
    assert i18n.tie("5 членов, 10 groups, 3 human") == "5 членов, 10 groups, 3 human"
    assert i18n.tie("нет пробелов") == "нет пробелов"


def test_money_and_numbers_never_break() -> None:
    for lang in ("ru", "en"):
        for text in (i18n.money(Decimal("4445932"), lang), i18n.number(1234567, lang),
                     i18n.percent(15, lang)):
            assert " " not in text, text


def test_text() -> None:
    assert i18n.join(["a", "b", "c"], "ru", last=True) == "a, b и c"
    assert i18n.join(["a", "b"], "en", last=True) == "a and b"
    assert i18n.yes_no(True, "ru") == "да"
    assert i18n.count(5, "ru", ("отдел", "отдела", "отделов"), ("department", "departments")) \
        == "5 отделов"
    assert i18n.count(1, "en", ("", "", ""), ("department", "departments")) == "1 department"


def _shape(value: Any) -> Any:
    """Keys of nested mappings and lengths of lists: what both languages must share."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return len(value)
    return type(value).__name__


def test_languages_have_the_same_words() -> None:
    ru, en = (i18n.locale(lang) for lang in i18n.LANGUAGES)
    shape_ru, shape_en = _shape(ru), _shape(en)
    # only Russian names currency signs; English writes the ISO code
    shape_ru["format"].pop("currency_signs")
    shape_en["format"].pop("currency_signs")
    # only Russian keeps the counted forms its dictionary gets wrong (5 человек)
    shape_ru.pop("nouns")
    assert shape_ru == shape_en


def test_words_are_read_once() -> None:
    assert i18n.locale("en") is i18n.locale("en")
    assert i18n.words("gantt", "en")["start"] == "Start"
    assert i18n.word("titles", "tech_spec", "ru").startswith("Техническое задание")


def test_unknown_language() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        i18n.words("gantt", "de")


# ------------------------------------------------------------------ Russian agreement


@pytest.mark.parametrize(("n", "phrase", "case", "expected"), [
    (1, "группа", "nomn", "группа"), (2, "группа", "nomn", "группы"),
    (5, "группа", "nomn", "групп"), (52, "группа", "nomn", "группы"),
    (11, "группа", "nomn", "групп"), (21, "занятие", "nomn", "занятие"),
    (31, "занятие", "nomn", "занятие"), (21, "рабочий день", "nomn", "рабочий день"),
    (3, "рабочий день", "nomn", "рабочих дня"), (5, "рабочий день", "nomn", "рабочих дней"),
    (2, "учебная группа", "nomn", "учебные группы"), (2, "обучаемый", "nomn", "обучаемых"),
    (5, "человек", "nomn", "человек"), (45, "год", "nomn", "лет"),
    (4, "показатель", "gent", "показателей"), (21, "рабочий день", "gent", "рабочего дня"),
    (3, "группа", "loct", "группах"), (10, "человек", "gent", "человек"),
    (21, "человек", "gent", "человека"), (45, "год", "gent", "лет"),
])
def test_agree_ru(n: int, phrase: str, case: Any, expected: str) -> None:
    assert i18n.agree_ru(n, phrase, case) == expected


def test_count_of_both_languages() -> None:
    assert i18n.count_of(52, "группа", "ru") == "52\u00a0группы"
    assert i18n.count_of(1200, "сотрудник", "ru") == "1\u00a0200\u00a0сотрудников"
    assert i18n.count_of(1, "session", "en") == "1\u00a0session"
    assert i18n.count_of(3, "session", "en") == "3\u00a0sessions"
    assert i18n.count_of(3, "person", "en", "people") == "3\u00a0people"
    assert i18n.count_of(2, "category", "en") == "2\u00a0categories"


@pytest.mark.parametrize(("name", "case", "expected"), [
    ("Рекламное агентство «Креатив»", "gent", "рекламного агентства «Креатив»"),
    ("Рекламное агентство «Креатив»", "ablt", "рекламным агентством «Креатив»"),
    ("ООО «Оптима Дистрибуция»", "ablt", "ООО «Оптима Дистрибуция»"),
    ("АО «Волжский региональный банк»", "gent", "АО «Волжский региональный банк»"),
    ("«Креатив»", "ablt", "компанией «Креатив»"),
    ("Креатив", "gent", "компании «Креатив»"),
])
def test_organisation_never_declines_the_quoted_name(name: str, case: Any,
                                                     expected: str) -> None:
    assert i18n.organisation(name, "ru", case) == expected
    assert i18n.organisation("Northwind IT Services", "en", case) == "Northwind IT Services"


def test_quoted_nests_quotes() -> None:
    assert i18n.quoted("Внедрение CRM в ООО «Оптима»", "ru") == "«Внедрение CRM в ООО „Оптима“»"
    assert i18n.quoted("CRM rollout", "en") == "“CRM rollout”"


def test_preliminary_figures_are_rounded() -> None:
    assert i18n.approx_hours(6.38, "ru") == "6,5"
    assert i18n.approx_hours(6.2, "en") == "6"
    assert i18n.approx_hours(37.6, "ru") == "38"
    assert i18n.approx_money(Decimal("4445931.60"), "ru") == "4\u00a0446\u00a0000\u00a0₽"
    assert i18n.approx_money(Decimal("3439000.4"), "en", "GBP") == "GBP\u00a03,439,000"


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (301, "клиентов", "301\u00a0клиент"), (380, "клиентов", "380\u00a0клиентов"),
    (52.5, "клиентов", "52,5\u00a0клиента"), (78, "млн руб.", "78\u00a0млн руб."),
    (12, "раб. дн.", "12\u00a0раб. дн."), (46, "%", "46\u00a0%"),
])
def test_units_agree_with_values(value: float, unit: str, expected: str) -> None:
    assert i18n.with_unit(value, unit, "ru") == expected


def test_templates_count_and_name_filters() -> None:
    from crmimpl.render.markdown import _language_filters

    ru, en = _language_filters("ru"), _language_filters("en")
    assert ru["count"](52, "группа") == "52\u00a0группы"
    assert ru["count"](19, "проверка", case="gent") == "19\u00a0проверок"
    assert en["count"](3, "person", "people") == "3\u00a0people"
    assert ru["org"]("Рекламное агентство «Креатив»", "gent") == "рекламного агентства «Креатив»"
    assert ru["q"]("CRM в ООО «Оптима»") == "«CRM в ООО „Оптима“»"


@pytest.mark.parametrize(("full", "short"), [
    ("Общество с ограниченной ответственностью «Оптима»", "ООО «Оптима»"),
    ("Акционерное общество «Волжский банк»", "АО «Волжский банк»"),
    ("Публичное акционерное общество «Банк»", "ПАО «Банк»"),
    ("Индивидуальный предприниматель Иванов И. И.", "ИП Иванов И. И."),
    ("ООО «Креатив Медиа»", "ООО «Креатив Медиа»"),
    ("Northwind IT Services Ltd", "Northwind IT Services Ltd"),
    ("Акционерное обществознание", "Акционерное обществознание"),
])
def test_short_legal_name(full: str, short: str) -> None:
    assert i18n.short_legal_name(full) == short


@pytest.mark.parametrize(("text", "tied"), [
    ("Гусев, +7 (846) 270-11-00, доб. 1", "Гусев, +7\u00a0(846)\u00a0270\u201111\u201100, доб. 1"),
    ("8-800-555-35-35", "8\u2011800\u2011555\u201135\u201135"),
    ("+44 20 7946 0958", "+44\u00a020\u00a07946\u00a00958"),
    ("рост +30 % к 2027 году", "рост +30\u00a0% к 2027 году"),
])
def test_a_phone_number_never_breaks(text: str, tied: str) -> None:
    assert i18n.tie(text) == tied


def test_a_currency_code_stays_with_its_amount() -> None:
    assert i18n.tie("costs RUB 180,000 and GBP 5 000") == \
        "costs RUB\u00a0180,000 and GBP\u00a05\u00a0000"
    assert i18n.tie("RUBX 5") == "RUBX 5"


def test_a_russian_ordinal_never_breaks_at_its_hyphen() -> None:
    """review 8 (teplo): «Диспетчерская служба, 1- / я смена» in a table cell."""
    hy = i18n.NB_HYPHEN
    assert i18n.tie("Диспетчерская служба, 1-я смена") == f"Диспетчерская служба, 1{hy}я смена"
    assert i18n.tie("2-й этап, 3-го числа") == f"2{hy}й этап, 3{hy}го числа"
    assert i18n.tie("R-1 и 10-15") == "R-1 и 10-15"  # not an ordinal: left alone
    assert i18n.tie("1-ясный") == "1-ясный"


def test_a_risks_impact_agrees_with_its_neuter_heading() -> None:
    """«Влияние: средняя» in the risk table: «влияние» is neuter."""
    from crmimpl.documents.common import risk_row
    from crmimpl.model.project import load_project
    from tests.conftest import EXAMPLES

    project = load_project(EXAMPLES / "teplo-service")
    rows = [risk_row(project, r, "ru") for r in project.risks]
    assert {row["impact"] for row in rows} <= {"низкое", "среднее", "высокое"}
    assert {row["probability"] for row in rows} <= {"низкая", "средняя", "высокая"}


@pytest.mark.parametrize(("unit", "expected"), [
    ("EUR thousand", "EUR\u00a0250\u00a0thousand"),
    ("GBP m", "GBP\u00a0250\u00a0million"),
    ("€k", "€250\u00a0thousand"),
    ("RUB mln", "RUB\u00a0250\u00a0million"),
    ("min", "250\u00a0min"),
    ("clients", "250\u00a0clients"),
])
def test_money_unit_puts_the_currency_before_the_number(unit: str, expected: str) -> None:
    """An English project's money KPI ("EUR thousand", the scaffold's own unit) reads
    "EUR 250 thousand", never "250 EUR thousand"; other units stay after the number."""
    from crmimpl.i18n import with_unit
    assert with_unit(250, unit, "en") == expected
