"""An express package gives the client's people the work the methodology gives them.

Express is fixed-price, but the client still sits in the kickoff and interviews, approves
the list of settings, checks the settings, prepares the data export and runs the
acceptance checks; a plan that books the client's project manager and data owner for
half an hour each is a plan the client will push back on. These lines cost the
contractor nothing: the contractor's management share is of the contractor's hours.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from crmimpl.model.project import Project, load_project
from crmimpl.plan.builder import build_plan
from tests.conftest import EXAMPLES

CLIENT_WORK = ("prep.seminar", "survey.review", "dev.review", "rollout.export",
               "rollout.tests")


def _express(name: str) -> Project:
    project = load_project(EXAMPLES / name)
    info = project.project.model_copy(update={"mode": "express"})
    # the project's overrides of its own mode's tasks (optima's on-site duty) do not
    # apply to the express plan
    plan = project.plan.model_copy(update={"tasks": []})
    return project.model_copy(update={"project": info, "plan": plan})


def _hours(plan, person_id: str, *, training: bool = False) -> Decimal:
    return sum((a.hours for t in plan.tasks for a in t.assignments
                if a.person_id == person_id
                and (training or not t.id.startswith("rollout.training"))), Decimal(0))


@pytest.mark.parametrize("name", ["kreativ-agency", "optima-distribution"])
def test_client_pm_and_key_users_have_real_work(name: str) -> None:
    project = _express(name)
    plan = build_plan(project)
    client = [p for p in project.team if p.side == "client"
              and {"project_manager", "key_user"} & set(p.roles)]
    assert client
    # the client's project manager (approvals, acceptance) and the data owners (the
    # export) carry most; every key user has more than an interview
    pms = {p.id for p in client if "project_manager" in p.roles}
    owners = {m.owner for m in project.migration if m.owner}
    for person in client:
        floor = 5 if person.id in pms else 3 if person.id in owners else 1
        assert _hours(plan, person.id) >= floor, (person.id, _hours(plan, person.id))
    ids = {t.id.split(".")[0] + "." + t.id.split(".")[1] for t in plan.tasks
           if t.id.count(".") >= 1}
    for task in CLIENT_WORK:
        assert task in ids, task


def test_the_data_owner_prepares_the_export() -> None:
    project = load_project(EXAMPLES / "kreativ-agency")
    plan = build_plan(project)
    for source in project.migration:
        task = next(t for t in plan.tasks if t.id == f"rollout.export.{source.id}")
        assert [a.person_id for a in task.assignments] == [source.owner]
        load = next(t for t in plan.tasks if t.id == f"rollout.migration.{source.id}")
        assert plan_task_start(plan, load.id) > plan_task_start(plan, task.id)


def plan_task_start(plan, task_id: str):
    return next(t.start for t in plan.tasks if t.id == task_id)


def test_client_work_costs_the_contractor_nothing() -> None:
    project = load_project(EXAMPLES / "kreativ-agency")
    plan = build_plan(project)
    contractor = {p.id for p in project.team if p.side == "contractor"}
    for task in plan.tasks:
        if task.id.startswith(("survey.review", "dev.review", "rollout.export",
                               "rollout.tests")):
            assert task.assignments
            assert not {a.person_id for a in task.assignments} & contractor, task.id
    # the contractor's management share (8 %) is of the contractor's own delivery hours
    management = next(t for t in plan.tasks if t.id == "pm.management")
    delivery = sum((a.hours for t in plan.tasks for a in t.assignments
                    if a.person_id in contractor and t.id != "pm.management"
                    and not t.id.startswith("audit.")), Decimal(0))
    assert abs(management.effort_hours - Decimal("0.08") * delivery) <= 1
