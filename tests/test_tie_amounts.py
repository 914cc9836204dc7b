"""Amounts a consultant typed with plain spaces never break over a line («150 / 000 ₽»)."""

from __future__ import annotations

import pytest

from crmimpl.i18n import NBSP, tie


@pytest.mark.parametrize(("text", "tied"), [
    ("лимитом 150 000 ₽ и", f"лимитом 150{NBSP}000{NBSP}₽ и"),
    ("на 3 200 000 ₽", f"на 3{NBSP}200{NBSP}000{NBSP}₽"),
    ("12 500,50 ₽", f"12{NBSP}500,50{NBSP}₽"),
    ("1 200 records", f"1{NBSP}200 records"),
])
def test_thousands_groups_are_tied(text: str, tied: str) -> None:
    assert tie(text) == tied


@pytest.mark.parametrize("text", ["версия 3.0 100 раз", "в 08:00 100 звонков",
                                  "в 2026 году 100", "шаги 1 2 3"])
def test_other_numbers_are_left_alone(text: str) -> None:
    assert tie(text) == text


def _inn_valid(inn: str) -> bool:
    digits = [int(c) for c in inn]

    def check(weights: list[int]) -> int:
        return sum(w * d for w, d in zip(weights, digits, strict=False)) % 11 % 10

    if len(digits) == 10:
        return check([2, 4, 10, 3, 5, 9, 4, 6, 8]) == digits[9]
    return (check([7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == digits[10]
            and check([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == digits[11])


def test_russian_test_data_has_valid_inns() -> None:
    """1C warns on an INN whose check digit is wrong: the test data must pass the check."""
    import re

    from crmimpl.resources import templates_dir

    text = (templates_dir() / "test_scenarios.yaml").read_text(encoding="utf-8")
    inns = set(re.findall(r'tax_id: "(\d{10}|\d{12})"', text))
    assert inns and all(_inn_valid(inn) for inn in inns), sorted(inns)
