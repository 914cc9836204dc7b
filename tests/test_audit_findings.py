"""Audit findings as a consultant writes them: headed by the problem, answered by actions
drawn from the finding (its check, the measured gap, the owner), evidence kept for passed
checks, the date set against the plan, and checks and actions that fit the project."""

from __future__ import annotations

import datetime as dt

import pytest

from crmimpl.documents import audit_report
from crmimpl.model.project import Project, load_project
from crmimpl.questionnaire import audit as au
from crmimpl.questionnaire.library import get_questionnaire
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def volga() -> Project:
    return load_project(EXAMPLES / "volga-bank")


@pytest.fixture(scope="module")
def kreativ() -> Project:
    return load_project(EXAMPLES / "kreativ-agency")


@pytest.fixture(scope="module")
def volga_ru(volga: Project) -> dict:
    return audit_report.build_context(volga, "ru")


def _finding(context: dict, check_start: str) -> dict:
    return next(f for f in context["findings"] if f["check"].startswith(check_start))


def test_a_failed_finding_is_headed_as_a_problem(volga_ru: dict) -> None:
    parallel = _finding(volga_ru, "Параллельный учет")
    assert parallel["status"] == "Не выполнено"
    assert parallel["title"] == ("Девять офисов ведут планы звонков в Excel, двое менеджеров МСБ — "
                                 "воронку в таблице")
    assert "прекращён" not in parallel["title"]
    for f in volga_ru["findings"]:
        assert f["title"] != f["check"], f["title"]


def test_heading_without_a_catalogue_problem_says_the_status() -> None:
    record = au.AuditRecord(project="x", date=dt.date(2026, 1, 1), source="x.xlsx", areas={
        "regulation": {"custom_check": au.CheckResult(status="failed")}})
    project = load_project(EXAMPLES / "optima-distribution")
    labels = audit_report._Labels(get_questionnaire(au.QUESTIONNAIRE), "en")
    found = audit_report._findings(project, record, labels, au.load_catalogue(), "en")
    assert found[0]["title"] == "Failed: custom_check"


def test_corrective_action_comes_from_the_finding(volga_ru: dict) -> None:
    calls = _finding(volga_ru, "Звонки и встречи")
    # the auditor's own actions replace the catalogue's generic ones: the contractor's
    # summary with its hours, then the offices' target
    assert len(calls["actions"]) == 2 and "90 %" in calls["actions"][1]
    assert "Осипов" in calls["actions"][0] and "Мельников" in calls["actions"][1]
    mobile = _finding(volga_ru, "Сотрудники в разъездах")
    # the bank's own devices: tablets through its MDM, not a generic "phone"
    assert mobile["actions"][0].startswith("Установить приложение через MDM банка на планшеты")
    for f in volga_ru["findings"]:
        for action in f["actions"]:
            assert "Устранить отклонение" not in action
            assert "по методике чек-листа" not in action
            assert "если его еще нет" not in action


def test_every_line_of_the_auditors_action_is_an_action() -> None:
    project = load_project(EXAMPLES / "optima-distribution")
    check = au.CheckResult(status="failed", action="Первое действие\n\n  Второе действие.  ")
    actions = audit_report._actions(project, check, None, set(), "ru")
    assert actions == ["Первое действие.", "Второе действие."]


def test_an_action_the_evidence_shows_done_is_not_proposed() -> None:
    project = load_project(EXAMPLES / "optima-distribution")
    entry = au.load_catalogue().checks["stale_deals"]
    seen = au.CheckResult(status="partly", evidence="23 сделки без движения больше "
                          "30 дней; напоминание руководителю настроено.")
    actions = " ".join(audit_report._actions(project, seen, entry, set(), "ru"))
    assert "напоминание" not in actions and "Разобрать зависшие сделки" in actions
    unseen = au.CheckResult(status="partly", evidence="23 сделки без движения.")
    assert "напоминание" in " ".join(audit_report._actions(project, unseen, entry, set(),
                                                            "ru"))


def test_the_previous_audits_findings_are_followed_up() -> None:
    optima = audit_report.build_context(load_project(EXAMPLES / "optima-distribution"), "ru")
    follow = optima["follow_up"]
    # audit 1 had 12 checks failed or partly passed; audit 2 says what became of each
    assert len(follow["rows"]) == 12 and follow["number"] == 1
    results = [r["result"].split(".")[0] for r in follow["rows"]]
    # round 22: tasks on time is partly passed again only for the contractor's R08
    # defect of audit 2, so the client's overdue tasks of audit 1 are done
    assert results.count("Выполнено") == 9 and results.count("Выполнено частично") == 3
    assert follow["summary"] == ("Из 12\u00a0замечаний аудита № 1 полностью устранено 9, "
                                 "частично — 3.")
    calls = next(r for r in follow["rows"] if r["title"].startswith("В CRM занесено около 70 %"))
    assert calls["owner"] == "Ефимова\u00a0С.\u00a0И." and calls["due"] == "30.09.2026"
    assert "94 %" in calls["result"]
    # a first audit has nothing to follow up
    assert audit_report.build_context(load_project(EXAMPLES / "volga-bank"), "ru")[
        "follow_up"]["rows"] == []


def test_scores_round_half_up_the_same_everywhere(volga_ru: dict) -> None:
    assert audit_report.pct(81.25, "ru") == "81\u00a0%"
    assert audit_report.pct(81.5, "ru") == "82\u00a0%"
    assert audit_report.pct(85.714, "en") == "86%"
    g5 = next(k for k in volga_ru["kpis"] if k["goal"] == "G5")
    assert g5["progress"] in " ".join(volga_ru["attention"])


def test_the_auditor_signs_the_report(volga_ru: dict) -> None:
    assert volga_ru["meta"]["author"] == volga_ru["auditor"]


def test_passed_checks_keep_their_evidence(volga_ru: dict) -> None:
    confirmed = [c for a in volga_ru["checklist"] for c in a["confirmed"]]
    assert any("481 из 500" in c["evidence"] for c in confirmed)
    assert all(c["evidence"].endswith(".") for c in confirmed)


def test_bank_checks_come_from_the_checklist(volga: Project, volga_ru: dict) -> None:
    definition, _catalogue = au.checklist_for(volga)
    ids = {r.id for _s, q in au.areas(definition) for r in q.rows}
    assert {"complaints_on_time", "collection_limits", "consents_respected",
            "pd_access_logged"} <= ids
    # the auditor's own heading for this client, not the catalogue's generic problem
    assert _finding(volga_ru, "Жалобы клиентов")["title"] == (
        "В офисах Пензенской области жалобы рассматриваются позже установленного срока")


def test_bank_checks_stay_out_of_other_projects(kreativ: Project) -> None:
    definition, _catalogue = au.checklist_for(kreativ)
    ids = {r.id for _s, q in au.areas(definition) for r in q.rows}
    assert not ids & {"complaints_on_time", "collection_limits", "pd_access_logged"}


def test_audit_date_is_set_against_the_plan(volga: Project, volga_ru: dict) -> None:
    from crmimpl import i18n

    planned = au.planned_date(volga, 1)
    assert planned is not None and planned < dt.date(2027, 5, 24)
    days = (dt.date(2027, 5, 24) - planned).days
    schedule = volga_ru["schedule"].replace("\u00a0", " ")
    assert i18n.day_long(planned, "ru").replace("\u00a0", " ") in schedule
    assert f"на {i18n.count(days, 'ru', ('день', 'дня', 'дней'), ('', ''))} позже" in schedule
    assert "по просьбе банка" in schedule


def test_no_telephony_action_without_telephony(kreativ: Project) -> None:
    checks = au.load_catalogue().checks
    calls = au.CheckResult(status="partly")
    actions = " ".join(audit_report._actions(kreativ, calls, checks["calls_logged"], set(),
                                             "ru"))
    assert actions and "телефони" not in actions
    # the integration errors are already watched (a passed check): no alert to set up
    runs = audit_report._actions(kreativ, calls, checks["exchange_runs"],
                                 {"errors_monitored"}, "ru")
    assert "уведомление ответственному о сбое" not in " ".join(runs)


def test_next_audit_only_when_one_is_planned(kreativ: Project, volga_ru: dict) -> None:
    context = audit_report.build_context(kreativ, "ru")
    assert context["next_audit"] == ""
    assert "следующем аудите" not in context["control"]
    assert "следующем аудите" in volga_ru["control"]


def test_missed_and_near_goals_go_to_the_sponsor(volga_ru: dict) -> None:
    optima = audit_report.build_context(load_project(EXAMPLES / "optima-distribution"), "ru")
    flagged = " ".join(optima["attention"])
    assert "G2" in flagged and "прошел, цель не достигнута" in flagged
    assert "Ефимова" in flagged
    # volga's April figures: G1's pace since launch covers about 87 % of the way by its
    # deadline; G5, due before the next audit, is behind the pace since its go-live
    # every goal not met is listed: a decision for the sponsor (G1) or on pace (round 14)
    assert [a[:2] for a in volga_ru["attention"]] == ["G1", "G2", "G3", "G4", "G5"]
    # G3 and G4 count their pace from their units' go-live (waves 2 and 3), not from the
    # acceptance: both are behind (round 14: about 66 % and 86 %)
    # round 21: G5 (its tasks the contact centre's) counts from 23.12.2026 and is behind
    assert [a[:2] for a in volga_ru["attention"] if getattr(a, "decision", True)] == [
        "G1", "G3", "G4", "G5"]


def test_an_audit_within_its_planned_days_is_on_time() -> None:
    """northwind's audit is held on a day the plan gives it (the check and the report):
    no "days later" sentence, and the plan keeps it off the auditor's leave."""
    northwind = load_project(EXAMPLES / "northwind-it")
    first, last = au.planned_window(northwind, 1)
    assert first <= dt.date(2026, 9, 3) <= last
    leave = northwind.person(northwind.audit.auditor).vacations[0]
    assert first > leave.end
    assert audit_report.build_context(northwind, "en")["schedule"] == ""


def test_a_seasonal_kpi_is_compared_like_for_like() -> None:
    """optima's revenue peaks from April to October: September–November is set against
    the same months of 2025, not against the 2025 monthly average."""
    optima = load_project(EXAMPLES / "optima-distribution")
    context = audit_report.build_context(optima, "ru")
    g1 = next(k for k in context["kpis"] if k["goal"] == "G1")
    kpi = next(g for g in optima.goals if g.id == "G1").kpi
    # like for like: 81,1 → 88,9 against a target of 81,1 × 1,3
    expected = 100 * (88.9 - 81.1) / (81.1 * 101.4 / 78 - 81.1)
    assert g1["progress"] == audit_report.pct(expected, "ru") + audit_report.LIKE_MARK
    assert au.kpi_progress(kpi, 88.9) > au.kpi_progress(kpi, 88.9, 81.1)
    note = g1["period"].replace("\u00a0", " ")
    assert "сентябрь–ноябрь 2026 года" in note and "+10 %" in note and "+30 %" in note
    assert "47 %" in note  # what the annual baseline would have said
    assert context["like_rule"]
    # a seasonal KPI without the same months before the CRM: the caveat, and the plain
    # baseline in the table (no mark)
    record = audit_report.pick_audit(au.load_audits(optima.folder), None)
    kpi = dict(record.kpi)
    kpi["G3"] = kpi["G3"].model_copy(update={"comparable": None})
    bare = record.model_copy(update={"kpi": kpi})
    for lang, word in (("ru", "предварительный"), ("en", "preliminary")):
        other = audit_report.build_context(optima, lang, audit=bare,
                                           audits=[*au.load_audits(optima.folder)[:-1], bare])
        g3 = next(k for k in other["kpis"] if k["goal"] == "G3")
        assert word in g3["period"] and not g3["baseline"].endswith(audit_report.LIKE_MARK)


def test_a_kpi_that_is_not_seasonal_gets_no_caveat(volga_ru: dict) -> None:
    for k in volga_ru["kpis"]:
        assert "сезонн" not in k["period"]
    assert volga_ru["like_rule"] == ""


def test_a_late_audit_says_the_next_one_comes_sooner(volga_ru: dict) -> None:
    """volga's audit 1 was held late, so the next planned audit is two months away: the
    report says only which actions fall due after it (nothing when none does), never an
    account of the plan's arithmetic."""
    volga = load_project(EXAMPLES / "volga-bank")
    record = au.read_audit(EXAMPLES / "volga-bank" / "audits" / "2027-05-24.yaml")
    following = audit_report._next_date(volga, record, None)
    assert following is not None
    assert (following - record.date).days < 0.75 * volga.audit.every_months * 30.4
    later = [c.due for checks in record.areas.values() for c in checks.values()
             if c.status in ("failed", "partly") and c.due and c.due > following]
    assert (volga_ru["next_gap"] == "") == (not later)
    for checks in record.areas.values():
        for check in checks.values():
            if check.due:
                check.due = min(check.due, following)
    assert audit_report._next_gap(volga, record, None, "ru") == ""
    record.areas["adoption"]["mobile_use"].due = following + dt.timedelta(days=30)
    text = audit_report._next_gap(volga, record, None, "ru")
    assert text.startswith("Действия со сроком позже") and "месяц" not in text
    northwind = audit_report.build_context(load_project(EXAMPLES / "northwind-it"), "en")
    assert northwind["next_gap"] == ""  # held on time: the rhythm holds


def test_without_a_next_audit_the_recheck_falls_within_support(kreativ: Project) -> None:
    control = audit_report.build_context(kreativ, "ru")["control"]
    # the last due date of kreativ's findings and its 4 h a month of support
    assert "22.05.2026" in control and "4\u00a0ч в месяц" in control


def test_a_finding_without_owner_or_date_says_what_is_to_agree(kreativ: Project) -> None:
    record = au.AuditRecord(project="x", number=1, date=dt.date(2026, 5, 6), source="x.xlsx",
                            areas={"regulation": {"calls_logged": au.CheckResult(
                                status="failed", owner="Андреева П. С.")}})
    context = audit_report.build_context(kreativ, "ru", audit=record, audits=[record])
    assert context["all_assigned"] is False
    assignment = context["findings"][0]["assignment"]
    assert assignment.startswith("Ответственный — Андреева") and "срок не назначен" in assignment
    text = audit_report.report_blocks(kreativ, "ru", audit=record, audits=[record])
    assert "— —" not in str(text)


def test_a_goal_ahead_of_its_pace_needs_no_sponsor_decision(kreativ: Project) -> None:
    """kreativ's G1 has covered 73 % of the way with 55 days left, far ahead of the share
    of time since launch: no decision for the sponsor. Its G2 is measured only
    preliminarily when a finding (the missing source values) names it: that goes to
    the sponsor, with the finding and its due date (the example's auditor recomputed G2
    by the baseline's method, so the finding is made to name it here)."""
    record = au.load_audits(kreativ.folder)[-1]
    check = record.areas["data_quality"]["directories_current"]
    areas = {**record.areas, "data_quality": {
        **record.areas["data_quality"], "directories_current": check.model_copy(update={
            "evidence": f"{check.evidence} Показатель цели G2 без них не измерить."})}}
    # (the example marks G2 as not yet reflecting the CRM: here it is taken as it does)
    kpi = {**record.kpi, "G2": record.kpi["G2"].model_copy(update={"before_crm": None})}
    record = record.model_copy(update={"areas": areas, "kpi": kpi})
    context = audit_report.build_context(kreativ, "ru", audit=record, audits=[record])
    flagged = [a for a in context["attention"] if getattr(a, "decision", True)]
    assert [a[:2] for a in flagged] == ["G2"]
    assert "предварительное" in flagged[0] and "13.05.2026" in flagged[0]
    assert "Рекомендация" in flagged[0]  # the finding's heading
    assert context["attention_goals"] == ["G2"]  # named in the summary as well
    from crmimpl.render.markdown import render_markdown

    summary = render_markdown("audit_report", "ru", context).split("# Как считается")[0]
    assert "Внимания спонсора требует цель G2" in summary


def test_a_goal_behind_its_pace_near_the_deadline_is_flagged(volga_ru: dict) -> None:
    """The pace is the share of time from the plan's acceptance to the deadline: volga's
    G5 is at 58 % with two thirds of its time gone."""
    assert audit_report._ahead(58.3, dt.date(2027, 3, 10), dt.date(2027, 5, 24),
                               dt.date(2027, 6, 30)) is False
    assert audit_report._ahead(73.2, dt.date(2026, 3, 31), dt.date(2026, 5, 6),
                               dt.date(2026, 6, 30)) is True
    assert audit_report._ahead(99.0, None, dt.date(2026, 5, 6), dt.date(2026, 6, 30)) is False


def test_goals_the_next_audit_comes_too_late_for_or_far_behind_pace_are_flagged() -> None:
    """optima's audit 2 (07.12.2026): G4 is due 30.12.2026, before the next audit, and not
    met (6 against 5 days), though on pace; G1 and G3 have covered about a third of the way
    with more than half of their time gone. All go to the sponsor, with G2 (overdue)."""
    optima = audit_report.build_context(load_project(EXAMPLES / "optima-distribution"), "ru")
    flagged = {a.split(" ", 1)[0]: a for a in optima["attention"]}
    assert set(flagged) == {"G1", "G2", "G3", "G4"}
    assert "G4" in flagged  # due before the next audit, not met yet
    # far behind pace: a seasonal goal is set against the share of time passed (round 21)
    assert "Показатель сезонный" in flagged["G1"] and "32\u00a0%" in flagged["G1"]


def test_the_daily_use_check_asks_for_what_the_role_requires() -> None:
    """Accountants in the system two or three days a week, as their role requires, pass
    the check: it does not say «every working day» for everyone."""
    from crmimpl.questionnaire.library import get_questionnaire

    text = str(get_questionnaire("audit"))
    assert "каждый рабочий день\"" not in text and "как требует их роль" in text


def test_a_like_for_like_row_shows_the_base_its_progress_uses() -> None:
    """optima's G1 progress (32,1 %) is measured against the same months of 2025: the
    table keeps the approved 78 → 101,4 (round 19c: re-based targets read as moved), the
    progress is marked and the note names the base and target it is measured against,
    so that the reader does not compute 46,6 % from the table."""
    optima = audit_report.build_context(load_project(EXAMPLES / "optima-distribution"), "ru")
    g1 = next(k for k in optima["kpis"] if k["goal"] == "G1")
    assert g1["baseline"].startswith("78\u00a0") and g1["target"].startswith("101,4\u00a0")
    assert g1["progress"].endswith(audit_report.LIKE_MARK)
    assert "81,1" in g1["like_pair"] and "105,4" in g1["like_pair"]
    assert optima["like_note"].startswith(audit_report.LIKE_MARK)
    assert g1["like_pair"] in optima["like_note"]
    g2 = next(k for k in optima["kpis"] if k["goal"] == "G2")
    assert not g2["baseline"].endswith(audit_report.LIKE_MARK)


def test_the_summary_plan_says_how_far_the_check_is_met(volga_ru: dict) -> None:
    """The summary table's «Статус» column reads «частично / не выполнено», never a
    finding that is «Выполнено частично»."""
    assert {f["met"] for f in volga_ru["findings"]} <= {"частично", "не выполнено"}


def test_a_metric_follows_the_reports_spelling(volga_ru: dict) -> None:
    """volga's project writes «расчётный счёт»; the report writes «е» everywhere else."""
    g4 = next(k for k in volga_ru["kpis"] if k["goal"] == "G4")
    assert "расчетный счет" in g4["metric"] and "ё" not in g4["metric"]


def test_english_report_numbers_the_audit_without_a_calque() -> None:
    """«Audit 1, 7 September 2026» (the plan's report day), never «Audit No. 1 of 25 Aug
    2026»."""
    from crmimpl.render.markdown import render_markdown

    context = audit_report.build_context(load_project(EXAMPLES / "northwind-it"), "en")
    assert context["subtitle"].replace("\u00a0", " ") == "Audit 1, 7 September 2026"
    text = render_markdown("audit_report", "en", context)
    assert "Services” (audit 1) took place" in text and "No. 1" not in text


def test_a_missed_goal_the_auditor_analysed_is_not_asked_for_its_reasons_again() -> None:
    """optima's G2 missed its deadline and the auditor's comment already gives the causes:
    the sponsor is asked to agree measures and a new date, not for the causes."""
    optima = load_project(EXAMPLES / "optima-distribution")
    record = au.read_audit(EXAMPLES / "optima-distribution" / "audits" / "2026-12-07.yaml")
    record.kpi["G2"].action = None  # the auditor's measure, when given, is stated instead
    context = audit_report.build_context(optima, "ru", audit=record, audits=[record])
    text = " ".join(str(x) for x in context["attention"]).replace("\\u00a0", " ")
    assert "G2" in text and "Нужны причины отставания" not in text
    assert "разборе аудитора" in text
    record.kpi["G2"].comment = "Отчет CRM «Время первого ответа»."
    bare = audit_report.build_context(optima, "ru", audit=record, audits=[record])
    assert "Нужны причины отставания" in " ".join(str(x) for x in bare["attention"])


def test_a_share_changes_in_percentage_points() -> None:
    """optima's G3 is a share (46 → 60 %): its like-for-like change is in points, the
    re-based target keeps the +14 points, and the progress agrees with both."""
    optima = load_project(EXAMPLES / "optima-distribution")
    context = audit_report.build_context(optima, "ru")
    g3 = next(k for k in context["kpis"] if k["goal"] == "G3")
    note = g3["period"].replace("\u00a0", " ")
    assert "+4,2 п. п. при цели +14 п. п." in note and "п. п.." not in note
    assert "62,3" in g3["like_pair"] and g3["progress"].startswith("30")
    english = audit_report.build_context(optima, "en")
    assert "+4.2 pp" in next(k for k in english["kpis"] if k["goal"] == "G3")["period"] \
        .replace("\u00a0", " ")
