"""Vendor selection, total cost of ownership and ROI: rules, workbook, CLI."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from crmimpl.model.project import load_project
from crmimpl.plan.economics import (
    EconomicsResult,
    analyse,
    licence_cost,
    saas_cost,
    update_count,
    updates_in_year,
)
from tests.conftest import EXAMPLES, soffice_convert
from tests.helpers import run_cli

BASE = EXAMPLES / "kreativ-agency" / "project.yaml"

# The worked example of METHODOLOGY.md: 10 users, 2 years.
KNOWN = """
economics:
  years: 2
  users: 10
  implementation: 0
  candidates:
    - id: cloud
      name: "=HYPERLINK(\\"http://x\\")"
      delivery: cloud
      developer_country: RU
      support_languages: [ru]
      saas: {per_user_month: 800}
    - id: box
      name: Box CRM
      delivery: on_premise
      developer_country: RU
      support_languages: [ru]
      perpetual: {first_licence: 11000, further_licence: 9700, major_update_share: 0.3,
                  update_every_years: 2}
"""

SELECTION = """
  criteria:
    - {id: fit, kind: functional_fit, module: sales_pipeline, weight: 3,
       scores: {a: 5, b: 4, c: 2}}
    - {id: price, kind: price, weight: 1, scores: {a: 1, b: 4, c: 5}}
"""

ROI = """
  revenue:
    annual_revenue: 1200000
    margin_percent: 25
    benefit_from_month: 4
    benefits:
      - {id: uplift, uplift_percent: 10, attribution_percent: 40}
      - {id: saving, annual_saving: 24000, attribution_percent: 50}
"""


def _project(tmp_path: Path, section: str) -> Path:
    folder = tmp_path / "proj"
    folder.mkdir()
    text = BASE.read_text(encoding="utf-8").rstrip("\n") + "\n" + section
    (folder / "project.yaml").write_text(text, encoding="utf-8")
    return folder


def _candidates(*ids: str, licensing: str = "saas: {per_user_month: 100}") -> str:
    out = "economics:\n  years: 2\n  implementation: 1000\n  candidates:\n"
    for cid in ids:
        out += (f"    - {{id: {cid}, name: {cid.upper()}, delivery: both, developer_country: RU,"
                f" support_languages: [ru], {licensing}}}\n")
    return out


# ------------------------------------------------------------------ cost rules
def test_known_example_by_the_rules() -> None:
    assert saas_cost(10, Decimal(800), 2) == Decimal(192_000)
    assert licence_cost(10, Decimal(11_000), Decimal(9_700)) == Decimal(98_300)
    assert update_count(2, 24) == 0


def test_known_example_through_a_project(tmp_path: Path) -> None:
    result = analyse(load_project(_project(tmp_path, KNOWN)))
    totals = {o.key: o.total for o in result.offers}
    assert totals == {"cloud/saas": Decimal(192_000), "box/perpetual": Decimal(98_300)}
    box = result.offers[1]
    assert box.lines["updates"] == (Decimal(0), Decimal(0))
    assert sum(box.monthly_costs()) == box.total


@pytest.mark.parametrize(
    ("years", "period", "count"),
    [(2, 24, 0), (3, 24, 1), (3, 18, 1), (4, 18, 2), (2, 12, 1), (3, 12, 2), (1, 12, 0),
     (5, 21, 2), (10, 18, 6)],
)
def test_update_count(years: int, period: int, count: int) -> None:
    assert update_count(years, period) == count
    assert sum(updates_in_year(y, period) for y in range(1, years + 1)) == count


def test_updates_every_one_and_a_half_years_fall_in_year_two(tmp_path: Path) -> None:
    section = KNOWN.replace("years: 2\n", "years: 3\n", 1).replace(
        "update_every_years: 2", "update_every_years: 1.5")
    box = analyse(load_project(_project(tmp_path, section))).offers[1]
    update = Decimal("29490.00")  # round(0.3 × 98,300, 2)
    assert box.lines["updates"] == (Decimal(0), update, Decimal(0))
    assert box.total == Decimal(98_300) + update
    months = box.monthly_costs()
    assert months[18] == update and sum(months) == box.total  # paid in month 19


# ------------------------------------------------------------------ selection and ROI
def test_selection_ranking_by_hand(tmp_path: Path) -> None:
    result = analyse(load_project(_project(tmp_path, _candidates("a", "b", "c") + SELECTION)))
    got = {s.candidate.id: (s.weighted_total, s.score5, s.rank) for s in result.scores}
    # a: 3×5 + 1×1 = 16, b: 3×4 + 1×4 = 16, c: 3×2 + 1×5 = 11; weights sum to 4
    assert got == {"a": (16, Decimal("4.00"), 1), "b": (16, Decimal("4.00"), 1),
                   "c": (11, Decimal("2.75"), 3)}


def test_roi_by_hand(tmp_path: Path) -> None:
    result = analyse(load_project(_project(tmp_path, _candidates("a") + ROI)))
    # 1,200,000 × 10% × 25% × 40% / 12 = 1,000; 24,000 × 50% / 12 = 1,000
    assert [b.monthly for b in result.benefits] == [Decimal(1000), Decimal(1000)]
    ret = result.returns[0]
    tco = result.users * 100 * 24 + 1000  # users default to client.crm_users
    assert ret.offer.total == tco
    assert ret.benefit == 2000 * 21  # months 4..24
    assert ret.roi == ((Decimal(42_000) - tco) / tco).quantize(Decimal("0.0001"))
    cumulative, payback = Decimal(0), None
    for month, cost in enumerate(ret.offer.monthly_costs(), start=1):
        cumulative += (2000 if month >= 4 else 0) - cost
        if payback is None and cumulative >= 0:
            payback = month
    assert ret.payback_month == payback


def test_implementation_defaults_to_the_plan(tmp_path: Path) -> None:
    from crmimpl.plan.builder import build_plan
    from crmimpl.plan.economics import plan_cost

    section = _candidates("a").replace("  implementation: 1000\n", "")
    project = load_project(_project(tmp_path, section))
    cost = plan_cost(build_plan(project))
    assert analyse(project).offers[0].inputs["implementation"] == cost


# ------------------------------------------------------------------ workbook
def _assert_workbook_matches(result: EconomicsResult, tmp_path: Path, soffice: str) -> None:
    from openpyxl import load_workbook

    from crmimpl.render.selection_workbook import build_workbook, write_selection_workbook

    src = write_selection_workbook(result, tmp_path / "wb" / "selection.xlsx")
    recalculated = soffice_convert(soffice, src, "xlsx", tmp_path / "lo")
    book = load_workbook(recalculated, data_only=True)
    _, anchors = build_workbook(result)

    def value(key: str) -> object:
        sheet, cell = anchors.cells[key].rsplit("!", 1)
        return book[sheet.strip("'").replace("''", "'")][cell.replace("$", "")].value

    def money(key: str) -> Decimal:
        raw = value(key)
        assert isinstance(raw, int | float), (key, raw)
        return Decimal(str(round(raw, 2)))

    for score in result.scores:
        cid = score.candidate.id
        assert money(f"score:{cid}") == score.weighted_total
        assert money(f"score5:{cid}") == score.score5
        excluded = "Excluded" if result.language == "en" else "Исключен"
        assert value(f"rank:{cid}") == (excluded if score.rank is None else score.rank)
    for offer in result.offers:
        for year in range(1, result.years + 1):
            assert money(f"tco:{offer.key}:{year}") == offer.year_total(year), offer.key
        assert money(f"tco:{offer.key}:total") == offer.total
    for ret in result.returns:
        key = ret.offer.key
        assert money(f"benefit:{key}") == ret.benefit
        assert Decimal(str(round(float(value(f"roi:{key}")), 4))) == ret.roi  # type: ignore[arg-type]
        never = "not within the horizon" if result.language == "en" else "не окупается"
        assert value(f"payback:{key}") == (ret.payback_month or never)
    assert len(result.offers) == len([k for k in anchors.cells if k.endswith(":total")])


@pytest.mark.office
@pytest.mark.parametrize("name", ["optima-distribution", "northwind-it", "volga-bank"])
def test_workbook_recalculated_by_libreoffice_equals_ours(
    name: str, tmp_path: Path, soffice: str
) -> None:
    _assert_workbook_matches(analyse(load_project(EXAMPLES / name)), tmp_path, soffice)


@pytest.mark.office
def test_workbook_with_updates_and_roi_equals_ours(tmp_path: Path, soffice: str) -> None:
    section = (KNOWN.replace("years: 2\n", "years: 4\n", 1)
               .replace("update_every_years: 2", "update_every_years: 1.5")
               .replace("implementation: 0", "implementation: 12345.67")
               .replace("name: Box CRM", "name: Box CRM\n      connectors: 999.99\n"
                        "      support_per_year: 1234.56\n      infrastructure_per_year: 0.01")
               ) + ROI.replace("annual_revenue: 1200000", "annual_revenue: 12345678.91")
    result = analyse(load_project(_project(tmp_path, section)))
    assert result.offers[1].lines["updates"][1] > 0
    _assert_workbook_matches(result, tmp_path, soffice)


def test_support_package_runs_its_months_from_the_month_after_launch() -> None:
    """optima's client asked for 20 h a month for the first half-year: the TCO charges six
    months of the package, in the year they fall in, and nothing after."""
    from crmimpl.plan.builder import build_plan
    from crmimpl.plan.economics import package_months_in_year, support_package

    project = load_project(EXAMPLES / "optima-distribution")
    assert project.support.months == 6
    plan = build_plan(project)
    result = analyse(project, plan)
    package = result.package
    assert package is not None and package.months == 6
    assert package == support_package(project, plan, 3)
    assert plan.costs.support_package == 6 * plan.costs.support_month
    launch = plan.launch
    assert package.first_month == (launch.year - 2026) * 12 + launch.month - 2 + 2
    offer = next(o for o in result.offers if o.candidate.id == project.economics.proposed)
    vendor = offer.candidate.support_per_year
    support = offer.lines["support"]
    assert support[0] == vendor + 6 * plan.costs.support_month
    assert support[1:] == (vendor, vendor)
    # the monthly cash flow charges the same months
    months = offer.monthly_costs()
    assert sum(months) == offer.total
    assert [package_months_in_year(package, y) for y in (1, 2, 3)] == [6, 0, 0]
    # the other candidates carry no package of the contractor
    assert all(o.inputs["package_months"] == 0 for o in result.offers if o is not offer)


def test_open_ended_support_package_is_cut_at_the_horizon() -> None:
    from crmimpl.plan.economics import SupportPackage, package_months_in_year

    package = SupportPackage(Decimal(100), 14, 23)  # from month 14 to the end of year 3
    assert [package_months_in_year(package, y) for y in (1, 2, 3)] == [0, 11, 12]
    assert package.total == Decimal(2300)


def test_client_text_is_never_a_formula(tmp_path: Path) -> None:
    from crmimpl.render.selection_workbook import build_workbook

    result = analyse(load_project(_project(tmp_path, KNOWN)))
    book, _ = build_workbook(result)
    name = '=HYPERLINK("http://x")'
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith(name)]
    assert cells and all(c.data_type == "s" for c in cells)


# ------------------------------------------------------------------ validation and CLI
BAD = """
economics:
  years: 2
  implementation: 0
  candidates:
    - id: one
      name: One
      delivery: cloud
      developer_country: RU
      support_languages: [ru]
      saas: {per_user_mnth: 800}
    - id: two
      name: Two
      delivery: cloud
      developer_country: RU
      support_languages: [ru]
  criteria:
    - id: fit
      kind: functional_fit
      module: complaints
      weight: 2
      scores: {one: 4, tow: 3}
"""


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def test_bad_economics_section_is_reported_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _project(tmp_path, BAD)
    path = folder / "project.yaml"
    result = run_cli(capsys, "validate", str(folder))
    assert result.code == 1
    assert "Traceback" not in result.err
    assert f"{path}:{_line_of(path, 'per_user_mnth')}:" in result.err
    assert "unknown key 'per_user_mnth'" in result.err
    assert "did you mean 'per_user_month'?" in result.err


def test_reference_problems_in_economics_are_reported_with_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _project(tmp_path, BAD.replace("{per_user_mnth: 800}", "{per_user_month: 800}"))
    path = folder / "project.yaml"
    err = run_cli(capsys, "validate", str(folder)).err
    assert f"{path}:{_line_of(path, '- id: two')}:" in err
    assert "candidate 'two' has no licensing" in err
    assert f"{path}:{_line_of(path, 'module: complaints')}:" in err
    assert "module 'complaints' is not in scope.modules" in err
    assert f"{path}:{_line_of(path, 'tow: 3')}:" in err
    assert "no candidate with id 'tow'" in err and "did you mean 'two'?" in err


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (_candidates("a", licensing="perpetual: {first_licence: 1, further_licence: 1}"),
         "give exactly one of major_update_share and major_update_price"),
        (_candidates("a", licensing="perpetual: {first_licence: 1, further_licence: 1, "
                     "major_update_price: 0, update_every_years: 1.3}"),
         "is not a whole number of months"),
        (_candidates("a") + "  revenue: {margin_percent: 10, benefits: [{id: b, goal: G9}]}\n",
         "no goal with id 'G9'"),
        (_candidates("a") + "  revenue: {margin_percent: 10, benefits: [{id: b, goal: G1}]}\n",
         "does not read as a revenue uplift"),
    ],
)
def test_economics_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str], section: str,
                         message: str) -> None:
    result = run_cli(capsys, "validate", str(_project(tmp_path, section)))
    assert result.code == 1
    assert message in result.err
    assert result.err.startswith(str(tmp_path / "proj" / "project.yaml") + ":")


@pytest.mark.parametrize("name", ["optima-distribution", "northwind-it"])
def test_tco_command_on_an_example(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "tco.xlsx"
    result = run_cli(capsys, "tco", str(EXAMPLES / name), "-o", str(target))
    assert result.code == 0, result.err
    assert target.exists()
    project = load_project(EXAMPLES / name)
    assert project.economics is not None
    for cand in project.economics.candidates:
        assert cand.name in result.out


def test_tco_writes_to_the_project_out_folder_by_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "northwind"
    shutil.copytree(EXAMPLES / "northwind-it", folder)
    result = run_cli(capsys, "tco", str(folder))
    assert result.code == 0, result.err
    assert (folder / "out" / "northwind-crm-2026-selection-tco.xlsx").exists()
    # Dynamics, the proposed system: 35 × 80 × 36 + 6,000 + the plan's implementation
    # and the plan's support package from the month after launch to the horizon's end
    # (one truth with the estimate)
    from crmimpl.model.project import load_project
    from crmimpl.plan.builder import build_plan
    from crmimpl.plan.economics import plan_cost

    plan = build_plan(load_project(folder))
    months = 36 - (plan.launch.month - 3 + 1)  # the project starts in March 2026
    dynamics = (35 * 80 * 36 + 6000 + plan_cost(plan)
                + months * plan.costs.support_month)
    # whole pounds (the net is whole) print without pence
    whole = dynamics == dynamics.to_integral_value()
    assert (f"{dynamics:,.0f}" if whole else f"{dynamics:,.2f}") in result.out


def test_tco_without_economics_is_a_user_error(
    capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "tco", str(EXAMPLES / "kreativ-agency"), "-o", "/dev/null")
    assert result.code == 1
    assert "no economics section" in result.err
    assert "Traceback" not in result.err


def test_a_platform_licence_is_bought_for_every_seat() -> None:
    """optima's licence table lists 40 client licences of 1С:Предприятие 8 beside the CRM's
    own seats: the TCO counts them (one per user), and the survey says so."""
    project = load_project(EXAMPLES / "optima-distribution")
    offer = next(o for o in analyse(project).offers
                 if o.candidate.id == "crm_1c" and o.licensing == "perpetual")
    lic = offer.candidate.perpetual
    assert lic is not None and lic.platform_licence
    result = analyse(project)
    users = result.users
    expected = (lic.first_licence + (users - 1) * lic.further_licence
                + users * lic.platform_licence + (lic.server_licences or 0))
    assert offer.lines["licences"][0] == expected
    from crmimpl.documents.economics_section import tco_context

    context = tco_context(project, "ru")
    assert context is not None and "40 клиентских лицензий платформы" in context["licence_note"]


def test_the_report_shows_the_payback_if_the_benefit_waits_for_the_goals() -> None:
    """optima: the ROI counts the full benefit from September 2026 while the goals fall
    due in March 2027; the report gives the recommended option's payback in that case,
    computed with the same return model from the month after the last goal's deadline."""
    from crmimpl.documents import survey
    from crmimpl.model.project import load_project
    from crmimpl.plan.economics import analyse, offer_return
    from crmimpl.render.markdown import render_markdown
    from tests.conftest import EXAMPLES

    project = load_project(EXAMPLES / "optima-distribution")
    result = analyse(project)
    last = max(g.kpi.deadline for g in project.goals)
    start = project.project.start
    month = (last.year - start.year) * 12 + last.month - start.month + 2
    assert month > result.benefit_from_month
    proposed = min((o for o in result.ranked_offers
                    if o.candidate.id == result.scores[0].candidate.id), key=lambda o: o.total)
    late = offer_return(proposed, result.monthly_benefit, month)
    context = survey.build_context(project, "ru")
    text = render_markdown(survey.NAME, "ru", context).replace("\\", "").replace("\xa0", " ")
    assert (f"при котором он окупается за {late.payback_month} мес." in text)
    assert "Бюджет рекомендуем планировать по консервативному случаю" in text
    assert "осторожной" not in text


@pytest.mark.office
def test_english_workbook_of_a_russian_project_recalculates_to_ours(
        tmp_path: Path, soffice: str) -> None:
    """English sheet names (the formulas cross them) in the workbook an English build of
    a Russian project writes: LibreOffice's totals are still ours."""
    from dataclasses import replace

    from crmimpl.documents.workspace import Workspace

    ws = Workspace.open(EXAMPLES / "optima-distribution").in_language("en")
    result = ws.economics
    assert result is not None
    _assert_workbook_matches(replace(result, labels_in="en"), tmp_path, soffice)
