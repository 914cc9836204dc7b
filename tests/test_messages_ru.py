"""The CLI speaks to the consultant in the project's language about a client's workbook:
errors at Sheet!Cell, hints, warnings and the one summary line are Russian for a Russian
project (counted nouns agreeing with their number) and English for an English one;
CRMIMPL_MESSAGES=en forces English. (tests/conftest.py sets it for the other tests.)"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from string import Formatter
from typing import Any

import pytest

from crmimpl.i18n import plural_ru
from tests.conftest import DATA, EXAMPLES
from tests.filler import fill_workbook
from tests.helpers import run_cli

OLGA = {"name": "Ольга Иванова", "position": "Директор"}


@pytest.fixture
def russian(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """kreativ (a Russian project), with messages in the project's language."""
    monkeypatch.delenv("CRMIMPL_MESSAGES", raising=False)
    folder = tmp_path / "kreativ"
    shutil.copytree(EXAMPLES / "kreativ-agency", folder,
                    ignore=shutil.ignore_patterns("out", "fill"))
    return folder


def workbook(capsys: pytest.CaptureFixture[str], project: Path, answers: dict[str, Any],
             lang: str = "ru") -> Path:
    blank = project.parent / f"blank-{lang}.xlsx"
    assert run_cli(capsys, "questionnaire", "export", str(project), "survey", "--lang", lang,
                   "-o", str(blank)).code == 0
    (project.parent / "mail").mkdir(exist_ok=True)
    return fill_workbook(blank, answers, respondent=OLGA,
                         out=project.parent / "mail" / f"survey-{lang}.xlsx")


def summary_agrees(line: str, lang: str) -> None:
    """The one summary line, its noun agreeing with the number."""
    if lang == "ru":
        found = re.fullmatch(r"(\d+) (ошибка|ошибки|ошибок); ничего не импортировано", line)
        assert found, line
        assert found[2] == plural_ru(int(found[1]), "ошибка", "ошибки", "ошибок")
    else:
        found = re.fullmatch(r"(\d+) (problem|problems); nothing imported", line)
        assert found, line
        assert found[2] == ("problem" if found[1] == "1" else "problems")


def test_import_errors_are_russian_for_a_russian_project(
        russian: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = workbook(capsys, russian, {"crm_users": "много", "pilot_month": "2026",
                                      "launch_date": "весной"})
    result = run_cli(capsys, "questionnaire", "import", str(russian), str(path))
    assert result.code == 1
    err = result.err
    assert re.search(r"survey-ru\.xlsx!.+!D\d+: ожидается число, а введено «много»", err)
    assert "2026 — это год, а в вопросе нужен месяц; введите месяц и год, например 03.2026" \
        in err
    assert "«весной» — не дата; введите полную дату, например 31.12.2026" in err
    assert "нет ответа на обязательный вопрос: " in err
    assert "    подсказка: ответьте на него или импортируйте с --partial" in err
    assert "hint:" not in err and "expected" not in err and "required question" not in err
    summary_agrees(err.splitlines()[-1], "ru")


def test_a_missing_file_is_said_in_russian(russian: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "questionnaire", "import", str(russian),
                     str(russian / "нет.xlsx"), str(russian))
    assert result.code == 1
    assert "нет.xlsx: файл не найден" in result.err
    assert f"{russian}: это папка, а нужна книга (.xlsx)" in result.err
    assert result.err.splitlines()[-1] == "2 ошибки; ничего не импортировано"


def test_english_can_be_forced(russian: Path, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = workbook(capsys, russian, {"crm_users": "много"})
    monkeypatch.setenv("CRMIMPL_MESSAGES", "en")
    result = run_cli(capsys, "questionnaire", "import", str(russian), str(path))
    assert result.code == 1
    assert "expected a number, got 'много'" in result.err
    assert "    hint: answer it, or import with --partial" in result.err
    summary_agrees(result.err.splitlines()[-1], "en")


def test_an_english_project_hears_english(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRMIMPL_MESSAGES", raising=False)
    project = tmp_path / "proj"
    project.mkdir()
    shutil.copy(DATA / "minimal.yaml", project / "project.yaml")
    path = workbook(capsys, project, {"crm_users": "many"}, lang="ru")  # a Russian workbook
    result = run_cli(capsys, "questionnaire", "import", str(project), str(path))
    assert result.code == 1
    assert "expected a number, got 'many'" in result.err
    summary_agrees(result.err.splitlines()[-1], "en")


def test_results_warnings_status_and_conflicts_are_russian(
        russian: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = workbook(capsys, russian, {"crm_users": 12})
    result = run_cli(capsys, "questionnaire", "import", str(russian), str(path), "--partial")
    assert result.code == 0, result.err
    assert re.search(r"^добавлено: .+survey\.yaml \(Ольга Иванова \(Директор\), из файла "
                     r"survey-ru\.xlsx\)$", result.out, re.MULTILINE), result.out
    assert "warning" not in result.err
    status = run_cli(capsys, "questionnaire", "status", str(russian))
    assert status.code == 0
    assert status.out.splitlines()[0].split()[:3] == ["анкета", "подразделение", "отвечено"]
    assert "survey: ответили Ольга Иванова (Директор)" in status.out
    assert "еще не вернули" in status.out
    conflicts = run_cli(capsys, "questionnaire", "conflicts", str(russian))
    assert conflicts.out.strip() == "расхождений в ответах нет"
    settle = run_cli(capsys, "questionnaire", "settle", str(russian), "survey", "crm_users")
    assert settle.code != 0
    assert "укажите либо --take ИМЯ, либо --value ЗНАЧЕНИЕ" in settle.err


def test_audit_import_speaks_russian(russian: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blank = russian.parent / "checklist.xlsx"
    assert run_cli(capsys, "audit", "export", str(russian), "-o", str(blank)).code == 0
    result = run_cli(capsys, "audit", "import", str(russian), str(blank))
    assert result.code == 1
    assert "для этой строки нужно заполнить «Статус»" in result.err
    summary_agrees(result.err.splitlines()[-1], "ru")


@pytest.mark.parametrize(("n", "ru", "en"), [
    (1, "1 ошибка", "1 problem"), (2, "2 ошибки", "2 problems"), (5, "5 ошибок", "5 problems"),
    (11, "11 ошибок", "11 problems"), (21, "21 ошибка", "21 problems"),
    (22, "22 ошибки", "22 problems")])
def test_counted_nouns_agree(n: int, ru: str, en: str, monkeypatch: pytest.MonkeyPatch
                            ) -> None:
    from crmimpl.messages import counted, speaking

    monkeypatch.delenv("CRMIMPL_MESSAGES", raising=False)
    with speaking("ru"):
        assert counted(n, "problem") == ru
    with speaking("en"):
        assert counted(n, "problem") == en


def test_every_message_has_both_languages_with_the_same_slots() -> None:
    from crmimpl.messages import catalogue

    for key, entry in catalogue()["messages"].items():
        assert set(entry) == {"ru", "en"}, key
        if isinstance(entry["ru"], str):
            slots = [{name for _, name, _, _ in Formatter().parse(entry[lang]) if name}
                     for lang in ("ru", "en")]
            assert slots[0] == slots[1], key
    for noun, forms in catalogue()["nouns"].items():
        assert len(forms["ru"]) == 3 and len(forms["en"]) == 2, noun
