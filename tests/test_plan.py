"""The plan of every mode builds; a small project's effort and dates checked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from crmimpl.model.project import load_project
from crmimpl.plan.builder import build_plan
from crmimpl.plan.methodology import round_hours
from crmimpl.plan.training import build_groups
from crmimpl.scaffold import MODES
from tests.conftest import EXAMPLES
from tests.plan_helpers import new_project, small_project

EXAMPLE_DIRS = sorted(p.parent for p in EXAMPLES.glob("*/project.yaml"))


def _check_plan(plan) -> None:  # type: ignore[no-untyped-def]
    ids = [t.id for t in plan.tasks]
    assert len(ids) == len(set(ids)), "task ids are unique"
    known = set(ids)
    for task in plan.tasks:
        assert task.start <= task.finish
        assert all(link.pred in known for link in task.links)
        if task.milestone:
            assert task.effort_hours == 0 and task.duration_days == 0
        else:
            assert task.effort_hours > 0 and task.assignments, task.id
            assert sum(a.hours for a in task.assignments) == task.effort_hours
    for phase in plan.phases:
        assert phase.start == min(t.start for t in phase.tasks)
        assert phase.finish == max(t.finish for t in phase.tasks)
    assert plan.critical_path, "a plan has a critical path"
    assert plan.costs.work == sum(t.cost for t in plan.tasks)
    assert plan.launch <= plan.finish


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_mode_builds(tmp_path: Path, mode: str, lang: str) -> None:
    plan = build_plan(new_project(tmp_path, mode, lang))
    assert plan.mode == mode
    _check_plan(plan)
    assert plan.tasks[-1].phase.startswith("audit")


@pytest.mark.parametrize("folder", EXAMPLE_DIRS, ids=lambda p: p.name)
def test_examples_build(folder: Path) -> None:
    _check_plan(build_plan(load_project(folder)))


def test_hand_checked_effort_and_dates(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    plan = build_plan(project)
    effort = {t.id: t.effort_hours for t in plan.tasks}
    # express template, 5 users, 1 department, 2 modules, 2 audits
    expected = {
        "prep.seminar": "4.0",               # base 4
        "survey.interview.sales": "2.5",     # 2 + 0.1 × 5 users
        "survey.report": "5.0",              # 4 + 1 × 1 department
        "dev.settings": "10.0",              # 6 + 2 × 2 modules
        "dev.access": "1.5",                 # 1 + 0.1 × 5 users
        "dev.instructions": "3.0",
        "rollout.pilot": "3.5",              # 2 + 0.25 × 5 = 3.25, up to the half hour
        "audit.check.1": "3.5",              # 3 + 0.1 × 5
        "audit.check.2": "3.5",
    }
    for task_id, hours in expected.items():
        assert effort[task_id] == Decimal(hours), task_id
    (group,) = build_groups(project, "en")
    training = plan.task("rollout.training.sales.1")
    assert training.effort_hours == Decimal(str(group.hours)).quantize(Decimal("0.1"))
    # everything is Anna's (developer work does not occur in express): 3000 per hour
    assert {a.person_id for t in plan.tasks for a in t.assignments} == {"pm"}
    # project management: 8 % of the delivery effort (all but the audits), to the half hour;
    # a one-person team also does the client's own review and acceptance work (the
    # key-user role falls back to the project manager): 2.5 + 2.5 + 2 h
    management = plan.task("pm.management")
    delivery = Decimal("36.5") + training.effort_hours
    assert management.effort_hours == round_hours(Decimal("0.08") * delivery)
    assert (management.start, management.finish) == (plan.start, plan.launch)
    assert not management.critical
    total_hours = Decimal("43.5") + training.effort_hours + management.effort_hours
    assert plan.costs.hours == total_hours
    assert plan.costs.work == total_hours * 3000
    # dates: 2 March 2026 is a Monday; 9 March is a day off (8 March moved)
    assert (plan.task("prep.seminar").start, plan.task("prep.seminar").finish) == (
        date(2026, 3, 2), date(2026, 3, 2))
    assert plan.task("survey.interview.sales").start == date(2026, 3, 3)
    assert plan.task("survey.report").start == date(2026, 3, 4)
    settings = plan.task("dev.settings")
    # the list of settings is approved after the client's review (4-5 March)
    assert (settings.start, settings.finish) == (date(2026, 3, 6), date(2026, 3, 10))
    assert plan.task("dev.access").start == date(2026, 3, 10)         # SS + 1 day, holiday
    assert plan.task("dev.instructions").start == date(2026, 3, 11)
    pilot = plan.task("rollout.pilot")
    assert pilot.duration_days == 5                                     # fixed duration


def test_audits_follow_acceptance_by_the_calendar(tmp_path: Path) -> None:
    plan = build_plan(small_project(tmp_path, "audit: {first_after_days: 30, every_months: 3}\n"))
    accepted = plan.task("rollout.acceptance").finish
    first, second = plan.task("audit.check.1"), plan.task("audit.check.2")
    assert (first.start - accepted).days >= 30
    assert first.start.month != second.start.month
    assert plan.launch == accepted
    # audits months later do not take the float away from the rollout
    assert plan.task("rollout.pilot").critical


def test_ids_are_stable(tmp_path: Path) -> None:
    a = build_plan(new_project(tmp_path, "typical"))
    b = build_plan(new_project(tmp_path / "again", "typical"))
    assert [t.id for t in a.tasks] == [t.id for t in b.tasks]
    assert "survey.interview.sales" in [t.id for t in a.tasks]
    assert "dev.integration.accounting" in [t.id for t in a.tasks]
    assert "dev.change.CH1" in [t.id for t in a.tasks]


def test_iterative_repeats_the_iteration_phase(tmp_path: Path) -> None:
    plan = build_plan(new_project(tmp_path, "iterative"))
    iterations = [p for p in plan.phases if p.id.startswith("iteration.")]
    assert len(iterations) == plan.project.plan.iterations
    second = plan.task("iteration.kickoff.2")
    assert any(link.pred == "iteration.done.1" for link in second.links)
    assert second.start > plan.task("iteration.done.1").finish


def test_cti_integrates_telephony_only(tmp_path: Path) -> None:
    plan = build_plan(new_project(tmp_path, "cti"))
    integrations = [t.id for t in plan.tasks if t.id.startswith("dev.integration.")]
    assert integrations == ["dev.integration.telephony"]


def test_role_fallback_is_reported(tmp_path: Path) -> None:
    project = new_project(tmp_path, "typical")
    assert build_plan(project).task("rollout.deploy").assignees == ["it_admin"]
    # the scaffold's client IT administrator left out: nobody holds sysadmin
    project = project.model_copy(update={"team": [p for p in project.team
                                                   if "sysadmin" not in p.roles]})
    plan = build_plan(project)
    deploy = plan.task("rollout.deploy")
    assert deploy.assignees == ["developer"]
    assert any(w.code == "role" and "sysadmin" in w.message for w in plan.warnings)


def test_contractor_hours_leave_out_the_clients_own_staff() -> None:
    """Documents quote the contractor's effort: the client's key users and managers are
    in the plan (and its hours) but not in the work the client pays for."""
    from crmimpl.model.project import load_project
    from tests.conftest import EXAMPLES

    plan = build_plan(load_project(EXAMPLES / "optima-distribution"), baseline=False)
    side = {p.id: p.side for p in plan.project.team}
    ours = sum(a.hours for t in plan.tasks for a in t.assignments
               if side[a.person_id] == "contractor")
    theirs = sum(a.hours for t in plan.tasks for a in t.assignments
                 if side[a.person_id] == "client")
    assert theirs > 0 and plan.costs.contractor_hours == ours
    assert plan.costs.contractor_hours + theirs == plan.costs.hours
