"""Round 15 of the senior-consultant review: the survey report's figures agree with the
training plan's sessions."""

from __future__ import annotations

from decimal import Decimal

from crmimpl.documents import common
from crmimpl.model.project import load_project
from crmimpl.plan.builder import build_plan
from crmimpl.plan.training import build_groups
from tests.conftest import EXAMPLES


def test_a_persons_training_hours_include_the_departments_briefings() -> None:
    """The survey's "Training, h" gave the Managing Director 6 h; the training plan has
    his 6-hour course and a half-hour briefing before the MVP for his department. Every
    client person's hours add the sessions their whole department attends (change
    sessions and briefings) to their course, as the training plan's timetable does."""
    project = load_project(EXAMPLES / "northwind-it")
    plan = build_plan(project)
    groups = build_groups(project, project.project.language)
    per_group: dict[str, Decimal] = {}
    for s in plan.sessions:
        per_group[s.group_id] = per_group.get(s.group_id, Decimal(0)) + Decimal(str(s.hours))
    whole = {d.id: sum((per_group[g.id] for g in groups if g.repeat and not g.members
                        and d.id in g.people and g.id in per_group), Decimal(0))
             for d in project.client.departments}
    assert any(whole.values()), "the example has change sessions or briefings"
    rows = {r["name"]: r for r in common.team_rows(project, "en", "client", plan)}
    checked = 0
    for person in project.team:
        if person.side != "client" or any(person.name in g.members for g in groups):
            continue
        course = next(g for g in groups if person.department in g.people
                      and not g.repeat and not g.heads)
        expected = per_group[course.id] + whole[person.department or ""]
        assert Decimal(rows[person.name]["training"]) == expected, person.name
        checked += bool(whole[person.department or ""])
    assert checked
