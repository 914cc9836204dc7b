"""Round 22 of the senior-consultant review of the survey report: the DOCX as the client
reads it (python-docx), and the rules behind each remark."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLES


def _paragraphs(path: Path) -> list[str]:
    import docx

    return [p.text for p in docx.Document(str(path)).paragraphs]


@pytest.fixture(scope="module")
def surveys(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], list[str]]:
    """The survey reports of optima (ru, en) and teplo (ru) as DOCX paragraphs."""
    from crmimpl.build import BuildOptions, build
    from crmimpl.model.project import load_project

    out: dict[tuple[str, str], list[str]] = {}
    for name, langs in (("optima-distribution", ("ru", "en")), ("teplo-service", ("ru",))):
        target = tmp_path_factory.mktemp(f"survey22-{name}")
        build(load_project(EXAMPLES / name / "project.yaml"),
              BuildOptions(out=target, langs=langs, formats=("docx",), only=("survey",)))
        for lang in langs:
            (path,) = target.glob(f"*survey_report-{lang}.docx")
            out[(name, lang)] = _paragraphs(path)
    return out


@pytest.mark.parametrize(("name", "lang", "lead"), [
    ("optima-distribution", "ru", "Как измеряется показатель: "),
    ("teplo-service", "ru", "Как измеряется показатель: "),
    ("optima-distribution", "en", "How it is measured: "),
])
def test_how_a_goal_is_measured_runs_on_after_the_colon(
        surveys: dict[tuple[str, str], list[str]], name: str, lang: str, lead: str) -> None:
    """«Как измеряется показатель: Выручка по реализациям…» (optima) and «…: Отчет по
    телефонии…» (teplo) had a capital after the colon, pasted from project.yaml; Russian
    runs on in lower case there, and a name keeps its capital."""
    after = [p.split(lead, 1)[1] for p in surveys[(name, lang)] if lead in p]
    assert after, "the example says how its goals are measured"
    for text in after:
        first = text.split()[0]
        assert not (first[:1].isupper() and first[1:].islower() and first.isalpha()), text


def test_a_yes_to_a_yes_or_no_question_is_not_pasted(
        surveys: dict[tuple[str, str], list[str]]) -> None:
    """«Сезонность спроса. Да, ярко выраженная.» pasted the client's answer to «Есть ли
    сезонность спроса?»: under the caption the yes says nothing."""
    for lang, caption in (("ru", "Сезонность спроса."), ("en", "Seasonality of demand")):
        (line,) = [p for p in surveys[("optima-distribution", lang)] if p.startswith(caption)]
        rest = line.split(".", 1)[1].lstrip() if lang == "ru" else line.split(". ", 1)[1]
        assert not rest.startswith(("Да,", "Yes,", "“Yes,")), line
        assert rest[:1].isupper() or rest[:1] in "«“", line


def test_a_paragraph_after_a_caption_ends_as_a_sentence(
        surveys: dict[tuple[str, str], list[str]]) -> None:
    """«Текущий учет клиентов и сделок. amoCRM … и личные таблицы Excel» and "Where
    clients and deals are recorded. …e-mail" ended without a full stop."""
    for lang, caption in (("ru", "Текущий учет клиентов и сделок."),
                          ("en", "Where clients and deals are recorded.")):
        (line,) = [p for p in surveys[("optima-distribution", lang)] if p.startswith(caption)]
        assert line.rstrip().endswith((".", "»", "”")), line


@pytest.mark.parametrize(("text", "expected"), [
    ("amoCRM; личные таблицы Excel", "amoCRM; личные таблицы Excel."),
    ("Excel (14 файлов)", "Excel (14 файлов)."),
    ("Так и есть.", "Так и есть."),
    ("«Мы так работаем.»", "«Мы так работаем.»"),
    ("Работает (с 2022 года.)", "Работает (с 2022 года.)"),
])
def test_closed(text: str, expected: str) -> None:
    from crmimpl.documents.survey_answers import closed

    assert closed(text) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Выручка по реализациям 1С:УТ", "ru", "выручка по реализациям 1С:УТ"),
    ("Манго Офис: отчет по звонкам", "ru", "Манго Офис: отчет по звонкам"),
    ("Битрикс24: отчет по телефонии", "ru", "Битрикс24: отчет по телефонии"),
    ("the Service Desk dashboard", "en", "the Service Desk dashboard"),
    ("Xero reports of the month", "en", "Xero reports of the month"),
    ("The month's average", "en", "the month's average"),
])
def test_after_colon(text: str, lang: str, expected: str) -> None:
    from crmimpl.documents.survey import _after_colon

    assert _after_colon(text, lang) == expected


def _tables(path: Path) -> list[list[list[str]]]:
    import docx

    return [[[c.text for c in r.cells] for r in t.rows] for t in docx.Document(str(path)).tables]


def test_the_clients_sources_named_otherwise_join_the_migration_table(tmp_path: Path) -> None:
    """volga's four answered sources were tabulated a second time under the migration
    table, because «АБС «Кредо-Банк» — клиенты и контакты» is not spelt «Клиентская база
    АБС «Кредо-Банк»»: one table now lists the sources (the people who keep them are
    those who sign their loads off, so no column of their own, which had pushed the table
    onto a half-empty landscape page), and the source not migrated (the SME managers'
    spreadsheets) is named in a sentence."""
    from crmimpl.build import BuildOptions, build
    from crmimpl.model.project import load_project

    build(load_project(EXAMPLES / "volga-bank" / "project.yaml"),
          BuildOptions(out=tmp_path, langs=("ru",), formats=("docx",), only=("survey",)))
    (path,) = tmp_path.glob("*survey_report-ru.docx")
    sources = [t for t in _tables(path) if t[0][0] == "Источник"]
    assert len(sources) == 1, [t[0] for t in sources]
    assert "Ведет" not in sources[0][0] and "Отвечает за загрузку" in sources[0][0]
    (line,) = [p for p in _paragraphs(path) if p.startswith("В анкете заказчик назвал также")]
    assert "«Таблицы менеджеров МСБ (воронка и договоренности)»" in line, line


@pytest.mark.parametrize(("migrated", "listed", "same"), [
    ("Клиентская база АБС «Кредо-Банк»", "АБС «Кредо-Банк» — клиенты и контакты", True),
    ("Freshdesk (CSV export)", "Freshdesk: tickets", True),
    ("Скрипты и база ответов (Word)", "Скрипты и база ответов", True),
    ("Клиентская база АБС «Кредо-Банк»", "Старая CRM «ИнфоКлиент»", False),
    ("Contract register", "New business pipeline", False),
])
def test_same_source(migrated: str, listed: str, same: bool) -> None:
    from crmimpl.documents.survey import _same_source

    assert _same_source(migrated, listed) is same


def test_an_english_report_quotes_in_one_typography(
        surveys: dict[tuple[str, str], list[str]]) -> None:
    """Northwind's and optima's English reports mixed "as is", "Planned" and the
    indicators' "…" with the “…” of the client's words; our own text quotes with “…” (a
    straight quote left is the consultant's, written in project.yaml)."""
    import re

    text = "\n".join(surveys[("optima-distribution", "en")])
    ours = ("as is", "to be", "Planned", "Training", "Open questions",
            "Average first response time", "Typical implementation")
    straight = set(re.findall(r'"([^"]+)"', text))
    assert not straight & set(ours), straight & set(ours)
    assert "“as is”" in text


@pytest.mark.parametrize(("lang", "expected"), [
    ("ru", "Отчеты готовятся с помощью следующих инструментов: Excel и 1С:Управление торговлей."),
    ("en", "The company prepares its reports with Excel and 1C:Trade Management."),
])
def test_the_accounting_systems_reports_are_named(
        surveys: dict[tuple[str, str], list[str]], lang: str, expected: str) -> None:
    """Optima's reports were prepared in «Excel и отчеты учетной или ERP-системы», the
    questionnaire's option, while the same answers name 1С:Управление торговлей 11.5:
    the option gives way to the system the client named, as «BI-система» does to
    Power BI."""
    assert any(expected in p for p in surveys[("optima-distribution", lang)])


def test_a_user_class_without_a_note_is_described_by_its_rights(
        surveys: dict[tuple[str, str], list[str]], tmp_path: Path) -> None:
    """Optima's «Руководитель отдела продаж», «Маркетолог» and «Руководство» had an empty
    note beside described classes, while project.yaml gives each class its rights per
    module: the note says the access the class has, the modules that differ first."""
    from crmimpl.build import BuildOptions, build
    from crmimpl.model.project import load_project

    build(load_project(EXAMPLES / "optima-distribution" / "project.yaml"),
          BuildOptions(out=tmp_path, langs=("ru",), formats=("docx",), only=("survey",)))
    (path,) = tmp_path.glob("*survey_report-ru.docx")
    (table,) = [t for t in _tables(path) if t[0][:2] == ["Класс пользователей", "Подразделения"]]
    notes = {row[0]: row[-1].replace("\u00a0", " ") for row in table[1:]}
    assert all(notes.values()), notes
    assert notes["Руководитель отдела продаж"] == (
        "Права: «Маркетинговые кампании» и «Рассылки» — просмотр; в остальных разделах — "
        "записи отдела; выгрузка списков запрещена.")
    assert notes["Администратор CRM"] == "Права во всех разделах — все записи."


def test_english_lists_run_on_in_lower_case_after_a_dash_or_colon(
        surveys: dict[tuple[str, str], list[str]]) -> None:
    """"Construction Sales Department — Project-based sales…; Commercial proposals…" and
    "tools: Website, paid search…; Supplier promotions…" kept each item's capital inside
    a sentence, where the Russian report runs on in lower case."""
    paragraphs = surveys[("optima-distribution", "en")]
    (functions,) = [p for p in paragraphs if p.startswith("Construction Sales Department — ")]
    assert functions.startswith("Construction Sales Department — project-based sales"), functions
    assert "; commercial proposals" in functions
    (tools,) = [p for p in paragraphs if "promotion and sales stimulation tools:" in p]
    assert "tools: website, paid search" in tools and "; supplier promotions" in tools, tools


def test_a_chosen_system_named_again_in_full_is_said_once(
        surveys: dict[tuple[str, str], list[str]], tmp_path: Path) -> None:
    """The IT table said «Учетная система — 1С:Управление торговлей» above «Конфигурация
    и сопровождение учетной системы — 1С:Управление торговлей, редакция 11.5, …», and
    northwind's "Accounting system: Xero" above "Xero (cloud, Established plan) …"."""
    from crmimpl.build import BuildOptions, build
    from crmimpl.model.project import load_project

    build(load_project(EXAMPLES / "northwind-it" / "project.yaml"),
          BuildOptions(out=tmp_path, langs=("en",), formats=("docx",), only=("survey",)))
    (path,) = tmp_path.glob("*survey_report-en.docx")
    rows = {r[0]: r[1] for t in _tables(path) if t[0] == ["Item", "Survey finding"]
            for r in t[1:]}
    assert "Accounting system" not in rows
    assert rows["Accounting system version and support"].startswith("Xero (cloud")


def test_the_clients_limit_is_a_round_figure_in_prose(
        surveys: dict[tuple[str, str], list[str]]) -> None:
    """Teplo's plan has amounts with kopecks, so its estimate table writes every amount
    exactly; the sentences after it wrote the client's limit as «490 000,00 ₽» and what
    is left of it as «2 205,00 ₽»."""
    import re

    text = "\n".join(re.sub(r"[\u00a0\u202f]", " ", p) for p in surveys[("teplo-service", "ru")])
    assert "Лимит бюджета работ исполнителя — 490 000 ₽ без НДС" in text
    assert "оставляет до лимита 2 205 ₽" in text


@pytest.mark.parametrize(("lang", "said"), [("ru", "55"), ("en", "55")])
def test_the_users_expected_in_three_years_are_said_once(
        surveys: dict[tuple[str, str], list[str]], lang: str, said: str) -> None:
    """«Через один–три года в CRM-системе … будут работать 55 человек» under the org
    structure and «через 1–3 года число пользователей CRM-системы составит 55 (сейчас —
    40…)» under the users of the system: the second, with the licences it means, stays."""
    paragraphs = [p.replace("\u00a0", " ") for p in surveys[("optima-distribution", lang)]]
    hits = [p for p in paragraphs
            if ("1–3 года" in p or "три года" in p or "one to three years" in p) and said in p]
    assert len(hits) == 1, hits


def test_english_options_in_a_cell_continue_in_lower_case(tmp_path: Path) -> None:
    """Northwind's "Customer and contact records; Invoices; Payments" and "User guides
    per role; One- or two-page quick reference cards; Video lessons; A knowledge base…":
    the Russian cells already continue in lower case after the first option."""
    from crmimpl.build import BuildOptions, build
    from crmimpl.model.project import load_project

    build(load_project(EXAMPLES / "northwind-it" / "project.yaml"),
          BuildOptions(out=tmp_path, langs=("en",), formats=("docx",), only=("survey",)))
    (path,) = tmp_path.glob("*survey_report-en.docx")
    rows = {r[0]: r[1] for t in _tables(path) if t[0][1:2] == ["Survey finding"]
            for r in t[1:]}
    assert rows["Data to exchange with accounting"] == \
        "Customer and contact records; invoices; payments"
    assert rows["User documentation"].startswith("User guides per role; one- or two-page")
    assert "; a knowledge base inside the CRM" in rows["User documentation"]
    assert rows["Messengers and social networks"] == "WhatsApp; LinkedIn; Microsoft Teams"
