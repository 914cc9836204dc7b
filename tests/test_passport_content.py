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
from crmimpl.model.checks import project_warnings
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
    # reconciled with the source's rows, not with the load's own report (round 14: the
    # audit then found 12 deals the load report had never listed)
    assert "записи каждого вида сверены со строками источника" in text
    assert "сверено с отчетом о загрузке" not in text
    assert "(1 пользователь): пользователь входит" in text
    assert "(4 пользователя): пользователи входят" in text
    assert not re.search(r"\(1 чел\.\): пользователи", text)
    # the client's own checks follow the path of real enquiries: no check hangs on a
    # weekday, none sends a deal back to a stage it has passed
    assert "в понедельник." not in text and "на одной тестовой заявке" not in text
    assert "ни одна не возвращается на пройденный этап" in text
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
    # the director's own note (round 12: the empty note was filled)
    assert notes["Директор"].startswith("Видит все сделки")
    # its own words: what the managers see of each other's clients and why (G1.1)
    assert notes["Аккаунт-менеджер"].startswith("Видят всех клиентов")
    assert notes["Дизайнер и копирайтер"].startswith("Видят сделки")  # its own words kept


def test_acceptance_checks_have_the_days_they_need(kreativ: Project) -> None:
    """The checks run on the plan's acceptance checks task (the workbook's 25–27.03,
    review 8), inside the support of the first days and before the act: a check read
    the next day (kreativ's R06) fits in its three working days."""
    context, text, _ = _rendered(kreativ, "ru")
    package = context["package"]
    assert package["checks_from"].replace("\xa0", " ") == "25 марта 2026 года"
    assert package["checks_to"].replace("\xa0", " ") == "27 марта 2026 года"
    text = text.replace("\xa0", " ")
    assert "Проверки по перечню проводятся с 25 марта 2026 года по 27 марта 2026 года" in text
    assert "акт подписывается 30 марта 2026 года" in text
    assert "Приемка проводится 30 марта" not in text


def test_rights_agree_with_what_each_category_does(kreativ: Project) -> None:
    """The system administrator reaches every subsystem; a category that reads the
    correspondence has the messengers in its rights."""
    admin = next(u for u in kreativ.user_classes if "администратор" in (u.description or ""))
    assert set(admin.rights) == set(kreativ.scope.modules)
    assert all(level != "none" for level in admin.rights.values())
    studio = next(u for u in kreativ.user_classes if u.id == "studio")
    assert "переписк" in (studio.description or "") and "messengers" in studio.rights


def _with_seats(project: Project, seats: int) -> Project:
    system = project.system
    assert system is not None
    licence = system.licences[0].model_copy(update={"count": seats})
    return project.model_copy(update={"system": system.model_copy(
        update={"licences": [licence]})})


def _seat_numbers(text: str) -> set[int]:
    """Every number of subscription seats or users a sentence of the passport names."""
    found = re.findall(r"Мест в подписке — (\d+)|пользователей системы — (\d+)|"
                       r"подписки \(годовая оплата\) \| (\d+)|"
                       r"has (\d+) seats|system has (\d+) users", text)
    return {int(n) for groups in found for n in groups if n}


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_seat_count_is_one_truth(kreativ: Project, lang: str) -> None:
    """The licence table is the one count of seats: with a seat for every user and none
    to spare, no sentence asks for one more (an annual seat is not bought for a month);
    the contractor works under the client's administrator account instead."""
    context, text, _ = _rendered(kreativ, lang)
    assert not context["package"]["contractor_seat"]
    assert context["package"]["seats"] == "8"
    assert "на одного больше" not in text and "сверх числа пользователей" not in text
    assert "one seat more" not in text and "beyond the users" not in text
    assert ("не приобретается" in text) if lang == "ru" else ("no subscription seat is "
                                                               "bought" in text)
    body = render_markdown(passport.NAME, lang, context)
    assert _seat_numbers(body) <= {8}


def test_a_spare_seat_is_the_contractors(kreativ: Project) -> None:
    """With a seat beyond the staff in the licence table, the text says whose it is and
    the count it names is the table's."""
    project = _with_seats(kreativ, 9)
    context, text, _ = _rendered(project, "ru")
    assert context["package"]["contractor_seat"]
    assert "Мест в подписке — 9" in text and "одно свободное" in text
    assert "не приобретается" not in text
    _, english, _ = _rendered(project, "en")
    assert "has 9 seats" in english and "1 spare" in english


def test_a_requirement_row_labels_its_solution(kreativ: Project) -> None:
    """«statement. Решение: solution», never glued by a dash that reads as one more stage
    of the funnel it lists."""
    _, text, _ = _rendered(kreativ, "ru")
    assert "сдано — оплачено. Решение: этапы воронки «Заказ»" in text
    assert "оплачено — этапы воронки" not in text
    assert "Правила загрузки:" in text


def test_managers_can_cover_for_an_absent_colleague(kreativ: Project) -> None:
    """G1.1: a request must not wait while its manager is away, and a client is searched
    for before it is entered. Account managers see every client, deal and chat and edit
    their own; the table and the acceptance check say so."""
    managers = next(u for u in kreativ.user_classes if u.id == "account_manager")
    for module in ("client_base", "contacts", "sales_pipeline", "messengers"):
        assert managers.rights[module] in ("read_all_edit_own", "department", "all")
    _, text, _ = _rendered(kreativ, "ru")
    assert "просмотр всех, изменение своих" in text
    assert "видит только своих клиентов" not in text


def test_own_clients_only_with_nobody_to_cover_is_warned(kreativ: Project) -> None:
    """The rule behind the fix, for any project: a team whose members see only their own
    clients, with nobody in the department seeing the others', gets a warning."""
    from crmimpl.model.checks import project_warnings

    assert not [w for w in project_warnings(kreativ) if w[0][0] == "user_classes"]
    classes = [u.model_copy(update={"rights": {**u.rights, "client_base": "own"}})
               if u.id == "account_manager" else u for u in kreativ.user_classes]
    old = kreativ.model_copy(update={"user_classes": classes})
    found = [w for w in project_warnings(old) if w[0][0] == "user_classes"]
    assert len(found) == 1 and "see only their own clients" in found[0][1]


def test_obligations_leave_time_and_lists_read_as_written(kreativ: Project) -> None:
    """The data export is due before the load (not on its day); the settings list is
    signed with the passport before configuration starts; a cell's list runs on in
    lower case; the source is named as what it is; the timetable's column holds a time
    span and a trainer's name fits it; no tool voice about "the groups below"."""
    context, text, _ = _rendered(kreativ, "ru")
    text = text.replace("\xa0", " ")
    data_by = context["obligations"]["data_by"]
    assert f"Передать выгрузку данных для загрузки до {data_by}" in text
    from crmimpl import i18n
    from crmimpl.documents import modes
    from crmimpl.plan.builder import build_plan

    plan = build_plan(kreativ)
    # the plan's export task by the client (workbook 10–11.03), before the load
    export = max(t.finish for t in modes.tasks_with(plan, "rollout.export"))
    start = min(t.start for t in modes.tasks_with(plan, "rollout.migration"))
    assert data_by == i18n.day(export, "ru") and export < start
    assert "Подписать настоящий паспорт с перечнем настроек до" in text
    assert "Утвердить перечень настроек" not in text
    assert "; Общий ящик" not in text and "; общий ящик hello@" in text
    assert "выгрузка из Google Таблиц в XLSX" in text and "(таблицы Excel)" not in text
    assert "| Дата | Время |" in render_markdown(passport.NAME, "ru", context)
    assert "Белякова Д. И." in text and "программа дня по часам" not in text


def test_a_fixed_price_promises_nothing_open_ended(kreativ: Project) -> None:
    """Under a fixed price every standard setting is bounded (how many templates, whose
    lists) and none repeats a connection the package already lists (the numbers and bot
    of the messenger connector); the data load counts each kind of record."""
    context, text, _ = _rendered(kreativ, "ru")
    rows = [r["item"] for g in context["settings"] for r in g["rows"]]
    assert "Шаблоны коммерческого предложения и счета: по одному" in " ".join(rows)
    for vague in ("Общий календарь команды", "Фильтры и права доступа к отчетам",
                  "Панели сотрудников с их показателями", "Подключение рабочих номеров и ботов"):
        assert vague not in rows, vague
    assert "Личная панель каждого сотрудника" in " ".join(rows)
    assert "клиенты (240 строк); контактные лица (60 строк)" in text


def test_messengers_abroad_need_a_cross_border_notice(kreativ: Project) -> None:
    """WhatsApp and Telegram carry a Russian operator's client messages abroad: the
    client's obligations name the cross-border notice; a project without messengers, or
    outside Russia, is not told so."""
    _, text, _ = _rendered(kreativ, "ru")
    assert "уведомление о трансграничной передаче персональных данных" in text
    quiet = kreativ.model_copy(update={"integrations": [
        i for i in kreativ.integrations if i.kind != "messengers"]})
    assert "трансграничн" not in _rendered(quiet, "ru")[1]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_passport_says_what_the_package_is_for(kreativ: Project, lang: str) -> None:
    """The passport replaces the specification: it names the goals with their measure,
    baseline, target and the requirements that lead to them."""
    context, text, titles = _rendered(kreativ, lang)
    assert ("Цели пакета" if lang == "ru" else "Goals of the package") in titles
    g1 = next(g for g in context["goals"] if g["id"] == "G1")
    assert g1["requirements"].startswith("R01") and g1["baseline"] in text
    assert g1["deadline"] in text


def test_when_the_package_is_paid_is_said_on_its_own(kreativ: Project) -> None:
    """The package's payment is its own sentence with the act's date, not a clause at the
    end of the paragraph about work beyond the package."""
    context, text, _ = _rendered(kreativ, "ru")
    launch = context["package"]["launch"]
    assert f"после подписания акта сдачи-приемки ({launch})" in text
    assert "Цена пакета оплачивается в два платежа" in text


STAGES = ["Заявка", "Бриф", "КП отправлено", "Согласование", "В работе", "Сдано", "Оплачено"]


def test_acceptance_checks_follow_each_test_deal_forward(kreativ: Project) -> None:
    """Each numbered test enquiry only moves forward through the funnel, check after
    check (a reader once found one test deal taken to «Оплачено» and then back to «КП
    отправлено»)."""
    reached: dict[str, int] = {}
    for req in kreativ.requirements:
        for check in req.checks:
            for number in re.findall(r"заяв\w+ № (\d)", check.do):
                stages = [i for i, s in enumerate(STAGES) if f"«{s}»" in check.do]
                if not stages:
                    continue
                assert min(stages) >= reached.get(number, 0), (req.id, check.do)
                reached[number] = max(stages)
    assert reached.get("1") == STAGES.index("Оплачено")


def test_settings_lines_are_bounded(kreativ: Project) -> None:
    """A settings line the client accepts names its contents or bounds them."""
    _, text, _ = _rendered(kreativ, "ru")
    assert "по перечню заказчика" not in text
    assert "Правила поиска дублей: по названию и телефону" in text
    assert "причина отказа из списка: дорого" in text


def test_settings_lists_name_the_clients_values(kreativ: Project) -> None:
    """The passport replaces the specification: every list setting names its values
    (scope.settings), none is left «при согласовании»."""
    _, text, _ = _rendered(kreativ, "ru")
    assert "согласовании перечня" not in text and "при его согласовании" not in text
    assert "Виды клиентов: разовый заказчик; постоянный клиент; абонентский клиент" in text
    assert "Виды услуг или товаров в сделке: фирменный стиль и логотипы" in text
    assert "Виды задач: связаться; встреча" in text
    assert not [w for w in project_warnings(kreativ) if w[0][:2] == ("scope", "settings")]


def test_a_list_without_values_is_warned_and_dated_not_left_open(kreativ: Project) -> None:
    scope = kreativ.scope.model_copy(update={"settings": {
        k: v for k, v in kreativ.scope.settings.items() if k != "task_types"}})
    bare = kreativ.model_copy(update={"scope": scope})
    warned = [w for w in project_warnings(bare) if w[0] == ("scope", "settings")]
    assert len(warned) == 1 and "task_types" in warned[0][1]
    _, text, _ = _rendered(bare, "ru")
    assert "Виды задач: значения заказчик передает до начала настройки" in text
    # a typing slip in a list's key is an error with a hint
    wrong = kreativ.model_copy(update={"scope": kreativ.scope.model_copy(
        update={"settings": {"task_type": ["Связаться"]}})})
    errors = [p for p in wrong.reference_problems() if p[0][:2] == ("scope", "settings")]
    assert errors and "task_types" in errors[0][2]


def test_each_connection_and_the_dashboard_have_a_verifiable_check(kreativ: Project) -> None:
    """A connection is accepted by test data that must arrive somewhere (not "the
    exchange works"); Telegram is tested too; the dashboard's unanswered count has a
    request left unanswered to count."""
    _, text, _ = _rendered(kreativ, "ru")
    assert "работает обмен" not in text
    assert "UTM-метка источника — «test»" in text
    assert "боту агентства в Telegram" in text
    assert "среди заявок без ответа дольше рабочего дня есть № 3" in text
    assert not [w for w in project_warnings(kreativ) if w[0][0] == "integrations"]
    bare = kreativ.model_copy(update={"integrations": [
        i.model_copy(update={"checks": []}) for i in kreativ.integrations]})
    assert len([w for w in project_warnings(bare) if w[0][0] == "integrations"]) == 3
    _, text, _ = _rendered(bare, "ru")
    assert "Сайт на Tilda: работает обмен" in text


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_fixed_package_is_paid_in_advance_and_on_the_act(kreativ: Project, lang: str) -> None:
    """budget.advance_percent splits the price: the advance after the passport, the rest
    after the act; the two payments add up to the total."""
    _, text, _ = _rendered(kreativ, lang)
    if lang == "ru":
        assert "аванс 50\u00a0% (195\u00a0200\u00a0₽)" in text
        assert "остаток (195\u00a0200\u00a0₽)" in text
        assert "единовременно" not in text
    else:
        assert "an advance of 50%" in text
    whole = kreativ.model_copy(update={"budget": kreativ.budget.model_copy(
        update={"advance_percent": 0})})
    _, text, _ = _rendered(whole, lang)
    assert ("единовременно" in text) if lang == "ru" else ("in one payment" in text)


def test_the_clients_running_costs_are_stated(kreativ: Project) -> None:
    """The subscription seats and the connector subscription are priced (the client sees
    the year's cost beside the package); without prices the table keeps the counts."""
    context, text, _ = _rendered(kreativ, "ru")
    row = context["running"]["licences"][0]
    assert row["count"] == "8" and row["sum"] == "143\u00a0904\u00a0₽"
    assert "коннектор для Telegram и WhatsApp — 54\u00a0000\u00a0₽ в год" in text
    assert "WABA" in text  # the WhatsApp connection is decided in the passport
    bare = kreativ.model_copy(update={
        "system": kreativ.system.model_copy(update={"licences": [
            lic.model_copy(update={"price_year": None}) for lic in kreativ.system.licences]}),
        "integrations": [i.model_copy(update={"subscription_year": None})
                         for i in kreativ.integrations]})
    context, text, _ = _rendered(bare, "ru")
    assert not context["running"]["priced"] and "Цена за год" not in text
    assert "в год. Цены указаны" not in text


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_client_named_once_when_its_legal_name_is_its_name(
        kreativ: Project, lang: str) -> None:
    """A client whose legal name is its name (a scaffolded project, a sole trader) is not
    named twice in a row: "Client: Client Ltd (Client Ltd)"."""
    data = kreativ.model_copy(deep=True)
    data.client.legal_name = data.client.name
    _, text, _ = _rendered(data, lang)
    assert f"{data.client.name} ({data.client.name})" not in text
    assert data.client.name in text
