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
    assert i18n.format_date(when, "en", "date_title") == "2026-02-02"
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
    assert shape_ru == shape_en


def test_words_are_read_once() -> None:
    assert i18n.locale("en") is i18n.locale("en")
    assert i18n.words("gantt", "en")["start"] == "Start"
    assert i18n.word("titles", "tech_spec", "ru").startswith("Техническое задание")


def test_unknown_language() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        i18n.words("gantt", "de")
