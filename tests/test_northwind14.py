"""Round-14 fixes for the iterative (northwind-it) documents."""

from __future__ import annotations

import re

import pytest

from crmimpl.documents import backlog_document
from crmimpl.model.project import load_project
from crmimpl.plan.builder import build_plan
from crmimpl.plan.training import build_groups
from tests.conftest import EXAMPLES


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_delta_the_backlog_promises_is_a_session_before_the_go_live(lang: str) -> None:
    """Round 13: the backlog promised the users already working a short session on each
    later iteration's changes to their work, and the training plan had none. Each
    department a stage's delta names gets a group of its own for that iteration, on
    the same requirements, whose sessions end before the stage is completed."""
    project = load_project(EXAMPLES / "northwind-it")
    plan = build_plan(project)
    context = backlog_document.build_context(project, lang, plan=plan)
    groups = {g.id: g for g in build_groups(project, lang)}
    deltas = [g for g in groups.values() if g.iteration is not None]
    promised = 0
    for stage in context["stages"]:
        if not stage["delta"]:
            continue
        n = int(stage["key"])
        phase = next(p for p in plan.phases if p.id == f"iteration.{n}")
        for dept in project.client.departments:
            found = re.search(re.escape(dept.name) + r" \(([^)]+)\)", stage["delta"])
            if not found:
                continue
            promised += 1
            group = next(g for g in deltas if g.iteration == n and g.department_id == dept.id)
            ids = {t.id.removeprefix("req.") for t in group.topics if t.id.startswith("req.")}
            assert set(found.group(1).split(", ")) <= ids | {
                r.id for r in project.requirements
                if r.change and f"change.{r.change}" in {t.id for t in group.topics}}
            days = [s.day for s in plan.sessions if s.group_id == group.id]
            assert days and max(days) < phase.finish, (group.name, days, phase.finish)
            task = next(t for t in plan.tasks if t.group == group.id)
            assert task.id.startswith("iteration.training.")
            assert task.phase == phase.id if hasattr(task, "phase") else True
    from crmimpl.plan.training import delta_requirements
    assert promised == sum(len(v) for v in delta_requirements(project).values()) > 0
    assert len(deltas) >= promised
    # the people were counted in their own groups: the total stays the client's users
    assert sum(g.size - g.guests for g in groups.values() if not g.repeat) == \
        project.client.crm_users


def test_a_later_department_that_works_in_a_stage_is_briefed_before_its_go_live() -> None:
    """Round 13: the MVP's dashboards and approvals were the Leadership Team's work from
    17 Apr, and the team was trained on 3 Jul with its own iteration. Every department
    whose user classes act in a stage's test cases before its own go-live gets a short
    briefing on those requirements before that stage's go-live."""
    from crmimpl.plan.training import early_requirements

    project = load_project(EXAMPLES / "northwind-it")
    plan = build_plan(project)
    early = early_requirements(project)
    assert early, "northwind's leadership reads the MVP's pipeline dashboard"
    groups = build_groups(project, "en")
    for n, per_dept in early.items():
        phase = next(p for p in plan.phases if p.id == ("mvp" if n == 0 else f"iteration.{n}"))
        for dept, ids in per_dept.items():
            group = next(g for g in groups if g.iteration == n and g.department_id == dept)
            assert {f"req.{i}" for i in ids} <= {t.id for t in group.topics}
            days = [s.day for s in plan.sessions if s.group_id == group.id]
            assert days and max(days) < phase.finish, (group.name, days, phase.finish)
