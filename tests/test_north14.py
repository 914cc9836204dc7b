"""Round 14, northwind-it: the survey's ROI paragraph names one base case."""

from __future__ import annotations

from typing import Any

import pytest

from crmimpl.model.checks import project_problems
from crmimpl.model.project import load_project
from crmimpl.vocabulary import label
from tests.conftest import EXAMPLES


def _with_record_rights(example: str, rights: dict[str, dict[str, str]]) -> Any:
    project = load_project(EXAMPLES / example)
    classes = [uc.model_copy(update={"record_rights": rights.get(uc.id, {})})
               for uc in project.user_classes]
    return project.model_copy(update={"user_classes": classes})


@pytest.mark.parametrize("example", ["northwind-it", "volga-bank", "optima-distribution"])
def test_access_matrix_has_a_row_per_record_with_rights_of_its_own(example: str) -> None:
    """A custom table a requirement creates (an hours bank only Finance tops up) gets a
    row of the access matrix with each class's right on it, not the module's right
    (Finance "read" on service management beside R07's top-ups by Finance)."""
    from crmimpl.documents.spec import _access_matrix
    from crmimpl.model.project import DataRecord

    project = load_project(EXAMPLES / example)
    record = DataRecord(id="bank_x", name="Hours bank", table="custom table",
                        holds="The prepaid hours of a contract")
    first, last = project.user_classes[0].id, project.user_classes[-1].id
    project = _with_record_rights(example, {first: {"bank_x": "read"},
                                            last: {"bank_x": "all"}})
    project = project.model_copy(update={"records": [*project.records, record]})
    for lang in ("en", "ru"):
        matrix = _access_matrix(project, lang)
        row = next(r for r in matrix["rows"] if r["module"].startswith("Hours bank"))
        assert row["module"] == "Hours bank (custom table)"
        assert row["cells"][0] == label("access", "read", lang)
        assert row["cells"][-1] == label("access", "all", lang)
        if len(row["cells"]) > 2:
            assert row["cells"][1] == label("access", "none", lang)
    assert not project_problems(project)
    wrong = _with_record_rights(example, {first: {"no_such": "read"}})
    assert any("no record with id 'no_such'" in p[1] for p in project_problems(wrong))


def test_northwind_finance_tops_up_the_hours_bank_in_the_matrix() -> None:
    """R07: Finance enters the top-ups, the service desk reads the balance."""
    from crmimpl.documents.spec import _access_matrix

    project = load_project(EXAMPLES / "northwind-it")
    matrix = _access_matrix(project, "en")
    names = [uc.name for uc in project.user_classes]
    row = next(r for r in matrix["rows"] if r["module"].startswith("Hours bank"))
    cells = dict(zip(names, row["cells"], strict=True))
    assert cells["Finance"] == "all records"
    assert cells["Service desk agent"] == "read"
