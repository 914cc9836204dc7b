"""Projects nobody has seen: odd but valid inputs a consultant writes (one department, one
goal with one problem, no goal owner, a budget below the estimate, a deadline tighter than
the plan) give a survey report a client can read, in every mode that has one."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from crmimpl.build import document_markdown
from crmimpl.documents.workspace import Workspace
from tests.project_factory import project_data, write_project


def _small(mode: str, lang: str, **changes: Any) -> dict[str, Any]:
    """A one-department project with one goal, one problem and no goal owner."""
    data = project_data(mode=mode, users=5, departments=1, integrations=0, team=2,
                        vacations=False, records=2000, language=lang)
    data["project"].update(changes)
    return data


def _survey(tmp_path: Path, data: dict[str, Any], lang: str) -> str:
    write_project(tmp_path / "p", data)
    md = document_markdown(Workspace.open(tmp_path / "p"), "survey", lang)[0]
    return " ".join(md.split())


@pytest.mark.parametrize("mode", ["express", "typical", "cti"])
def test_one_department_reads_in_the_singular(tmp_path: Path, mode: str) -> None:
    text = _survey(tmp_path, _small(mode, "ru"), "ru")
    assert "Обследовано подразделение, работа которого связана с клиентами: в нем" in text
    assert "Обследованы 1 подразделение" not in text
    assert "выявило 1 проблему в работе с клиентами; цель проекта направлена на ее" in text


def test_one_goal_and_one_problem_read_in_the_singular_in_english(tmp_path: Path) -> None:
    text = _survey(tmp_path, _small("typical", "en"), "en")
    assert "found 1 problem in the work with clients, and the project's goal is set to " \
           "remove it;" in text
    assert "1 goal is" not in text


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_goal_without_owner_names_no_dash(tmp_path: Path, lang: str) -> None:
    text = _survey(tmp_path, _small("typical", lang), lang)
    assert "— —" not in text and "Goal owner: —" not in text
    assert ("Показатель «Repeat sales» должен измениться" in text if lang == "ru"
            else "The indicator “Repeat sales” is to move" in text)


@pytest.mark.parametrize(("mode", "ru", "en"), [
    ("express", "до подписания паспорта пакета внедрения",
     "before the package passport is signed"),
    ("typical", "до утверждения технического задания объем",
     "before the technical specification is approved"),
])
def test_over_the_limit_names_the_modes_own_document(tmp_path: Path, mode: str, ru: str,
                                                     en: str) -> None:
    for lang, wanted in (("ru", ru), ("en", en)):
        data = _small(mode, lang)
        data["budget"]["limit"] = 1000
        text = _survey(tmp_path / lang, data, lang)
        assert wanted in text, lang
        if mode == "express":
            assert "технического задания" not in text.split("превышает лимит")[-1][:120]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_deadline_before_the_planned_launch_is_told_to_the_client(tmp_path: Path,
                                                                    lang: str) -> None:
    start = date(2026, 2, 2)
    tight = _small("express", lang, deadline=(start + timedelta(days=3)).isoformat())
    text = _survey(tmp_path / "tight", tight, lang)
    said = ("план-график в него не укладывается" if lang == "ru"
            else "which the project schedule does not meet")
    assert said in text
    loose = _small("express", lang, deadline=(start + timedelta(days=300)).isoformat())
    assert said not in _survey(tmp_path / "loose", loose, lang)


@pytest.mark.parametrize(("mode", "doc"), [("typical", "survey"), ("typical", "spec"),
                                           ("iterative", "survey"), ("iterative", "spec")])
def test_a_phase_without_contractor_hours_is_left_out(tmp_path: Path, mode: str,
                                                      doc: str) -> None:
    """The client's own manager runs the project (no contractor project manager): the
    project management phase has no contractor hours and no cost, and no table shows it
    as "0 h, 0 ₽"."""
    data = _small(mode, "ru")
    for person in data["team"]:
        if person["side"] == "contractor" and "project_manager" in person["roles"]:
            person["roles"] = ["consultant"]
    data["team"].append({"id": "pm", "name": "Client PM", "roles": ["project_manager"],
                         "side": "client", "availability": 0.5})
    write_project(tmp_path / "p", data)
    ws = Workspace.open(tmp_path / "p")
    empty = [ph for ph in ws.plan.phases if ph.cost == 0 and not ph.post_launch
             and any(not t.milestone for t in ph.tasks)]  # acceptance keeps its date
    assert empty, "the client-run project management phase costs nothing"
    md = document_markdown(ws, doc, "ru")[0]
    rows = [line for line in md.splitlines() if line.startswith("| ")]
    for ph in empty:
        assert not [r for r in rows if r.startswith(f"| {ph.name_in('ru')} |")], ph.id


# ------------------------------------------------------------------ answers as prose


def _answered(tmp_path: Path, lang: str, answers: dict[str, Any]) -> str:
    """The survey report of a synthetic project whose survey questionnaire holds
    ``answers`` (written as an import writes them)."""
    import yaml

    data = _small("typical", lang)
    write_project(tmp_path / "p", data)
    (tmp_path / "p" / "answers").mkdir()
    record = {"kind": "survey", "language": lang, "questionnaire": "survey", "version": 1,
              "responses": [{"answers": answers, "source": "survey.xlsx",
                             "respondent": {"date": "2026-02-10", "name": "A. Person",
                                            "position": "Head of Sales"}}]}
    (tmp_path / "p" / "answers" / "survey.yaml").write_text(
        yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    return _survey(tmp_path, data, lang).replace("\\", "")


ANSWERS = {"client_types": ["b2b", "dealers"], "active_clients": 1900, "average_deal": 540000,
           "repeat_share": 46, "sales_channels": ["direct", "website", "dealers"],
           "marketing_mix": ["search_ads", "social"], "report_tools": ["excel", "accounting"]}


@pytest.mark.parametrize(("lang", "wanted"), [
    ("ru", ["Компания работает со следующими типами клиентов: компании (B2B) и ",
            "В базе компании 1 900 активных клиентов.", "Средняя сумма сделки — 540 000",
            "Повторные продажи дают 46 % выручки.",
            "Компания продает через следующие каналы: прямые продажи (встречи); сайт и заявки "
            "с него; дилерская сеть.",
            "с помощью следующих инструментов: контекстная реклама и социальные сети.",
            "Отчеты готовятся с помощью следующих инструментов: Excel и отчеты"]),
    ("en", ["The company's clients are companies (B2B) and ",
            "The company has 1,900 active clients.", "The average deal is worth ",
            "Repeat sales bring 46% of revenue.",
            "The company sells through direct sales (meetings); website and its enquiry "
            "forms; dealer network.",
            "The company promotes itself through search advertising and social networks.",
            "The company prepares its reports with Excel and accounting or ERP system"]),
])
def test_short_survey_answers_read_as_sentences(tmp_path: Path, lang: str,
                                                wanted: list[str]) -> None:
    """Client types, active clients, deal size, channels and tools are sentences of the
    report, not "Client types: …. Active clients: …." runs; a name keeps its capital."""
    text = _answered(tmp_path, lang, ANSWERS)
    for phrase in wanted:
        assert phrase in text, phrase
    for run in ("Client types:", "Active clients:", "Типы клиентов —", "Активных клиентов —",
                "Sales channels:", "Каналы продаж —", "excel"):
        assert run not in text, run


def test_crm_users_beyond_the_departments_is_refused(tmp_path: Path) -> None:
    """crm_users of 40 with departments of 16 people would print 40 users on one page and
    16 on the next: the project is refused with a hint, as the opposite case is."""
    from crmimpl.errors import CrmimplError

    data = _small("typical", "en")
    data["client"]["crm_users"] = data["client"]["departments"][0]["headcount"] + 35
    with pytest.raises(CrmimplError) as found:
        write_project(tmp_path / "p", data)
    assert "but the departments have 5 CRM users in all" in str(found.value.problems)


@pytest.mark.parametrize(("lang", "said", "not_said"), [
    ("ru", "Обследование проведено 3 февраля 2026 года.", "по 3 февраля 2026 года"),
    ("en", "The survey took place on 3 February 2026.", "to 3 February 2026"),
])
def test_a_one_day_survey_names_its_day_once(tmp_path: Path, lang: str, said: str,
                                             not_said: str) -> None:
    """A CTI survey of a small office can take one day: «с 1 декабря по 1 декабря» is
    not written."""
    from crmimpl.documents import survey
    from crmimpl.render.markdown import render_markdown

    write_project(tmp_path / "p", _small("cti", lang))
    ws = Workspace.open(tmp_path / "p")
    context = survey.build_context(ws.project, lang, plan=ws.plan)
    context["intro"]["survey_finish"] = context["intro"]["survey_start"]  # one day
    text = " ".join(render_markdown(survey.NAME, lang, context).split()).replace("\\", "")
    assert said in text
    assert not_said not in text


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_an_interview_with_nobody_named_does_not_quote_the_department(tmp_path: Path,
                                                                      lang: str) -> None:
    """With no head and no key user booked on a department's interview, the report does
    not write «На интервью (Отдел продаж)» / "At the interview (Sales)", nor call one
    person "respondents"."""
    data = _small("typical", lang)
    data["team"] = [p for p in data["team"] if p.get("department") is None]
    text = _survey(tmp_path, data, lang)
    assert "интервью (Department 1)" not in text and "interview (Department 1)" not in text
    assert "respondents: Client Sponsor" not in text
    assert "опрашиваемые — Client Sponsor" not in text


def test_a_new_project_fits_its_country_and_mode(tmp_path: Path) -> None:
    """`crmimpl new`: a Kazakh client is a ТОО, not an ООО; a CTI project is titled as a
    telephony integration and migrates no client base into the CRM it already has."""
    from crmimpl.scaffold import new_project_text

    kz = new_project_text(tmp_path / "kz", "typical", "ru", country="KZ")
    assert 'name: "ТОО «Клиент»"' in kz and "ООО «Клиент»" not in kz
    cti = yaml_data(new_project_text(tmp_path / "cti", "cti", "ru"))
    assert cti["project"]["title"].startswith("Подключение телефонии")
    assert cti["migration"] == []
    cti_en = yaml_data(new_project_text(tmp_path / "cti", "cti", "en"))
    assert cti_en["project"]["title"].startswith("Telephony integration")
    assert cti_en["migration"] == []
    assert yaml_data(new_project_text(tmp_path / "t", "typical", "en"))["migration"]


def yaml_data(text: str) -> Any:
    import yaml

    return yaml.safe_load(text)


def test_a_long_detail_answer_is_a_paragraph_not_a_caption_run(tmp_path: Path) -> None:
    """A choice whose detail is the client's own sentence (the data must be hosted in the
    UK…) reads as a captioned paragraph, not "Vendor location and data residency: Client
    data must be hosted…"."""
    said = ("Client data must be hosted in the UK or the EEA, as the contracts promise; no "
            "transfers outside without standard contractual clauses.")
    text = _answered_abroad(tmp_path, {"vendor_location": "local_hosting",
                                       "pd_processing": True, "data_residency": said})
    assert said.split(";")[0] in text
    assert "Vendor location and data residency: Client data" not in text


def _answered_abroad(tmp_path: Path, answers: dict[str, Any]) -> str:
    import yaml

    data = _small("typical", "en")
    data["project"].update(calendar="GB", currency="GBP", vat_rate=20)
    data["client"]["country"] = "GB"
    write_project(tmp_path / "p", data)
    (tmp_path / "p" / "answers").mkdir()
    record = {"kind": "survey", "language": "en", "questionnaire": "survey", "version": 1,
              "responses": [{"answers": answers, "source": "survey.xlsx",
                             "respondent": {"date": "2026-02-10", "name": "A. Person",
                                            "position": "Head of Sales"}}]}
    (tmp_path / "p" / "answers" / "survey.yaml").write_text(
        yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    return _survey(tmp_path, data, "en").replace("\\", "")
