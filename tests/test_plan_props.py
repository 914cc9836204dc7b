"""Plans of random projects hold what a project manager relies on.

Projects from 5 to 1 000 users, 0–10 integrations, 0–10 M records, teams of 1–14:
nobody is booked over their day or on vacation, every link holds, management spans the
delivery, and the sizes stay plausible. Two fixed projects check the issue's targets.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from crmimpl.plan.builder import Plan, build_plan
from crmimpl.plan.calendar import PersonCalendar
from tests.project_factory import project_data, write_project

EPS = 1e-6


def _management(plan: Plan) -> dict[str, tuple[float, list[date]]]:
    """Management hours per person and the days they are there to give them."""
    out: dict[str, tuple[float, list[date]]] = {}
    for task in plan.tasks:
        if task.level_of_effort is None:
            continue
        for a in task.assignments:
            cal = PersonCalendar(plan.calendar, plan.schedule.people[a.person_id])
            days = [d for d in plan.calendar.working_days(task.start, task.finish)
                    if cal.is_working(d)]
            hours, _ = out.get(a.person_id, (0.0, days))
            out[a.person_id] = (hours + float(a.hours), days)
    return out


def check_plan(plan: Plan) -> None:
    """The properties every plan keeps."""
    team = {p.id: p for p in plan.project.team}
    hpd = plan.project.plan.hours_per_day
    load = plan.schedule.load  # levelled tasks and training sessions, per person and day
    # the bookings account for the hours of the levelled tasks and the sessions (fixed-
    # duration tasks book nothing on their people's days off, so a little less)
    levelled = sum(float(t.effort_hours) for t in plan.tasks if t.levelled)
    sessions = sum(float(t.effort_hours) for t in plan.tasks if t.sessions_placed)
    booked = sum(h for days in load.values() for h in days.values())
    assert 0.9 * (levelled + sessions) - 0.5 <= booked <= levelled + sessions + 0.5
    for pid, days in load.items():
        person = team[pid]
        for day, hours in days.items():
            if hours <= EPS:
                continue
            assert plan.calendar.is_working(day), (pid, day)
            assert not any(v.start <= day <= v.end for v in person.vacations), (pid, day)
            assert hours <= person.availability * hpd + 0.05, (pid, day, hours)
    # management fits in what the other work leaves of each person's days
    for pid, (hours, days) in _management(plan).items():
        free = sum(team[pid].availability * hpd - load.get(pid, {}).get(d, 0.0) for d in days)
        assert hours <= free + 0.5 * len(plan.tasks), (pid, hours, free)
    by_id = {t.id: t for t in plan.tasks}
    cal = plan.calendar
    for task in plan.tasks:
        for link in task.links:
            pred = by_id[link.pred]
            if link.type == "FS":
                assert task.start >= cal.add_working_days(pred.finish, 1 + link.lag) or \
                    task.milestone or pred.milestone, (task.id, link)
            elif link.type == "SS":
                assert task.start >= cal.add_working_days(pred.start, link.lag), (task.id, link)
    for task in plan.tasks:
        if task.sessions_placed:  # a training task spans its group's sessions
            days = [s.day for s in plan.sessions if s.group_id == task.group]
            assert (task.start, task.finish) == (min(days), max(days)), task.id
        if task.level_of_effort is not None:
            assert task.start == plan.start and task.finish == plan.launch
            assert not task.critical
    if plan.mode in ("iterative", "typical", "project"):  # every group is trained
        from crmimpl.plan.training import build_groups

        groups = {g.id for g in build_groups(plan.project, plan.language)}
        assert groups == {s.group_id for s in plan.sessions}


@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(users=st.integers(5, 1000), departments=st.integers(1, 8),
       integrations=st.integers(0, 10), records=st.integers(0, 10_000_000),
       team=st.integers(1, 14), seed=st.integers(1, 10_000),
       mode=st.sampled_from(["express", "typical", "project", "cti", "iterative"]))
# management's reserved hours moved a key users' training task four days off its sessions
@example(users=154, departments=1, integrations=6, records=1_596_586, team=11, seed=426,
         mode="project")
# a sole half-time manager who also trains: management left no room for the sessions
@example(users=546, departments=2, integrations=7, records=39, team=1, seed=7534,
         mode="project")
def test_random_projects_keep_the_properties(
        tmp_path: Path, users: int, departments: int, integrations: int, records: int,
        team: int, seed: int, mode: str) -> None:
    data = project_data(mode=mode, users=users, departments=min(departments, users),
                        integrations=integrations, records=records, team=team, seed=seed)
    project = write_project(tmp_path / f"p{seed}-{mode}", data)
    check_plan(build_plan(project))


def test_large_project_is_planned_in_the_target_ranges(tmp_path: Path) -> None:
    """500 users, six integrations with a core system, 8 M records, a team of 14."""
    project = write_project(tmp_path / "bank", project_data(
        mode="project", users=500, departments=5, integrations=6, records=8_000_000, team=14))
    plan = build_plan(project)
    check_plan(plan)
    assert Decimal(3000) <= plan.costs.hours <= Decimal(15000)
    months = (plan.launch - plan.start).days / 30.44
    assert 6 <= months <= 14
    developers = {a.person_id for t in plan.tasks if t.id.startswith("dev.integration")
                  for a in t.assignments}
    assert len(developers) > 1, "integrations are spread over the developers"
    assert plan.plausibility is not None and plan.plausibility.hours_ok


def test_small_express_project_is_small(tmp_path: Path) -> None:
    """8 users, express: at most 25 working days to acceptance and 200 hours."""
    project = write_project(tmp_path / "agency", project_data(
        mode="express", users=8, departments=2, integrations=2, records=3000, team=2,
        vacations=False, full_time=True))
    plan = build_plan(project)
    check_plan(plan)
    assert plan.costs.hours <= 200
    assert plan.calendar.working_days_between(plan.start, plan.launch) <= 25
