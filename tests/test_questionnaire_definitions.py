"""Questionnaire definitions: the library validates, exports, and broken files say where."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from crmimpl.errors import CrmimplError
from crmimpl.model.questionnaire import LANGUAGES, load_questionnaire
from crmimpl.questionnaire.export import Audience, ExportContext, export_questionnaire
from crmimpl.questionnaire.library import get_questionnaire, load_library

DATA = Path(__file__).parent / "data" / "questionnaires"
KINDS = {"survey", "requirements", "employee", "documents"}


def test_library_has_every_kind_and_enough_questions() -> None:
    library = load_library()
    assert {d.kind for d in library.values()} >= KINDS
    answerable = [q for d in library.values() for q in d.questions() if q.answerable]
    assert len(answerable) >= 60


def test_every_question_has_both_languages_and_distinct_texts() -> None:
    for definition in load_library().values():
        for q in definition.questions():
            assert q.label.ru != q.label.en, q.id
            assert any("а" <= ch <= "я" for ch in q.label.ru.lower()), q.id


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("qid", sorted(load_library()))
def test_every_questionnaire_exports(qid: str, language: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    definition = get_questionnaire(qid)
    ctx = ExportContext("p1", "Client", language,
                        audiences=[Audience("sales", "sales", "Sales")])
    audience = "sales" if definition.audiences else None
    out = export_questionnaire(definition, ctx, tmp_path / f"{qid}.xlsx", audience=audience)
    wb = load_workbook(out)
    meta = {r[0]: r[1] for r in wb["_meta"].iter_rows(values_only=True)}
    assert meta["questionnaire"] == qid
    assert meta["hash"] == definition.content_hash()
    assert meta["language"] == language
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            assert len(dv.promptTitle or "") <= 32
            assert len(dv.prompt or "") <= 255


def test_broken_definition_reports_every_problem_with_line() -> None:
    with pytest.raises(CrmimplError) as info:
        load_questionnaire(DATA / "broken.yaml")
    text = str(info.value)
    assert "broken.yaml:16:18: sections[0].questions[0].choices: no choice list with id " \
        "'levels'" in text
    assert "did you mean 'level'?" in text
    assert "broken.yaml:20:19:" in text and "no question with id 'q3'" in text
    assert "broken.yaml:22:13:" in text and "question id 'q1' is used twice" in text
    assert "broken.yaml:27:19:" in text and "unknown name '__import__'" in text
    assert len(info.value.problems) == 4


@pytest.mark.parametrize(("snippet", "message"), [
    ("type: colour", "'colour' is not one of"),
    ("relevant: \"selected(${q0}, 'zz')\"", "'zz' is not a choice of 'q0'"),
    ("required_if: \"${q1} = 1\"", "cannot refer to its own question"),
    ("pattern: \"([a-z\"", "invalid regular expression"),
    ("min: 5\n        max: 1", "min 5 is greater than max 1"),
])
def test_definition_errors(snippet: str, message: str, tmp_path: Path) -> None:
    text = f"""id: t
version: 1
kind: audit
title: {{ru: "Т", en: "T"}}
introduction: {{ru: "В", en: "I"}}
choice_lists:
  - id: l
    choices: [{{id: a, label: {{ru: "А", en: "A"}}}}]
sections:
  - id: s
    title: {{ru: "С", en: "S"}}
    questions:
      - id: q0
        type: select_multiple
        choices: l
        label: {{ru: "В", en: "Q"}}
      - id: q1
        label: {{ru: "В", en: "Q"}}
        {snippet}
"""
    if "type:" not in snippet:
        text = text.replace("        label: {ru: \"В\", en: \"Q\"}\n        " + snippet,
                            "        type: integer\n        label: {ru: \"В\", en: \"Q\"}\n"
                            "        " + snippet)
    if "pattern" in snippet:
        text = text.replace("type: integer", "type: text")
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CrmimplError) as info:
        load_questionnaire(path)
    assert message in str(info.value)
    assert str(info.value).startswith(f"{path}:")


def test_audit_kind_is_supported_in_a_project_folder(tmp_path: Path) -> None:
    (tmp_path / "questionnaires").mkdir()
    shutil.copy(DATA / "audit_min.yaml", tmp_path / "questionnaires")
    definition = get_questionnaire("audit_min", tmp_path)
    assert definition.kind == "audit"
    assert definition.question("cards_complete").id == "cards_filled"
    with pytest.raises(CrmimplError, match="no questionnaire with this id"):
        get_questionnaire("audit_min")
