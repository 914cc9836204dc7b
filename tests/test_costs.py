"""Money to the kopeck: rates, lines, contingency, VAT on top or inside, the limit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from crmimpl.model.project import Person, Rate
from crmimpl.plan.builder import build_plan, split_hours
from crmimpl.plan.costs import CostLine, hourly_rate, money, summarize, triangle_warnings
from tests.plan_helpers import small_project


def _line(phase: str, hours: str, rate: str) -> CostLine:
    return CostLine(phase, "t", "T", "consultant", "p", "P", Decimal(hours), Decimal(rate))


def test_money_rounds_half_up() -> None:
    assert money(Decimal("0.005")) == Decimal("0.01")
    assert money(Decimal("2.675")) == Decimal("2.68")
    assert money(Decimal("1.004999")) == Decimal("1.00")


def test_hourly_rate_from_day_rate() -> None:
    person = Person(id="p", name="P", roles=["consultant"], side="contractor",
                    rate=Rate(amount=Decimal("25001"), per="day"))
    assert hourly_rate(person, 8) == Decimal("3125.13")
    assert hourly_rate(person.model_copy(update={"rate": None})) == Decimal(0)


def test_split_hours_sums_exactly() -> None:
    parts = split_hours(Decimal("10"), [Decimal(1) / 3] * 3)
    assert parts == [Decimal("3.5"), Decimal("3.5"), Decimal("3")]
    assert sum(parts) == Decimal("10")


@pytest.mark.parametrize(("effort", "shares", "expected"), [
    ("9.5", ["0.75", "0.25"], ["7", "2.5"]),  # half hours, by the largest remainder
    ("2", ["0.9", "0.05", "0.05"], ["1", "0.5", "0.5"]),  # everyone gets a half hour
    ("1", ["0.9", "0.05", "0.05"], ["1", "0", "0"]),  # too few half hours for all
    ("3.33", ["0.5", "0.5"], ["1.67", "1.66"]),  # an effort set in hundredths stays so
])
def test_split_hours_in_half_hours(effort: str, shares: list[str],
                                   expected: list[str]) -> None:
    parts = split_hours(Decimal(effort), [Decimal(s) for s in shares])
    assert parts == [Decimal(e) for e in expected]
    assert sum(parts) == Decimal(effort)


def test_totals_vat_on_top(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    project.budget.contingency_percent = Decimal("10")
    lines = [_line("a", "3.33", "3125.13"), _line("a", "1.5", "3000"), _line("b", "0.25", "0.1")]
    s = summarize(project, lines, [("a", "A"), ("b", "B")])
    assert [ln.cost for ln in lines] == [Decimal("10406.68"), Decimal("4500.00"),
                                         Decimal("0.03")]
    assert s.phases[0].cost == Decimal("14906.68") and s.phases[1].cost == Decimal("0.03")
    assert s.work == Decimal("14906.71")
    # the net is whole (16 397,38 priced as 16 397): the contingency gives the kopecks way
    assert s.contingency == Decimal("1490.29")
    assert s.net == Decimal("16397")
    assert s.vat == Decimal("3607.34")                 # 22 % of the whole net, to the kopeck
    assert s.total == Decimal("20004.34")


def test_vat_is_charged_on_the_whole_net(tmp_path: Path) -> None:
    """A consultant rounds the net to whole units, charges VAT on it and adds the two
    (round 12: GBP 81,769 + 16,353 = 98,122 printed a VAT a pound short of 20 % of the
    net, because VAT was charged on 81,768.53); without a contingency the net is the
    work rounded, and the contingency stays zero."""
    project = small_project(tmp_path)
    project.project.vat_rate = Decimal("20")
    project.budget.contingency_percent = Decimal("10")
    s = summarize(project, [_line("a", "1", "74335.03")], [("a", "A")])
    assert s.net == Decimal("81769") and s.contingency == Decimal("7433.97")
    assert s.vat == Decimal("16353.80") and s.total == Decimal("98122.80")
    whole = [x.quantize(Decimal(1), rounding="ROUND_HALF_UP") for x in (s.net, s.vat, s.total)]
    assert whole == [81769, 16354, 98123] and whole[0] + whole[1] == whole[2]
    project.budget.contingency_percent = Decimal("0")
    s = summarize(project, [_line("a", "1", "74335.53")], [("a", "A")])
    assert s.contingency == 0 and s.net == Decimal("74336") and s.vat == Decimal("14867.20")


def test_totals_vat_inside(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    project.project.prices_include_vat = True
    s = summarize(project, [_line("a", "10", "1220")], [("a", "A")])
    assert s.total == s.net == Decimal("12200.00")
    assert s.vat == Decimal("2200.00")                 # 12200 × 22 / 122
    assert s.compared == s.total


def test_limit_compared_net_of_vat(tmp_path: Path) -> None:
    project = small_project(tmp_path, limit=10000, fixed="scope, budget")
    s = summarize(project, [_line("a", "4", "3000")], [("a", "A")])
    assert s.over_limit == Decimal("2000.00")
    warnings = triangle_warnings(project, s, date(2026, 3, 10))
    assert [w.corner for w in warnings] == ["budget"]


def test_plan_costs_add_up(tmp_path: Path) -> None:
    plan = build_plan(small_project(tmp_path))
    c = plan.costs
    assert c.work == sum(p.cost for p in c.phases)
    assert c.hours == sum(t.effort_hours for t in plan.tasks)
    assert c.total == c.net + c.vat
    assert all(v.as_tuple().exponent >= -2 for v in (c.work, c.vat, c.total))
