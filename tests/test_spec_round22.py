"""Design documents, round 22 of the review: the typical mode's ТЗ keeps the mathematical
support when a custom change calculates, an English sign-off abbreviates the client's legal
form, a title never ends with a lone word, the passport's Russian reads as Russian."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from crmimpl.i18n import NBSP, no_widow, short_legal_name
from tests.conftest import EXAMPLES


def _build(tmp: Path, name: str, only: str, langs: tuple[str, ...]) -> Path:
    from crmimpl.build import BuildOptions, build
    from crmimpl.model.project import load_project

    shutil.copytree(EXAMPLES / name, tmp / name)
    project = load_project(tmp / name)
    build(project, BuildOptions(out=tmp / "out", langs=langs, formats=("docx",),
                                only=(only,)))
    return tmp / "out"


def _docx(out: Path, pattern: str) -> Any:
    import docx

    return docx.Document(str(next(out.glob(pattern))))


@pytest.fixture(scope="module")
def optima(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("optima"), "optima-distribution", "spec",
                  ("ru", "en"))


def _paragraphs(doc: Any) -> list[str]:
    return [p.text for p in doc.paragraphs]


def test_typical_spec_with_a_calculating_change_has_mathematical_support(
        optima: Path) -> None:
    doc = _docx(optima, "*tech_spec-ru.docx")
    texts = _paragraphs(doc)
    heading = texts.index("Математическое обеспечение")
    # between information support and the language; the ABC/XYZ report's algorithm named
    assert texts.index("Информационное обеспечение") < heading
    assert heading < texts.index("Лингвистическое обеспечение")
    following = " ".join(texts[heading:heading + 4])
    assert "CH3" in following and "ABC/XYZ" in following
    # the licences are listed in the software subsection, now the fourth of 4.3
    funding = next(t for t in texts if t.startswith("Работы финансируются"))
    assert "их состав приведен в п. 4.3.4." in funding


def test_english_typical_spec_has_mathematical_support_too(optima: Path) -> None:
    texts = _paragraphs(_docx(optima, "*tech_spec-en.docx"))
    assert "Mathematical support" in texts
    funding = next(t for t in texts if t.startswith("The work is funded"))
    assert "they are listed in item 4.3.4." in funding


def test_english_signoff_abbreviates_the_legal_form(optima: Path) -> None:
    doc = _docx(optima, "*tech_spec-en.docx")
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert "Chief Executive Officer, Optima Distribution LLC" in cells
    assert not any("Limited Liability Company" in c for c in cells)


def test_title_does_not_end_with_a_lone_word(optima: Path) -> None:
    doc = _docx(optima, "*tech_spec-en.docx")
    title = next(p.text for p in doc.paragraphs if p.style.name == "Title")
    assert title.endswith(f"CRM{NBSP}system")


def test_no_widow_and_short_legal_name_rules() -> None:
    assert no_widow("MVP backlog and iteration plan") == f"MVP backlog and iteration{NBSP}plan"
    assert no_widow("Паспорт внедрения") == "Паспорт внедрения"
    assert short_legal_name("Acme Public Joint Stock Company") == "Acme PJSC"
    assert short_legal_name("Northwind IT Services Ltd") == "Northwind IT Services Ltd"
    assert short_legal_name("Foo Limited") == "Foo Ltd"


def test_passport_wish_list_says_on_the_next_stage(tmp_path: Path) -> None:
    out = _build(tmp_path, "kreativ-agency", "passport", ("ru",))
    doc = _docx(out, "*passport-ru.docx")
    cells = " ".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "на следующем этапе" in cells
    assert "в следующем этапе" not in cells


def test_design_load_names_each_exchange_without_an_undeclined_apposition(
        optima: Path) -> None:
    texts = _paragraphs(_docx(optima, "*tech_spec-ru.docx"))
    assert not any("обмен с системой" in t for t in texts)
    # a name opening with a generic word is written in lower case inside the list
    assert any(t.startswith("сайт optima-dist.ru, обмен: сразу при отправке формы")
               for t in texts)
    assert any(t.startswith("1С:Управление торговлей 11.5, обмен: справочники и цены")
               for t in texts)


@pytest.mark.parametrize(("example", "only", "lang", "subtitle"), [
    ("kreativ-agency", "passport", "ru", "amoCRM, тариф «Расширенный»"),
    ("northwind-it", "backlog", "en",
     "Microsoft Dynamics 365 Sales and Customer Service, Enterprise edition"),
])
def test_short_mode_title_page_names_the_system_not_the_project_twice(
        tmp_path: Path, example: str, only: str, lang: str, subtitle: str) -> None:
    out = _build(tmp_path, example, only, (lang,))
    doc = _docx(out, f"*-{lang}.docx")
    styled = {getattr(p.style, "name", ""): p.text for p in doc.paragraphs[:20]}
    # its last two words tied, so that no word stands alone on the last line
    head, _, last = subtitle.rpartition(" ")
    assert styled["Subtitle"].replace(NBSP, " ") == subtitle
    assert styled["Subtitle"].endswith(f"{head.rpartition(' ')[2]}{NBSP}{last}")
    project_lines = [p.text for p in doc.paragraphs[:20]
                     if p.text.startswith(("Проект:", "Project:"))]
    assert project_lines and subtitle not in project_lines[0]


def test_english_spec_writes_labels_with_a_colon_not_a_russian_dash(optima: Path) -> None:
    texts = _paragraphs(_docx(optima, "*tech_spec-en.docx"))
    body = " ".join(texts)
    assert "Industry: Wholesale of building and finishing materials." in body
    assert "Its functions: website, paid search advertising" in body
    assert "Industry —" not in body and "functions —" not in body


def test_english_items_in_a_line_continue_in_lower_case_but_names_keep_capitals() -> None:
    from crmimpl.documents.common import items_in_line

    names = frozenset({"Xero", "Outlook"})
    assert items_in_line(["Accounts (INN/KPP)", "Contact persons", "Payments"], names) == \
        "Accounts (INN/KPP); contact persons; payments"
    assert items_in_line(["Invoices", "Xero contacts", "Outlook add-in", "UTM tags"],
                         names) == "Invoices; Xero contacts; Outlook add-in; UTM tags"


def test_english_spec_interaction_table_reads_as_one_phrase(optima: Path) -> None:
    doc = _docx(optima, "*tech_spec-en.docx")
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert any("payment terms); contact persons; products and warehouse stock" in c
               for c in cells)


def test_backlog_stage_says_when_its_users_are_trained(tmp_path: Path) -> None:
    from crmimpl.documents import common
    from crmimpl.model.project import load_project

    out = _build(tmp_path, "northwind-it", "backlog", ("en",))
    texts = _paragraphs(_docx(out, "*backlog-en.docx"))
    plan = common.resolve_plan(load_project(EXAMPLES / "northwind-it"), None)
    mvp = next(p for p in plan.phases if p.id == "mvp")
    sessions = [s for s in plan.sessions if mvp.start <= s.day <= mvp.finish]
    groups = len({s.group_id for s in sessions})
    lines = [t for t in texts if t.startswith("Training: ")]
    # one line per stage that trains anyone, the MVP's first, in the plan's figures
    assert len(lines) == 3
    assert lines[0].startswith(f"Training: {groups}{NBSP}groups, ")
    assert lines[0].endswith("(groups and timetable in the training plan).")


def test_passport_users_table_heads_its_count_in_a_word(tmp_path: Path) -> None:
    out = _build(tmp_path, "kreativ-agency", "passport", ("ru",))
    doc = _docx(out, "*passport-ru.docx")
    heads = [[c.text for c in t.rows[0].cells] for t in doc.tables]
    users = next(h for h in heads if h[0] == "Категория пользователей")
    assert users[2] == "Число" and not any("Польз." in c for h in heads for c in h)


def test_survey_case_gives_its_executor_a_step(tmp_path: Path) -> None:
    out = _build(tmp_path, "volga-bank", "spec", ("ru",))
    texts = _paragraphs(_docx(out, "*tech_spec-ru.docx"))
    start = next(i for i, t in enumerate(texts) if t.startswith("TC-R16."))
    case = texts[start:start + 8]
    executor = next(t for t in case if t.startswith("Пункт ТЗ"))
    role = executor.rsplit("класса ", 1)[1].strip(".")
    # the class the case names does something in it: it reads the survey report
    assert any(t.startswith(f"Под учетной записью класса {role} открыть отчет по опросам")
               for t in case)
    assert any("видна в отчете по опросам" in t for t in case)


def test_scenario_steps_work_in_the_department_of_the_tester_the_checks_name(
        tmp_path: Path) -> None:
    out = _build(tmp_path, "volga-bank", "spec", ("ru",))
    texts = _paragraphs(_docx(out, "*tech_spec-ru.docx"))
    start = next(i for i, t in enumerate(texts) if t.startswith("TC-R10."))
    case = texts[start:start + 8]
    assert any("Выполняет пользователь класса «Клиентский менеджер МСБ»" in t for t in case)
    plan_step = next(t for t in case if "задать план продаж" in t)
    # the SME manager's plan, with the companies the case sells to, not the retail network's
    assert "«Управление малого и среднего бизнеса»" in plan_step
    assert any("ООО «Агроснаб-Самара»" in t for t in case)


def test_backlog_names_a_website_with_its_article(tmp_path: Path) -> None:
    from crmimpl.documents.backlog import system_in_text

    assert system_in_text("Northwind website (WordPress)", "en") == "the Northwind website"
    assert system_in_text("RingCentral cloud PBX", "en") == "RingCentral cloud PBX"
    assert system_in_text("Microsoft 365", "en") == "Microsoft 365"
    out = _build(tmp_path, "northwind-it", "backlog", ("en",))
    doc = _docx(out, "*backlog-en.docx")
    body = " ".join(_paragraphs(doc))
    cells = " ".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "RingCentral cloud PBX and the Northwind website." in body
    assert "Integration with the Northwind website." in cells
