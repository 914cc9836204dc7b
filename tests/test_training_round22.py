"""Round 22 of the senior-consultant review: the training plan, read from its DOCX as
Word shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmimpl.model.project import load_project
from tests.conftest import EXAMPLES


def _training_docx(tmp_path: Path, name: str, lang: str) -> Path:
    from crmimpl.build import BuildOptions, build

    build(load_project(EXAMPLES / name),
          BuildOptions(out=tmp_path, langs=(lang,), formats=("docx",), only=("training",)))
    return next(tmp_path.rglob("*training_plan*.docx"))


def _schedule_topics(path: Path) -> list[str]:
    """The Topics cells of the session schedule, as Word shows them."""
    from docx import Document

    out = []
    for table in Document(str(path)).tables:
        head = [c.text for c in table.rows[0].cells]
        for col, title in enumerate(head):
            if title in ("Topics", "Темы"):
                out += [row.cells[col].text.replace("\u00a0", " ") for row in table.rows[1:]]
    return out


@pytest.mark.parametrize(("name", "lang", "whole"), [
    # a head cut at 48 characters read "…cases of the type" and "…credit for new"
    ("northwind-it", "en", "Complaints are recorded as cases of the type Complaint"),
    ("northwind-it", "en", "Payment terms beyond 30 days and credit for new clients"),
    # two different callback topics were both «Задачи на перезвон по пропущенным звонкам»
    ("teplo-service", "ru", "Задачи на перезвон по пропущенным звонкам отдела продаж"),
])
def test_the_schedule_names_a_topic_by_its_whole_clause(
        tmp_path: Path, name: str, lang: str, whole: str) -> None:
    topics = " ".join(_schedule_topics(_training_docx(tmp_path, name, lang)))
    assert whole in topics
    for cut in ("of the type;", "credit for new;", "of the type\n"):
        assert cut not in topics


def test_a_table_of_one_row_keeps_it_whole_on_a_page(tmp_path: Path) -> None:
    """kreativ's duty table (one row under its header) split at the foot of page 6: the
    last page held the row's second line alone. A table's only body row may not split;
    the first row of a longer table still may (LibreOffice drops the rows after an
    unsplittable first one at a page foot)."""
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(str(_training_docx(tmp_path, "kreativ-agency", "ru")))
    single = [t for t in doc.tables if len(t.rows) == 2]
    assert any(t.rows[0].cells[0].text.startswith("Кто начинает") for t in single)
    for table in single:
        tr_pr = table.rows[1]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:cantSplit")) is not None
    longer = [t for t in doc.tables if len(t.rows) > 2]
    assert longer and all(t.rows[1]._tr.trPr is None
                          or t.rows[1]._tr.trPr.find(qn("w:cantSplit")) is None
                          for t in longer)
