"""The cover sheet of a client's workbook: the project by its title, not its id, and the
day to return it by from the plan, not "to be agreed" (round 22)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from crmimpl.build import BuildOptions, build
from crmimpl.model.project import load_project
from crmimpl.plan.builder import build_plan
from crmimpl.questionnaire.export import return_by
from tests.conftest import EXAMPLES


def _cover(path: Path) -> dict[str, object]:
    sheet = openpyxl.load_workbook(path).worksheets[0]
    return {row[1].value: row[2].value for row in sheet.iter_rows(min_row=3, max_row=10)
            if row[1].value}


@pytest.mark.parametrize(("example", "task"), [("optima-distribution", "survey.questionnaires"),
                                               ("northwind-it", "mvp.interview.sales")])
def test_cover_names_the_project_and_the_return_date(tmp_path: Path, example: str,
                                                     task: str) -> None:
    project = load_project(EXAMPLES / example / "project.yaml")
    plan = build_plan(project)
    due = next(t.finish for t in plan.tasks if t.id == task)
    assert return_by(plan) == due
    lang = project.project.language
    build(project, BuildOptions(out=tmp_path, langs=(lang,), formats=("html",),
                                only=("questionnaires",), incremental=False))
    books = sorted((tmp_path / "questionnaires").glob("*.xlsx"))
    assert books
    for book in books:
        cover = _cover(book)
        label = "Project" if lang == "en" else "Проект"
        assert cover[label] == project.project.title
        returned = cover["Please return by" if lang == "en" else "Срок заполнения"]
        assert isinstance(returned, datetime) and returned.date() == due, book.name


def test_a_plan_without_survey_tasks_leaves_the_date_to_be_agreed() -> None:
    from types import SimpleNamespace

    assert return_by(SimpleNamespace(tasks=[])) is None
