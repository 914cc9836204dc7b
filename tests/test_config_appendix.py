"""The configuration the specification fixes (stages and exit criteria, service levels,
approval limits) as an appendix, from the project's ``configuration`` tables (round 11:
the northwind specification had none, and the first audit's findings traced back to it)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from crmimpl.build import document_markdown
from crmimpl.documents.workspace import Workspace
from crmimpl.model.project import ConfigTable
from tests.conftest import EXAMPLES


def test_a_row_must_fill_the_columns() -> None:
    with pytest.raises(ValidationError, match="row 2 has 1 cells for 2 columns"):
        ConfigTable(title="Stages", columns=["Stage", "Exit criteria"],
                    rows=[["Qualify", "BANT recorded"], ["Won"]])


@pytest.mark.parametrize(("lang", "heading"), [
    ("en", "# Appendix C. System configuration"),
    ("ru", "# Приложение В. Настройки системы")])
def test_the_specification_prints_the_configuration_tables(lang: str, heading: str) -> None:
    ws = Workspace.open(EXAMPLES / "northwind-it")
    md = document_markdown(ws, "spec", lang)[0]
    assert heading in md
    after = md[md.index(heading):].replace("\\", "")
    for table in ws.project.configuration:
        assert table.title in after
        assert all(cell.split(",")[0].split("(")[0].strip() in after.replace("\\", "")
                   for row in table.rows for cell in row)
    assert "| P1 | 30 min / 4 h | 1 h / 8 h | 2 h / 1 day |" in after.replace("\\", "")


def test_a_project_without_configuration_has_no_such_appendix() -> None:
    ws = Workspace.open(EXAMPLES / "optima-distribution")
    assert not ws.project.configuration
    md = document_markdown(ws, "spec", "ru")[0]
    assert "Настройки системы" not in md


def test_a_table_naming_an_unknown_requirement_is_a_located_error(tmp_path: object) -> None:
    from crmimpl.model.checks import project_problems
    ws = Workspace.open(EXAMPLES / "northwind-it")
    project = ws.project.model_copy(deep=True)
    project.configuration[0].requirements.append("R99")
    problems = project_problems(project)
    assert any(p[0][:2] == ("configuration", 0) and "R99" in p[1] for p in problems)
