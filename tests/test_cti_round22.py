"""Round 22: the CTI specification says where the custom changes' code runs (or asks it),
and a day-off test step is retested on a day off."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from crmimpl.documents import cti_spec
from crmimpl.model.project import load_project
from crmimpl.plan.builder import build_plan
from crmimpl.render.markdown import render_markdown
from tests.conftest import EXAMPLES
from tests.project_factory import project_data, write_project

TEPLO = EXAMPLES / "teplo-service" / "project.yaml"


def _cti(tmp_path: Path, hosting: str | None) -> Any:
    data = project_data(mode="cti", users=12, departments=2, integrations=1, records=0,
                        team=4, seed=22, vacations=False)
    data["system"] = {"product": "Битрикс24", "deployment": "cloud", "in_use": True,
                      **({"code_hosting": hosting} if hosting else {})}
    data["changes"] = [{"id": "CH1", "title": "Задачи на перезвон", "module": "telephony",
                        "description": "Обработчик событий звонков ставит задачу.",
                        "estimate_hours": 8}]
    return write_project(tmp_path / "p", data)


def _markdown(project: Any, lang: str) -> tuple[dict[str, Any], str]:
    plan = build_plan(project)
    context = cti_spec.build_context(project, lang, plan=plan)
    markdown = render_markdown(cti_spec.NAME, lang, context)
    return context, " ".join(markdown.replace("\\", "").split())


def test_the_hosting_of_the_changes_is_stated_from_the_format(tmp_path: Path) -> None:
    hosting = "на сервере заказчика в его серверной; мониторинг ведет системный администратор"
    for lang, opening in (("ru", "Обработчики и приложения доработок CH1 работают вне"),
                          ("en", "The handlers and apps of changes CH1 run outside")):
        context, markdown = _markdown(_cti(tmp_path / lang, hosting), lang)
        assert opening in markdown
        assert hosting in markdown
        assert not any("CH1" in q["question"] for q in context["open_questions"])


def test_unknown_hosting_is_an_open_question_with_an_owner(tmp_path: Path) -> None:
    for lang, words in (("ru", "Где размещаются обработчики и приложения доработок CH1"),
                        ("en", "Where the handlers and apps of changes CH1 are hosted")):
        context, markdown = _markdown(_cti(tmp_path / lang, None), lang)
        asked = [q for q in context["open_questions"] if q["question"].startswith(words)]
        assert len(asked) == 1 and asked[0]["owner"] not in ("", "—")
        assert "работают вне" not in markdown and "run outside the CRM system:" not in markdown


def test_no_changes_no_hosting_question(tmp_path: Path) -> None:
    project = _cti(tmp_path, None)
    project = project.model_copy(update={"changes": []})
    context, _ = _markdown(project, "ru")
    assert not any("размещаются" in q["question"] for q in context["open_questions"])


def test_teplo_day_off_steps_are_retested_on_a_day_off() -> None:
    project = load_project(TEPLO)
    plan = build_plan(project)
    context, markdown = _markdown(project, "ru")
    windows = context["windows"]
    assert windows["day_off_cases"] and windows["retest_day_off"]
    retest = next(t for t in plan.tasks if t.id.startswith("dev.retest"))
    day = date(*map(int, reversed(windows["retest_day_off"].split("."))))
    assert day >= retest.start and not plan.calendar.is_working(day)
    # the first day off from the retest on, not a later one
    assert all(plan.calendar.is_working(retest.start + timedelta(days=n))
               for n in range((day - retest.start).days))
    assert re.search(r"повторяются в ближайший выходной день после исправления — "
                     + re.escape(windows["retest_day_off"]), markdown)
