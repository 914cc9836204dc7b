"""A capability a department asked for in its questionnaire is taken by a requirement
(met, in a later iteration, or 'wont' with its reason); `validate` warns about one that
nothing takes (round-robin assignment, contracts from the CRM, a CSAT survey)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from crmimpl.model.checks import project_warnings
from crmimpl.model.project import load_project
from crmimpl.questionnaire.wishes import answer_wishes, wish_taken, wish_warnings
from tests.conftest import EXAMPLES


@pytest.fixture()
def northwind(tmp_path: Path) -> Path:
    folder = tmp_path / "northwind-it"
    shutil.copytree(EXAMPLES / "northwind-it", folder, ignore=shutil.ignore_patterns("out"))
    return folder


def _wish_messages(folder: Path) -> list[str]:
    project = load_project(folder / "project.yaml")
    return [m for _, m, _ in wish_warnings(project) if "no requirement takes it" in m]


def test_the_example_takes_every_wish_of_its_answers(northwind: Path) -> None:
    project = load_project(northwind / "project.yaml")
    wishes = answer_wishes(project)
    keys = {(w.audience, w.key) for w in wishes}
    assert ("sales", "lead_distribution.round_robin") in keys
    assert ("service_desk", "satisfaction_survey") in keys
    assert ("account_mgmt", "discount_approval") in keys
    # a manual distribution by the head asks the CRM for nothing
    assert ("account_mgmt", "lead_distribution.head") not in keys
    assert all(wish_taken(project, w) for w in wishes)
    assert _wish_messages(northwind) == []


def test_a_dropped_wish_is_a_warning(northwind: Path) -> None:
    path = northwind / "project.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    answers: [sales:lead_distribution.round_robin]\n", ""),
                    encoding="utf-8")
    messages = _wish_messages(northwind)
    assert len(messages) == 1
    assert "New Business Sales asked for new enquiries assigned automatically in turn" in \
        messages[0]


def test_a_department_prefix_takes_only_that_department(northwind: Path) -> None:
    path = northwind / "project.yaml"
    text = path.read_text(encoding="utf-8")
    # R18 takes both departments' contracts; limited to sales, Account Management's is left
    text = text.replace("answers: [sales_documents.contract, sales_documents.specification]",
                        "answers: [sales:sales_documents.contract, "
                        "sales_documents.specification]")
    path.write_text(text, encoding="utf-8")
    messages = _wish_messages(northwind)
    assert len(messages) == 1 and "Account Management asked for contracts" in messages[0]


def test_a_project_without_answers_has_no_wishes(tmp_path: Path, northwind: Path) -> None:
    shutil.rmtree(northwind / "answers")
    assert answer_wishes(load_project(northwind / "project.yaml")) == []


def _approver_messages(folder: Path) -> list[str]:
    project = load_project(folder / "project.yaml")
    return [m for _, m, _ in project_warnings(project) if "expects an approval" in m]


def test_a_check_expects_only_approvals_that_are_built(northwind: Path) -> None:
    """TC-R02 expected the Managing Director's approval of a GBP 120k quote while CH1
    routed quotes to the Sales Director only."""
    assert _approver_messages(northwind) == []
    path = northwind / "project.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(", and quotes over GBP 100,000\n      a year to the Managing Director;",
                        ";", 1)
    path.write_text(text, encoding="utf-8")
    messages = _approver_messages(northwind)
    assert len(messages) == 1
    assert "'Managing Director'" in messages[0] and "R02 and its change CH1" in messages[0]


def test_a_described_practice_is_a_wish_a_requirement_takes(northwind: Path) -> None:
    """Complaints handled by e-mail with no record, approvals by e-mail, a handover with
    no record: a written answer to such a question asks for a decision on it."""
    project = load_project(northwind / "project.yaml")
    keys = {(w.audience, w.key) for w in answer_wishes(project)}
    assert ("service_desk", "complaints") in keys
    assert any(k == "approvals" for _, k in keys)
    assert any(k == "ownership_rules" for _, k in keys)
    path = northwind / "project.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    answers: [service_desk:complaints]\n", ""),
                    encoding="utf-8")
    messages = _wish_messages(northwind)
    assert len(messages) == 1 and "a register of complaints" in messages[0]


def test_an_empty_text_answer_asks_for_nothing(northwind: Path) -> None:
    import yaml

    path = northwind / "answers" / "requirements-service_desk.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for response in data["responses"]:
        response["answers"].pop("complaints", None)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    keys = {w.key for w in answer_wishes(load_project(northwind / "project.yaml"))}
    assert "complaints" not in keys
