"""The mistakes corpus typed through LibreOffice itself (UNO), in both languages.

A workbook exported by crmimpl is filled correctly, then LibreOffice, with its locale
set to the workbook's language, receives text in cells as the keyboard gives it
(``tests/lo_typist.py``): its own input recognition turns ``15%`` into 0.15 shown as a
percentage, ``2026`` in a date cell into a day of 1905, ``0,2`` into a decimal in
Russian. Each case ends with the value the client meant stored, or an error at
``Sheet!Cell``: never a silent change. Happy-path controls type every question type and
check that exactly that is stored.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from crmimpl.errors import CrmimplError
from crmimpl.questionnaire.answers import load_answers
from crmimpl.questionnaire.export import export_for_project
from crmimpl.questionnaire.importer import import_questionnaires
from crmimpl.questionnaire.library import get_questionnaire
from crmimpl.render.pdf import find_uno_python
from tests.conftest import DATA, ROOT
from tests.filler import fill_workbook
from tests.test_questionnaire_roundtrip import EXPECTED, RESPONDENT

SURVEY = get_questionnaire("survey")
LOCALES = {"en": "en-US", "ru": "ru-RU"}
Y2026 = dt.date(2026, 12, 31)

# (case, language, question, typed, how, the value meant or words of the error)
CASES: list[tuple[str, str, str, str, str, Any]] = [
    ("percent typed with a sign", "en", "repeat_share", "15%", "type", 15),
    ("percent typed with a sign", "ru", "repeat_share", "15%", "type", 15),
    ("percent typed as a number", "ru", "repeat_share", "15", "type", 15),
    ("percent with a decimal comma", "ru", "repeat_share", "12,5%", "type", 12.5),
    ("year only in a date cell", "en", "launch_date", "2026", "type",
     "2026 is a year, not a date"),
    ("year only in a date cell", "ru", "launch_date", "2026", "type",
     "2026 is a year, not a date"),
    ("Russian date", "ru", "launch_date", "31.12.2026", "type", Y2026),
    ("British date", "en", "launch_date", "31/12/2026", "type", Y2026),
    ("American date", "en", "launch_date", "12/31/2026", "type", Y2026),
    ("ISO date", "en", "launch_date", "2026-12-31", "type", Y2026),
    ("ISO date", "ru", "launch_date", "2026-12-31", "type", Y2026),
    ("thousands with a comma", "en", "average_deal", "1,000", "type", 1000),
    ("thousands with a comma pasted as text", "en", "average_deal", "1,000", "paste", 1000),
    ("thousands with a space", "en", "average_deal", "1 000", "type", 1000),
    ("thousands with a space", "ru", "average_deal", "150 000,50", "type", 150000.5),
    ("decimal comma", "ru", "average_deal", "0,2", "type", 0.2),
    ("comma thousands pasted as text", "ru", "average_deal", "1,000", "paste",
     "can be read as a thousand or as one"),
    ("decimal comma pasted into an English workbook", "en", "average_deal", "0,2",
     "paste", "a decimal is written with a point"),
    ("percentage pasted into a money cell", "en", "average_deal", "15%", "paste",
     "is a percentage"),
    ("a fraction in a whole-number cell", "ru", "crm_users", "0,2", "type",
     "expected a whole number"),
    ("amount with the currency", "ru", "average_deal", "1 500 руб.", "type", 1500),
    ("amount in another currency", "en", "average_deal", "$1,000", "type",
     "USD; the question asks for RUB"),
    ("percentage typed into a money cell", "en", "average_deal", "15%", "type",
     "is a percentage"),
    ("percentage typed into a money cell", "ru", "average_deal", "15%", "type",
     "is a percentage"),
    ("yes in the other language", "ru", "has_branches", "Yes", "type", True),
    ("not yes or no", "ru", "has_branches", "может быть", "type", "(Да or Нет)"),
]

# every question type typed as a person types it, and what must be stored
HAPPY: dict[str, list[tuple[str, str, Any]]] = {
    "en": [("company_name", "Mini Ltd", "Mini Ltd"), ("activity", "Tiles and more",
                                                        "Tiles and more"),
           ("crm_users", "25", 25), ("average_deal", "150000.5", 150000.5),
           ("repeat_share", "40", 40), ("launch_date", "2026-09-01", dt.date(2026, 9, 1)),
           ("has_branches", "Yes", True), ("telephony", "Cloud PBX", "cloud_pbx"),
           ("website", "https://mini.example", "https://mini.example"),
           ("data_quality", "3", 3)],
    "ru": [("company_name", "ООО «Мини»", "ООО «Мини»"), ("activity", "Плитка",
                                                           "Плитка"),
           ("crm_users", "25", 25), ("average_deal", "150000,5", 150000.5),
           ("repeat_share", "40", 40), ("launch_date", "01.09.2026", dt.date(2026, 9, 1)),
           ("has_branches", "Да", True), ("telephony", "Облачная АТС", "cloud_pbx"),
           ("website", "https://mini.example", "https://mini.example"),
           ("data_quality", "3", 3)],
}


def _cells(path: Path) -> dict[str, tuple[str, str]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    out = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows(max_col=1):
            value = row[0].value
            if isinstance(value, str) and value not in out:
                out[value] = (ws.title, f"D{row[0].row}")
    wb.close()
    return out


@pytest.fixture(scope="module")
def typed(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every case and happy path typed by LibreOffice: one run per locale."""
    python = find_uno_python(soffice)
    assert python, "install python3-uno (LibreOffice's Python bridge) for these tests"
    root = tmp_path_factory.mktemp("lo_typed")
    project = root / "proj"
    project.mkdir()
    shutil.copy(DATA / "minimal.yaml", project / "project.yaml")
    out: dict[str, Path] = {}
    for lang, locale in LOCALES.items():
        blank = export_for_project(project, "survey", language=lang,
                                   output=root / f"blank-{lang}.xlsx")
        base = fill_workbook(blank, EXPECTED, respondent=RESPONDENT, definition=SURVEY,
                             out=root / f"base-{lang}.xlsx")
        where = _cells(base)
        jobs = []
        for i, (_, case_lang, qid, text, how, _) in enumerate(CASES):
            if case_lang == lang:
                target = root / f"case-{i}" / f"survey-{lang}.xlsx"
                target.parent.mkdir()
                jobs.append({"src": str(base), "out": str(target),
                             "cells": [[*where[qid], text, how]]})
                out[f"case-{i}"] = target
        for name, cells in _edits(where, lang).items():
            target = root / f"{name}-{lang}" / f"survey-{lang}.xlsx"
            target.parent.mkdir()
            jobs.append({"src": str(base), "out": str(target), "cells": cells})
            out[f"{name}-{lang}"] = target
        happy = root / f"happy-{lang}" / f"survey-{lang}.xlsx"
        happy.parent.mkdir()
        jobs.append({"src": str(base), "out": str(happy),
                     "cells": [[*where[q], text, "type"] for q, text, _ in HAPPY[lang]]})
        out[f"happy-{lang}"] = happy
        spec = root / f"spec-{lang}.json"
        spec.write_text(json.dumps({"soffice": soffice, "profile": str(root / f"lo-{lang}"),
                                    "locale": locale, "jobs": jobs}), "utf-8")
        subprocess.run([python, str(ROOT / "tests" / "lo_typist.py"), str(spec)],
                       check=True, timeout=300)
    out["project"] = project
    return out


def _edits(where: dict[str, tuple[str, str]], lang: str) -> dict[str, list[list[str]]]:
    """What clients do to the layout, done in LibreOffice."""
    sheet, ref = where["crm_users"]
    web_sheet, web_ref = where["website"]
    return {
        "insert": [[sheet, "C1", "", "insert_column"]],
        "delete": [[web_sheet, web_ref, "", "delete_row"]],
        "copy": [[sheet, "A1", "Draft", "copy_sheet"], ["Draft", ref, "99", "type"]],
    }


def _fresh_project(typed: dict[str, Path], tmp_path: Path) -> Path:
    folder = tmp_path / "proj"
    folder.mkdir()
    shutil.copy(typed["project"] / "project.yaml", folder / "project.yaml")
    return folder


@pytest.mark.parametrize("index", range(len(CASES)),
                         ids=[f"{c[1]}-{c[0]}-{c[3]}-{c[4]}" for c in CASES])
def test_typed_in_libreoffice(index: int, typed: dict[str, Path], tmp_path: Path) -> None:
    _, _, qid, _, _, meant = CASES[index]
    path = typed[f"case-{index}"]
    project = _fresh_project(typed, tmp_path)
    if isinstance(meant, str):
        sheet, ref = _cells(path)[qid]
        with pytest.raises(CrmimplError) as info:
            import_questionnaires(project, [path])
        assert f"{path.name}!{sheet}!{ref}: " in str(info.value)
        assert meant in str(info.value)
        return
    import_questionnaires(project, [path])
    value = load_answers(project).get("survey", qid)
    assert value == meant and type(value) is type(meant)


@pytest.mark.parametrize("lang", sorted(LOCALES))
def test_every_type_typed_in_libreoffice_is_stored_as_typed(
        lang: str, typed: dict[str, Path], tmp_path: Path) -> None:
    project = _fresh_project(typed, tmp_path)
    import_questionnaires(project, [typed[f"happy-{lang}"]])
    answers = load_answers(project)
    for qid, _, meant in HAPPY[lang]:
        value = answers.get("survey", qid)
        assert value == meant and type(value) is type(meant), (qid, value)


@pytest.mark.parametrize("lang", sorted(LOCALES))
def test_column_inserted_in_libreoffice_moves_nothing(
        lang: str, typed: dict[str, Path], tmp_path: Path) -> None:
    project = _fresh_project(typed, tmp_path)
    result = import_questionnaires(project, [typed[f"insert-{lang}"]])
    assert not any("not in the workbook" in w for w in result.warnings)
    response = load_answers(project).questionnaires["survey"].files[""].responses[0]
    assert response.answers == EXPECTED


@pytest.mark.parametrize("lang", sorted(LOCALES))
def test_row_deleted_in_libreoffice_is_named(lang: str, typed: dict[str, Path],
                                            tmp_path: Path) -> None:
    project = _fresh_project(typed, tmp_path)
    result = import_questionnaires(project, [typed[f"delete-{lang}"]])
    assert any("question 'website'" in w and "deleted" in w for w in result.warnings)
    assert not any("as far as" in w for w in result.warnings)
    assert load_answers(project).get("survey", "website") is None


@pytest.mark.parametrize("lang", sorted(LOCALES))
def test_sheet_copied_and_edited_in_libreoffice_is_refused(
        lang: str, typed: dict[str, Path], tmp_path: Path) -> None:
    project = _fresh_project(typed, tmp_path)
    path = typed[f"copy-{lang}"]
    sheet, _ = _cells(path)["crm_users"]
    with pytest.raises(CrmimplError) as info:
        import_questionnaires(project, [path])
    text = str(info.value)
    assert f"{path.name}!Draft: repeats the questions of sheet '{sheet}'" in text
    assert "crm_users" in text and "not guessed" in text
