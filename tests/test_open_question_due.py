"""The survey's open questions fall due before the specification they feed is approved
(northwind's MVP specification of 16 Mar asked for answers by 19 Mar)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crmimpl.documents.register import document_entry, open_question_due
from crmimpl.model.project import load_project
from crmimpl.plan.builder import build_plan
from tests.conftest import EXAMPLES

EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "project.yaml").exists())


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_open_questions_are_due_before_the_specification(name: str) -> None:
    project = load_project(EXAMPLES / name)
    plan = build_plan(project)
    survey = document_entry(project, plan, "survey").date
    spec = document_entry(project, plan, "spec").date
    due = open_question_due(plan)
    assert due > survey  # never before the report that asks
    if spec > plan.calendar.add_working_days(survey, 1):
        assert due < spec, (name, survey, due, spec)


def test_northwind_answers_arrive_before_the_mvp_specification() -> None:
    project = load_project(EXAMPLES / "northwind-it")
    plan = build_plan(project)
    spec = document_entry(project, plan, "spec").date
    assert open_question_due(plan) == plan.calendar.previous_working_day(
        spec - timedelta(days=1))
