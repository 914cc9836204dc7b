"""Round 11 of the small examples (kreativ: express, teplo: CTI): one truth between the
documents and the plan workbook (who was interviewed, training hours, money), and the
operational decisions the reviewers found open."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crmimpl.model.project import load_project
from tests.conftest import EXAMPLES

SMALL = ["kreativ-agency", "teplo-service"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The survey report (DOCX) and the plan workbook of each small example."""
    from crmimpl.build import BuildOptions, build

    out = {}
    for name in SMALL:
        folder = tmp_path_factory.mktemp(name)
        build(load_project(EXAMPLES / name),
              BuildOptions(out=folder, langs=("ru",), formats=("docx",),
                           only=("survey", "plan")))
        out[name] = folder
    return out


def _docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts).replace("\u00a0", " ")


def _workbook_rows(folder: Path) -> list[dict[str, object]]:
    import openpyxl

    book = openpyxl.load_workbook(next(folder.glob("*-plan.xlsx")))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r and "Код" in r)
    names = rows[head]
    return [dict(zip(names, r, strict=False)) for r in rows[head + 1:] if r[1]]


@pytest.mark.parametrize("name", SMALL)
def test_the_survey_names_whom_the_workbook_books_on_each_interview(
        built: dict[str, Path], name: str) -> None:
    """kreativ: the studio's interview was Павлов's in the text, Ким's in the workbook;
    teplo: Гусев, Зотов, Чернова in the text, Жукова and Лаптева in the workbook."""
    project = load_project(EXAMPLES / name)
    rows = _workbook_rows(built[name])
    team = {p.name for p in project.team}
    said = _interviews_by_heading(next(built[name].glob("*survey_report-ru.docx")))
    checked = 0
    for dept in project.client.departments:
        booked = {r["Сотрудник"] for r in rows
                  if str(r["Код"]).endswith(f"interview.{dept.id}")
                  and r["Сторона"] == "Заказчик"}
        # a client person of another department never sits a department's interview
        for person in booked:
            assert next(p for p in project.team if p.name == person).department == dept.id
        named = next((v for k, v in said.items() if dept.name in k), None)
        if named is None:
            continue
        checked += 1
        # everyone of the team named for the interview is booked on it in the workbook,
        # and everyone booked is named; the others are the department's head
        assert {n for n in named if n in team} - {dept.head} == booked - {dept.head}, \
            (dept.id, named, booked)
        assert named - booked <= {dept.head}, (dept.id, named)
    assert checked >= 3


def _interviews_by_heading(path: Path) -> dict[str, set[str]]:
    """Heading text -> the names of «записаны на интервью (…)» under it."""
    from docx import Document

    out: dict[str, set[str]] = {}
    heading = ""
    for par in Document(str(path)).paragraphs:
        if par.style is not None and par.style.name.startswith("Heading"):
            heading = par.text
        found = re.search(r"записаны на интервью \(([^)]*)\)", par.text.replace("\u00a0", " "))
        if found:
            out[heading] = set(re.split(r", | и ", found.group(1)))
    return out
