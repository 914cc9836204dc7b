"""The mistakes clients make in a returned workbook (openpyxl part of the corpus).

Each case starts from a workbook exported by crmimpl and filled correctly, then does what
a client does (types a percentage sign, a year, a thousands separator, moves or copies
things) and ends with the value the client meant stored, or a clear ``Sheet!Cell``
error: never a silent change. Cases where LibreOffice's own typing matters are in
``tests/test_mistakes_libreoffice.py``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from crmimpl.errors import CrmimplError
from crmimpl.questionnaire.answers import load_answers
from crmimpl.questionnaire.export import export_for_project
from crmimpl.questionnaire.importer import import_questionnaires
from crmimpl.questionnaire.library import get_questionnaire
from tests.conftest import DATA
from tests.filler import fill_workbook
from tests.test_questionnaire_roundtrip import EXPECTED, RESPONDENT

SURVEY = get_questionnaire("survey")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "proj"
    folder.mkdir()
    shutil.copy(DATA / "minimal.yaml", folder / "project.yaml")
    return folder


def filled(project: Path, lang: str = "en", answers: dict[str, Any] | None = None,
           name: str | None = None) -> Path:
    """A correctly filled survey workbook in ``lang`` (choices typed as labels)."""
    blank = export_for_project(project, "survey", language=lang,
                               output=project.parent / f"blank-{lang}.xlsx")
    values = {**EXPECTED, **(answers or {})}
    target = project.parent / "client" / (name or f"survey-{lang}.xlsx")
    target.parent.mkdir(exist_ok=True)
    return fill_workbook(blank, values, respondent=RESPONDENT, definition=SURVEY,
                         out=target)


def answer_cell(wb: Any, qid: str) -> Any:
    """The answer cell of a question (found by the hidden id, as the importer does)."""
    for ws in wb.worksheets:
        for row in range(1, ws.max_row + 1):
            if ws.cell(row, 1).value == qid:
                return ws.cell(row, 4)
    raise KeyError(qid)


def edit(path: Path, change: Any) -> Path:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def typed(path: Path, qid: str, value: Any, number_format: str | None = None) -> Path:
    def change(wb: Any) -> None:
        cell = answer_cell(wb, qid)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
        if number_format:
            cell.number_format = number_format
    return edit(path, change)


def stored(project: Path, qid: str) -> Any:
    return load_answers(project).get("survey", qid)


def refused(project: Path, path: Path) -> str:
    with pytest.raises(CrmimplError) as info:
        import_questionnaires(project, [path])
    assert not (project / "answers").exists() or not any((project / "answers").iterdir())
    return str(info.value)


# ------------------------------------------------------------------ what was meant
MEANT = [
    # (case, language, question, typed, number format, stored)
    ("percent typed with a sign", "en", "repeat_share", "15%", None, 15),
    ("percent typed with a sign, ru", "ru", "repeat_share", "15 %", None, 15),
    ("percent stored as a fraction by the office", "en", "repeat_share", 0.15, "0%", 15),
    ("percent with decimals", "ru", "repeat_share", 0.125, "0.0%", 12.5),
    ("percent as a plain number", "en", "repeat_share", 15, None, 15),
    ("decimal comma in a Russian workbook", "ru", "repeat_share", "0,2", None, 0.2),
    ("thousands with a comma, English", "en", "average_deal", "1,000", None, 1000),
    ("thousands with a space, English", "en", "average_deal", "1 000", None, 1000),
    ("thousands with a space, Russian", "ru", "average_deal", "1 000", None, 1000),
    ("thousands with a no-break space and decimals, Russian", "ru", "average_deal",
     "150\u00a0000,50", None, 150000.5),
    ("grouped with decimals, English", "en", "average_deal", "1,500,000.25", None,
     1500000.25),
    ("whole number with grouping", "en", "crm_users", "1,200", None, 1200),
    ("date as Russian text", "ru", "launch_date", "31.12.2026", None, dt.date(2026, 12, 31)),
    ("date as British text", "en", "launch_date", "31/12/2026", None, dt.date(2026, 12, 31)),
    ("date as American text", "en", "launch_date", "12/31/2026", None, dt.date(2026, 12, 31)),
    ("date as ISO text", "en", "launch_date", "2026-12-31", None, dt.date(2026, 12, 31)),
    ("date as ISO text, ru", "ru", "launch_date", "2026-12-31", None, dt.date(2026, 12, 31)),
    ("date with a short year, ru", "ru", "launch_date", "31.12.26", None,
     dt.date(2026, 12, 31)),
    ("choice typed in the other language", "ru", "telephony", "Cloud PBX", None,
     "cloud_pbx"),
    ("amount with the currency, ru", "ru", "average_deal", "150 000 руб.", None, 150000),
    ("amount in millions, ru", "ru", "average_deal", "1,5 млн руб.", None, 1500000),
    ("amount with the currency code, en", "en", "average_deal", "RUB 1,000", None, 1000),
    ("amount in thousands, en", "en", "average_deal", "150k", None, 150000),
    # a question's date precision: a year, a month or a day
    ("a year in a year question", "en", "founded", 2009, None, 2009),
    ("a year with 'г.' in a year question", "ru", "founded", "2009 г.", None, 2009),
    ("a year the office turned into a day of 1905", "en", "founded",
     dt.datetime(1905, 7, 1), "YYYY-MM-DD", 2009),
    ("a full date in a year question", "ru", "founded", "15.03.2009", None, 2009),
    ("a month as digits, ru", "ru", "pilot_month", "03.2026", None, "2026-03"),
    ("a month as digits, en", "en", "pilot_month", "3/2026", None, "2026-03"),
    ("a month as ISO text", "en", "pilot_month", "2026-03", None, "2026-03"),
    ("a month by name, en", "en", "pilot_month", "March 2026", None, "2026-03"),
    ("a month by name, ru", "ru", "pilot_month", "март 2026", None, "2026-03"),
    ("a month in the genitive with 'г.', ru", "ru", "pilot_month", "мая 2026 г.", None,
     "2026-05"),
    ("a short month name, en", "en", "pilot_month", "Sep 2026", None, "2026-09"),
    ("a full date in a month question", "ru", "pilot_month", dt.datetime(2026, 3, 15),
     "DD.MM.YYYY", "2026-03"),
]


@pytest.mark.parametrize("case", MEANT, ids=[c[0] for c in MEANT])
def test_the_value_meant_is_stored(project: Path, case: tuple[Any, ...]) -> None:
    _, lang, qid, value, number_format, expected = case
    path = typed(filled(project, lang), qid, value, number_format)
    result = import_questionnaires(project, [path])
    assert [s for _, s in result.written] == ["added"]
    assert stored(project, qid) == expected
    assert type(stored(project, qid)) is type(expected)


REFUSED = [
    # (case, language, question, typed, number format, words of the message)
    ("year only in a date cell", "en", "launch_date", 2026, "YYYY-MM-DD",
     "2026 is a year, not a date"),
    ("year only as text", "ru", "launch_date", "2026", None, "2026 is a year, not a date"),
    ("month and year", "ru", "launch_date", "12.2026", None, "is a month, not a date"),
    ("ambiguous day and month, English", "en", "launch_date", "01/02/2026", None,
     "may be 1 February or 2 January"),
    ("a date far in the past", "en", "launch_date", dt.datetime(1812, 9, 7), None,
     "cannot be meant"),
    ("comma thousands in a Russian workbook", "ru", "average_deal", "1,000", None,
     "can be read as a thousand or as one"),
    ("decimal comma in an English workbook", "en", "repeat_share", "0,2", None,
     "a decimal is written with a point"),
    ("percentage in a money cell", "en", "average_deal", "15%", None, "is a percentage"),
    ("percent-formatted number in a money cell", "en", "average_deal", 0.15, "0%",
     "'15%' is a percentage"),
    ("percent above 100", "en", "repeat_share", "150%", None, "above the maximum 100"),
    ("a word in a number cell", "ru", "crm_users", "около двадцати", None,
     "expected a number"),
    ("an amount in another currency", "en", "average_deal", "$1,000", None,
     "is in USD; the question asks for RUB"),
    ("an amount the office formatted in another currency", "en", "average_deal", 1000,
     '"$"#,##0', "was typed in USD"),
    ("an amount in another currency, ru", "ru", "average_deal", "100 евро", None,
     "is in EUR; the question asks for RUB"),
    ("not a web address", "en", "website", "our site", None, "is not a web address"),
    ("a year in a month question", "en", "pilot_month", "2026", None,
     "2026 is a year; the question asks for a month; type the month and year, e.g. 03/2026"),
    ("a year as a number in a month question", "ru", "pilot_month", 2026, None,
     "type the month and year, e.g. 03.2026"),
    ("a season in a month question", "ru", "pilot_month", "весной 2026", None,
     "is not a month"),
    ("a word in a year question", "en", "founded", "long ago", None,
     "'long ago' is not a year; type the year, e.g. 2009"),
    ("a year that cannot be meant", "en", "founded", 1066, None,
     "1066 cannot be the year meant"),
    ("a year in a day question", "ru", "launch_date", 2026, None,
     "type a full date, e.g. 31.12.2026"),
]


@pytest.mark.parametrize("case", REFUSED, ids=[c[0] for c in REFUSED])
def test_what_cannot_be_read_for_sure_is_an_error_at_the_cell(
        project: Path, case: tuple[Any, ...]) -> None:
    from openpyxl import load_workbook

    _, lang, qid, value, number_format, message = case
    path = typed(filled(project, lang), qid, value, number_format)
    cell = answer_cell(load_workbook(path), qid)
    text = refused(project, path)
    assert f"{path.name}!{cell.parent.title}!{cell.coordinate}" in text
    assert message in text


def test_choices_are_listed_in_the_workbook_language(project: Path) -> None:
    path = typed(filled(project, "ru"), "telephony", "Мобильные")
    text = refused(project, path)
    assert "is not one of the choices" in text
    assert "Облачная АТС" in text and "Cloud PBX" not in text


# --------------------------------------------------------------- moved, copied, deleted
def test_inserted_column_before_the_answer_column(project: Path) -> None:
    def insert(wb: Any) -> None:
        for ws in wb.worksheets:
            if ws.title not in ("_meta", "_lists") and ws.cell(4, 1).value == "id":
                ws.insert_cols(3)
    path = edit(filled(project), insert)
    result = import_questionnaires(project, [path])
    assert not [w for w in result.warnings if "not in the workbook" in w]
    assert load_answers(project).questionnaires["survey"].files[""].responses[0].answers \
        == EXPECTED


def test_inserted_rows_and_columns_everywhere(project: Path) -> None:
    def insert(wb: Any) -> None:
        for ws in wb.worksheets:
            if ws.title not in ("_meta", "_lists"):
                ws.insert_rows(1, 2)
                ws.insert_cols(1)
    path = edit(filled(project), insert)
    import_questionnaires(project, [path])
    response = load_answers(project).questionnaires["survey"].files[""].responses[0]
    assert response.answers == EXPECTED
    assert response.respondent.name == RESPONDENT["name"]


def test_copied_sheet_edited_is_an_error_naming_both_sheets(project: Path) -> None:
    def copy(wb: Any) -> None:
        original = answer_cell(wb, "crm_users").parent
        draft = wb.copy_worksheet(original)
        answer_cell(wb, "crm_users")  # the original comes first
        for row in range(1, draft.max_row + 1):
            if draft.cell(row, 1).value == "crm_users":
                draft.cell(row, 4).value = 99
        copy.names = (original.title, draft.title)  # type: ignore[attr-defined]
    path = edit(filled(project), copy)
    text = refused(project, path)
    first, second = copy.names  # type: ignore[attr-defined]
    assert f"'{first}'" in text and f"'{second}'" in text and "crm_users" in text
    assert "not guessed" in text


def test_copied_sheet_unchanged_is_read_once(project: Path) -> None:
    path = edit(filled(project), lambda wb: wb.copy_worksheet(
        answer_cell(wb, "crm_users").parent))
    result = import_questionnaires(project, [path])
    assert any("read once" in w for w in result.warnings)
    assert stored(project, "crm_users") == EXPECTED["crm_users"]


def test_copied_table_sheet_is_an_error(project: Path) -> None:
    def copy(wb: Any) -> None:
        ws = next(ws for ws in wb.worksheets if ws.cell(3, 1).value == "table::org_structure")
        wb.copy_worksheet(ws)
    text = refused(project, edit(filled(project), copy))
    assert "repeats the table" in text


def test_deleted_optional_row_is_named_without_far_cell_noise(project: Path) -> None:
    def delete(wb: Any) -> None:
        cell = answer_cell(wb, "website")
        cell.parent.delete_rows(cell.row)
    path = edit(filled(project), delete)
    result = import_questionnaires(project, [path])
    assert any("'website'" in w and "deleted" in w for w in result.warnings)
    assert not any("as far as" in w for w in result.warnings)
    assert stored(project, "website") is None


def test_deleted_required_row_is_an_error_saying_so(project: Path) -> None:
    def delete(wb: Any) -> None:
        cell = answer_cell(wb, "sponsor")
        cell.parent.delete_rows(cell.row)
    text = refused(project, edit(filled(project), delete))
    assert "question 'sponsor'" in text and "missing from the workbook" in text


def test_far_formatting_alone_gives_no_warning(project: Path) -> None:
    from openpyxl.styles import Font

    def far(wb: Any) -> None:
        answer_cell(wb, "crm_users").parent["J5000"].font = Font(bold=True)
    result = import_questionnaires(project, [edit(filled(project), far)])
    assert not any("as far as" in w for w in result.warnings)


# --------------------------------------------------------------- aids in the workbook
def _prompts(path: Path, questions: tuple[str, ...] = ("website", "repeat_share",
                                                       "average_deal")) -> dict[str, str]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    out = {}
    for qid in questions:
        cell = answer_cell(wb, qid)
        for dv in cell.parent.data_validations.dataValidation:
            if cell.coordinate in dv.sqref:
                out[qid] = dv.prompt or ""
    return out


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", {"website": "https://", "repeat_share": "15%", "average_deal": "in figures"}),
    ("ru", {"website": "https://", "repeat_share": "15%", "average_deal": "цифрами"}),
])
def test_cells_carry_a_hint_of_what_to_type(project: Path, lang: str,
                                            expected: dict[str, str]) -> None:
    blank = export_for_project(project, "survey", language=lang,
                               output=project.parent / f"hints-{lang}.xlsx")
    prompts = _prompts(blank)
    for qid, text in expected.items():
        assert text in prompts[qid], (qid, prompts[qid])


def test_comment_column_is_imported_and_kept_with_the_answer(project: Path) -> None:
    def comment(wb: Any) -> None:
        cell = answer_cell(wb, "crm_users")
        header = [c.value for c in cell.parent[4]]
        assert header[5] == "Комментарий"
        cell.parent.cell(cell.row, 6).value = "примерно, летом больше"
    path = edit(filled(project, "ru"), comment)
    import_questionnaires(project, [path])
    response = load_answers(project).questionnaires["survey"].files[""].responses[0]
    assert response.comments == {"crm_users": "примерно, летом больше"}
    answers = load_answers(project)
    (item,) = [i for i in answers.questionnaires["survey"].entries()
               if i.question == "crm_users"]
    assert item.comments == ["примерно, летом больше"]
    assert item.value == EXPECTED["crm_users"]


def table_sheet(wb: Any, qid: str) -> Any:
    for ws in wb.worksheets:
        if ws.cell(3, 1).value == f"table::{qid}":
            return ws
    raise KeyError(qid)


@pytest.mark.parametrize(("lang", "year_hint", "month_hint"), [
    ("ru", "год, например 2009", "месяц и год, например 03.2026 или март 2026"),
    ("en", "a year, e.g. 2009", "a month and year, e.g. 03/2026 or March 2026")])
def test_the_hint_says_which_date_precision_is_wanted(project: Path, lang: str,
                                                      year_hint: str, month_hint: str) -> None:
    from openpyxl import load_workbook

    blank = export_for_project(project, "survey", language=lang,
                               output=project.parent / f"dates-{lang}.xlsx")
    prompts = _prompts(blank, ("founded", "pilot_month"))
    assert year_hint in prompts["founded"]
    assert month_hint in prompts["pilot_month"]
    wb = load_workbook(blank)
    assert answer_cell(wb, "founded").number_format == "0"  # a number, never a day of 1905
    assert answer_cell(wb, "pilot_month").number_format == "@"  # 03.2026 stays text
    row = answer_cell(wb, "founded").row
    assert year_hint in str(answer_cell(wb, "founded").parent.cell(row, 5).value)


def test_a_month_and_a_year_reach_the_report_as_such(project: Path) -> None:
    from crmimpl.documents import survey_answers as sa
    from crmimpl.model.project import load_project

    path = filled(project, "ru", {"founded": 2009, "pilot_month": "2026-03"})
    import_questionnaires(project, [path])
    assert stored(project, "pilot_month") == "2026-03"
    cat = sa.catalog(sa.library_for(load_project(project)))
    answers = load_answers(project)
    facts = {f["label"]: f["value"] for key in ("company.founded", "rollout.pilot_month")
             for f in sa.topic(answers, cat, (key,), "ru")["facts"]}
    assert facts == {"Год основания": "2009",
                     "Желаемое начало опытной эксплуатации": "март 2026\u00a0г."}
    en = {f["value"] for f in sa.topic(answers, cat, ("rollout.pilot_month",), "en")["facts"]}
    assert en == {"March 2026"}


def test_precision_is_for_dates_only() -> None:
    from crmimpl.model.questionnaire import Questionnaire

    data = SURVEY.model_dump(mode="json", exclude_none=True)
    question = data["sections"][0]["questions"][0]
    question["precision"] = "month"
    problems = Questionnaire.model_validate(data).reference_problems()
    assert any(path[-1] == "precision" and "applies to dates, not" in text
               for path, text, _ in problems)


@pytest.mark.parametrize(("lang", "title"), [("ru", "Комментарий"), ("en", "Comment")])
def test_table_sheets_have_a_comment_column(project: Path, lang: str, title: str) -> None:
    from openpyxl import load_workbook

    blank = export_for_project(project, "survey", language=lang,
                               output=project.parent / f"blank-{lang}.xlsx")
    ws = table_sheet(load_workbook(blank), "products_list")
    ids = [c.value for c in ws[3]]
    col = ids.index("@comment") + 1
    assert ids[col - 2] == "comment"  # after the table's own last column
    assert ws.cell(4, col).value == title
    assert ws.cell(5, col).protection.locked is False
    checklist = project.parent / "checklist.xlsx"
    from crmimpl.model.project import load_project
    from crmimpl.questionnaire.audit import export_checklist
    export_checklist(load_project(project), checklist, lang=lang)
    for sheet in load_workbook(checklist).worksheets:
        assert "@comment" not in [c.value for c in sheet[3]]  # it has its own column


def test_table_row_comments_are_imported_and_reach_the_report(project: Path) -> None:
    from crmimpl.documents import survey_answers as sa
    from crmimpl.model.project import load_project

    rows = [{**EXPECTED["products_list"][0], "@comment": "в сезон до 80 %"},
            EXPECTED["products_list"][1], {"@comment": "  услуги монтажа   пока не считаем"}]
    path = filled(project, "ru", {"products_list": rows})
    import_questionnaires(project, [path])
    answers = load_answers(project)
    response = answers.questionnaires["survey"].files[""].responses[0]
    assert response.comments["products_list"] == ("Tiles: в сезон до 80 %\n"
                                                   "Строка 3: услуги монтажа пока не считаем")
    assert response.answers["products_list"] == EXPECTED["products_list"]  # no extra row
    (item,) = [i for i in answers.questionnaires["survey"].entries()
               if i.question == "products_list"]
    assert item.comments == [response.comments["products_list"]]
    cat = sa.catalog(sa.library_for(load_project(project)))
    (table,) = sa.topic(answers, cat, ("company.products",), "ru")["tables"]
    assert table["notes"] == ["Пояснение респондента: Tiles: в сезон до 80 %",
                              "Пояснение респондента: Строка 3: услуги монтажа пока не считаем"]


def test_a_changed_table_comment_is_in_the_diff(project: Path) -> None:
    rows = [{**EXPECTED["products_list"][0], "@comment": "first"},
            EXPECTED["products_list"][1]]
    import_questionnaires(project, [filled(project, "en", {"products_list": rows})])
    rows[0] = {**rows[0], "@comment": "second"}
    with pytest.raises(CrmimplError) as info:
        import_questionnaires(project, [filled(project, "en", {"products_list": rows})])
    assert "products_list (comment): was 'Tiles: first'" in str(info.value)


def test_happy_path_stores_exactly_what_was_typed_in_both_languages(project: Path) -> None:
    for lang in ("en", "ru"):
        folder = project.parent / f"p-{lang}"
        folder.mkdir()
        shutil.copy(project / "project.yaml", folder / "project.yaml")
        import_questionnaires(folder, [filled(folder, lang)])
        response = load_answers(folder).questionnaires["survey"].files[""].responses[0]
        assert response.answers == EXPECTED, lang


def test_copied_first_sheet_with_another_name_is_an_error(project: Path) -> None:
    def copy(wb: Any) -> None:
        draft = wb.copy_worksheet(wb.worksheets[0])
        for row in range(1, draft.max_row + 1):
            if draft.cell(row, 1).value == "@respondent.name":
                draft.cell(row, 3).value = "Someone Else"
    text = refused(project, edit(filled(project), copy))
    assert "@respondent.name" in text and "not guessed" in text


def test_a_fraction_in_a_percent_question_is_kept_and_said(project: Path) -> None:
    path = typed(filled(project), "repeat_share", 0.15)
    result = import_questionnaires(project, [path])
    assert stored(project, "repeat_share") == 0.15
    assert any("repeat_share: stored 0.15 percent as typed; if 15% was meant" in w
               for w in result.warnings)


CONTACTS = """\
id: contacts
version: 1
kind: survey
title: {ru: "Контакты", en: "Contacts"}
introduction: {ru: "Контакты компании.", en: "The company's contacts."}
sections:
  - id: main
    title: {ru: "Контакты", en: "Contacts"}
    questions:
      - {id: email, type: email, label: {ru: "Почта", en: "E-mail"}}
      - {id: phone, type: phone, label: {ru: "Телефон", en: "Phone"}}
"""


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_email_and_phone_cells_carry_a_hint_and_are_checked(project: Path, lang: str) -> None:
    from openpyxl import load_workbook

    (project / "questionnaires").mkdir()
    (project / "questionnaires" / "contacts.yaml").write_text(CONTACTS, "utf-8")
    blank = export_for_project(project, "contacts", language=lang,
                               output=project.parent / f"contacts-{lang}.xlsx")
    wb = load_workbook(blank)
    prompts = {}
    for qid in ("email", "phone"):
        cell = answer_cell(wb, qid)
        prompts[qid] = next(dv.prompt for dv in cell.parent.data_validations.dataValidation
                            if cell.coordinate in dv.sqref)
    assert "name@company" in prompts["email"] and "+" in prompts["phone"]
    good = fill_workbook(blank, {"email": "olga@mini.example", "phone": "+7 495 123-45-67"},
                         respondent=RESPONDENT, out=project.parent / "good.xlsx")
    import_questionnaires(project, [good])
    assert load_answers(project).get("contacts", "phone") == "+7 495 123-45-67"
    bad = fill_workbook(blank, {"email": "olga at mini", "phone": "call Olga"},
                        respondent=RESPONDENT, out=project.parent / "bad.xlsx")
    with pytest.raises(CrmimplError) as info:
        import_questionnaires(project, [bad])
    assert "is not an e-mail address (type it as name@company.com)" in str(info.value)
    assert "is not a phone number" in str(info.value)
    assert "2 problems; nothing imported" in str(info.value)
