"""The example data under ``examples/*/fill/`` still gives the committed answers and audits.

Each example's workbooks are exported afresh, filled from the data with the shared filler
(as ``tools/fill_example_answers.py`` and ``tools/fill_example_audits.py`` do, minus the
subprocesses) and imported into a copy of the example without answers or audits; the
imported files must parse to the same data as the committed ones.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from crmimpl.model.project import load_project
from crmimpl.questionnaire import audit as au
from crmimpl.questionnaire.answers import ANSWERS_DIR
from crmimpl.questionnaire.export import export_for_project
from crmimpl.questionnaire.importer import import_questionnaires
from crmimpl.questionnaire.library import get_questionnaire
from tests.conftest import EXAMPLES
from tests.filler import AUDIT, FILL_DIR, fill_files, fill_workbook

FILLED = sorted(p.name for p in EXAMPLES.iterdir() if (p / FILL_DIR).is_dir())


# Written by every import: when (differs per run) and the respondent's key, which the
# committed answers (written before respondents had keys) get on read.
PER_IMPORT = ("imported", "key")


def _parsed(folder: Path) -> dict[str, Any]:
    # a translation overlay beside a file (`survey.en.yaml`) is not an import's output
    out = {p.name: yaml.safe_load(p.read_text(encoding="utf-8"))
           for p in sorted(folder.glob("*.yaml")) if not re.search(r"\.[a-z]{2}\.yaml$", p.name)}
    for data in out.values():
        for response in data.get("responses", []) if isinstance(data, dict) else []:
            for key in PER_IMPORT:
                response.pop(key, None)
    return out


def test_every_example_with_answers_has_fill_data() -> None:
    committed = {p.name for p in EXAMPLES.iterdir()
                 if (p / ANSWERS_DIR).is_dir() or (p / au.AUDITS_DIR).is_dir()}
    assert committed <= set(FILLED)


@pytest.mark.parametrize("name", FILLED)
def test_fill_data_reproduces_committed_answers(name: str, tmp_path: Path) -> None:
    example = EXAMPLES / name
    folder = tmp_path / name
    folder.mkdir()
    shutil.copy(example / "project.yaml", folder / "project.yaml")
    project = load_project(folder)
    lang = project.project.language
    blanks, filled = tmp_path / "blank", tmp_path / "filled"
    questionnaires = []
    for item in fill_files(example):
        blank = blanks / item.workbook_name(lang)
        blank.parent.mkdir(exist_ok=True)
        if item.questionnaire == AUDIT:
            au.export_checklist(project, blank, lang=lang, number=item.number,
                                date=item.respondent["date"])
        else:
            export_for_project(folder, item.questionnaire, audience=item.audience,
                               language=lang, output=blank)
        target = filled / item.workbook_name(lang)
        target.parent.mkdir(exist_ok=True)
        fill_workbook(blank, item.values(), respondent=item.respondent, lang=lang, out=target,
                      definition=get_questionnaire(item.questionnaire, folder))
        if item.questionnaire == AUDIT:
            au.import_checklist(project, target)
        else:
            questionnaires.append(target)
    if questionnaires:
        import_questionnaires(folder, questionnaires)

    for sub in (ANSWERS_DIR, au.AUDITS_DIR):
        assert _parsed(folder / sub) == _parsed(example / sub), sub
