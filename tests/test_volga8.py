"""Round-8 remarks on volga's documents, fixed at their cause for any project: units that
requirements hand work to without CRM seats, ..."""

from __future__ import annotations

import re

import pytest

from crmimpl.documents import spec
from crmimpl.model.project import Project, load_project
from crmimpl.render.markdown import parse_blocks, render_markdown
from tests.conftest import EXAMPLES
from tests.test_documents_content import all_text


@pytest.fixture(scope="module")
def volga() -> Project:
    return load_project(EXAMPLES / "volga-bank")


def _spec_text(project: Project, lang: str) -> str:
    context = spec.build_context(project, lang)
    return all_text(parse_blocks(render_markdown(spec.NAME, lang, context), "spec.md"))


def _route_warnings(project: Project) -> list[str]:
    from crmimpl.model.checks import project_warnings

    return [w[1] for w in project_warnings(project) if "hands work to" in w[1]]


def test_a_unit_without_seats_says_how_it_takes_the_work(volga: Project) -> None:
    """The credit department approves R22's rates but holds none of the 500 licences: the
    ТЗ says, in 3.2, how it receives the approval and returns its decision."""
    assert not _route_warnings(volga)
    text = _spec_text(volga, "ru")
    assert "нет рабочих мест (лицензий)" in text
    assert "Кредитное управление: передача на реструктуризацию" in text
    assert "один рабочий день (R22)" in text
    assert "Бэк-офис: обращение приходит письмом" in text
    assert "hold no seat (licence)" in _spec_text(volga, "en")


def test_a_unit_without_seats_or_channel_is_a_warning(volga: Project) -> None:
    data = volga.model_dump(mode="json", exclude_none=True)
    r22 = next(i for i, r in enumerate(data["requirements"]) if r["id"] == "R22")
    del data["requirements"][r22]["routes_to"][0]["via"]
    warnings = _route_warnings(Project.model_validate(data))
    assert warnings == ["R22 hands work to 'Кредитное управление', which has no CRM users"]
    # a department that has CRM users needs no channel and is not listed
    data["requirements"][r22]["routes_to"][0]["unit"] = "retail"
    fixed = Project.model_validate(data)
    assert not _route_warnings(fixed)
    assert "Розничная сеть (дополнительные офисы):" not in _spec_text(fixed, "ru")
    # a department without users is named by its name
    data["client"]["departments"][1]["crm_users"] = 0
    assert _route_warnings(Project.model_validate(data)) == [
        "R22 hands work to 'Розничная сеть (дополнительные офисы)', which has no CRM users"]


# ------------------------------------------------------------------ every problem traced


def test_every_problem_the_survey_counts_is_traced(volga: Project) -> None:
    """The survey counts 18 problems (the goal tasks); the appendix traced only the 11 that
    a process step names. Now a goal task no step names is traced by its own
    requirements, in its department's row."""
    from crmimpl.documents import common as c

    rows = c.problem_trace(volga, "ru")
    tasks = [t for g in volga.goals for t in g.tasks]
    assert len(rows) == len(tasks) == 18
    row = next(r for r in rows if r["problem"].startswith("Оператор ищет клиента вручную"))
    assert row == {"department": "Контакт-центр", "answer": "R02, R04",
                   "problem": row["problem"]}
    assert "Решение определяет" not in str(rows)


@pytest.mark.parametrize("example", ["optima-distribution", "northwind-it", "teplo-service",
                                     "kreativ-agency"])
def test_examples_trace_every_goal_task(example: str) -> None:
    from crmimpl.model.checks import project_warnings

    project = load_project(EXAMPLES / example)
    assert not [w for w in project_warnings(project) if "goal task" in w[1]]


def test_an_untraced_goal_task_is_a_warning(volga: Project) -> None:
    from crmimpl.model.checks import project_problems, project_warnings

    data = volga.model_dump(mode="json", exclude_none=True)
    del data["goals"][1]["tasks"][1]["requirements"]
    broken = Project.model_validate(data)
    warnings = [w for w in project_warnings(broken) if "goal task" in w[1]]
    assert [w[:2] for w in warnings] == [
        (("goals", 1, "tasks", 1, "requirements"), "the problem of goal task G2.2 is "
         "answered by no requirement and not declared out of scope")]
    assert "Решение определяет рабочая группа" in _spec_text(broken, "ru")
    data["goals"][1]["tasks"][1]["out_of_scope"] = "скрипты ведет отдел качества в 2027 году"
    declared = Project.model_validate(data)
    assert not [w for w in project_warnings(declared) if "goal task" in w[1]]
    assert "Вне объема проекта: скрипты ведет отдел качества" in _spec_text(declared, "ru")
    data["goals"][1]["tasks"][1]["requirements"] = ["R99"]
    data["goals"][1]["tasks"][1]["department"] = "nowhere"
    problems = [p[1] for p in project_problems(Project.model_validate(data))]
    assert "no requirement with id 'R99'" in problems
    assert "no department with id 'nowhere'" in problems


# ------------------------------------------------------------------ audit verdicts


def test_the_auditor_gives_a_verdict_on_a_goal_near_its_deadline(volga: Project) -> None:
    """G5 at 58 % with 37 days left: the report forecasts the pace and says the goal will
    not be met without measures, instead of handing the question back («Нужно
    оценить…»); G1 is behind schedule. Round 21: each goal's pace runs from the go-live
    of the unit its tasks concern: G1 (retail) from 16.02.2027, about 65 %; G5 (the
    contact centre) from 23.12.2026, about 86 %, so not on pace."""
    from crmimpl.documents import audit_report

    flagged = audit_report.build_context(volga, "ru")["attention"]
    g1, g5 = (next(a for a in flagged if a.startswith(g)) for g in ("G1", "G5"))
    assert "Нужно оценить" not in " ".join(flagged)
    assert "Нужно до срока проверить" not in g5
    assert "около 86\u00a0%" in g5.replace(" %", "\u00a0%")
    assert "Без дополнительных мер цель в срок достигнута не будет" in " ".join(g5.split())
    assert "около 65\u00a0%" in g1.replace(" %", "\u00a0%") and "отстает от графика" in g1
    assert "после начала работы в системе 16.02.2027" in g1
    # G2, ahead of its pace, is among the goals on pace, not those to decide on
    assert "G2" not in [a[:2] for a in flagged if a.decision]
    assert "G2" in [a[:2] for a in flagged if not a.decision]
    from crmimpl.render.markdown import render_markdown

    summary = render_markdown("audit_report", "ru", audit_report.build_context(volga, "ru"))
    text = summary.replace("\\,", ",")
    assert "требуют цели G1, G3, G4 и G5:" in text
    assert "Цель G2 при темпе, набранном после запуска, к сроку будет достигнута" in text
    en = audit_report.build_context(volga, "en")["attention"]
    assert any("behind schedule" in a for a in en) and any("will be met" in a for a in en)


def test_forecast_is_the_pace_since_launch() -> None:
    import datetime as dt

    from crmimpl.documents.audit_report import _forecast

    launch, today = dt.date(2027, 1, 1), dt.date(2027, 1, 31)
    assert _forecast(30.0, launch, today, dt.date(2027, 4, 1)) == pytest.approx(90.0)
    assert _forecast(30.0, None, today, dt.date(2027, 4, 1)) is None
    assert _forecast(30.0, today, today, dt.date(2027, 4, 1)) is None


def test_a_finding_heading_opening_with_a_figure_is_warned(volga: Project) -> None:
    """«9 офисов ведут…» and «1 260 сделок…» as subsection headings: the import warns,
    and volga's own headings open with words."""
    from crmimpl.messages import msg
    from crmimpl.questionnaire import audit as au

    record = au.load_audits(volga.folder)[0]
    assert au.digit_headings(record) == []
    check = record.areas["data_quality"]["stale_deals"]
    bad = record.model_copy(deep=True)
    bad.areas["data_quality"]["stale_deals"] = check.model_copy(
        update={"finding": "1 260 сделок по истекшим предложениям не закрыты"})
    assert au.digit_headings(bad) == [("stale_deals", "1 260")]
    assert "opens with a figure" in msg("audit_heading_digit", check="x", start="1 260")


def test_the_complaint_deadline_is_the_specifications_rule(volga: Project) -> None:
    """The audit measured complaints against a flat 15 working days while the ТЗ (R07)
    gives 15 working days for electronic complaints and 30 days otherwise: the finding
    states the rule the register applies."""
    from crmimpl.documents import audit_report

    finding = next(f for f in audit_report.build_context(volga, "ru")["findings"]
                   if "жалобы" in f["title"])
    text = str(finding)
    assert "позже 15 рабочих дней" not in text
    assert "30 дней" in text and "15 рабочих дней" in text
    r07 = next(r for r in volga.requirements if r.id == "R07")
    assert "15 рабочих дней" in (r07.solution or "") and "30 дней" in (r07.solution or "")


# ------------------------------------------------------------------ training plan


def _training_text(project: Project, lang: str) -> str:
    from crmimpl.documents import training_plan as tp

    return render_markdown("training_plan", lang, tp.build_context(project, lang)) \
        .replace("\\", "").replace("\u00a0", " ")


def test_key_user_course_dates_agree_with_the_build_stage(volga: Project) -> None:
    """«доработки выполнены (15.09.2026)» read as a contradiction of «Разработка
    08.06–29.10.2026»: the plan now says the testing start and the stage's end too."""
    text = _training_text(volga, "ru")
    assert "доработки выполнены (21.09.2026)" in text
    assert "(с 05.10.2026)" in text and "этап разработки завершается 30.10.2026" in text
    assert "closes the build stage on 30 Oct 2026" in _training_text(volga, "en")


def test_the_administration_course_says_who_of_the_class_is_elsewhere(volga: Project) -> None:
    """The ТЗ counts 6 in «Администратор CRM и сотрудник ИБ»: since round 12 the course
    has all 6, the security head (a key user) among them by name, instead of the
    key users' course of funnels and the mobile app."""
    text = _training_text(volga, "ru")
    assert "обучается в группе ключевых пользователей, а не в курсе" not in text
    assert "(6 человек, в том числе Фролов Денис Олегович и Зайцева Ольга Михайловна)" \
        in text
    optima = _training_text(load_project(EXAMPLES / "optima-distribution"), "ru")
    assert "обучается в группе ключевых пользователей, а не в курсе" not in optima


def test_shift_groups_keep_each_shifts_share(volga: Project) -> None:
    """74 and 66 people by shift, 120 operators to train once heads and key users learn
    apart: the groups took 20 from the larger shift first (58 and 59 against «64 / 56
    операторов»), then in proportion (63 and 57). Each shift has its own supervisors:
    they leave every shift alike, and the plan says what each shift trains."""
    from crmimpl.plan import training as tr

    cc = next(d for d in volga.client.departments if d.id == "contact_center")
    assert tr._shift_counts(cc, 120) == [64, 56]  # the client's «64 / 56 операторов»
    assert tr._shift_counts(cc, 121) == [64, 57]
    assert tr._shift_counts(cc, 100) == [54, 46]
    assert tr._shift_counts(cc, 140) == [74, 66]
    text = _training_text(volga, "ru")
    # the groups add up to each shift's people: the others are named with their number
    assert "Контакт-центр, 1-я смена — 74 человека: 64 в 8 группах смены, еще 10 — в " \
        "группах ключевых пользователей, администрирования и руководителей" in text
    assert "2-я смена — 66 человек: 56 в 7 группах смены, еще 10 —" in text
    assert "74 people, 64 in 8 groups of the shift and 10 in" in _training_text(volga, "en")


def test_test_cases_name_the_real_systems(volga: Project) -> None:
    """«основной системы банка», «во внешней системе», «из учетной системы» with no name,
    and the integration's note repeated in every step: the project names the system."""
    text = _spec_text(volga, "ru").replace("\u00a0", " ")
    # named in place of the generic words, not after them (round 9)
    assert "В тестовом контуре АБС «Кредо-Банк» 5.4 подготовить" in text
    assert "Изменить статус заявки в АБС «Кредо-Банк» 5.4 на «Одобрена»" in text
    assert "Загрузить из АБС «Кредо-Банк» 5.4 клиентов" in text
    assert "(интеграционная шина банка)" not in text.split("Тестовые примеры")[-1]


def test_yes_no_answers_are_sentences_not_table_rows(volga: Project) -> None:
    """§3.4 read «Нормативные сроки (SLA) — Да», «Работа с телефона или планшета — Нет»,
    «Важность напоминаний — 5 из 5»: the answers are now a consultant's sentences."""
    context = spec.build_context(volga, "ru")
    sections = {s["name"]: s for s in context["feedback"]["sections"]}
    cc = sections["Контакт-центр"]
    assert all(f["answer"] not in ("Да", "Нет") for s in sections.values() for f in s["facts"])
    assert "нормативные сроки (SLA)" in cc["statements"]
    assert not [f for s in sections.values() for f in s["facts"] if "из 5" in f["answer"]]
    assert "Подразделению важны напоминания" in _spec_text(volga, "ru")  # its consequence
    assert "agreed response times (SLA)" in _spec_text(volga, "en")


def test_the_specification_lists_the_abbreviations_it_uses(volga: Project) -> None:
    """АБС, CTI, SIEM, MDM, RPO/RTO, AHT, FCR and NPS were used without definition:
    appendix B lists the glossary's abbreviations the document uses, Cyrillic first."""
    context = spec.build_context(volga, "ru")
    shorts = [a["short"] for a in context["abbreviations"]]
    assert {"АБС", "CTI", "SIEM", "MDM", "RPO", "RTO", "AHT", "FCR", "NPS", "ТЗ"} <= set(shorts)
    assert shorts.index("АБС") < shorts.index("AHT")
    assert "UTM" not in shorts or "UTM" in str(context)
    text = _spec_text(volga, "ru")
    assert "Приложение Б. Перечень сокращений" in text
    assert "Recovery Time Objective" in text
    en = spec.build_context(volga, "en")["abbreviations"]
    assert "АБС" not in [a["short"] for a in en] and "RTO" in [a["short"] for a in en]


def test_contact_centre_course_has_offers_and_consents_and_a_fitting_workshop(
        volga: Project) -> None:
    """Operators run the pre-approved cross-sell calls (R08) and must check consents, so
    CH4 and CH7 are taught to them; the workshop follows each group's kind of work (a
    campaign for marketing, not «от обращения до результата» for everyone); since round
    11 each workshop is built from the department's own requirements."""
    text = _training_text(volga, "ru")
    course = text.split("## Контакт-центр")[1].split("## ")[0]
    assert "Предодобренные предложения в карточке клиента" in course
    assert "Журнал согласий клиента и стоп-листы" in course
    assert "Практикум на задачах подразделения" in course
    assert "поиск и идентификация клиента оператором" in course
    marketing = text.split("## Управление маркетинга")[1].split("## ")[0]
    assert "кампании с контрольными группами" in marketing
    assert "от обращения до результата" not in text


def test_print_forms_are_listed_with_the_system_that_prints_them(volga: Project) -> None:
    """«Печатные формы выводятся в PDF…» named no form; a bank's contracts come from its
    core banking system. `print_forms` lists each with its content and printer."""
    text = _spec_text(volga, "ru")
    assert "Печатные формы выводятся в PDF" not in text
    assert "Договоры и заявления по продуктам" in text
    assert "Отчет о жалобах для Банка России" in text
    rows = spec.build_context(volga, "ru")["print_forms"]
    assert rows[0]["system"] == "АБС «Кредо-Банк» 5.4" and rows[1]["system"] == "CRM-система"
    assert "Produced by" in _spec_text(volga, "en")
    optima = load_project(EXAMPLES / "optima-distribution")
    assert "Печатные формы выводятся в PDF" in _spec_text(optima, "ru")  # none given


def test_a_print_form_names_known_requirements(volga: Project) -> None:
    from crmimpl.model.checks import project_problems

    data = volga.model_dump(mode="json", exclude_none=True)
    data["print_forms"][0]["requirements"] = ["R98"]
    problems = project_problems(Project.model_validate(data))
    assert any(p[0][0] == "print_forms" and "R98" in p[1] for p in problems)


def test_recovery_targets_and_standby_site_come_from_the_project(volga: Project) -> None:
    """RPO/RTO were constants and the reserve data centre in Тольятти was not used in the
    ТЗ; «или АТС» for a bank whose telephony is a contact-centre platform."""
    text = _spec_text(volga, "ru").replace("\u00a0", " ")
    assert "(RPO) — не более 1 часа" in text and "(RTO) — не более 4 часов" in text
    assert "Резервная площадка: резервный ЦОД в Тольятти" in text
    assert "телефонии (платформа контакт-центра «Оникс CC» 4.2)" in text
    assert "или АТС" not in text
    data = volga.model_dump(mode="json", exclude_none=True)
    data["system"].update(rpo_hours=0.5, rto_hours=2)
    changed = _spec_text(Project.model_validate(data), "ru").replace("\u00a0", " ")
    assert "(RPO) — не более 0,5 часа" in changed and "(RTO) — не более 2 часов" in changed
    assert "Standby site:" in _spec_text(volga, "en")


def test_adaptation_is_one_window_tied_to_the_launch(volga: Project) -> None:
    """The training plan's adaptation ended the day after the launch («до 11.03.2027, 21
    рабочий день после последнего занятия») while the ТЗ promised 21 working days after
    it: both now state the same window from the launch."""
    from crmimpl.plan.builder import build_plan
    from crmimpl.plan.pilot import adoption_window

    plan = build_plan(volga)
    start, end = adoption_window(volga, plan) or (None, None)
    acceptance = next(t for t in plan.tasks if t.id == "rollout.acceptance")
    assert start == plan.calendar.next_working_day(acceptance.start)
    assert plan.calendar.index_of(end) - plan.calendar.index_of(start) == 20
    text = _training_text(volga, "ru")
    from crmimpl.i18n import day
    assert f"до {day(end, 'ru')} (первые 21 рабочий день промышленной эксплуатации, " \
           f"считая со дня запуска {day(start, 'ru')})" in text
    assert f"после запуска (с {day(start, 'ru')} по {day(end, 'ru')})" in _spec_text(volga, "ru")


def test_key_users_learn_the_pipeline_in_the_banks_words(volga: Project) -> None:
    """R23 excludes offers and contracts from the CRM (the АБС prints them): the key users'
    course taught «коммерческие предложения» from the generic topic while the department
    groups had the bank's wording; both now use the industry's topic."""
    from crmimpl.plan.training import KEY_USERS, curriculum

    titles = [t.title for t in curriculum(volga, KEY_USERS, "ru")]
    assert not any("коммерческие предложения" in t for t in titles)
    assert any(t.startswith("Сделки и воронка продаж: предложение продукта") for t in titles)


def test_training_prose_names_groups_not_codes(volga: Project) -> None:
    """«Группы T20 (6 человек), T68 (6 человек) и T69…» and «(T18, T19, T20, …)» in the
    prose: the groups are named (parts of one course counted) or counted instead."""
    text = _training_text(volga, "ru")
    # (the small groups are no longer explained one by one: the rule is stated once)
    assert not re.search(r"Групп[аы] T\d\d|\(T\d\d, T\d\d", text)


def test_bank_test_cases_name_the_core_system_not_generic_words(volga: Project) -> None:
    """TC-R01 and TC-R11 read «основной системы банка (АБС…)», «во внешней системе (АБС…)»
    and «не позже следующего обмена» for an online call: they name the АБС itself."""
    text = _spec_text(volga, "ru")
    assert "В тестовом контуре АБС «Кредо-Банк» 5.4 подготовить" in text
    assert "Изменить статус заявки в АБС «Кредо-Банк» 5.4 на «Одобрена»" in text
    for generic in ("основной системы банка", "во внешней системе", "не позже следующего обмена",
                    "с данными основной системы"):
        assert generic not in text, generic
