"""Export → fill → (LibreOffice) → import gives exactly the filled answers."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from crmimpl.errors import CrmimplError
from crmimpl.questionnaire.answers import load_answers
from crmimpl.questionnaire.export import export_for_project
from crmimpl.questionnaire.importer import import_questionnaires
from crmimpl.questionnaire.status import project_status
from tests.conftest import DATA, soffice_convert
from tests.filler import fill_workbook
from tests.helpers import run_cli

FILLED: dict[str, Any] = {
    "company_name": "Mini Ltd",
    "industry": "Retail",
    "activity": "Wholesale of tiles\nand sanitary ware",
    "employees": 120,
    "crm_users": 25,
    "goals": "+30% repeat sales",
    "problems": "Enquiries get lost; =no formula here",
    "current_tool": "Another CRM system",
    "current_tool_name": "amoCRM",
    "org_structure": [{"name": "Sales", "head": "Olga", "headcount": 12, "crm_users": 10}],
    "has_branches": "Yes",
    "branches": "Kazan office",
    "sponsor": "CEO",
    "products_list": [{"name": "Tiles", "share": 60}, {"name": "Installation", "share": 40.5}],
    "average_deal": 150000.5,
    "client_types": ["b2b", "b2c"],
    "portraits": "Builders and designers",
    "sales_channels": ["direct", "website"],
    "main_process": "Enquiry, offer, invoice, delivery",
    "approach": "Improve the processes first",
    "reports_used": "Weekly sales",
    "telephony": "Cloud PBX",
    "call_recording": "No",
    "accounting_system": "1C:Trade Management",
    "exchange_objects": ["counterparties", "invoices"],
    "website": "https://mini.example",
    "data_quality": 3,
    "pd_processing": "Yes",
    "pd_notice": "Don't know",
    "launch_date": dt.datetime(2026, 9, 1),
}
EXPECTED: dict[str, Any] = {
    **FILLED,
    "current_tool": "other_crm",
    "has_branches": True,
    "approach": "to_be",
    "telephony": "cloud_pbx",
    "call_recording": False,
    "accounting_system": "one_c_trade",
    "pd_processing": True,
    "pd_notice": "unknown",
    "launch_date": dt.date(2026, 9, 1),
}
RESPONDENT = {"name": "Ivan Petrov", "position": "CEO", "date": dt.datetime(2026, 3, 10)}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "proj"
    folder.mkdir()
    shutil.copy(DATA / "minimal.yaml", folder / "project.yaml")
    return folder


def _filled_survey(project: Path, tmp_path: Path, answers: dict[str, Any] | None = None,
                   name: str = "survey-en.xlsx") -> Path:
    blank = export_for_project(project, "survey")
    target = tmp_path / "client" / name
    target.parent.mkdir(exist_ok=True)
    return fill_workbook(blank, answers or FILLED, respondent=RESPONDENT, out=target)


def _stored(project: Path, stem: str = "survey") -> dict[str, Any]:
    data = yaml.safe_load((project / "answers" / f"{stem}.yaml").read_text("utf-8"))
    return data  # type: ignore[no-any-return]


def test_round_trip_openpyxl(project: Path, tmp_path: Path) -> None:
    filled = _filled_survey(project, tmp_path)
    result = import_questionnaires(project, [filled])
    assert [s for _, s in result.written] == ["added"]
    stored = _stored(project)
    assert stored["responses"][0]["answers"] == EXPECTED
    assert stored["responses"][0]["source"] == "survey-en.xlsx"
    assert stored["responses"][0]["respondent"] == {
        "name": "Ivan Petrov", "position": "CEO", "date": dt.date(2026, 3, 10)}


@pytest.mark.office
def test_round_trip_through_libreoffice(project: Path, tmp_path: Path, soffice: str) -> None:
    filled = _filled_survey(project, tmp_path)
    saved = soffice_convert(soffice, filled, "xlsx", tmp_path / "lo")
    import_questionnaires(project, [saved])
    assert _stored(project)["responses"][0]["answers"] == EXPECTED


@pytest.mark.office
def test_libreoffice_computes_progress(project: Path, tmp_path: Path, soffice: str) -> None:
    from openpyxl import load_workbook

    filled = _filled_survey(project, tmp_path)
    saved = soffice_convert(soffice, filled, "xlsx", tmp_path / "lo")
    wb = load_workbook(saved, data_only=True)
    section = wb["8. IT landscape and integration"]
    ids = {section.cell(r, 1).value: r for r in range(1, section.max_row + 1)}
    # accounting is answered, so the exchange question applies; telephony is cloud
    assert section.cell(ids["exchange_objects"], 7).value is True
    assert section.cell(ids["telephony_provider"], 7).value is True
    assert 0 < section["D3"].value < 1
    first = wb["1. Company and goals"]
    row = {first.cell(r, 1).value: r for r in range(1, first.max_row + 1)}
    assert first.cell(row["current_tool_name"], 7).value is True


def test_every_problem_reported_at_once(project: Path, tmp_path: Path) -> None:
    bad = {**FILLED, "employees": "many", "crm_users": 0, "website": "not a site",
           "client_types": ["b2b"], "approach": "Whatever", "launch_date": "31.02.2026",
           "org_structure": [{"name": "Sales", "headcount": 1.5}], "sponsor": None}
    filled = _filled_survey(project, tmp_path, bad)
    with pytest.raises(CrmimplError) as info:
        import_questionnaires(project, [filled])
    text = str(info.value)
    for expected in [
        "survey-en.xlsx!1. Company and goals!D9: expected a number, got 'many'",
        "survey-en.xlsx!1. Company and goals!D10: 0 is below the minimum 1",
        "'not a site' is not a web address",
        "'Whatever' is not one of the choices",
        "'31.02.2026' is not a date",
        "survey-en.xlsx!Table 2.1!E5: expected a whole number, got 1.5",
        "required question is not answered: Who in management is accountable",
    ]:
        assert expected in text
    assert not (project / "answers").exists()


def test_formula_in_answer_is_flagged(project: Path, tmp_path: Path) -> None:
    filled = _filled_survey(project, tmp_path, {**FILLED, "goals": "=HYPERLINK(\"x\")",
                                                "employees": "=1+1"})
    with pytest.raises(CrmimplError) as info:
        import_questionnaires(project, [filled])
    assert len(info.value.problems) == 2
    assert all("formula in an answer cell" in p.message for p in info.value.problems)


def test_reimport_shows_differences_and_needs_force(project: Path, tmp_path: Path) -> None:
    import_questionnaires(project, [_filled_survey(project, tmp_path)])
    again = import_questionnaires(project, [_filled_survey(project, tmp_path)])
    assert [s for _, s in again.written] == ["unchanged"]
    changed = _filled_survey(project, tmp_path, {**FILLED, "crm_users": 30})
    with pytest.raises(CrmimplError) as info:
        import_questionnaires(project, [changed])
    assert "crm_users: was 25, survey-en.xlsx says 30" in str(info.value)
    assert "--force" in str(info.value)
    assert _stored(project)["responses"][0]["answers"]["crm_users"] == 25
    import_questionnaires(project, [changed], force=True)
    assert _stored(project)["responses"][0]["answers"]["crm_users"] == 30


def test_another_file_with_other_answers_conflicts(project: Path, tmp_path: Path) -> None:
    import_questionnaires(project, [_filled_survey(project, tmp_path)])
    other = _filled_survey(project, tmp_path, {**FILLED, "sponsor": "COO"}, "survey-2.xlsx")
    with pytest.raises(CrmimplError, match="sponsor: was 'CEO'"):
        import_questionnaires(project, [other])


def test_departments_merge_and_load_answers(project: Path, tmp_path: Path) -> None:
    ctx_answers = {"daily_work": "Calls", "pain_points": "Spreadsheets", "must_have": "Cards",
                   "client_card": "History", "lead_distribution": "In turn (round robin)"}
    blank = export_for_project(project, "requirements", audience="sales")
    sales = fill_workbook(blank, ctx_answers, out=tmp_path / "req-sales.xlsx")
    blank = export_for_project(project, "requirements", audience="management")
    mgmt = fill_workbook(blank, {**ctx_answers, "pain_points": "No reports",
                                 "kpi_panel": "Revenue", "client_card": "Deals",
                                 "request_channels": ["phone"], "segmentation": "ABC"},
                         out=tmp_path / "req-mgmt.xlsx")
    import_questionnaires(project, [sales, mgmt, _filled_survey(project, tmp_path)])
    names = sorted(p.name for p in (project / "answers").iterdir())
    assert names == ["requirements-management.yaml", "requirements-sales.yaml", "survey.yaml"]
    answers = load_answers(project)
    assert answers.report("company.org_structure") == EXPECTED["org_structure"]
    assert answers.get("survey", "telephony") == "cloud_pbx"
    pains = {v.audience: v.value for v in answers.report_all("requirements.pain_points")}
    assert pains == {"sales": "Spreadsheets", "management": "No reports"}
    assert answers.questionnaires["requirements"].by_audience()["sales"]["lead_distribution"] \
        == "round_robin"


def test_employee_survey_keeps_every_voice_and_anonymity(project: Path,
                                                         tmp_path: Path) -> None:
    blank = export_for_project(project, "employee", audience="sales")
    base = {"info_exchange": "Chats", "difficulties": "Too many chats", "wishes": "One card"}
    one = fill_workbook(blank, base, respondent={"name": "Ann", "anonymous": "Yes"},
                        out=tmp_path / "e1.xlsx")
    two = fill_workbook(blank, {**base, "wishes": "Reminders"}, respondent={"name": "Bob"},
                        out=tmp_path / "e2.xlsx")
    import_questionnaires(project, [one, two])
    stored = _stored(project, "employee-sales")
    assert [r["respondent"].get("name") for r in stored["responses"]] == [None, "Bob"]
    assert load_answers(project).get("employee", "wishes") == ["One card", "Reminders"]


def test_status_and_partial_import(project: Path, tmp_path: Path) -> None:
    filled = _filled_survey(project, tmp_path, {"company_name": "Mini Ltd"})
    with pytest.raises(CrmimplError):
        import_questionnaires(project, [filled])
    import_questionnaires(project, [filled], partial=True)
    (row,) = project_status(project)
    assert row.questionnaire == "survey" and row.answered >= 1
    assert "sponsor" in row.open_required and "company_name" not in row.open_required
    assert 0 < row.percent < 20


def test_cli_commands(project: Path, tmp_path: Path,
                      capsys: pytest.CaptureFixture[str]) -> None:
    listed = run_cli(capsys, "questionnaire", "list")
    assert listed.code == 0 and "survey" in listed.out and "requirements" in listed.out
    out = tmp_path / "x.xlsx"
    exported = run_cli(capsys, "questionnaire", "export", str(project), "survey", "--lang",
                       "ru", "-o", str(out))
    assert exported.code == 0 and out.exists()
    default = run_cli(capsys, "questionnaire", "export", str(project), "requirements",
                      "--audience", "sales")
    assert default.code == 0
    assert (project / "out/questionnaires/requirements-sales-en.xlsx").exists()
    bad = run_cli(capsys, "questionnaire", "export", str(project), "requirements",
                  "--audience", "nowhere")
    assert bad.code == 1 and "no department with this id or kind" in bad.err + bad.out
    filled = _filled_survey(project, tmp_path)
    imported = run_cli(capsys, "questionnaire", "import", str(project), str(filled))
    assert imported.code == 0 and "added" in imported.out
    status = run_cli(capsys, "questionnaire", "status", str(project))
    assert status.code == 0 and "survey" in status.out


def test_client_text_never_becomes_a_formula(project: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    text = (project / "project.yaml").read_text("utf-8")
    (project / "project.yaml").write_text(text.replace('name: "Mini Ltd"',
                                                       'name: "=HYPERLINK(1)"'), "utf-8")
    out = export_for_project(project, "survey")
    wb = load_workbook(out)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if c.value == "=HYPERLINK(1)"]
    assert cells and all(c.data_type == "s" for c in cells)


def test_build_outputs_one_workbook_per_department(project: Path, tmp_path: Path) -> None:
    from types import SimpleNamespace

    from crmimpl.model.project import load_project
    from crmimpl.questionnaire.export import build_outputs

    ctx = SimpleNamespace(project=load_project(project),
                          options=SimpleNamespace(out=tmp_path / "out", langs=("ru", "en")))
    names = sorted(p.name for p in build_outputs(ctx))
    assert "requirements-sales-ru.xlsx" in names and "survey-en.xlsx" in names
    assert "employee-sales-en.xlsx" in names and len(names) == 8
