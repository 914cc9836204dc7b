"""Respondents are first-class: nobody's answers replace another person's.

Two people of one department returning the same workbook both survive and both reach
the report; disagreements are listed and settled by the consultant, never guessed; a
respondent's newer workbook shows the diff and needs --force; old answers files read.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from crmimpl.documents.common import report_entries
from crmimpl.errors import CrmimplError
from crmimpl.questionnaire.answers import load_answers
from crmimpl.questionnaire.export import export_for_project
from crmimpl.questionnaire.importer import import_questionnaires
from crmimpl.questionnaire.settle import project_conflicts, settle
from crmimpl.questionnaire.status import expected_workbooks, project_status, render_status
from tests.conftest import DATA, EXAMPLES
from tests.filler import fill_workbook
from tests.helpers import run_cli

REQ = {"daily_work": "Calls", "pain_points": "Spreadsheets", "must_have": "Cards",
       "client_card": "History"}
OLGA = {"name": "Olga Ivanova", "position": "Head of sales", "department": "Sales",
        "date": dt.datetime(2026, 3, 10)}
PAVEL = {"name": "Pavel Smirnov", "position": "Sales manager", "department": "Sales",
         "date": dt.datetime(2026, 3, 11)}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "proj"
    folder.mkdir()
    shutil.copy(DATA / "minimal.yaml", folder / "project.yaml")
    return folder


def returned(project: Path, questionnaire: str, answers: dict[str, Any],
             respondent: dict[str, Any], who: str) -> Path:
    """The same file name every time, as two people of one department send it back."""
    blank = export_for_project(project, questionnaire, audience="sales")
    folder = project.parent / "mail" / who
    folder.mkdir(parents=True, exist_ok=True)
    return fill_workbook(blank, answers, respondent=respondent, out=folder / blank.name)


def stored(project: Path, stem: str) -> dict[str, Any]:
    return yaml.safe_load((project / "answers" / f"{stem}.yaml").read_text("utf-8"))


def test_two_employees_of_one_department_both_survive(project: Path) -> None:
    base = {"info_exchange": "Chats", "difficulties": "Too many chats", "wishes": "One card"}
    one = returned(project, "employee", base, {"name": "Ann"}, "ann")
    two = returned(project, "employee", {**base, "difficulties": "Paper"}, {"name": "Bob"},
                   "bob")
    assert one.name == two.name == "employee-sales-en.xlsx"
    import_questionnaires(project, [one])
    result = import_questionnaires(project, [two])
    assert [s for _, s in result.written] == ["added"]
    data = stored(project, "employee-sales")
    assert [r["respondent"]["name"] for r in data["responses"]] == ["Ann", "Bob"]
    assert load_answers(project).get("employee", "difficulties") == ["Too many chats", "Paper"]


def test_two_anonymous_employees_both_survive(project: Path) -> None:
    base = {"info_exchange": "Chats", "difficulties": "Too many chats", "wishes": "One card"}
    anonymous = {"anonymous": "Yes"}
    one = returned(project, "employee", base, anonymous, "a")
    two = returned(project, "employee", {**base, "difficulties": "Paper"}, anonymous, "b")
    import_questionnaires(project, [one])
    import_questionnaires(project, [two])
    assert import_questionnaires(project, [two]).written[0][1] == "unchanged"
    data = stored(project, "employee-sales")
    assert len(data["responses"]) == 2
    assert all("name" not in r["respondent"] for r in data["responses"])


def test_two_heads_disagree_conflict_is_listed_then_settled(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    olga = returned(project, "requirements", REQ, OLGA, "olga")
    pavel = returned(project, "requirements", {**REQ, "pain_points": "Lost calls"}, PAVEL,
                     "pavel")
    import_questionnaires(project, [olga])
    result = import_questionnaires(project, [pavel])  # no --force: nothing is replaced
    assert [s for _, s in result.written] == ["added"]
    assert any("pain_points: respondents disagree" in w and "Olga Ivanova" in w
               and "Pavel Smirnov" in w for w in result.warnings)

    answers = load_answers(project)
    # both voices reach the report, named; the single value is not guessed
    entries = report_entries(answers, ["requirements.pain_points"], "en")
    assert [e["answer"] for e in entries] == [
        "Olga Ivanova (Head of sales): Spreadsheets", "Pavel Smirnov (Sales manager): Lost calls"]
    assert answers.report("requirements.pain_points") is None
    assert answers.report("requirements.daily_work") == "Calls"
    assert [c.question for c in answers.unsettled()] == ["pain_points"]

    listed = run_cli(capsys, "questionnaire", "conflicts", str(project))
    assert "requirements-sales: pain_points: not settled" in listed.out
    assert "Pavel Smirnov (Sales manager): 'Lost calls'" in listed.out
    status = run_cli(capsys, "questionnaire", "status", str(project))
    assert "answered by Olga Ivanova (Head of sales); Pavel Smirnov (Sales manager)" \
        in status.out
    assert "1 conflict to settle" in status.out

    done = run_cli(capsys, "questionnaire", "settle", str(project), "requirements-sales",
                   "pain_points", "--take", "pavel", "--note", "agreed at the meeting")
    assert done.code == 0, done.err
    settled = stored(project, "settled")["settled"]["requirements-sales"]["pain_points"]
    assert settled["value"] == "Lost calls" and settled["note"] == "agreed at the meeting"
    answers = load_answers(project)
    assert answers.report("requirements.pain_points") == "Lost calls"
    assert [e["answer"] for e in report_entries(
        answers, ["requirements.pain_points"], "en")] == ["Lost calls"]
    assert not answers.unsettled()
    assert "settled: 'Lost calls'" in run_cli(capsys, "questionnaire", "conflicts",
                                              str(project)).out


def test_settle_with_a_typed_value_and_bad_requests(project: Path) -> None:
    import_questionnaires(project, [
        returned(project, "requirements", {**REQ, "reminders_importance": 3}, OLGA, "o"),
        returned(project, "requirements", {**REQ, "reminders_importance": 5}, PAVEL, "p")])
    record = settle(project, "requirements-sales", "reminders_importance", value="4")
    assert record.value == 4
    assert project_conflicts(project)[0].settled is not None
    for kwargs, message in [({}, "either --take"), ({"take": "nobody"}, "matches nobody"),
                            ({"value": "many"}, "expected a number")]:
        with pytest.raises(CrmimplError, match=message):
            settle(project, "requirements-sales", "reminders_importance", **kwargs)
    with pytest.raises(CrmimplError, match="no such answers file"):
        settle(project, "requirements-nobody", "x", value="1")


def test_same_respondent_newer_file_shows_the_diff_and_needs_force(project: Path) -> None:
    import_questionnaires(project, [returned(project, "requirements", REQ, OLGA, "v1")])
    newer = returned(project, "requirements", {**REQ, "must_have": "Cards, tasks"}, OLGA,
                     "v2")
    with pytest.raises(CrmimplError) as info:
        import_questionnaires(project, [newer])
    assert "must_have: was 'Cards', requirements-sales-en.xlsx says 'Cards, tasks'" \
        in str(info.value)
    assert "--force" in str(info.value)
    import_questionnaires(project, [newer], force=True)
    (response,) = stored(project, "requirements-sales")["responses"]
    assert response["answers"]["must_have"] == "Cards, tasks"
    assert response["key"] == "name:olga ivanova"
    assert isinstance(response["imported"], dt.datetime)


def test_status_names_departments_that_have_not_answered(project: Path) -> None:
    from crmimpl.model.project import load_project

    import_questionnaires(project, [returned(project, "requirements", REQ, OLGA, "o")])
    rows = project_status(project, expected_workbooks(load_project(project)))
    missing = {(r.questionnaire, r.audience) for r in rows if not r.returned}
    assert ("employee", "sales") in missing and ("survey", None) in missing
    assert ("requirements", "sales") not in missing
    text = render_status(rows)
    assert "not returned yet" in text and "answered by Olga Ivanova" in text


def test_comment_reaches_status(project: Path) -> None:
    from openpyxl import load_workbook

    path = returned(project, "requirements", REQ, OLGA, "o")
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in range(1, ws.max_row + 1):
            if ws.cell(row, 1).value == "must_have":
                ws.cell(row, 6).value = "ask the sales director too"
    wb.save(path)
    import_questionnaires(project, [path])
    text = render_status(project_status(project))
    assert "comment on must_have by Olga Ivanova (Head of sales): ask the sales director" \
        in text


@pytest.mark.parametrize("example", ["optima-distribution", "northwind-it"])
def test_example_answers_written_before_respondent_keys_still_read(
        example: str, tmp_path: Path) -> None:
    folder = tmp_path / example
    shutil.copytree(EXAMPLES / example, folder, ignore=shutil.ignore_patterns("out"))
    before = load_answers(EXAMPLES / example)
    assert not before.conflicts
    survey = before.questionnaires["survey"].files[""].responses[0]
    assert survey.key is None and survey.identity().startswith("name:")
    # a second person's survey is added beside the first one, not over it
    lang = "en" if example == "northwind-it" else "ru"
    blank = export_for_project(folder, "survey", language=lang,
                               output=tmp_path / f"survey-{lang}.xlsx")
    second = fill_workbook(blank, {"company_name": "X", "crm_users": 3},
                           respondent={"name": "Second Person"}, out=tmp_path / "2.xlsx")
    import_questionnaires(folder, [second], partial=True)
    responses = load_answers(folder).questionnaires["survey"].files[""].responses
    assert [r.respondent.name for r in responses][1] == "Second Person"
    assert responses[0].answers == survey.answers


def test_build_warns_about_unsettled_conflicts(project: Path) -> None:
    from crmimpl.build import BuildOptions, build
    from crmimpl.model.project import load_project

    import_questionnaires(project, [
        returned(project, "requirements", REQ, OLGA, "o"),
        returned(project, "requirements", {**REQ, "must_have": "Tasks"}, PAVEL, "p")])
    ctx = build(load_project(project), BuildOptions(out=project / "out", only=("survey",),
                                                    formats=("html",), langs=("en",)))
    assert any("answers/requirements-sales.yaml: respondents disagree on must_have" in w
               for w in ctx.warnings)


def test_unsigned_workbook_is_stored_under_its_file_name_with_a_warning(
        project: Path) -> None:
    result = import_questionnaires(project, [returned(project, "requirements", REQ, {}, "x")])
    assert any("the respondent's name is empty" in w and "!C" in w for w in result.warnings)
    (response,) = stored(project, "requirements-sales")["responses"]
    assert response["key"] == "file:requirements-sales-en.xlsx"


def test_import_names_each_respondent(project: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    olga = returned(project, "requirements", REQ, OLGA, "olga")
    pavel = returned(project, "requirements", {**REQ, "must_have": "Tasks"}, PAVEL, "pavel")
    result = run_cli(capsys, "questionnaire", "import", str(project), str(olga), str(pavel))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("added: ") and lines[0].endswith(
        "requirements-sales.yaml (Olga Ivanova (Head of sales), from "
        "requirements-sales-en.xlsx)")
    assert "Pavel Smirnov (Sales manager)" in lines[1]
    assert "must_have: respondents disagree" in result.err


def test_a_changed_comment_is_in_the_diff(project: Path) -> None:
    from openpyxl import load_workbook

    def with_comment(text: str, who: str) -> Path:
        path = returned(project, "requirements", REQ, OLGA, who)
        wb = load_workbook(path)
        for ws in wb.worksheets:
            for row in range(1, ws.max_row + 1):
                if ws.cell(row, 1).value == "must_have":
                    ws.cell(row, 6).value = text
        wb.save(path)
        return path

    import_questionnaires(project, [with_comment("first thoughts", "v1")])
    with pytest.raises(CrmimplError) as info:
        import_questionnaires(project, [with_comment("after the meeting", "v2")])
    assert "must_have (comment): was 'first thoughts'" in str(info.value)
    assert "says 'after the meeting'" in str(info.value)


def test_both_respondents_reach_the_survey_report(project: Path) -> None:
    from crmimpl.build import document_markdown
    from crmimpl.documents.workspace import Workspace
    from crmimpl.model.project import load_project
    from tests.test_questionnaire_roundtrip import FILLED

    blank = export_for_project(project, "survey")
    folder = project.parent / "mail"
    folder.mkdir(exist_ok=True)
    first = fill_workbook(blank, FILLED, respondent=OLGA, out=folder / "survey-en.xlsx")
    second = fill_workbook(blank, {**FILLED, "goals": "Fewer lost enquiries"},
                           respondent=PAVEL, out=folder / "survey-en (2).xlsx")
    import_questionnaires(project, [first, second])
    markdown, _ = document_markdown(Workspace(load_project(project)), "survey", "en")
    markdown = markdown.replace("\\", "")  # Markdown escapes of punctuation
    assert "Olga Ivanova (Head of sales): +30% repeat sales" in markdown
    assert "Pavel Smirnov (Sales manager): Fewer lost enquiries" in markdown
