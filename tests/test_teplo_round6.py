"""Round 6 review of «ТеплоСервис» (CTI): one truth across the survey report, the telephony
specification and the training plan — what holds a request, how the G1 baseline is
measured, when the open questions are due, which behaviours are custom changes, and how a
training group is described."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

from crmimpl import i18n
from crmimpl.documents import cti_spec, survey, training_plan
from crmimpl.documents.register import open_question_due
from crmimpl.model.project import Project, load_project
from crmimpl.plan.builder import build_plan
from crmimpl.render.markdown import render_markdown
from tests.conftest import EXAMPLES

NAME = "teplo-service"


@lru_cache(maxsize=1)
def project() -> Project:
    return load_project(EXAMPLES / NAME)


@cache
def text(module_name: str) -> str:
    module = {"survey": survey, "cti_spec": cti_spec, "training": training_plan}[module_name]
    markdown = render_markdown(module.NAME, "ru", module.build_context(project(), "ru"))
    plain = re.sub(r"\\(.)", r"\1", markdown).replace("**", "").replace("\u00a0", " ")
    return "\n".join(" ".join(line.split()) for line in plain.splitlines())


def sentences(body: str, needle: str) -> list[str]:
    """The table rows and sentences of a text that contain ``needle``."""
    return [s for s in re.split(r"\n|(?<=\.)\s", body) if needle in s]


def test_requests_are_held_where_the_system_says_in_every_document() -> None:
    holds = " ".join((project().system.holds or "").split())
    assert "смарт-процессе «Заявки»" in holds
    for name in ("survey", "cti_spec"):
        body = text(name)
        assert "Сделка (заявка)" not in body and "сделка (заявка)" not in body
        assert "смарт-процесс" in body
    steps = [st for d in project().client.departments for st in d.process]
    assert all("Сделка (заявка)" not in (st.record or "") for st in steps)


def test_the_g1_baseline_is_one_measure_everywhere() -> None:
    kpi = next(g.kpi for g in project().goals if g.id == "G1")
    assert kpi is not None and "в тот же рабочий день" in kpi.metric
    figure = f"{i18n.number(kpi.baseline, 'ru')} %"
    for name in ("survey", "cti_spec"):
        cited = sentences(text(name), figure)
        assert cited, name
        for s in cited:
            assert "в тот же рабочий день" in s or "Доля пропущенных звонков" in s, s



def test_open_questions_are_due_on_one_date_in_the_survey_and_the_specification() -> None:
    plan = build_plan(project())
    due = i18n.day(open_question_due(plan), "ru")
    for q in project().survey.open_questions:
        head = q.question.split(":")[0]
        rows = [re.search(re.escape(head) + r"[^\n]* (\d\d\.\d\d\.\d{4}) \|$", text(n), re.M)
                for n in ("survey", "cti_spec")]
        assert all(rows), head
        survey_row, spec_row = rows
        assert survey_row is not None and survey_row.group(1) == due, head
        # the specification, dated after that date, states the new date it sets
        assert spec_row is not None
        assert spec_row.group(1) == due or (
            f"Срок ответа — {spec_row.group(1)}" in text("cti_spec")), head


def test_a_group_without_its_departments_key_user_is_not_called_all_its_users() -> None:
    """Sales has five users; its key user learns in the key users' group, so the sales
    group of four holds the rest of them, not all."""
    body = text("training")
    # small groups are no longer excused one by one (one group rule, stated once): the
    # plan never claims a group holds all its department's users
    assert "все пользователи системы из ее подразделения" not in body
    assert not list(sentences(body, "Группа T03"))
    sales = next(d for d in project().client.departments if d.id == "sales")
    assert sales.headcount == 5


def test_the_small_group_reason_names_all_users_only_when_none_learn_elsewhere() -> None:
    from crmimpl.documents.training_plan import small_groups_text, training_for

    training = training_for(project(), "en")
    assert "all of its department's system users" in small_groups_text(training, "en")
    said = small_groups_text(training, "en", elsewhere={"sales": 1})
    assert "all of its department's system users" not in said
    assert "the rest of its department's system users" in said


def test_behaviours_that_need_code_are_custom_changes_planned_and_stated_alike() -> None:
    """The duty dispatcher from the PBX, the callback task closed by a call and the
    call-card button that creates a request are code on Bitrix24's REST API: custom
    changes, planned with their hours in a CTI plan, listed in the specification, and the
    survey report no longer says that no custom change is included."""
    reqs = {r.id: r for r in project().requirements}
    for rid in ("R03", "R06", "R08", "R09"):
        assert reqs[rid].fit == "change" and reqs[rid].change, rid
    plan = build_plan(project())
    tasks = {t.id: t for t in plan.tasks}
    for ch in project().changes:
        task = tasks[f"dev.change.{ch.id}"]
        assert float(task.effort_hours) == ch.estimate_hours
        row = next(line for line in text("cti_spec").splitlines()
                   if line.startswith(f"| {ch.id} | {ch.title} |"))
        assert row.endswith(f"| {i18n.hours(ch.estimate_hours, 'ru')} |")
        served = [ch.requirement] + [r.id for r in reqs.values()
                                     if r.change == ch.id and r.id != ch.requirement]
        assert f"| {ch.id} | {ch.title} | {', '.join(served)} |" in text("survey")
    assert "Доработки типовой функциональности в оценку не включены" not in text("survey")
    assert "входят в оценку выше" in text("survey")


def test_a_cti_project_without_changes_has_no_change_section(tmp_path: Path) -> None:
    import shutil

    import yaml

    folder = tmp_path / NAME
    shutil.copytree(EXAMPLES / NAME, folder)
    data = yaml.safe_load((folder / "project.yaml").read_text(encoding="utf-8"))
    data.pop("changes")
    for r in data["requirements"]:
        if r.get("fit") == "change":
            r["fit"], r["change"] = "setting", None
    (folder / "project.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                         encoding="utf-8")
    other = load_project(folder)
    assert not [t for t in build_plan(other).tasks if t.id.startswith("dev.change")]
    markdown = render_markdown(cti_spec.NAME, "ru", cti_spec.build_context(other, "ru"))
    assert "реализуются доработками" not in markdown
