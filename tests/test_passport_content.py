"""The express package passport as the client reads it: settings that say what is set up
and how, connections, the data load and the rights in the checklist; a rights table;
acceptance items that a correct load and the client's own checks pass; a one-day agenda
by the clock; a change procedure; counted nouns that agree."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

import pytest

from crmimpl.documents import passport
from crmimpl.model.project import Project, load_project
from crmimpl.render.markdown import parse_blocks, render_markdown
from tests.conftest import EXAMPLES
from tests.test_documents_content import all_text, headings


@pytest.fixture(scope="module")
def kreativ() -> Project:
    return load_project(EXAMPLES / "kreativ-agency")


def _rendered(project: Project, lang: str) -> tuple[dict[str, Any], str, list[str]]:
    context = passport.build_context(project, lang)
    blocks = parse_blocks(render_markdown(passport.NAME, lang, context), "passport.md")
    return context, all_text(blocks), [t for _, t in headings(blocks)]


def test_settings_checklist_covers_connections_data_and_rights(kreativ: Project) -> None:
    context, text, _ = _rendered(kreativ, "ru")
    groups = {g["label"]: g["rows"] for g in context["settings"]}
    assert {"Загрузка данных", "Права пользователей"} <= set(groups)
    rows = [r for g in context["settings"] for r in g["rows"]]
    # each connection is a setting of the subsystem it serves
    assert any(r["item"].startswith("Сайт на Tilda: подключение") for r in
               groups["Воронка продаж и сделки"])
    # a requirement's row says what the client gets and how it is set up
    r03 = next(r for r in rows if r["ref"] == "R03")
    assert r03["item"].startswith("Напоминание") and "Повторный звонок" in r03["how"]
    assert "Штатное подключение почтовых ящиков" not in text


def test_rights_table_and_account_ownership(kreativ: Project) -> None:
    context, text, _ = _rendered(kreativ, "ru")
    assert context["access"]["classes"] == [u.name for u in kreativ.user_classes]
    assert "просмотр" in text and "нет доступа" in text
    assert "менеджер видит своих клиентов и сделки, руководитель" not in text
    assert "оформляются на заказчика (ООО «Креатив Медиа»)" in text


def test_acceptance_items_pass_for_a_correct_load_and_agree_with_numbers(
        kreativ: Project) -> None:
    _, text, _ = _rendered(kreativ, "ru")
    assert "загружены данные (460 записей)" not in text
    assert "сверено с отчетом о загрузке" in text
    assert "(1 пользователь): пользователь входит" in text
    assert "(4 пользователя): пользователи входят" in text
    assert not re.search(r"\(1 чел\.\): пользователи", text)
    # the client's own checks, in order on one test enquiry
    assert "Проверка: перевести сделку на этап «КП отправлено» в понедельник" in text
    assert "на одной тестовой заявке" in text
    # the source list R06's widget rests on is itself checked, value by value
    assert "в списке семь значений: Telegram, WhatsApp" in text


def test_one_day_agenda_by_the_clock(kreativ: Project) -> None:
    """The agenda runs inside the plan's session, as the timetable and the training plan
    show it: it starts at the session's start and ends at the session's end."""
    context, _, _ = _rendered(kreativ, "ru")
    timetable = {s["group"]: s["time"] for s in context["training"]["sessions"]}
    for group in context["training"]["groups"]:
        times = [a["time"] for a in group["agenda"]]
        start, end = (t.strip("\u2060") for t in timetable[group["id"]].split("\u2013"))
        assert times[0].split("\u2013")[0].strip() == start
        assert times[-1].split("\u2013")[1].strip() == end
        # consecutive: each item starts when the previous ends
        for before, after in pairwise(times):
            assert before.split("\u2013")[1].strip() == after.split("\u2013")[0].strip()


def test_change_procedure_audit_and_personal_data(kreativ: Project) -> None:
    _, text, titles = _rendered(kreativ, "ru")
    assert "Порядок изменений" in titles and "Условия пакета" not in titles
    assert "на приемку и оплату работ он не влияет" in text
    assert "152-ФЗ" in text and "согласие на обработку в форме сайта" in text
    _, english, titles_en = _rendered(kreativ, "en")
    assert "Change procedure" in titles_en and "Check:" in english


def test_a_category_with_one_level_everywhere_says_so(kreativ: Project) -> None:
    context, _, _ = _rendered(kreativ, "ru")
    notes = {u["name"]: u["description"] for u in context["user_classes"]}
    assert notes["Директор"] == "Все записи во всех подсистемах пакета."
    assert notes["Аккаунт-менеджер"] == "Свои записи во всех подсистемах пакета."
    assert notes["Дизайнер и копирайтер"].startswith("Видят сделки")  # its own words kept


def test_acceptance_checks_have_the_days_they_need(kreativ: Project) -> None:
    """The checks run over the support of the first days, up to the act: a check made on a
    Monday and one read the next day both fit (kreativ's R03 and R05)."""
    context, text, _ = _rendered(kreativ, "ru")
    package = context["package"]
    assert package["checks_from"].replace("\xa0", " ") == "25 марта 2026 года"
    assert package["checks_to"] == package["launch_long"]
    text = text.replace("\xa0", " ")
    assert "Проверки по перечню проводятся с 25 марта 2026 года по 31 марта 2026 года" in text
    assert "Приемка проводится 31 марта" not in text


def test_rights_agree_with_what_each_category_does(kreativ: Project) -> None:
    """The system administrator reaches every subsystem; a category that reads the
    correspondence has the messengers in its rights."""
    admin = next(u for u in kreativ.user_classes if "администратор" in (u.description or ""))
    assert set(admin.rights) == set(kreativ.scope.modules)
    assert all(level != "none" for level in admin.rights.values())
    studio = next(u for u in kreativ.user_classes if u.id == "studio")
    assert "переписк" in (studio.description or "") and "messengers" in studio.rights


def test_the_subscription_counts_the_contractors_seat(kreativ: Project) -> None:
    """The contractor's own account until acceptance takes a seat: the subscription the
    client buys says so, so that eight seats for eight users are not one short."""
    _, text, _ = _rendered(kreativ, "ru")
    assert "одно место подписки сверх числа пользователей" in text
    assert "на одного больше, с учетом учетной записи исполнителя" in text
    _, english, _ = _rendered(kreativ, "en")
    assert "one seat more until acceptance" in english


def test_a_requirement_row_labels_its_solution(kreativ: Project) -> None:
    """«statement. Решение: solution», never glued by a dash that reads as one more stage
    of the funnel it lists."""
    _, text, _ = _rendered(kreativ, "ru")
    assert "сдано — оплачено. Решение: Этапы воронки «Заказ»" in text
    assert "оплачено — этапы воронки" not in text
    assert "Правила загрузки:" in text
