"""The system being implemented: named in the document contexts, checked against the
licences and the vendor selection."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.helpers import run_cli


def _project(name: str = "optima-distribution") -> object:
    from crmimpl.model.project import load_project

    return load_project(EXAMPLES / name)


def test_system_summary_names_edition_version_platform_dbms_deployment() -> None:
    from crmimpl.documents.system import system_context

    ctx = system_context(_project(), "ru")  # type: ignore[arg-type]
    assert ctx["summary"] == ("1С:CRM КОРП, редакция 3.0 (версия 3.0.27), платформа "
                              "1С:Предприятие 8.3, СУБД PostgreSQL 16 (сборка для 1С), "
                              "размещение на серверах заказчика")
    assert "с учетной системой «1С:Управление торговлей 11.5»" in ctx["architecture"]
    assert "серверах заказчика" in ctx["hosting"]
    # the product (main delivery and further seats), then the platform
    assert [row["count"] for row in ctx["licences"]] == ["1", "39", "40", "1"]


def test_system_in_english_names_the_vendor_and_the_cloud() -> None:
    from crmimpl.documents.system import system_context

    ctx = system_context(_project("northwind-it"), "en")  # type: ignore[arg-type]
    assert ctx["name"] == "Microsoft Dynamics 365 Sales and Customer Service, Enterprise edition"
    assert ctx["summary"].endswith("the vendor's cloud service")
    assert "Xero" in ctx["architecture"] and "cloud service" in ctx["hosting"]


def test_embedded_standalone_and_in_use_systems() -> None:
    from crmimpl.documents.system import architecture

    project = _project()
    system = project.system  # type: ignore[attr-defined]
    system.embedded_in = "1С:Управление торговлей 11.5"
    assert "встраивается в учетную систему (1С:Управление торговлей 11.5)" in \
        architecture(project, "ru")  # type: ignore[arg-type]
    system.embedded_in = None
    project.integrations[:] = [i for i in project.integrations  # type: ignore[attr-defined]
                               if i.kind not in ("accounting", "core_system")]
    assert "самостоятельное решение" in architecture(project, "ru")  # type: ignore[arg-type]
    system.in_use, system.holds = True, "clients and deals since 2019"
    text = architecture(project, "en")  # type: ignore[arg-type]
    assert "the client already uses" in text and "clients and deals since 2019" in text


def test_no_system_gives_empty_texts() -> None:
    from crmimpl.documents.common import frame_context

    project = _project()
    project.system = None  # type: ignore[attr-defined]
    ctx = frame_context(project, "ru")  # type: ignore[arg-type]
    assert ctx["system"]["named"] is False and ctx["system"]["summary"] == ""
    assert ctx["legal"]["personal_data_law"]


@pytest.mark.parametrize("module", ["survey", "spec", "training_plan"])
def test_every_context_carries_system_and_legal(module: str) -> None:
    import importlib

    mod = importlib.import_module(f"crmimpl.documents.{module}")
    ctx = mod.build_context(_project(), "en")
    assert ctx["system"]["name"].startswith("1С:CRM КОРП")
    assert "152-FZ" in ctx["legal"]["personal_data_law"]


def test_survey_and_training_name_the_system(tmp_path: Path) -> None:
    from crmimpl.build import document_markdown
    from crmimpl.documents.workspace import Workspace

    ws = Workspace(_project())  # type: ignore[arg-type]
    survey, _ = document_markdown(ws, "survey", "ru")
    survey = re.sub(r"\\(.)", r"\1", survey)  # context text is escaped for Markdown
    assert "Для внедрения предлагается CRM-система 1С:CRM КОРП, редакция 3.0" in survey
    assert "| Клиентская лицензия 1С:Предприятие 8 (конкурентная) | 40 |" in survey
    training, context = document_markdown(ws, "training", "ru")
    training = re.sub(r"\\(.)", r"\1", training)
    assert "работе в системе 1С:CRM КОРП" in training
    assert context["meta"]["subtitle"] == "1С:CRM КОРП, редакция 3.0 (версия 3.0.27)"


# ------------------------------------------------------------------ warnings


def _copy(tmp_path: Path, name: str = "optima-distribution") -> Path:
    shutil.copytree(EXAMPLES / name, tmp_path / name)
    return tmp_path / name / "project.yaml"


def _line_of(text: str, pattern: str) -> int:
    return next(n for n, ln in enumerate(text.splitlines(), start=1) if re.search(pattern, ln))


def test_examples_validate_without_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    for folder in sorted(EXAMPLES.iterdir()):
        if (folder / "project.yaml").exists():
            result = run_cli(capsys, "validate", str(folder))
            assert result.code == 0 and "warning" not in result.err, (folder, result.err)


def test_fewer_licences_than_users_warns_with_location(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _copy(tmp_path)
    text = path.read_text(encoding="utf-8").replace("      count: 39\n", "      count: 29\n")
    path.write_text(text, encoding="utf-8")
    result = run_cli(capsys, "validate", str(path))
    assert result.code == 0, result.err
    line = _line_of(text, r"^  licences:")  # the key, or the list right below it
    assert re.search(rf"warning: \S*project\.yaml:({line}|{line + 1}):\d+: system\.licences: "
                     r"30 user licences for 40 CRM users", result.err), result.err


def test_system_other_than_the_selection_winner_warns(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _copy(tmp_path)
    text = path.read_text(encoding="utf-8").replace('  product: "1С:CRM КОРП"',
                                                    '  product: "amoCRM"')
    path.write_text(text, encoding="utf-8")
    result = run_cli(capsys, "validate", str(path))
    assert result.code == 0, result.err
    line = _line_of(text, r'^  product: "amoCRM"')
    assert re.search(rf"project\.yaml:{line}:\d+: system\.product: the system is 'amoCRM' "
                     r"but the selection ranks '1С:CRM КОРП' first", result.err), result.err


def test_build_reports_model_warnings(tmp_path: Path) -> None:
    from crmimpl.build import BuildOptions, build
    from crmimpl.model.project import load_project

    path = _copy(tmp_path, "kreativ-agency")
    text = path.read_text(encoding="utf-8").replace("      count: 8\n", "      count: 5\n")
    path.write_text(text, encoding="utf-8")
    ctx = build(load_project(path), BuildOptions(out=tmp_path / "out", langs=("ru",),
                                                 formats=("html",), only=("survey",)))
    assert any("system.licences: 5 user licences for 8 CRM users" in w for w in ctx.warnings)


def test_server_licences_are_not_seats() -> None:
    from crmimpl.model.checks import user_licences

    system = _project().system  # type: ignore[attr-defined]
    assert user_licences(system) == 40


def test_survey_of_a_system_in_use_does_not_propose_it() -> None:
    from crmimpl.build import document_markdown
    from crmimpl.documents.workspace import Workspace

    project = _project("kreativ-agency")
    project.system.in_use = True  # type: ignore[attr-defined]
    survey, _ = document_markdown(Workspace(project), "survey", "ru")  # type: ignore[arg-type]
    survey = re.sub(r"\\(.)", r"\1", survey)
    assert "Заказчик уже работает в системе amoCRM" in survey
    assert "предлагается CRM-система" not in survey


def test_licences_say_which_user_classes_they_are_for(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Round 14: "Sales Enterprise 17 / Customer Service Enterprise 18" with nothing to say
    which role gets which, for 22 users in sales-side roles. A licence kind names its user
    classes; every document's licence table says who it is for, and validation warns when
    the count is not their users, or a class gets two kinds, or names no class."""
    from crmimpl.build import document_markdown
    from crmimpl.documents.workspace import Workspace
    from crmimpl.model.project import load_project

    project = load_project(EXAMPLES / "northwind-it")
    survey, _ = document_markdown(Workspace(project), "survey", "en")
    survey = re.sub(r"\\(.)", r"\1", survey)
    classes = {u.id: u for u in project.user_classes}
    for lic in project.system.licences:  # type: ignore[union-attr]
        assert lic.user_classes and lic.count == sum(classes[c].users for c in lic.user_classes)
        row = next(line for line in survey.splitlines() if line.startswith(f"| {lic.kind}"))
        for c in lic.user_classes:
            assert f"{classes[c].name} ({classes[c].users})" in row, row
    for doc in ("spec",):
        text, _ = document_markdown(Workspace(project), doc, "en")
        assert "| Licence | For | Quantity |" in text

    path = _copy(tmp_path, "northwind-it")
    text = path.read_text(encoding="utf-8")
    text = text.replace("      count: 13\n", "      count: 12\n").replace(
        "user_classes: [service_agent, engineer, administrator]",
        "user_classes: [service_agent, engineer, administrator, finance_user]")
    path.write_text(text, encoding="utf-8")
    result = run_cli(capsys, "validate", str(path))
    assert result.code == 0, result.err
    assert "12 licences of 'Dynamics 365 Customer Service Enterprise (per user, monthly)' " \
        "for the 15 users" in result.err, result.err
    assert "user class 'finance_user' is given licences of two kinds" in result.err
    path.write_text(text.replace("finance_user]", "finance_users]"), encoding="utf-8")
    result = run_cli(capsys, "validate", str(path))
    assert result.code == 1 and "no user class with id 'finance_users'" in result.err, \
        result.err
