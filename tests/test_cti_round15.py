"""Round 15: the CTI specification's switch-over follows the training of the people who
take the calls."""

from __future__ import annotations

import pytest

from crmimpl.documents import cti_spec
from crmimpl.model.project import load_project
from crmimpl.plan.builder import build_plan
from crmimpl.plan.pilot import pilot_period
from crmimpl.render.markdown import parse_blocks, render_markdown
from tests.conftest import EXAMPLES
from tests.test_documents_content import all_text


@pytest.mark.parametrize(("lang", "test_number", "switch"), [
    ("ru", "тестовый номер", "Рабочие номера переводятся на новую схему вечером накануне"),
    ("en", "test number", "The live numbers are switched to the new scheme the evening before"),
])
def test_the_live_numbers_switch_for_the_pilot_after_training(
        lang: str, test_number: str, switch: str) -> None:
    """Round 14: the live line went onto the new routing the evening before testing
    (27.04) and stayed there, three weeks before the dispatchers were trained (13.05). The
    tests run on a test number; the live numbers switch the evening before the pilot,
    after every training session."""
    project = load_project(EXAMPLES / "teplo-service")
    plan = build_plan(project)
    context = cti_spec.build_context(project, lang, plan=plan)
    text = all_text(parse_blocks(render_markdown(cti_spec.NAME, lang, context), "s.md"))
    period = pilot_period(plan)
    assert period is not None
    assert max(s.day for s in plan.sessions) < period[0]
    assert context["schedule"]["live_from"] == context["schedule"]["pilot_start"]
    assert test_number in text
    assert f"{switch} {context['schedule']['live_from']}" in text
    assert "первого дня испытаний" not in text and "the first test day" not in text


def test_heads_who_are_promised_call_statistics_have_the_rights_to_them() -> None:
    """Round 14: R03, R05 and R09 promise the heads of dispatch and sales the overdue
    callbacks in report R05, but every user class with their people had own records and
    own reports only. Each department a requirement's report serves has a class with the
    department's (or all) reports."""
    project = load_project(EXAMPLES / "teplo-service")
    wide = {"department", "all"}
    for dept in ("dispatch", "sales"):
        assert any(dept in u.departments and str(u.rights.get("reports")) in wide
                   for u in project.user_classes), dept
