"""A custom change left for a later stage (``wont``) is neither planned nor priced."""

from __future__ import annotations

from crmimpl.documents import common
from crmimpl.model.project import load_project
from crmimpl.plan.builder import build_plan
from tests.conftest import EXAMPLES


def test_a_wont_change_is_not_planned_nor_priced() -> None:
    project = load_project(EXAMPLES / "optima-distribution")
    later = next(c for c in project.changes if c.priority == "wont")
    assert later.id not in {c.id for c in project.planned_changes}
    plan = build_plan(project)
    ids = {t.id for ph in plan.phases for t in ph.tasks}
    assert not any(later.id.lower() in i for i in ids)
    rows = common.change_rows(project, "ru", plan)
    estimate = common.estimate_context(project, plan, "ru")
    text = repr(estimate) + repr(rows)
    assert later.title not in text

    # the same change in this version: planned, and the plan costs more by its hours
    wanted = project.model_copy(update={
        "changes": [c.model_copy(update={"priority": "could"}) if c.id == later.id else c
                    for c in project.changes],
        "requirements": [r.model_copy(update={"priority": "could"})
                         if r.id == later.requirement else r for r in project.requirements]})
    assert later.id in {c.id for c in wanted.planned_changes}
    assert build_plan(wanted).costs.contractor_hours > plan.costs.contractor_hours
