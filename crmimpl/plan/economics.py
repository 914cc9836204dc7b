"""Vendor selection and total cost of ownership (TCO) over a horizon of years.

Everything is exact :class:`~decimal.Decimal` arithmetic; amounts that involve a share or a
division are rounded to cents (half up), and the workbook's formulas round at the same
places, so LibreOffice gives the same numbers.

Rules, stated once (METHODOLOGY.md, "Before the project"):

* **Subscription (SaaS)**: users × price per user per month × 12 per year.
* **Perpetual licence**: first seat + (users − 1) × each further seat (+ users × the
  platform licence, + the server licences), paid in month 1.
* **Major updates**: the period P is ``update_every_years × 12`` months; an update is paid
  when the licences' age reaches k·P (k ≥ 1) strictly inside the horizon of 12·N months,
  in month k·P + 1. Count = ⌊(12N − 1) / P⌋: none in 2 years with P = 24, one in 3 years
  with P = 18 (month 19), two in 4 years with P = 18 (months 19 and 37).
  An update costs ``major_update_price`` or ``round(major_update_share × licences, 2)``.
* **Infrastructure and vendor support**: per year, paid at the start of each year.
* **The contractor's support package** (the proposed candidate only): ROUND(monthly hours ×
  rate, 2) in each month it runs, from the month after launch (horizon month
  ``package_from``) for ``support.months`` months, or to the end of the horizon when the
  package is open-ended; a year's support line adds the package months falling in it.
* **Connectors and implementation**: one-off, paid in month 1.

Benefits and return on investment (conservative by design):

* A benefit line is a relative revenue uplift (``uplift_percent``, or the relative change of
  the referenced goal's KPI) or a direct ``annual_saving``.
* Monthly benefit = round(annual revenue × uplift% × margin% × attribution% / 12, 2), or
  round(annual saving × attribution% / 12, 2). Only the margin of extra revenue counts, and
  only the attributed share (50% unless stated).
* Benefits start in ``benefit_from_month`` of the horizon: by default the month after the
  project's deadline month (month 7 without a deadline), with no benefit before.
* ROI = (benefit − TCO) / TCO over the horizon, rounded to 4 places; the payback month is
  the first month whose cumulative benefit covers the cumulative cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from crmimpl.errors import CrmimplError
from crmimpl.i18n import DASH, amount, number, without_note
from crmimpl.model.project import Candidate, Economics, PerpetualLicensing, Project, Revenue

CENT = Decimal("0.01")
LicensingKind = Literal["saas", "perpetual"]
COST_LINES = (
    "subscription", "licences", "updates", "infrastructure", "connectors", "implementation",
    "support",
)
DEFAULT_BENEFIT_MONTH = 7


def round2(value: Decimal) -> Decimal:
    """Round to cents, half away from zero (as the spreadsheet's ROUND does)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# ------------------------------------------------------------------ cost rules
def saas_cost(users: int, per_user_month: Decimal, years: int) -> Decimal:
    """Subscription over the horizon: users × price per user per month × 12 × years."""
    return users * per_user_month * 12 * years


def licence_cost(users: int, first: Decimal, further: Decimal) -> Decimal:
    """Perpetual licences for all users: the first seat plus each further seat."""
    return first + (users - 1) * further


def update_count(years: int, every_months: int) -> int:
    """Major updates paid within ``years``: ⌊(12·years − 1) / period⌋."""
    return (12 * years - 1) // every_months


def updates_in_year(year: int, every_months: int) -> int:
    """Major updates paid in horizon year ``year`` (1-based)."""
    return (12 * year - 1) // every_months - max(0, (12 * year - 13) // every_months)


def update_price(lic: PerpetualLicensing, users: int) -> Decimal:
    """Price of one major update for all seats."""
    if lic.major_update_price is not None:
        return lic.major_update_price
    share = lic.major_update_share or Decimal(0)
    return round2(share * licence_cost(users, lic.first_licence, lic.further_licence))


# ------------------------------------------------------------------ offers
@dataclass(frozen=True)
class Offer:
    """One candidate under one licensing, with its costs per year and per month."""

    candidate: Candidate
    licensing: LicensingKind
    users: int
    years: int
    inputs: dict[str, Decimal]
    lines: dict[str, tuple[Decimal, ...]]

    @property
    def key(self) -> str:
        """``candidate-id/licensing``."""
        return f"{self.candidate.id}/{self.licensing}"

    @property
    def total(self) -> Decimal:
        """TCO over the horizon."""
        return sum((sum(v, Decimal(0)) for v in self.lines.values()), Decimal(0))

    def year_total(self, year: int) -> Decimal:
        """All costs of horizon year ``year`` (1-based)."""
        return sum((v[year - 1] for v in self.lines.values()), Decimal(0))

    def monthly_costs(self) -> list[Decimal]:
        """Cost paid in each month of the horizon (annual items at each year's start)."""
        inp = self.inputs
        months = [Decimal(0)] * (12 * self.years)
        months[0] += inp["licences"] + inp["connectors"] + inp["implementation"]
        first, count = int(inp["package_from"]), int(inp["package_months"])
        for m in range(12 * self.years):
            months[m] += self.users * inp["per_user_month"]
            if first <= m + 1 < first + count:
                months[m] += inp["package_month"]
            if m % 12 == 0:
                months[m] += inp["infrastructure_per_year"] + inp["support_per_year"]
            period = int(inp["update_every_months"])
            if period and m > 0 and m % period == 0:
                months[m] += inp["update_price"]
        return months


@dataclass(frozen=True)
class SupportPackage:
    """The contractor's support package in the horizon: its monthly cost, the horizon month
    it starts in (1-based) and the number of months it runs inside the horizon."""

    month_cost: Decimal
    first_month: int
    months: int

    @property
    def total(self) -> Decimal:
        """The package's cost inside the horizon."""
        return self.months * self.month_cost


def package_months_in_year(package: SupportPackage, year: int) -> int:
    """Months of the package falling in horizon year ``year`` (1-based)."""
    start = max(12 * (year - 1) + 1, package.first_month)
    end = min(12 * year, package.first_month + package.months - 1)
    return max(0, end - start + 1)


def build_offer(
    cand: Candidate, kind: LicensingKind, users: int, years: int, implementation: Decimal,
    package: SupportPackage | None = None,
) -> Offer:
    """Cost lines of a candidate under one licensing over ``years`` (with the contractor's
    support package when given)."""
    inputs = _offer_inputs(cand, kind, users, implementation)
    if package is not None and package.months and package.month_cost:
        inputs.update(package_month=package.month_cost,
                      package_from=Decimal(package.first_month),
                      package_months=Decimal(package.months))
    period = int(inputs["update_every_months"])
    lines: dict[str, tuple[Decimal, ...]] = {}
    for name in COST_LINES:
        lines[name] = tuple(_line_in_year(name, y, inputs, users, period)
                            for y in range(1, years + 1))
    return Offer(cand, kind, users, years, inputs, lines)


def _offer_inputs(
    cand: Candidate, kind: LicensingKind, users: int, implementation: Decimal
) -> dict[str, Decimal]:
    zero = Decimal(0)
    inputs = {
        "per_user_month": zero, "first_licence": zero, "further_licence": zero,
        "licences": zero, "update_price": zero, "update_every_months": zero,
        "infrastructure_per_year": cand.infrastructure_per_year,
        "connectors": cand.connectors, "implementation": implementation,
        "support_per_year": cand.support_per_year,
        "package_month": zero, "package_from": Decimal(1), "package_months": zero,
    }
    block = cand.saas if kind == "saas" else cand.perpetual
    assert block is not None
    if block.infrastructure_per_year is not None:
        inputs["infrastructure_per_year"] = block.infrastructure_per_year
    if cand.saas is not None and kind == "saas":
        inputs["per_user_month"] = cand.saas.per_user_month
    if cand.perpetual is not None and kind == "perpetual":
        lic = cand.perpetual
        inputs["first_licence"] = lic.first_licence
        inputs["further_licence"] = lic.further_licence
        inputs["licences"] = (licence_cost(users, lic.first_licence, lic.further_licence)
                              + users * (lic.platform_licence or Decimal(0))
                              + (lic.server_licences or Decimal(0)))
        inputs["update_price"] = update_price(lic, users)
        inputs["update_every_months"] = Decimal(lic.update_every_months)
    return inputs


def _line_in_year(
    name: str, year: int, inputs: dict[str, Decimal], users: int, period: int
) -> Decimal:
    first = year == 1
    zero = Decimal(0)
    if name == "subscription":
        return users * inputs["per_user_month"] * 12
    if name == "updates":
        return updates_in_year(year, period) * inputs["update_price"] if period else zero
    if name == "infrastructure":
        return inputs["infrastructure_per_year"]
    if name == "support":
        package = SupportPackage(inputs["package_month"], int(inputs["package_from"]),
                                 int(inputs["package_months"]))
        return inputs["support_per_year"] + package_months_in_year(
            package, year) * package.month_cost
    return inputs[name] if first else zero


# ------------------------------------------------------------------ selection
@dataclass(frozen=True)
class CandidateScore:
    """A candidate's weighted score and rank (1 is best; ties share a rank; None for an
    excluded candidate, which is scored but not ranked)."""

    candidate: Candidate
    weighted_total: Decimal
    score5: Decimal
    rank: int | None


def selection(econ: Economics) -> list[CandidateScore]:
    """Weighted selection scores in candidate order.

    weighted total = Σ weight × score; score out of 5 = round(total / Σ weight, 2); rank = 1 +
    the number of candidates not excluded with a strictly higher total (the spreadsheet's
    rank formula); an excluded candidate (``excluded``) has no rank.
    """
    if not econ.criteria:
        return []
    weights = sum((c.weight for c in econ.criteria), Decimal(0))
    totals = {
        cand.id: sum((c.weight * c.scores[cand.id] for c in econ.criteria), Decimal(0))
        for cand in econ.candidates
    }
    ranked = [totals[c.id] for c in econ.candidates if c.excluded is None]
    return [
        CandidateScore(cand, totals[cand.id], round2(totals[cand.id] / weights),
                       None if cand.excluded is not None
                       else 1 + sum(1 for t in ranked if t > totals[cand.id]))
        for cand in econ.candidates
    ]


# ------------------------------------------------------------------ benefits and ROI
@dataclass(frozen=True)
class BenefitRow:
    """One benefit line with the figures used and its monthly amount."""

    id: str
    goal: str | None
    uplift_percent: Decimal | None
    annual_saving: Decimal | None
    attribution_percent: Decimal
    monthly: Decimal


@dataclass(frozen=True)
class OfferReturn:
    """Return on investment of one offer over the horizon."""

    offer: Offer
    benefit: Decimal
    roi: Decimal | None
    payback_month: int | None


def kpi_uplift(baseline: float, target: float) -> Decimal:
    """Relative KPI change in percent, rounded to 0.01: (target − baseline) / baseline."""
    base = Decimal(str(baseline))
    return round2((Decimal(str(target)) - base) / base * 100)


def benefit_rows(project: Project, revenue: Revenue) -> list[BenefitRow]:
    """Monthly benefit of each line (see the module docstring for the formula)."""
    goals = {g.id: g for g in project.goals}
    rows = []
    for line in revenue.benefits:
        attr = line.attribution_percent
        if line.annual_saving is not None:
            monthly = round2(line.annual_saving * attr / 100 / 12)
            rows.append(BenefitRow(line.id, line.goal, None, line.annual_saving, attr, monthly))
            continue
        uplift = line.uplift_percent
        if uplift is None:
            kpi = goals[line.goal or ""].kpi
            uplift = kpi_uplift(kpi.baseline, kpi.target)
        annual = revenue.annual_revenue or Decimal(0)
        monthly = round2(annual * uplift * revenue.margin_percent * attr / 1_000_000 / 12)
        rows.append(BenefitRow(line.id, line.goal, uplift, None, attr, monthly))
    return rows


def benefit_start_month(project: Project, revenue: Revenue) -> int:
    """Horizon month from which benefits count (1 = the project's start month)."""
    if revenue.benefit_from_month is not None:
        return revenue.benefit_from_month
    start, deadline = project.project.start, project.project.deadline
    if deadline is None:
        return DEFAULT_BENEFIT_MONTH
    return (deadline.year - start.year) * 12 + deadline.month - start.month + 2


def offer_return(offer: Offer, monthly_benefit: Decimal, from_month: int) -> OfferReturn:
    """Benefit, ROI and payback month of an offer."""
    cumulative = Decimal(0)
    payback: int | None = None
    benefit = Decimal(0)
    for index, cost in enumerate(offer.monthly_costs()):
        gain = monthly_benefit if index + 1 >= from_month else Decimal(0)
        benefit += gain
        cumulative += gain - cost
        if payback is None and cumulative >= 0:
            payback = index + 1
    tco = offer.total
    roi = ((benefit - tco) / tco).quantize(Decimal("0.0001"), ROUND_HALF_UP) if tco else None
    return OfferReturn(offer, benefit, roi, payback)


# ------------------------------------------------------------------ whole analysis
@dataclass(frozen=True)
class EconomicsResult:
    """Everything the TCO table and the selection workbook show."""

    project: Project
    economics: Economics
    users: int
    years: int
    offers: list[Offer]
    scores: list[CandidateScore]
    benefits: list[BenefitRow]
    benefit_from_month: int
    returns: list[OfferReturn]
    package: SupportPackage | None = None
    """The contractor's support package the proposed candidate carries."""
    labels_in: str | None = None
    """The language of the labels when not the project's (an English build's workbook)."""

    @property
    def language(self) -> str:
        """Language of labels."""
        return self.labels_in or self.project.project.language

    @property
    def ranked_offers(self) -> list[Offer]:
        """The offers of candidates not excluded: those compared and recommended."""
        return [o for o in self.offers if o.candidate.excluded is None]

    @property
    def monthly_benefit(self) -> Decimal:
        """Sum of the benefit lines per month."""
        return sum((b.monthly for b in self.benefits), Decimal(0))


def analyse(project: Project, plan: Any = None) -> EconomicsResult:
    """TCO of every candidate and licensing, selection scores and ROI of a project.

    The proposed candidate (``economics.proposed``) costs the plan's implementation and
    carries the plan's support package on top of its vendor support; ``plan`` is the
    run's plan (built here when omitted).

    Raises:
        CrmimplError: the project has no economics section, or no implementation cost.
    """
    econ = project.economics
    if econ is None:
        raise CrmimplError.single(
            str(project.source or "project.yaml"), "the project has no economics section",
            hint="add `economics:` with candidates (see examples/optima-distribution)",
        )
    users = econ.users or project.client.crm_users
    plan = plan if plan is not None else _plan(project, econ)
    package = support_package(project, plan, econ.years)
    offers = [
        build_offer(cand, kind, users, econ.years, implementation_cost(project, cand, plan),
                    package if cand.id == econ.proposed else None)
        for cand in econ.candidates
        for kind in ("saas", "perpetual")
        if getattr(cand, kind) is not None
    ]
    benefits: list[BenefitRow] = []
    start = DEFAULT_BENEFIT_MONTH
    returns: list[OfferReturn] = []
    if econ.revenue is not None:
        benefits = benefit_rows(project, econ.revenue)
        start = benefit_start_month(project, econ.revenue)
        monthly = sum((b.monthly for b in benefits), Decimal(0))
        # an excluded candidate is costed but not compared on return
        returns = [offer_return(o, monthly, start) for o in offers
                   if o.candidate.excluded is None]
    return EconomicsResult(project, econ, users, econ.years, offers, selection(econ),
                           benefits, start, returns,
                           package if econ.proposed is not None else None)


def implementation_cost(project: Project, cand: Candidate, plan: Any = None) -> Decimal:
    """The candidate's implementation cost: the plan's for the proposed candidate (and for
    any candidate without a figure of its own or a section default)."""
    econ = project.economics
    proposed = econ is not None and econ.proposed == cand.id
    if cand.implementation is not None and not proposed:
        return cand.implementation
    if econ is not None and econ.implementation is not None and not proposed:
        return econ.implementation
    plan = plan if plan is not None else _plan(project, econ)
    if plan is None:
        raise CrmimplError.single(
            str(project.source or "project.yaml"),
            f"no implementation cost for candidate '{cand.id}'",
            hint="add `implementation: <amount>` to the candidate or to economics",
        )
    return plan_cost(plan)


def support_package(project: Project, plan: Any, years: int) -> SupportPackage | None:
    """The contractor's support package inside a horizon of ``years`` (None without a plan
    or a package): from the month after launch, for ``support.months`` months or to the
    horizon's end."""
    if plan is None or not plan.costs.support_month:
        return None
    start, launch = project.project.start, plan.launch
    first = (launch.year - start.year) * 12 + launch.month - start.month + 2
    left = max(0, 12 * years - first + 1)
    months = left if project.support.months is None else min(project.support.months, left)
    return SupportPackage(plan.costs.support_month, first, months)


def _plan(project: Project, econ: Economics | None) -> Any:
    """The plan, when a figure needs it (None without the plan module)."""
    import importlib

    if econ is not None and econ.proposed is None and econ.implementation is not None:
        return None
    if econ is not None and econ.proposed is None and all(
            c.implementation is not None for c in econ.candidates):
        return None
    try:
        plan_module = importlib.import_module("crmimpl.plan.builder")
    except ModuleNotFoundError as exc:
        if exc.name != "crmimpl.plan.builder":
            raise
        return None
    return plan_module.build_plan(project)


def plan_cost(plan: Any) -> Decimal:
    """Cost of the implementation plan (net, or gross when prices include VAT): the figure
    :mod:`crmimpl.plan.costs` holds against the budget, in the same terms as the rates."""
    return Decimal(plan.costs.compared)


# ------------------------------------------------------------------ labels
def text(group: str, key: str, lang: str) -> str:
    """Label from ``templates/economics.yaml`` (falls back to the key)."""
    from crmimpl.vocabulary import label

    return label(group, key, lang, source="economics.yaml")


def criterion_label(crit: Any, lang: str) -> str:
    """A criterion's name, or its kind's label (with the module for functional fit)."""
    from crmimpl.vocabulary import label

    if crit.name:
        return str(crit.name)
    name = text("criterion_kind", crit.kind, lang)
    if crit.module:
        name += ": " + label("module", crit.module, lang)
    return name


def offer_label(offer: Offer, lang: str, names: dict[str, str] | None = None) -> str:
    """``Name — licensing`` for tables and sheet headers (with the short names of
    :func:`short_names` when given)."""
    name = (names or {}).get(offer.candidate.id, offer.candidate.name)
    return f"{name} — {text('licensing', offer.licensing, lang)}"


def short_names(econ: Economics) -> dict[str, str]:
    """Each candidate's name after its first mention: ``short_name``, else the name without
    a trailing parenthesis («Вектор CRM (отраслевое решение для банков)» → «Вектор CRM»);
    the full name where two candidates would share a short one."""
    short = {c.id: c.short_name or without_note(c.name) for c in econ.candidates}
    seen = list(short.values())
    return {c.id: short[c.id] if seen.count(short[c.id]) == 1 else c.name
            for c in econ.candidates}


# ------------------------------------------------------------------ terminal table
def tco_table(result: EconomicsResult) -> str:
    """A plain-text table: TCO per year and in total, score, rank, ROI and payback."""
    lang = result.language
    scores = {s.candidate.id: s for s in result.scores}
    returns = {r.offer.key: r for r in result.returns}
    head = [text("text", "candidate", lang),
            *[f"{text('text', 'year', lang)} {y}" for y in range(1, result.years + 1)],
            text("text", "total", lang)]
    if scores:
        head += [text("text", "score5", lang), text("text", "rank", lang)]
    if returns:
        head += [text("text", "roi", lang), text("text", "payback_month", lang)]
    rows = [head]
    for offer in result.offers:
        row = [offer_label(offer, lang),
               *[amount(offer.year_total(y), lang) for y in range(1, result.years + 1)],
               amount(offer.total, lang)]
        if scores:
            score = scores[offer.candidate.id]
            row += [_decimal(score.score5, lang),
                    DASH if score.rank is None else str(score.rank)]
        if returns:
            ret = returns.get(offer.key)
            if ret is None:
                row += [DASH, DASH]
            else:
                row += [DASH if ret.roi is None else _decimal(ret.roi * 100, lang) + "%",
                        str(ret.payback_month) if ret.payback_month
                        else text("text", "never", lang)]
        rows.append(row)
    table = _align(rows, result)
    excluded = [c for c in result.economics.candidates if c.excluded is not None]
    notes = [f"{text('text', 'excluded', lang)}: {c.name} — {str(c.excluded).strip()}"
             for c in excluded]
    return "\n".join([table, *notes])


def _decimal(value: Decimal, lang: str) -> str:
    return number(value, lang, decimals=2, group=False)


def _align(rows: list[list[str]], result: EconomicsResult) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:],
                                                                          strict=True)]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    info = result.project.project
    lines.append(f"{text('text', 'users', result.language)}: {result.users}; "
                 f"{text('text', 'years', result.language)}: {result.years}; {info.currency}")
    return "\n".join(lines)


def benefit_name(project: Project, line: Any, lang: str) -> str:
    """What a benefit line is, as the documents and the selection workbook name it: a
    saving by its note, else by the goal whose KPI brings it about; a revenue uplift by
    its goal, else by its note."""
    revenue = project.economics.revenue if project.economics else None
    notes = {b.id: b.note for b in revenue.benefits} if revenue else {}
    goal = next((g for g in project.goals if g.id == line.goal), None)
    by_goal = f"{goal.id}: {goal.kpi.metric}" if goal is not None else None
    ru = lang == "ru"
    if line.annual_saving is not None:
        return notes.get(line.id) or by_goal or ("Прямая экономия" if ru else "Direct saving")
    return by_goal or notes.get(line.id) or ("Рост выручки" if ru else "Revenue growth")
