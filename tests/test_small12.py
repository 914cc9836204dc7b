"""Round 12 of the small examples (kreativ express, teplo CTI): one truth between the
survey's to-be, the CTI specification and the requirements; every user class described."""

from __future__ import annotations

import pytest

from crmimpl.documents import cti_spec, survey
from crmimpl.model.project import load_project
from crmimpl.plan.builder import build_plan
from tests.conftest import EXAMPLES

SMALL = ("kreativ-agency", "teplo-service")


@pytest.fixture(scope="module")
def teplo():
    project = load_project(EXAMPLES / "teplo-service")
    return project, build_plan(project)


def test_a_step_the_project_does_not_change_says_so(teplo) -> None:
    """teplo's engineers report back to the dispatcher as before: «Без изменений», not «—»."""
    project, plan = teplo
    rows = survey._to_be(project, "ru")
    engineers = next(d for d in rows if d["name"] == "Сервисные инженеры")
    assert [s["to_be"] for s in engineers["steps"]][1] == "Без изменений"
    assert all(s["to_be"] != "—" for d in rows for s in d["steps"])
    assert "No change" in {s["to_be"] for d in survey._to_be(project, "en") for s in d["steps"]}


def test_routing_does_not_forbid_the_transfer_a_requirement_asks_for(teplo) -> None:
    """§4.1 said «Звонки на других сотрудников … не переводятся» while R08 transfers calls to
    sales; and the survey's to-be routed to one shift while the spec calls both."""
    project, plan = teplo
    ctx = cti_spec.build_context(project, "ru", plan=plan)
    routing = " ".join(str(v) for v in ctx["routing"].values())
    transfers = [r for r in project.requirements if "перевод" in r.statement.lower()]
    assert transfers
    assert "не переводятся" not in routing
    dispatch = next(d for d in project.client.departments if d.id == "dispatch")
    first = dispatch.process[0].to_be or ""
    assert "обеих смен" in first and "обеих смен" in routing


@pytest.mark.parametrize("name", SMALL)
def test_every_user_class_says_what_its_users_do(name: str) -> None:
    """An empty «Примечание» beside «Директор» (kreativ) or «Менеджер по продажам» (teplo)."""
    project = load_project(EXAMPLES / name)
    assert all((u.description or "").strip() for u in project.user_classes)
