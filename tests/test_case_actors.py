"""The tester of each test case holds the rights its steps need in the access matrix
(round 11: Finance set payment terms on an opportunity with read rights to the pipeline;
Marketing took a lead to a won deal; a service desk agent tested "As an account manager,
log a complaint")."""

from __future__ import annotations

from typing import Any

import pytest

from crmimpl.documents import actors, spec
from crmimpl.model.project import Project, load_project
from tests.conftest import EXAMPLES

SALES = actors.Role("Sales executive", {"sales_pipeline": "own", "business_processes": "own",
                                        "marketing_campaigns": "read"}, ("sales",), 7)
FINANCE = actors.Role("Finance", {"sales_pipeline": "read", "business_processes": "own"},
                      ("finance",), 2)
MARKETING = actors.Role("Marketing", {"sales_pipeline": "read", "marketing_campaigns": "all"},
                        ("marketing",), 3)
ADMIN = actors.Role("System administrator", {"sales_pipeline": "all",
                                             "business_processes": "all",
                                             "marketing_campaigns": "all"}, ("it",), 1)
ROLES = [SALES, MARKETING, FINANCE, ADMIN]


def test_a_step_on_an_opportunity_needs_working_rights_to_the_pipeline() -> None:
    assert actors.step_needs("Set payment terms to 45 days on an opportunity.", "en") == {
        "sales_pipeline": "work"}
    assert actors.step_needs("Open the campaign's leads.", "en") == {
        "sales_pipeline": "read", "marketing_campaigns": "read"}
    # a role's name is no record: "Leadership" holds no lead
    assert actors.step_needs("Sign in as Leadership and check the dashboard.", "en") == {}
    assert actors.step_needs("Создать сделку по клиенту.", "ru") == {"sales_pipeline": "work"}


def test_the_tester_becomes_a_role_whose_rights_cover_the_steps() -> None:
    casting = actors.cast("Finance", ["On an opportunity, set payment terms to 45 days and "
                                      "try to send the proposal."],
                          ROLES, "business_processes", "finance", "en",
                          excluded=("System administrator",))
    assert casting.tester == "Sales executive" and casting.step_roles == [""]


def test_a_step_the_tester_cannot_do_names_the_role_that_does_it() -> None:
    steps = ["Create a campaign with a budget.",
             "Qualify the resulting lead and take the opportunity to won.",
             "Open the campaign's leads and the won revenue by campaign."]
    casting = actors.cast("Marketing", steps, ROLES, "marketing_campaigns", "marketing",
                          "en", excluded=("System administrator",))
    assert casting.tester == "Marketing"
    assert casting.step_roles == ["", "Sales executive", ""]


def test_a_step_that_names_its_role_is_done_by_it() -> None:
    steps = ["As a sales executive, log the call on the opportunity."]
    casting = actors.cast("Finance", steps, ROLES, "business_processes", "finance", "en")
    assert casting.tester == "Sales executive"
    # the doer who can do every step keeps the case
    assert actors.cast("Sales executive", ["Create a lead."], ROLES, "sales_pipeline",
                       "sales", "en").tester == "Sales executive"


@pytest.fixture(scope="module")
def northwind_cases() -> tuple[Project, dict[str, dict[str, Any]]]:
    project = load_project(EXAMPLES / "northwind-it")
    context = spec.build_context(project, "en")
    return project, {t["id"]: t for t in context["tests"]}


def test_every_northwind_tester_holds_the_rights_of_the_case(
        northwind_cases: tuple[Project, dict[str, dict[str, Any]]]) -> None:
    project, cases = northwind_cases
    roles = {r.name: r for r in actors.roles_of(project)}
    assert cases["TC-R21"]["user_class"] == "Sales executive"
    # the account manager forwards the complaint (reads cases, creates none); the
    # tester, who works the queue, does the rest
    assert cases["TC-R20"]["user_class"] == "Service desk agent"
    for case in cases.values():
        tester = roles[case["user_class"]]
        assert tester.rights.get(case["module"]) in actors.WORKING, case["id"]
        steps = [k["do"] for k in case["checks"]] or [str(s) for s in case["steps"]]
        for step in steps:
            if step.startswith("As a user with the role") or actors.named_role(
                    step, list(roles.values())):
                continue
            assert actors.can(tester, actors.step_needs(step, "en")), (case["id"], step)
    # the campaign's lead is qualified by a role that works the pipeline
    assert any(str(s).startswith('As a user with the role "Sales executive": qualify')
               for s in cases["TC-R13"]["steps"])


def test_a_checker_signing_in_for_one_step_leaves_the_tester_alone() -> None:
    steps = ["Create a lead for the client.",
             "As Finance, open the lead and check its values."]
    assert actors.cast("Sales executive", steps, ROLES, "sales_pipeline", "sales",
                       "en").tester == "Sales executive"
