"""Round-12 fixes for the iterative (northwind-it) documents."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from crmimpl.documents import spec
from crmimpl.model.project import ConfigTable, load_project
from crmimpl.plan.builder import build_plan
from tests.conftest import EXAMPLES


def test_a_staged_row_must_be_a_row_of_its_table() -> None:
    with pytest.raises(ValidationError, match="staged row 'Closed'"):
        ConfigTable(title="Stages", columns=["Stage", "Exit criteria"],
                    rows=[["Qualify", "BANT recorded"], ["Won", "Handover task sent"]],
                    staged=[{"row": "Closed", "requires": ["R22"], "until": "by e-mail"}])


def test_an_unknown_staged_requirement_is_a_located_error() -> None:
    from crmimpl.model.checks import project_problems
    project = load_project(EXAMPLES / "northwind-it").model_copy(deep=True)
    project.configuration[0].staged[0].requires.append("R99")
    problems = project_problems(project)
    assert any(p[0][:3] == ("configuration", 0, "staged") and "R99" in p[1]
               for p in problems)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_stage_gates_say_what_applies_before_the_iteration_that_delivers_them(
        lang: str) -> None:
    """Round 12: the MVP's opportunity stages (live 17 Apr) needed R21's approvals and
    R22's handover of iteration 2 (3 Jul), and the specification did not say how the
    gates worked meanwhile. A table whose requirements come with different stages says
    which apply when, and each staged row how it is done until its stage is live."""
    project = load_project(EXAMPLES / "northwind-it")
    plan = build_plan(project)
    tables = spec.configuration(project, plan, lang)
    stages, slas = tables[0], tables[1]
    assert "R21" in stages["stage_note"] and "R01" in stages["stage_note"]
    assert ("Iteration 2" if lang == "en" else "«Итерация 2»") in stages["stage_note"]
    assert [i["row"] for i in stages["interim"]] == ["Negotiation", "Won"]
    # each interim rule holds until the go-live of the iteration that delivers it
    live = re.search(r"\((?:live|ввод) ([^)]+)\)", stages["stage_note"])
    assert live, stages["stage_note"]
    assert all(live.group(1) in i["until"] and i["text"] for i in stages["interim"])
    # the service levels all come with one stage (iteration 1): nothing to say
    assert slas["stage_note"] == "" and slas["interim"] == []
    md_rows = spec.build_context(project, lang)["configuration"]
    assert md_rows[0]["stage_note"] == stages["stage_note"]


def test_every_iterative_table_spanning_stages_covers_its_later_rows() -> None:
    """In the example, every later-stage requirement a stage-gate or approval table names
    that the MVP's users meet has a staged row with the interim rule."""
    project = load_project(EXAMPLES / "northwind-it")
    plan = build_plan(project)
    for table in spec.configuration(project, plan, "en"):
        if table["stage_note"]:
            assert table["interim"], table["title"]


def test_a_sequential_project_has_no_stage_note() -> None:
    project = load_project(EXAMPLES / "volga-bank")
    for table in spec.configuration(project, build_plan(project), "ru"):
        assert table["stage_note"] == "" and table["interim"] == []


def test_a_goal_without_a_measure_is_an_open_issue() -> None:
    """Round 12: G2 (time to first response) had no dashboard or report in the design.
    A goal that no dashboard or report requirement serves, and whose KPI does not say
    how it is measured, is an open issue of the functional specification with the goal's
    owner; the example now has R24, the Service Desk dashboard, in iteration 1."""
    from crmimpl.documents import functional_spec as fs

    project = load_project(EXAMPLES / "northwind-it")
    plan = build_plan(project)
    assert fs.unmeasured_goals(project) == []
    assert not any("measures G2" in i["issue"] for i in fs.open_issues(project, plan, "en"))
    r24 = next(r for r in project.requirements if r.id == "R24")
    assert r24.module in fs.MEASURE_MODULES and "G2" in r24.goals
    bare = project.model_copy(deep=True)
    bare.requirements = [r for r in bare.requirements if r.id != "R24"]
    g2 = next(g for g in bare.goals if g.id == "G2")
    g2.kpi.measurement = None
    assert [g.id for g in fs.unmeasured_goals(bare)] == ["G2"]
    issue = next(i for i in fs.open_issues(bare, plan, "en") if "measures G2" in i["issue"])
    assert "average time to first response" in issue["issue"]
    assert issue["owner"] == "Tom Okafor" and issue["due"]


def test_the_audit_does_not_bill_agreed_configuration_as_support_hours() -> None:
    """Round 12: the first audit charged 3 support hours to 'add exit criteria' that the
    specification's Appendix C already fixes; its evidence windows and people agree with
    the plan (the month-end Xero run sits inside the window it is cited from, the
    project manager's leave ends on the audit's first day)."""
    import json

    from crmimpl.documents import audit_report

    project = load_project(EXAMPLES / "northwind-it")
    text = json.dumps(audit_report.build_context(project, "en"), ensure_ascii=False)
    assert "adds exit criteria" not in text
    assert "beyond the agreed design" in text
    assert "Rachel Moore was on annual leave" not in text
    # the August month-end run lies inside the check's own two-week window (round 19)
    assert "3 hourly runs in two weeks" not in text and "(18 to 31 August)" in text \
        and "on 31 August" in text
    assert "All five account managers use the mobile app" not in text


@pytest.mark.parametrize(("example", "lang"), [("northwind-it", "en"),
                                               ("optima-distribution", "ru")])
def test_the_survey_derives_the_monthly_benefit(example: str, lang: str) -> None:
    """Round 12: the sponsor approved an ROI on "about GBP 11,500 a month" that was never
    derived. The survey shows each benefit line (revenue uplift at the margin and the
    share credited to the CRM, or a direct saving) and their sum, which is the figure."""
    from crmimpl.documents import survey

    project = load_project(EXAMPLES / example)
    tco = survey.build_context(project, lang)["tco"]
    rows = tco["benefits"]
    assert rows and all(r["how"] and r["month"] for r in rows)

    def whole(text: str) -> int:  # whole units: the digits of "GBP 5,460", "842 400 ₽"
        return int("".join(ch for ch in text if ch.isdigit()))

    assert sum(whole(r["month"]) for r in rows) == whole(tco["benefit_total"])
    if example == "northwind-it":
        assert [whole(r["month"]) for r in rows] == [5460, 4550, 1500]
        assert whole(tco["benefit_total"]) == 11510
        assert rows[2]["name"] == "Freshdesk subscription retired"


def test_a_step_of_another_role_is_named_in_the_tester_line() -> None:
    """Round 12: TC-R20's tester was the service desk agent while its first step reads
    "As an account manager, forward…"; the tester line names that step's role."""
    project = load_project(EXAMPLES / "northwind-it")
    tests = {t["id"]: t for t in spec.build_context(project, "en")["tests"]}
    assert tests["TC-R20"]["user_class"] == "Service desk agent"
    assert tests["TC-R20"]["others"] == 'step 1 by a user with the role "Account manager"'
    assert all(t["others"] == "" or t["user_class"] not in t["others"]
               for t in tests.values())
    ru = {t["id"]: t for t in spec.build_context(project, "ru")["tests"]}
    assert ru["TC-R20"]["others"].startswith("шаг 1 — пользователь класса «")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_later_iterations_show_existing_users_what_changes(lang: str) -> None:
    """Round 12: iteration 2's approvals (R21), the hours bank (R07: the engineers log the
    time it draws) and the Upsell button
    (R22) changed the work of people live since the MVP or iteration 1, and the backlog
    promised them nothing. A stage names the departments already working whose test
    cases it touches, with a short session and the updated guide."""
    from crmimpl.documents import backlog_document

    project = load_project(EXAMPLES / "northwind-it")
    stages = backlog_document.build_context(project, lang)["stages"]
    assert stages[0]["delta"] == ""
    last = stages[-1]["delta"]
    assert "New Business Sales (" in last and "R21" in last.split("New Business Sales (")[1]
    assert "Service Desk (R07)" in last and "Software Delivery (R07, R22)" in last
    assert "R10" not in last  # the renewals are the account managers', who start with it


def test_the_backlog_reads_as_a_consultant_writes() -> None:
    from crmimpl.build import document_markdown
    from crmimpl.documents.workspace import Workspace

    text = document_markdown(Workspace.open(EXAMPLES / "northwind-it"), "backlog", "en")[0]
    flat = " ".join(text.replace("\\", "").split())
    assert "whose requirements it places" not in flat
    assert "(what the MVP's items need" not in flat
    assert "by 19 May 2026, more than two weeks before the final load" in flat
    assert "a short session before the go-live" in flat


def test_the_source_column_names_departments_and_answers_carry_no_bare_scores() -> None:
    """Round 12: the register's "Source" put "James Whitfield" (R03) and "Tom Okafor"
    (R09) beside departments; the functional spec's answers rated reminders "4 out of 5";
    the survey's data list called customer records "counterparty records"."""
    from crmimpl.build import document_markdown
    from crmimpl.documents import survey
    from crmimpl.documents.workspace import Workspace

    project = load_project(EXAMPLES / "northwind-it")
    people = {p.name for p in project.team}
    register = survey.build_context(project, "en")["requirements"]
    assert register and not {r["source"] for r in register} & people
    assert {r["source"] for r in register if r["id"] in ("R03", "R09")} <= {
        d.name for d in project.client.departments}
    ws = Workspace.open(EXAMPLES / "northwind-it")
    text = " ".join(document_markdown(ws, "spec", "en")[0].split())
    assert "out of 5)" not in text and "relies on reminders of the next client contact" in text
    survey_text = document_markdown(ws, "survey", "en")[0]
    assert "counterparty" not in survey_text


def test_a_shared_migration_count_is_said_for_what_it_holds() -> None:
    """Round 12: Account and Opportunity each said "New business pipeline, 520 records",
    Case "Freshdesk, 21,300 records", though those counts hold several kinds of object."""
    from crmimpl.documents import functional_spec as fs

    rows = {r["name"]: r["source"] for r in fs.data_model(
        load_project(EXAMPLES / "northwind-it"), "en")}
    assert rows["Account"].endswith("whose 520 records hold prospects, contacts and open "
                                    "opportunities")
    assert "21,300 records hold tickets with conversations" in rows["Case"]


def test_one_table_of_data_sources_with_who_keeps_and_who_signs_off() -> None:
    """Round 12: the survey listed the sources twice, the second time in questionnaire
    categories ("Another system (CRM, helpdesk)"), and patched the two together with a
    sentence. The client's list joins the migration table: kept by, signs off the load;
    a listed source that is not migrated is said under it."""
    from crmimpl.build import document_markdown
    from crmimpl.documents.workspace import Workspace

    ws = Workspace.open(EXAMPLES / "northwind-it")
    text = " ".join(document_markdown(ws, "survey", "en")[0].replace("\\", "").split())
    assert "| Kept by | Signs off the load |" in text
    assert "| Priya Raman | Claire Benson |" in text
    assert "Another system (CRM, helpdesk)" not in text
    assert "Who signs off each source's load is given" not in text
    assert "Outlook contacts and e-mail” (kept by each salesperson)" in text  # quoted
    ru = " ".join(document_markdown(ws, "survey", "ru")[0].replace("\\", "").split())
    assert "| Ведет | Отвечает за загрузку |" in ru
