"""Round 14, northwind-it: the survey's ROI paragraph names one base case."""

from __future__ import annotations

import re

import pytest

from crmimpl.documents import survey
from crmimpl.model.project import load_project
from crmimpl.render.markdown import render_markdown
from tests.conftest import EXAMPLES
from tests.test_survey_report_round5 import plain


@pytest.mark.parametrize(("example", "lang"), [("northwind-it", "en"), ("volga-bank", "ru"),
                                               ("volga-bank", "en")])
def test_roi_paragraph_names_one_base_case(example: str, lang: str) -> None:
    """When the goals fall due after the month the benefit is counted from, the payback
    after the goals' deadlines is the base estimate; the options' comparison is the better
    case, not a second assumption of the calculation ("We assume it starts in October"
    beside "we propose to take this as the base estimate")."""
    project = load_project(EXAMPLES / example)
    context = survey.build_context(project, lang)
    if not context["tco"].get("late_payback"):
        pytest.skip("the goals fall due by the month the benefit is counted from")
    text = plain(render_markdown(survey.NAME, lang, context))
    if lang == "en":
        assert "We assume it starts in" not in text
        assert len(re.findall(r"\bbase estimate\b", text)) == 1
        assert "The comparison of options below is the better case" in text
    else:
        assert "Мы принимаем, что он начнется" not in text
        assert text.count("принимать за основную") == 1
        assert "Сравнение вариантов ниже показывает лучший случай" in text
