"""Survey report and selection, round 8: an excluded candidate, deferred requests, and the
remarks a senior consultant adds."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmimpl.model.project import load_project
from crmimpl.plan.economics import analyse, tco_table
from tests.conftest import EXAMPLES
from tests.helpers import run_cli
from tests.test_economics import ROI, SELECTION, _candidates, _project
from tests.test_survey_report_round5 import report


def _excluding(reason: str = "Облако не соответствует политике ИБ.") -> str:
    # c is cheapest and would rank 3rd; a and b tie; exclude a, the otherwise leader
    return (_candidates("a", "b", "c") + SELECTION + ROI).replace(
        "name: A,", f"name: A, excluded: \"{reason}\",")


def test_an_excluded_candidate_is_costed_but_not_ranked_nor_compared(tmp_path: Path) -> None:
    result = analyse(load_project(_project(tmp_path, _excluding())))
    ranks = {s.candidate.id: s.rank for s in result.scores}
    # a is scored (16) but has no rank; b leads alone, c follows
    assert ranks == {"a": None, "b": 1, "c": 2}
    assert {o.candidate.id for o in result.offers} == {"a", "b", "c"}
    assert {r.offer.candidate.id for r in result.returns} == {"b", "c"}
    table = tco_table(result)
    assert "Исключен: A — Облако не соответствует политике ИБ." in table


def test_the_proposed_candidate_cannot_be_excluded(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    section = _excluding().replace("implementation: 1000\n",
                                   "implementation: 1000\n  proposed: a\n")
    err = run_cli(capsys, "validate", str(_project(tmp_path, section))).err
    assert "the proposed candidate 'a' is excluded" in err


def test_every_candidate_excluded_is_an_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    section = _candidates("a").replace("name: A,", "name: A, excluded: нет,")
    err = run_cli(capsys, "validate", str(_project(tmp_path, section))).err
    assert "every candidate is excluded" in err


def test_the_workbook_ranks_and_compares_only_candidates_not_excluded(tmp_path: Path) -> None:
    from crmimpl.render.selection_workbook import build_workbook

    result = analyse(load_project(_project(tmp_path, _excluding())))
    wb, anchors = build_workbook(result)

    def cell(key: str) -> object:
        sheet, ref = anchors.cells[key].rsplit("!", 1)
        return wb[sheet.strip("'")][ref.replace("$", "")].value

    assert cell("rank:a") == "Исключен"
    # b's rank counts only c (a is left out): 1 + (c > b)
    assert cell("rank:b") == "=1+(E6>D6)"
    assert "roi:a/saas" not in anchors.cells and "roi:b/saas" in anchors.cells
    assert "tco:a/saas:total" in anchors.cells


def test_volga_survey_shows_the_excluded_cloud_with_its_reason() -> None:
    text, context = report("volga-bank", "ru")
    tco = context["tco"]
    assert [r["name"] for r in tco["ranking"]] == ["Вектор CRM (отраслевое решение для банков)",
                                                   "Сфера CRM Enterprise"]
    assert "Система «Пульс CRM (облачный сервис)» из выбора исключена: облако провайдера" in text
    assert "Пульс CRM — подписка (SaaS) (исключен)" in text
    assert all("Пульс" not in o["name"] for o in tco["roi_offers"])
    assert "Пульс" not in tco["cheapest"] and "Пульс" not in tco["cheapest_name"]


def test_waves_that_depart_from_the_request_say_why() -> None:
    text, _ = report("volga-bank", "ru")
    waves = text.index("Опытная эксплуатация в плане проекта проводится поэтапно")
    said = text[waves:waves + 900]
    assert "Два офиса в Самаре, которые банк в анкете просил включить в первую волну, " \
           "перенесены в третью волну" in said


def test_waves_without_a_decision_add_nothing(tmp_path: Path) -> None:
    from crmimpl.documents import survey

    project = load_project(EXAMPLES / "volga-bank")
    project.rollout.decision = None
    assert survey.build_context(project, "ru")["pilot_decision"] == ""


def test_a_bank_reads_its_own_words_not_checkbox_labels() -> None:
    text, _ = report("volga-bank", "ru")
    assert "Компании (B2B)" not in text and "частные лица (B2C)" not in text
    assert "Компания работает со следующими типами клиентов: юридические лица и " \
        "индивидуальные предприниматели; физические лица." in text
    assert "учетной или ERP-системы" not in text and "отчеты АБС" in text
    # a sentence is not hung on «По данным анкеты …:» as if it were a quotation
    assert "обследования: Часть сотрудников" not in text
    # the bank's own account of its branch offices, not the yes beside it
    assert "CRM-система нужна не только в головном офисе" not in text
    assert "подчиняются дирекции розничной сети" in text
    assert "работают в офисе: мобильный доступ" not in text
    assert "Сотрудники подразделения работают в CRM-системе из офиса, мобильный доступ им не " \
        "нужен." in text
    trade, _ = report("optima-distribution", "ru")
    assert "компании (B2B)" in trade  # other industries keep the generic label


def test_typical_capabilities_say_nothing_the_project_rules_out() -> None:
    from crmimpl.industry import standard_functions

    bank = load_project(EXAMPLES / "volga-bank")  # messengers banned by the bank's policy
    said = " ".join(standard_functions(bank, "contacts", "ru"))
    assert "сообщения" not in said and "мессендж" not in said
    assert "история взаимодействий: звонки, встречи и письма" in said
    bank.requirements[0].statement += " Переписка с клиентом в мессенджере видна в карточке."
    bank.requirements[0].priority = "must"
    assert "переписка с клиентом в мессенджерах в истории взаимодействий" in standard_functions(
        bank, "contacts", "ru")


def test_a_contractor_specialist_without_a_task_is_not_listed() -> None:
    from crmimpl.documents import survey

    project = load_project(EXAMPLES / "volga-bank")
    names = [r["name"] for r in survey.build_context(project, "ru")["team_contractor"]]
    assert "Жуков Илья Петрович" in names  # the deployment is planned for him
    project.plan.tasks = [t for t in project.plan.tasks if t.id != "rollout.deploy"]
    rows = survey.build_context(project, "ru")["team_contractor"]
    assert "Жуков Илья Петрович" not in [r["name"] for r in rows]
    assert all(r["effort"] != "—" for r in rows)


def test_a_long_system_name_in_full_once_then_short() -> None:
    from crmimpl.plan.economics import short_names

    text, _context = report("volga-bank", "ru")
    section = text[text.index("Выбор системы и стоимость владения"):]
    section = section[:section.index("Команда проекта и роли")]
    full = "Вектор CRM (отраслевое решение для банков)"
    assert section.count(full) == 1  # the ranking table
    assert "По сумме оценок лидирует Вектор CRM." in section
    assert "| Вектор CRM — бессрочная лицензия |" in section
    econ = load_project(EXAMPLES / "volga-bank").economics
    assert econ is not None
    econ.candidates[1].short_name = "Вектор CRM"  # two alike keep their full names
    names = short_names(econ)
    assert names["vektor"] == full and names["sfera"] == "Сфера CRM Enterprise"
