"""Round-10 remarks on optima's specification, survey and audit report (both languages):
an access matrix that follows the client's rules (the export right, claims of one's own
clients), the contract the specification is an annex to, sizing from the project's own
figures, the approval sheet, and every missed goal with an action."""

from __future__ import annotations

import pytest

from crmimpl.documents import spec
from crmimpl.model.project import Project, load_project
from tests.conftest import EXAMPLES
from tests.test_spec_round6 import _text


@pytest.fixture(scope="module")
def optima() -> Project:
    return load_project(EXAMPLES / "optima-distribution")


def _with(project: Project, **changes: object) -> Project:
    return project.model_copy(update=changes)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_export_right_is_a_row_of_the_matrix(optima: Project, lang: str) -> None:
    """«Выгрузку клиентской базы в Excel нужно запретить всем, кроме руководства и
    администратора»: the matrix had no place for it; a class's `export` is its row."""
    matrix = spec._access_matrix(optima, lang)
    row = matrix["rows"][-1]
    allowed = {"ru": "разрешена", "en": "allowed"}[lang]
    granted = [name for name, cell in zip(matrix["classes"], row["cells"]) if cell == allowed]
    assert len(granted) == 2 and matrix["export"]
    assert all(uc.export for uc in optima.user_classes if uc.name in granted)
    text = _text(optima, spec, lang)
    assert row["module"] in text


def test_no_export_row_when_no_class_states_it(optima: Project) -> None:
    classes = [uc.model_copy(update={"export": None}) for uc in optima.user_classes]
    matrix = spec._access_matrix(_with(optima, user_classes=classes), "ru")
    assert not matrix["export"]
    assert all("Выгрузка" not in r["module"] for r in matrix["rows"])


def test_the_matrix_grants_no_more_than_the_clients_rules(optima: Project) -> None:
    """A sales manager sees the claims of his own clients (not every claim); accounting
    and logistics see the claims assigned to them; the directors approve (R06, R13,
    R20) and so work in the business processes, not only read them."""
    by_id = {uc.id: uc for uc in optima.user_classes}
    assert by_id["sales_manager"].rights["complaints"] == "own"
    assert by_id["back_office"].rights["complaints"] == "own"
    assert by_id["executive"].rights["business_processes"] in ("own", "all")
    text = _text(optima, spec, "ru")
    assert "«Свои записи» — записи, за которые пользователь отвечает" in text


def test_claims_assigned_to_a_read_only_class_do_not_make_it_keep_records(
        optima: Project) -> None:
    """Accounting's receivables report by manager (R16) is run by a class that sees every
    record: the claims assigned to the back office for a check are not records it keeps."""
    r16 = next(r for r in optima.requirements if r.id == "R16")
    doer, _checker = spec._user_class_for(optima, r16.module, r16.source or "")
    assert doer == "Руководство"
