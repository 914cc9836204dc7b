"""The survey report says one project end: the launch and acceptance of the work; the
client's deadline and the post-launch audit are named for what they are (a reader once
found three "end dates" in one report: 31.03, 03.04 and 30.04)."""

from __future__ import annotations

import re

import pytest

from crmimpl.documents import survey
from crmimpl.model.project import load_project
from crmimpl.plan.builder import build_plan
from crmimpl.render.markdown import render_markdown
from tests.conftest import EXAMPLES


def _text(name: str, lang: str) -> str:
    project = load_project(EXAMPLES / name)
    markdown = render_markdown(survey.NAME, lang, survey.build_context(project, lang))
    return " ".join(re.sub(r"\\(.)", r"\1", markdown).replace("**", "")
                    .replace("\u00a0", " ").split())


@pytest.mark.parametrize("name", ["kreativ-agency", "optima-distribution"])
def test_each_date_is_named_for_what_it_is(name: str) -> None:
    project = load_project(EXAMPLES / name)
    plan = build_plan(project)
    ru, en = _text(name, "ru"), _text(name, "en")
    launch = plan.launch.strftime("%d.%m.%Y")
    assert f"приемка работ по плану-графику — {launch}: этим актом завершается внедрение" in ru
    assert "целевой срок завершения" not in ru
    assert "target completion date" not in en
    if project.project.deadline:
        deadline = project.project.deadline.strftime("%d.%m.%Y")
        assert f"крайний срок запуска, установленный заказчиком, — {deadline}" in ru
        assert "the client's deadline for go-live is" in en
    checks = sorted(t.start for ph in plan.phases if ph.post_launch for t in ph.tasks
                    if t.id.startswith("audit.check."))
    if len(checks) == 1:
        audit = checks[0].strftime("%d.%m.%Y")
        assert f"аудит использования системы после запуска проводится {audit}" in ru
        assert "the post-launch system use audit takes place on" in en
    elif checks:  # every audit, the first one too (a reader took the last for the only one)
        days = [d.strftime("%d.%m.%Y") for d in checks]
        assert ("аудиты использования системы после запуска проводятся "
                f"{', '.join(days[:-1])} и {days[-1]}") in ru
        assert "the post-launch system use audits take place on" in en
