"""Round 14 (volga-bank): the approval sheet, for any project."""

from __future__ import annotations

from pathlib import Path

from crmimpl.documents.spec import approval_sheet
from tests.project_factory import project_data, write_project


def test_a_head_owning_a_risk_agrees_the_specification(tmp_path: Path) -> None:
    """volga's information-security officer (owner of the risk of the security approval,
    her requirements in the specification) was not on the approval sheet: the client's
    heads who own a risk agree it, an analyst owning one does not sign for the unit."""
    data = project_data(departments=3, team=10)
    data["client"]["departments"][2]["head"] = "Фомин Андрей Сергеевич"
    data["team"] += [
        {"id": "sec", "name": "Зайцева Ольга Михайловна", "position":
         "Начальник отдела информационной безопасности", "roles": ["key_user"],
         "side": "client", "department": "d3"},
        {"id": "an", "name": "Лебедева Ольга Дмитриевна", "position": "Аналитик",
         "roles": ["key_user"], "side": "client", "department": "d3"},
    ]
    data["risks"] = [
        {"id": "RK1", "statement": "Согласование доступа с ИБ затягивается",
         "probability": "medium", "impact": "high", "mitigation": "ИБ в рабочей группе",
         "owner": "sec"},
        {"id": "RK2", "statement": "Данные неполны", "probability": "medium",
         "impact": "medium", "mitigation": "Профилирование", "owner": "an"},
    ]
    project = write_project(tmp_path / "p", data)
    names = [row["name"].replace("\u00a0", " ") for row in approval_sheet(project, "ru")]
    assert "О. М. Зайцева" in names
    assert "О. Д. Лебедева" not in names
    assert names.index("А. С. Фомин") < names.index("О. М. Зайцева")


def test_a_department_is_taught_by_its_own_main_class_not_a_shared_heads_class() -> None:
    """volga's SME managers work in the mobile app (their class's rights), but the heads'
    class shared by retail and SME has more users in total, so the SME course left the
    mobile app out: the main class of a department is its own largest class."""
    from crmimpl.model.project import load_project
    from crmimpl.plan.training import taught_modules, worked_modules
    from tests.conftest import EXAMPLES

    project = load_project(EXAMPLES / "volga-bank")
    sme = next(c for c in project.user_classes if c.departments == ["sme"])
    assert sme.rights.get("mobile") not in (None, "none")
    assert "mobile" in taught_modules(project, ["sme"])
    assert "mobile" in worked_modules(project, ["sme"])
