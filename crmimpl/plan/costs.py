"""Costs of a plan: effort × rate, per phase, contingency, VAT, total, budget check.

All money is :class:`~decimal.Decimal`, exact to the kopeck, and every rounding is the
one the estimate workbook's formulas make, so LibreOffice recalculates to the same
numbers:

* hourly rate: the person's rate per hour, or the day rate / ``plan.hours_per_day``,
  rounded to 0.01 (``ROUND(rate, 2)``);
* line cost: ``ROUND(hours × rate, 2)``; hours have at most two decimals;
* work total: the sum of line costs;
* net in whole currency units, as a consultant prices the work: ``ROUND(work +
  ROUND(work × pct / 100, 2), 0)``, the contingency being what it adds to the work (its
  percentage of the work, give or take the pennies that make the net whole; none without
  a contingency, the net then the work rounded), or an express package's fixed
  ``budget.package_price`` (then ``work`` is what the package's hours cost at the rates,
  shown beside it);
* VAT from that net: on top ``ROUND(net × vat / 100, 2)`` and total = net + VAT, or,
  when prices include VAT, VAT inside ``ROUND(net × vat / (100 + vat), 2)`` and total =
  net. A document that states whole units rounds each of them and they still add up
  (81,769 + 16,354 = 98,123, where VAT on the unrounded net 81,768.53 made the whole
  figures 81,769 + 16,353 = 98,122).

The budget limit is read in the same terms as the rates: net of VAT unless
``prices_include_vat`` (then gross).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from crmimpl.i18n import plain_money
from crmimpl.model.project import Person, Project

CENT = Decimal("0.01")
UNIT = Decimal(1)
ZERO = Decimal(0)


def money(value: Decimal) -> Decimal:
    """Round to the kopeck, halves away from zero (as spreadsheet ROUND does)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def hourly_rate(person: Person, hours_per_day: int = 8) -> Decimal:
    """A person's rate per hour to the kopeck (zero for people without a rate)."""
    if person.rate is None:
        return ZERO
    if person.rate.per == "day":
        return money(person.rate.amount / hours_per_day)
    return money(person.rate.amount)


@dataclass(frozen=True)
class CostLine:
    """One person's work on one task."""

    phase_id: str
    task_id: str
    task_name: str
    role: str
    person_id: str
    person_name: str
    hours: Decimal
    rate: Decimal

    @property
    def cost(self) -> Decimal:
        """``ROUND(hours × rate, 2)``."""
        return money(self.hours * self.rate)


@dataclass(frozen=True)
class PhaseCost:
    """Subtotal of a phase."""

    phase_id: str
    name: str
    hours: Decimal
    cost: Decimal


@dataclass(frozen=True)
class PlanWarning:
    """Something the consultant should look at; ``corner`` names a broken fixed corner."""

    code: str
    message: str
    corner: str | None = None


@dataclass
class CostSummary:
    """Every money figure of the estimate."""

    lines: list[CostLine]
    phases: list[PhaseCost]
    hours: Decimal
    work: Decimal
    contingency_percent: Decimal
    contingency: Decimal
    net: Decimal
    vat_rate: Decimal
    vat: Decimal
    total: Decimal
    prices_include_vat: bool
    currency: str
    limit: Decimal
    fixed: list[str] = field(default_factory=list)
    # the support package after launch (support.monthly_hours at the support rate)
    support_monthly_hours: Decimal = ZERO
    support_rate: Decimal = ZERO
    support_months: int | None = None
    """Months the support package runs after launch (None: for as long as the CRM is used)."""
    contractor_hours: Decimal = ZERO
    """Hours of the contractor's people: the work the client pays for (``hours`` also
    counts the client's own staff, key users and managers, at their rates, often 0)."""
    package_price: Decimal | None = None
    """An express package's fixed price: then ``net`` is this price, not the work."""

    @property
    def has_package(self) -> bool:
        """The client pays a fixed package price (phase costs are internal)."""
        return self.package_price is not None

    @property
    def support_year(self) -> Decimal:
        """The support package for a year: ``ROUND(monthly hours × 12 × rate, 2)``."""
        return money(self.support_monthly_hours * 12 * self.support_rate)

    @property
    def support_month(self) -> Decimal:
        """The support package for a month: ``ROUND(monthly hours × rate, 2)``; the cost of
        ownership charges it month by month from the month after launch."""
        return money(self.support_monthly_hours * self.support_rate)

    @property
    def support_package(self) -> Decimal | None:
        """The whole support package when it runs a fixed number of months (the months ×
        the monthly cost); None when it runs for as long as the CRM is used."""
        if self.support_months is None:
            return None
        return self.support_months * self.support_month

    @property
    def compared(self) -> Decimal:
        """The figure held against the limit (net, or gross when prices include VAT)."""
        return self.total if self.prices_include_vat else self.net

    @property
    def over_limit(self) -> Decimal:
        """How much the plan exceeds the budget limit (0 when within)."""
        return max(self.compared - self.limit, ZERO)

    def by_person(self) -> dict[str, tuple[Decimal, Decimal]]:
        """Hours and cost per person id, in first-appearance order."""
        out: dict[str, tuple[Decimal, Decimal]] = {}
        for line in self.lines:
            hours, cost = out.get(line.person_id, (ZERO, ZERO))
            out[line.person_id] = (hours + line.hours, cost + line.cost)
        return out


def summarize(project: Project, lines: list[CostLine],
              phases: list[tuple[str, str]]) -> CostSummary:
    """Subtotals per phase (in the order of ``phases``: id, name) and the totals."""
    info = project.project
    contractor = {p.id for p in project.team if p.side == "contractor"}
    phase_costs = []
    for phase_id, name in phases:
        mine = [ln for ln in lines if ln.phase_id == phase_id]
        phase_costs.append(PhaseCost(phase_id, name, sum((ln.hours for ln in mine), ZERO),
                                     sum((ln.cost for ln in mine), ZERO)))
    work = sum((ln.cost for ln in lines), ZERO)
    pct = project.budget.contingency_percent
    package = project.budget.package_price
    if package is not None:  # a fixed price: no contingency, the price is the net
        pct, contingency, net = ZERO, ZERO, money(package)
    else:
        net = (work + money(work * pct / 100)).quantize(UNIT, rounding=ROUND_HALF_UP)
        contingency = net - work if pct else ZERO
    if info.prices_include_vat:
        vat = money(net * info.vat_rate / (100 + info.vat_rate))
        total = net
    else:
        vat = money(net * info.vat_rate / 100)
        total = net + vat
    return CostSummary(
        lines=lines, phases=phase_costs, hours=sum((ln.hours for ln in lines), ZERO),
        work=work, contingency_percent=pct, contingency=contingency, net=net,
        vat_rate=info.vat_rate, vat=vat, total=total,
        prices_include_vat=info.prices_include_vat, currency=info.currency,
        limit=project.budget.limit, fixed=list(project.budget.fixed),
        support_monthly_hours=Decimal(str(project.support.monthly_hours)),
        support_rate=support_rate(project),
        support_months=project.support.months,
        contractor_hours=sum((ln.hours for ln in lines if ln.person_id in contractor), ZERO),
        package_price=money(package) if package is not None else None,
    )


def support_rate(project: Project) -> Decimal:
    """Hourly rate of the contractor's support: the support role, else a consultant, else
    the project manager (0 when none of them has a rate)."""
    for role in ("support", "consultant", "project_manager"):
        people = [p for p in project.people_with(role) if p.side == "contractor"]
        if people:
            return hourly_rate(people[0], project.plan.hours_per_day)
    return ZERO


def triangle_warnings(project: Project, costs: CostSummary, launch: date) -> list[PlanWarning]:
    """Warnings when the plan breaks the budget limit or the deadline.

    A broken *fixed* corner of the triangle is named in ``corner``; a corner that is not
    fixed still gets a softer warning (the client has said it may move).
    """
    out: list[PlanWarning] = []
    fixed = set(project.budget.fixed)
    cur = costs.currency
    if costs.over_limit > 0:
        what = "net of VAT" if not costs.prices_include_vat else "with VAT"
        text = (f"the plan costs {plain_money(costs.compared)} {cur} {what}, "
                f"{plain_money(costs.over_limit)} {cur} over the budget limit of "
                f"{plain_money(costs.limit)} {cur}")
        if "budget" in fixed:
            out.append(PlanWarning("budget", "budget is fixed but " + text +
                                   ": cut scope or renegotiate", "budget"))
        else:
            out.append(PlanWarning("budget", text))
    deadline = project.project.deadline
    if deadline is not None and launch > deadline:
        text = (f"the plan reaches acceptance on {launch.isoformat()}, "
                f"after the deadline {deadline.isoformat()}")
        if "time" in fixed:
            out.append(PlanWarning("deadline", "time is fixed but " + text +
                                   ": cut scope or add people", "time"))
        else:
            out.append(PlanWarning("deadline", text))
    return out


