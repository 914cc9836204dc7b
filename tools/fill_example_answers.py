#!/usr/bin/env python3
"""Reproduce the questionnaire answers of the bundled examples through the tool's round trip.

For each example: ``crmimpl questionnaire export`` the survey (and the requirements
questionnaire for the sales and service departments) into a temporary folder, fill the
answer cells with openpyxl the way the client's heads would (cells are found by the
hidden id column, never by position; the ``_meta`` sheet is checked), then
``crmimpl questionnaire import`` the filled workbooks, so ``answers/*.yaml`` are real
outputs of the tool.

Usage::

    python tools/fill_example_answers.py                    # both examples
    python tools/fill_example_answers.py optima-distribution --keep /tmp/filled

Some questions are left open on purpose (the survey is still in progress): in the
Optima survey the marketing mix waits for the interview with the head of marketing; in
the Northwind survey data quality waits for a trial export, and the two questions about
Russian regulators (Roskomnadzor, localisation) do not apply to a UK company.

All names, phone numbers and addresses are fictitious, as in the examples themselves.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(ROOT))

MULTI_SEP = "::"
TABLE_ID_ROW = 3
TABLE_FIRST_ROW = 5
ID_COL = 1
ANSWER_COL = 4
YES = {"ru": "Да", "en": "Yes"}
NO = {"ru": "Нет", "en": "No"}


@dataclass
class Workbook:
    """One workbook to export, fill and import."""

    questionnaire: str
    audience: str | None
    respondent: dict[str, Any]
    answers: dict[str, Any]
    # answers left open on purpose (checked: they must not be answered or prefilled)
    open: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------- filling
def crmimpl(*args: str) -> str:
    """Run the CLI of this checkout with the current interpreter."""
    cmd = [sys.executable, "-m", "crmimpl", *args]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"failed: crmimpl {' '.join(args)}")
    return proc.stdout + proc.stderr


def cell_value(q: Any, value: Any, definition: Any, lang: str) -> Any:
    """What a person types or picks in the cell for ``value`` of question/column ``q``."""
    if value is None:
        return None
    if q.type == "yes_no":
        return YES[lang] if value else NO[lang]
    if q.type == "select_one":
        choices = definition.choice_list(q.choices).choices
        label = next((ch.label.get(lang) for ch in choices if ch.id == value), None)
        if label is None:
            raise SystemExit(f"{q.id}: '{value}' is not a choice of {q.choices}")
        return label
    return value


def fill(path: Path, book: Workbook, lang: str, project_dir: Path) -> None:
    """Fill the exported workbook at ``path`` in place."""
    from openpyxl import load_workbook

    from crmimpl.questionnaire.library import get_questionnaire

    definition = get_questionnaire(book.questionnaire, project_dir)
    wb = load_workbook(path)
    meta = {r[0]: r[1] for r in wb["_meta"].iter_rows(values_only=True) if r[0]}
    assert meta["questionnaire"] == book.questionnaire, meta
    assert (meta["audience"] or None) == book.audience, meta
    assert meta["language"] == lang, meta

    todo = dict(book.answers)
    for q_id in book.open:
        if q_id in todo:
            raise SystemExit(f"{path.name}: '{q_id}' is both answered and left open")
        todo[q_id] = None
    done: set[str] = set()
    for ws in wb.worksheets:
        if ws.title in ("_meta", "_lists"):
            continue
        marker = ws.cell(TABLE_ID_ROW, ID_COL).value
        if isinstance(marker, str) and marker.startswith("table" + MULTI_SEP):
            q_id = marker.split(MULTI_SEP, 1)[1]
            if q_id in todo:
                fill_table(ws, definition.question(q_id), todo[q_id], definition, lang)
                done.add(q_id)
            continue
        for row in range(1, ws.max_row + 1):
            key = ws.cell(row, ID_COL).value
            if not isinstance(key, str):
                continue
            if key.startswith("@respondent."):
                name = key.split(".", 1)[1]
                if name in book.respondent:
                    ws.cell(row, 3).value = book.respondent[name]
            elif MULTI_SEP in key:
                q_id, choice = key.split(MULTI_SEP, 1)
                if q_id in todo:
                    chosen = todo[q_id] or []
                    ws.cell(row, ANSWER_COL).value = YES[lang] if choice in chosen else None
                    done.add(q_id)
            elif key in todo:
                q = definition.question(key)
                if q.type in ("table", "select_multiple"):
                    continue  # answered on its own sheet or in the rows below
                ws.cell(row, ANSWER_COL).value = cell_value(q, todo[key], definition, lang)
                done.add(key)
    missing = set(todo) - done
    if missing:
        raise SystemExit(f"{path.name}: no answer cell for {sorted(missing)}")
    wb.save(path)


def fill_table(ws: Any, q: Any, rows: list[dict[str, Any]] | None, definition: Any,
               lang: str) -> None:
    """Replace the rows of a table sheet (prefilled rows included) with ``rows``."""
    rows = rows or []
    columns = {ws.cell(TABLE_ID_ROW, c).value: c for c in range(3, ws.max_column + 1)
               if ws.cell(TABLE_ID_ROW, c).value}
    slots = [r for r in range(TABLE_FIRST_ROW, ws.max_row + 1)
             if isinstance(ws.cell(r, ID_COL).value, str)]
    if len(rows) > len(slots):
        raise SystemExit(f"{q.id}: {len(rows)} rows, the sheet has {len(slots)}")
    by_id = {c.id: c for c in q.columns}
    for index, row in enumerate(slots):
        record = rows[index] if index < len(rows) else {}
        unknown = set(record) - set(columns)
        if unknown:
            raise SystemExit(f"{q.id}: unknown columns {sorted(unknown)}")
        for col_id, col in columns.items():
            ws.cell(row, col).value = cell_value(by_id[col_id], record.get(col_id),
                                                 definition, lang)


def run_example(name: str, books: list[Workbook], workdir: Path) -> None:
    """Export, fill and import every workbook of one example."""
    from crmimpl.model.project import load_project

    folder = EXAMPLES / name
    lang = load_project(folder).project.language
    files = []
    for book in books:
        stem = book.questionnaire + (f"-{book.audience}" if book.audience else "")
        path = workdir / name / f"{stem}-{lang}.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        args = ["questionnaire", "export", str(folder), book.questionnaire, "--lang", lang,
                "-o", str(path)]
        if book.audience:
            args += ["--audience", book.audience]
        crmimpl(*args)
        fill(path, book, lang, folder)
        files.append(str(path))
    print(crmimpl("questionnaire", "import", str(folder), *files, "--force"), end="")
    print(crmimpl("questionnaire", "status", str(folder)), end="")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("examples", nargs="*", default=sorted(EXAMPLE_BOOKS),
                        help="example folders to fill (default: all)")
    parser.add_argument("--keep", type=Path,
                        help="keep the filled workbooks in this folder")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="crmimpl-fill-"))
    try:
        for name in args.examples:
            if name not in EXAMPLE_BOOKS:
                raise SystemExit(f"unknown example '{name}'; known: {', '.join(EXAMPLE_BOOKS)}")
            run_example(name, EXAMPLE_BOOKS[name], workdir)
        if args.keep:
            shutil.copytree(workdir, args.keep, dirs_exist_ok=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# ===================================================================== Optima (ru)
OPTIMA_SURVEY = Workbook(
    questionnaire="survey",
    audience=None,
    respondent={
        "name": "Сергеева Марина Олеговна",
        "position": "Коммерческий директор",
        "department": "Дирекция",
        "date": dt.date(2026, 2, 6),
    },
    # Маркетинг-микс не заполнен: раздел передан руководителю отдела маркетинга
    # Захаровой Е. П., ответы будут получены на интервью.
    open=["marketing_mix", "measures_roi", "roi_method"],
    answers={
        # --- 1. Компания и цели
        "activity": (
            "Региональный дистрибьютор строительных и отделочных материалов, работаем с 2009 "
            "года. Основные направления: комплектация объектов строительных и ремонтных "
            "организаций по спецификациям проекта; регулярные поставки дилерам и розничным "
            "строительным магазинам Москвы, Московской и Тульской областей; доставка "
            "собственным автотранспортом с разгрузкой на объекте. Оборот 2025 года — около "
            "940 млн руб. Отличия от конкурентов: склад в Подольске с постоянным наличием "
            "около 4 500 позиций, доставка на следующий день после оплаты, статус "
            "официального дистрибьютора пяти крупных производителей сухих смесей и "
            "гипсокартонных систем, обучающие семинары для прорабов."),
        "locations": (
            "Москва, ул. Вольная, д. 28, стр. 3 — головной офис: дирекция, отделы продаж, "
            "маркетинг, сервис, бухгалтерия, ИТ.\n"
            "Московская обл., г. Подольск, ул. Комсомольская, вл. 12 — склад 6 500 кв. м и "
            "пункт самовывоза, отдел логистики.\n"
            "г. Тула, ул. Оборонная, д. 54, офис 207 — региональный офис продаж "
            "(4 менеджера отдела продаж дилерам и магазинам)."),
        "goals": (
            "1. Средняя выручка в месяц — с 78 до 101,4 млн руб. (+30 %) к 31.03.2027.\n"
            "2. Время первого ответа на новое обращение — не более 15 минут в рабочее время "
            "(сейчас около 95 минут) к 30.10.2026.\n"
            "3. Доля выручки от клиентов с повторными заказами за квартал — с 46 до 60 % к "
            "31.03.2027.\n"
            "4. Средний срок закрытия рекламации — с 12 до 5 рабочих дней к 30.12.2026.\n"
            "5. Подготовка коммерческого предложения — 10 минут вместо 40, с ценами "
            "действующего прайс-листа."),
        "problems": (
            "Клиентская база разбросана по amoCRM, 1С и личным таблицам менеджеров: при "
            "увольнении менеджера история работы с клиентом теряется. Нет единой воронки "
            "продаж по объектам — не видно зависших сделок, выручку прогнозируем «на глаз». "
            "Заявки с сайта приходят в общий ящик zakaz@ и разбираются раз в полдня, "
            "пропущенные звонки не перезваниваются (в пик сезона — до 18 % входящих). "
            "Менеджер не видит кредитный лимит и просрочку клиента и каждый раз звонит в "
            "бухгалтерию. КП собираются вручную в Word и Excel, цены в них расходятся с "
            "прайс-листом. Рекламации ведутся в журнале Excel, статус и ответственный "
            "неизвестны."),
        "success_criteria": (
            "Все менеджеры работают только в CRM, amoCRM и личные таблицы отключены. "
            "Еженедельные планёрки отделов продаж проводятся по воронке и панели KPI в CRM, "
            "а не по таблицам. Руководитель видит по каждому менеджеру план, факт и "
            "просроченные задачи без запроса в бухгалтерию. Ни одна заявка с сайта и ни "
            "один пропущенный звонок не остаются без ответа дольше 15 минут. Через полгода "
            "после запуска показатели целей 2 и 4 достигнуты, по целям 1 и 3 виден рост."),
        "current_tool": "other_crm",
        "current_tool_name": (
            "amoCRM, тариф «Расширенный» (с 2022 года, только отдел продаж дилерам и "
            "магазинам); остальные подразделения — 1С:Управление торговлей 11.5 и личные "
            "таблицы Excel"),
        "current_tool_issues": (
            "В amoCRM работает один отдел из двух; обмена с 1С нет, счета и остатки "
            "менеджеры смотрят в 1С и переносят вручную. Отдел продаж строительным "
            "организациям ведёт клиентов в 14 личных файлах Excel, руководитель собирает "
            "их по пятницам. Дубли контрагентов между amoCRM, 1С и таблицами, у части "
            "контактов нет телефонов. Нет контроля сроков ответа и следующего контакта, нет "
            "отчётов по воронке и источникам."),
        # --- 2. Организационная структура (таблица подразделений — как выгружена)
        "has_branches": True,
        "branches": (
            "Тульский офис (4 менеджера) работает с дилерами и магазинами Тульской области; "
            "заказы передаёт в Москву по почте и в Telegram, счета выставляет московский "
            "офис в 1С через удалённый рабочий стол. Склад в Подольске получает заявки на "
            "отгрузку из 1С, о переносах доставки сообщает менеджерам по телефону. "
            "Менеджеры по работе со строительными организациями 2–3 дня в неделю проводят "
            "на объектах и в офисах клиентов, с ноутбука и телефона."),
        "sponsor": (
            "Ковалёв Андрей Викторович, генеральный директор; оперативные решения по "
            "проекту принимает Сергеева Марина Олеговна, коммерческий директор"),
        "working_group": (
            "Руководитель проекта — Воронцов Игорь Алексеевич (руководитель отдела развития "
            "продаж, 50 % времени). Продажи строительным организациям — Орлов Денис "
            "Сергеевич; продажи дилерам и магазинам — Ефимова Светлана Игоревна; сервис и "
            "рекламации — Тимофеева Наталья Андреевна; маркетинг — Захарова Екатерина "
            "Павловна; бухгалтерия — Белова Ирина Николаевна; ИТ — Гусев Павел "
            "Александрович. Будущий внутренний эксперт по CRM — Лебедева Ольга Дмитриевна, "
            "аналитик отдела продаж."),
        # --- 3. Продукты и услуги
        "products_list": [
            {"name": "Сухие строительные смеси (штукатурки, шпаклёвки, клеи, наливные полы)",
             "share": 34, "clients": "Подрядчики, дилеры, магазины",
             "comment": "Основной объём — паллетами по объектным ценам; дилерам — по "
                        "ассортиментной матрице производителя, акции производителей "
                        "каждый квартал"},
            {"name": "Гипсокартон, профиль и комплектующие", "share": 22,
             "clients": "Подрядчики, застройщики",
             "comment": "Продаётся комплектом по спецификации объекта, поставки частями "
                        "по графику работ"},
            {"name": "Кровельные и гидроизоляционные материалы", "share": 16,
             "clients": "Кровельные бригады, подрядчики, магазины",
             "comment": "Сильная сезонность (май–сентябрь), часто нужен расчёт материалов "
                        "по площади кровли"},
            {"name": "Теплоизоляция и звукоизоляция", "share": 14,
             "clients": "Подрядчики, застройщики, магазины",
             "comment": "Объёмный груз: стоимость доставки заметна в цене, нужен подбор "
                        "машины"},
            {"name": "Лакокрасочные материалы и грунты", "share": 7,
             "clients": "Магазины, отделочные бригады",
             "comment": "Дополнительная продажа к смесям; колеровка не выполняется"},
            {"name": "Крепёж и инструмент", "share": 5, "clients": "Все группы клиентов",
             "comment": "Допродажа к основному заказу"},
            {"name": "Доставка собственным автотранспортом и разгрузка на объекте",
             "share": 2, "clients": "Подрядчики, магазины",
             "comment": "Бесплатно от 150 тыс. руб. в пределах Москвы, иначе по тарифу"},
        ],
        "sales_cycle": "weeks",
        "average_deal": 180000,
        "repeat_share": 46,
        "seasonality": (
            "Да, ярко выраженная. Пик — с апреля по октябрь (около 70 % годовой выручки), "
            "максимум в мае–июле по кровле и теплоизоляции. Спад — с середины ноября по "
            "февраль, в январе выручка примерно втрое ниже июльской. Дилеры формируют "
            "сезонный запас в марте под акции производителей."),
        # --- 4. Клиенты
        "client_types": ["b2b", "partners"],
        "active_clients": 1900,
        "classification": (
            "В 1С есть вид контрагента: подрядчик, застройщик, дилер, магазин, частное лицо "
            "— заполнен примерно у 60 % карточек. Вид цены (розничная, дилерская, "
            "объектная) закреплён в договоре. В amoCRM используются теги, но единого "
            "справочника нет (около 90 тегов, много дублей). ABC- и XYZ-анализ не "
            "проводится, ключевые клиенты не выделены. Статусов развития клиента "
            "(новый, активный, «уснувший», потерянный) нет."),
        "portraits": (
            "1. Подрядная организация среднего размера (20–150 рабочих, 3–10 объектов в "
            "год). Закупку ведёт снабженец, решение по поставщику — главный инженер или "
            "директор. Важны объектная цена, отсрочка платежа 30–45 дней, поставка в срок "
            "по графику работ и полная комплектация по спецификации. Запрашивает КП у 3–5 "
            "поставщиков, сделка по объекту длится от 2 до 8 недель, далее отгрузки частями.\n"
            "2. Дилер или строительный магазин в Московской или Тульской области. Решает "
            "владелец или закупщик. Заказывает каждые 1–2 недели по телефону, почте или в "
            "мессенджере. Важны наличие на складе, дилерская цена, акции производителей, "
            "доставка на следующий день и ретробонус за объём.\n"
            "3. Небольшая ремонтная бригада или частный прораб. Решает сам, покупает быстро "
            "— чаще после звонка или заявки с сайта, оплачивает сразу. Чувствителен к "
            "цене, ценит консультацию по применению материалов и доставку на объект в "
            "удобное время."),
        "client_fields": (
            "В 1С: наименование, ИНН/КПП, юридический и фактический адрес, договор, вид "
            "цены, условия оплаты, кредитный лимит. У менеджеров в Excel и amoCRM: ФИО, "
            "должность, мобильный телефон и e-mail контактных лиц, объекты клиента с "
            "адресами и сроками, договорённости, дата следующего звонка. Дни рождения и "
            "предпочтительный канал связи фиксируют лишь некоторые менеджеры."),
        "shared_clients": True,
        "ownership_rules": (
            "Формально клиента ведёт менеджер, который первым оформил на него счёт. На "
            "практике крупный подрядчик покупает и через объектный отдел, и через дилера, "
            "поэтому бывают споры о комиссионных и разные цены одному клиенту. Передача "
            "клиента при увольнении или отпуске менеджера никак не оформляется."),
        # --- 5. Каналы продаж (маркетинг-микс — на интервью с отделом маркетинга)
        "sales_channels": ["direct", "phone", "website", "dealers", "tenders"],
        "lead_sources": (
            "Повторные обращения и рекомендации действующих клиентов — около 35 %; сайт "
            "(формы «Запросить цену», «Расчёт объекта», «Обратный звонок») с контекстной "
            "рекламой — 25 %; входящие звонки по номеру из справочников и карт — 15 %; "
            "тендеры строительных компаний — 10 %; выставки и семинары для прорабов — 8 %; "
            "холодные звонки менеджеров — 7 %. Доли оценочные: источник обращения сейчас "
            "нигде не фиксируется."),
        "leads_per_month": 420,
        # --- 6. Бизнес-процессы
        "main_process": (
            "Объектная продажа: 1) обращение (звонок, почта, сайт) — принимает менеджер или "
            "секретарь, распределяет руководитель отдела вручную, часто через полдня; "
            "2) выезд на объект или запрос спецификации — 1–3 дня; 3) расчёт и КП в Excel и "
            "Word — до 40 минут на КП, цены берутся из прайса, который может быть устаревшим; "
            "4) согласование цены и отсрочки — через руководителя отдела и бухгалтерию, по "
            "телефону, 1–3 дня; 5) договор — шаблон правит юрист, 3–5 дней; 6) счёт в 1С; "
            "7) оплата или отгрузка по отсрочке — менеджер звонит в бухгалтерию, чтобы "
            "узнать об оплате; 8) заявка на доставку в логистику, отгрузка на следующий "
            "день; 9) отгрузки частями по графику объекта до его завершения.\n"
            "Регулярный заказ дилера: заказ по телефону, почте или в мессенджере — счёт в "
            "1С — оплата — отгрузка или самовывоз в Подольске, обычно в течение 1–2 дней.\n"
            "Проблемы: нет контроля сроков на каждом шаге, статус сделки знает только "
            "менеджер, о просрочке оплаты менеджер узнаёт от бухгалтерии с опозданием."),
        "funnel_stages": (
            "Единой воронки нет. В amoCRM (дилеры): новая заявка — взята в работу — счёт "
            "выставлен — оплачено — отгружено. Объектный отдел выделяет этапы устно: "
            "квалификация объекта — расчёт и КП — согласование условий — договор — "
            "отгрузки — объект закрыт. Причины отказов не фиксируются."),
        "after_sales": (
            "Рекламации (качество, пересортица, недовложение, бой) принимает отдел сервиса "
            "по телефону и почте и записывает в журнал Excel: 640 рекламаций за 2024–2025 "
            "годы. Склад проверяет остатки и акты приёмки, решение о замене или возврате "
            "принимает руководитель отдела сервиса, по крупным суммам — коммерческий "
            "директор. Средний срок закрытия — 12 рабочих дней. Клиенту о статусе не "
            "сообщают, пока он сам не позвонит. Претензии к производителям ведутся "
            "отдельно по почте. Плановых звонков клиентам после отгрузки нет."),
        "approvals": (
            "Скидка от объектной цены до 5 % — менеджер сам, от 5 до 10 % — руководитель "
            "отдела, более 10 % — коммерческий директор. Отсрочка платежа и кредитный "
            "лимит — главный бухгалтер, свыше 3 млн руб. — генеральный директор. Отгрузка "
            "клиенту с просроченной задолженностью — только с разрешения коммерческого "
            "директора. Договоры с нетиповыми условиями — юрист (на аутсорсинге) и "
            "коммерческий директор. Всё согласуется устно, по почте или в мессенджере; "
            "следов решения в учётной системе не остаётся."),
        "task_control": (
            "Задачи ставятся на планёрках по понедельникам, устно и в общем чате Telegram; "
            "крупные — письмом. Руководители проверяют выполнение на следующей планёрке "
            "или по звонку. Сроки задач и напоминания менеджеры ведут кто как может — в "
            "телефоне, в Outlook, в блокноте. Контроля просроченных задач нет."),
        "documented": "text",
        "approach": "to_be",
        # --- 7. Отчёты и аналитика
        "reports_used": (
            "Ежедневно: остатки и поступления оплат — из 1С (бухгалтерия). Еженедельно по "
            "понедельникам: продажи по менеджерам и клиентам в Excel — руководители "
            "отделов, сводятся вручную из выгрузок 1С и личных таблиц. Ежемесячно: выручка "
            "и валовая маржа по товарным группам, выполнение планов по производителям, "
            "дебиторская задолженность — бухгалтерия и аналитик отдела продаж (Лебедева "
            "О. Д.). Подготовка еженедельного отчёта занимает у каждого руководителя около "
            "трёх часов."),
        "report_tools": ["excel", "accounting"],
        "report_frequency": "weekly",
        "kpis": (
            "Выручка и валовая маржа к плану — по менеджерам, отделам и товарным группам; "
            "число активных клиентов и новых клиентов за месяц; средний чек отгрузки; "
            "просроченная дебиторская задолженность по менеджерам; выполнение планов "
            "закупок по матрице производителей (для дилерского отдела)."),
        "missing_reports": (
            "Воронка продаж с конверсией по этапам и зависшими сделками; время первого "
            "ответа на обращение; пропущенные звонки без перезвона; ABC/XYZ-анализ "
            "клиентов; список «уснувших» клиентов без отгрузок более 60 дней; "
            "эффективность рекламных источников; рекламации по срокам и причинам; "
            "прогноз выручки на месяц вперёд."),
        # --- 8. ИТ-ландшафт
        "telephony": "cloud_pbx",
        "telephony_provider": (
            "Mango Office, Виртуальная АТС: 34 внутренних номера, 3 многоканальных номера "
            "(Москва, Тула, бесплатный 8-800)"),
        "call_recording": True,
        "email_system": "exchange",
        "messengers": ["telegram", "whatsapp"],
        "accounting_system": "one_c_trade",
        "accounting_version": (
            "1С:Управление торговлей, редакция 11.5, клиент-серверный вариант, сервер в "
            "головном офисе; сопровождает ИТ-служба (Гусев П. А.), обновления и доработки — "
            "обслуживающий партнёр 1С по договору ИТС"),
        "exchange_objects": ["counterparties", "items", "prices", "invoices", "payments",
                             "stock", "shipments"],
        "website": "https://optima-dist.ru",
        "website_features": ["forms", "callback"],
        "single_sign_on": False,
        "hosting": "on_premise",
        "it_contact": "Гусев Павел Александрович, системный администратор, +7 (495) 640-12-90",
        "other_systems": (
            "Сайт optima-dist.ru на 1С-Битрикс: Управление сайтом — формы заявок и "
            "UTM-метки. Microsoft Exchange Server 2019 — письма в истории клиента и общий "
            "ящик zakaz@. Личный кабинет клиента на сайте рассматриваем на 2027 год, в "
            "этот проект не включаем."),
        # --- 9. Данные и перенос
        "data_sources": [
            {"source": "Личные таблицы менеджеров (14 файлов)", "format": "xlsx",
             "records": 3800, "owner": "Лебедева О. Д."},
            {"source": "amoCRM — отдел продаж дилерам и магазинам", "format": "crm",
             "records": 12400, "owner": "Ефимова С. И."},
            {"source": "Журнал рекламаций 2024–2025", "format": "xlsx", "records": 640,
             "owner": "Тимофеева Н. А."},
            {"source": "1С:Управление торговлей 11.5 — контрагенты, договоры, контакты",
             "format": "one_c", "records": 6100, "owner": "Белова И. Н."},
        ],
        "data_quality": 2,
        "history_depth": "three_years",
        "directories": (
            "В 1С: виды контрагентов, виды цен, регионы доставки, договоры и условия оплаты, "
            "номенклатура с товарными группами. В amoCRM: этапы воронки дилерского отдела и "
            "теги (около 90, без системы). Справочников источников обращений, статусов "
            "развития клиента, видов сделок и причин отказа нет."),
        # --- 10. Персональные данные
        "pd_processing": True,
        "pd_notice": "yes",
        "pd_consent": (
            "На сайте в каждой форме есть отметка согласия на обработку персональных "
            "данных и ссылка на политику; с сентября 2025 года согласие оформлено отдельным "
            "документом. Для контактных лиц клиентов-организаций согласие пока включено в "
            "текст договора поставки — юрист готовит отдельную форму. Согласие на рекламные "
            "рассылки отдельно не собирается; отписки учитываются вручную в сервисе "
            "рассылок."),
        "pd_localisation": "yes",
        "access_policy": (
            "Менеджер видит только своих клиентов и сделки; руководитель отдела — всех "
            "клиентов отдела; коммерческий и генеральный директор — всех. Сервис видит "
            "карточки клиентов и отгрузки для разбора рекламаций, но не цены закупки. "
            "Бухгалтерия и логистика — только просмотр. Выгрузку клиентской базы в Excel "
            "нужно запретить всем, кроме руководства и администратора; записи разговоров "
            "прослушивают только руководители отделов."),
        # --- 11. Запуск и обучение (дата запуска — как выгружена из проекта)
        "pilot_department": (
            "Отдел продаж дилерам и магазинам (московская группа): у него уже есть опыт "
            "работы в amoCRM; затем тульская группа и отдел продаж строительным "
            "организациям"),
        "training_format": "mixed",
        "crm_expert": "Лебедева Ольга Дмитриевна, аналитик отдела продаж",
        "fixed_corners": ["scope", "budget"],
        "support": (
            "В рабочие дни с 9:00 до 18:00 по Москве; реакция на обращение — не более "
            "4 рабочих часов, исправление ошибок — до 5 рабочих дней; в первые две недели "
            "после запуска — дежурство консультанта. Пакет сопровождения около 20 часов в "
            "месяц на первые полгода."),
        "concerns": (
            "Менеджеры продолжат вести клиентов в личных таблицах и amoCRM параллельно с "
            "новой системой. Запуск совпадает с разгаром сезона — у продавцов мало времени "
            "на обучение. Публикацию 1С по OData параллельно дорабатывает обслуживающий "
            "партнёр 1С — возможны задержки. Качество данных в таблицах низкое."),
        "comments": (
            "Обучение просим проводить утром, не дольше трёх часов подряд, чтобы не срывать "
            "отгрузки. Тульский офис обучается онлайн."),
    },
)

OPTIMA_SALES_CORP = Workbook(
    questionnaire="requirements",
    audience="sales_corp",
    respondent={
        "name": "Орлов Денис Сергеевич",
        "position": "Руководитель отдела продаж строительным организациям",
        "department": "Отдел продаж строительным организациям",
        "date": dt.date(2026, 2, 11),
    },
    answers={
        "daily_work": (
            "Звонки снабженцам по текущим объектам, расчёт спецификаций и подготовка КП, "
            "выставление счетов в 1С, выяснение в бухгалтерии, прошла ли оплата и не "
            "превышен ли лимит, заявки на доставку в логистику, 2–3 выезда в неделю на "
            "объекты и в офисы клиентов."),
        "pain_points": (
            "КП собираются вручную — до 40 минут на одно, цены приходится сверять с 1С. "
            "Статус оплаты и задолженность клиента узнаём звонком в бухгалтерию. История "
            "переговоров по объекту остаётся в почте и телефоне менеджера, при отпуске или "
            "увольнении её не найти. Руководитель тратит полдня в неделю на сбор таблиц "
            "менеджеров."),
        "must_have": (
            "1) Воронка по объектам с этапами, суммой и сроками, видимая руководителю. "
            "2) Формирование КП из сделки по шаблону с актуальными ценами из 1С. "
            "3) Карточка клиента с задолженностью, лимитом, счетами и отгрузками из 1С."),
        "access_rules": (
            "Менеджер — только свои клиенты и сделки, остальных видит в поиске по ИНН без "
            "деталей, чтобы не заводить дубли. Руководитель отдела — все клиенты отдела. "
            "Коммерческий директор — все."),
        "mobile_access": True,
        "lead_distribution": "head",
        "client_card": (
            "Объекты клиента и стадию по каждому, последние три контакта и договорённости, "
            "дату и тему следующего контакта, открытые счета, просроченную задолженность и "
            "свободный кредитный лимит, вид цены и скидку, отгрузки за последние три месяца, "
            "открытые рекламации, ЛПР и снабженца с мобильными телефонами."),
        "sales_documents": ["offer", "contract", "invoice", "specification"],
        "discount_approval": True,
        "discount_rules": (
            "Скидка от объектной цены до 5 % — менеджер, от 5 до 10 % — руководитель "
            "отдела, свыше 10 % — коммерческий директор; срок согласования — в течение "
            "рабочего дня. Отсрочка свыше 30 дней и счёт при превышении лимита или "
            "просрочке — финансовое согласование (главный бухгалтер), в течение 4 часов."),
        "sales_plans": "both",
        "telephony_features": ["click_to_call", "popup", "recordings", "missed_calls"],
        "reminders_importance": 4,
    },
)

OPTIMA_SALES_DEALERS = Workbook(
    questionnaire="requirements",
    audience="sales_dealers",
    respondent={
        "name": "Ефимова Светлана Игоревна",
        "position": "Руководитель отдела продаж дилерам и магазинам",
        "department": "Отдел продаж дилерам и магазинам",
        "date": dt.date(2026, 2, 12),
    },
    answers={
        "daily_work": (
            "Приём заказов дилеров и магазинов по телефону, почте и в мессенджерах, "
            "выставление счетов в 1С, обработка заявок с сайта из ящика zakaz@, ответы на "
            "вопросы о наличии и сроках доставки, обзвон клиентов под акции производителей, "
            "сверка выполнения ассортиментной матрицы."),
        "pain_points": (
            "Заявки с сайта разбираем раз в полдня, часть теряется. В пиковые часы "
            "пропускаем до 18 % входящих звонков и не перезваниваем. Остатки и цены "
            "смотрим в 1С, а клиента ведём в amoCRM — двойной ввод. Тула передаёт заказы "
            "через Telegram, часть из них не доходит до счёта. Не видим клиентов, которые "
            "перестали заказывать."),
        "must_have": (
            "1) Автоматическое распределение обращений с сайта, почты и звонков с "
            "контролем 15 минут. 2) Задача на перезвон по каждому пропущенному звонку. "
            "3) Список «уснувших» клиентов и напоминания о плановом контакте по категории "
            "клиента."),
        "access_rules": (
            "Менеджер видит своих клиентов; клиентов коллеги из другой группы (Москва/Тула) "
            "— только на время отпуска коллеги по назначению руководителя. Руководитель "
            "отдела — всех клиентов отдела, включая Тулу."),
        "mobile_access": True,
        "lead_distribution": "territory",
        "client_card": (
            "Категорию клиента (A/B/C) и дату последней отгрузки, средний объём и частоту "
            "заказов, текущие акции производителей для клиента, открытые счета и "
            "задолженность, дилерскую цену и ретробонус, историю звонков с записями и "
            "переписку, контакт закупщика."),
        "sales_documents": ["offer", "invoice"],
        "discount_approval": True,
        "discount_rules": (
            "Дополнительная скидка к дилерской цене до 3 % — менеджер, до 7 % — "
            "руководитель отдела, выше — коммерческий директор. Особые условия по акциям "
            "производителей утверждает руководитель отдела раз в квартал. Срок ответа на "
            "запрос — 2 часа."),
        "sales_plans": "both",
        "telephony_features": ["click_to_call", "popup", "recordings", "missed_calls"],
        "reminders_importance": 5,
    },
)

OPTIMA_SERVICE = Workbook(
    questionnaire="requirements",
    audience="service",
    respondent={
        "name": "Тимофеева Наталья Андреевна",
        "position": "Руководитель отдела сервиса и рекламаций",
        "department": "Отдел сервиса и рекламаций",
        "date": dt.date(2026, 2, 12),
    },
    answers={
        "daily_work": (
            "Приём рекламаций по телефону и почте, запрос фотографий и актов у клиента, "
            "передача на проверку складу, согласование замены или возврата с отделом "
            "продаж, оформление претензий производителям, консультации клиентов и "
            "прорабов по применению материалов."),
        "pain_points": (
            "Журнал рекламаций в Excel не показывает, на ком рекламация и сколько она "
            "висит. Фото и акты лежат в почте разных сотрудников. Склад и продажи узнают о "
            "рекламации из пересланного письма, сроки согласования замены никто не "
            "контролирует. Клиенту отвечаем по памяти, он звонит по несколько раз."),
        "must_have": (
            "1) Карточка рекламации с фото, актом и связью с отгрузкой из 1С. "
            "2) Маршрут «приём — проверка складом — решение — замена или возврат — "
            "закрытие» с контрольными сроками. 3) Автоматические уведомления клиента о "
            "смене статуса."),
        "access_rules": (
            "Специалисты сервиса видят все рекламации и карточки клиентов, без цен закупки. "
            "Менеджер по продажам видит рекламации своих клиентов, склад и логистика — "
            "рекламации, назначенные им на проверку."),
        "mobile_access": False,
        "request_channels": ["phone", "email", "messengers", "visits"],
        "requests_per_month": 120,
        "has_sla": False,
        "complaints": (
            "Регистрируются в журнале Excel (640 записей за 2024–2025 годы): дата, клиент, "
            "номер реализации, суть, решение. Проверку проводит склад в Подольске по "
            "актам приёмки, решение принимает руководитель отдела сервиса, компенсации "
            "свыше 50 тыс. руб. — коммерческий директор. Сейчас примерно 30 рекламаций в "
            "месяц и около 90 консультаций; средний срок закрытия — 12 рабочих дней. "
            "Нормативных сроков нет, цель — 5 рабочих дней."),
        "satisfaction_survey": True,
    },
)

# ================================================================= Northwind (en)
NORTHWIND_SURVEY = Workbook(
    questionnaire="survey",
    audience=None,
    respondent={
        "name": "Rachel Moore",
        "position": "Head of Operations",
        "department": "Leadership Team",
        "date": dt.date(2026, 3, 6),
    },
    # Data quality is rated after the trial export of the pipeline and Freshdesk; the
    # Roskomnadzor and localisation questions concern Russian law and do not apply.
    open=["data_quality", "pd_notice", "pd_localisation"],
    answers={
        # --- 1. Company and goals
        "activity": (
            "Managed service provider founded in 2011, serving about 140 small and "
            "mid-sized organisations in London and the South East. Lines of business: "
            "fixed-fee IT support contracts (Gold, Silver and Bronze SLA tiers), cloud and "
            "Microsoft 365 administration, cyber security (monitoring, Cyber Essentials "
            "certification) and bespoke web and line-of-business software. Revenue about "
            "£7.8m, 62% of it recurring. What sets us apart: named engineers for every "
            "client, one team that can both run the infrastructure and build software, and "
            "a Microsoft Solutions Partner designation for Modern Work."),
        "locations": (
            "London, head office: 3rd floor, 41 Curtain Road, Shoreditch, EC2A 3PT "
            "(leadership, sales, account management, marketing, finance, most of "
            "engineering).\n"
            "Reading, regional support office: 2nd floor, 18 Kings Road, RG1 3AA "
            "(part of the service desk and field engineers).\n"
            "About a third of staff work from home two days a week."),
        "goals": (
            "1. Win rate of qualified opportunities from 19% to 28% (rolling six months) "
            "by 31 March 2027.\n"
            "2. Average first response to support tickets from 3.2 hours to 30 minutes in "
            "business hours by 31 December 2026.\n"
            "3. Contracts renewed before their end date from 74% to 90% by 30 June 2027.\n"
            "4. Proposal turnaround from 4 working days to 1.\n"
            "5. A quarterly business review with every Gold and Silver client."),
        "problems": (
            "Nobody sees a client's full picture: open deals sit in an Excel pipeline, "
            "tickets in Freshdesk, contracts in a SharePoint list and invoices in Xero. The "
            "pipeline is updated once a week, so stalled deals are noticed too late. "
            "Freshdesk does not know a client's contract or SLA tier, and phone calls to "
            "the support line are not logged. Contract end dates are not watched, so "
            "renewals start late and without data on ticket volumes and SLA performance."),
        "success_criteria": (
            "The Monday pipeline meeting and the monthly leadership review run from CRM "
            "dashboards, not spreadsheets; Freshdesk is switched off; every support call "
            "becomes a ticket; account managers open every renewal with a service report "
            "produced by the CRM; the win-rate and response-time figures are visible to "
            "everyone without anyone compiling them."),
        "current_tool": "spreadsheets",
        "current_tool_issues": (
            "The shared pipeline workbook is edited by eight people, rows get overwritten "
            "and stages mean different things to different people (nine ad-hoc stages). "
            "There is no history of activities, no reminders, no link to e-mails or "
            "calls. Freshdesk is used for tickets only and holds its own copy of client "
            "contacts, which disagrees with the pipeline and with Xero."),
        # --- 2. Organisation (department table as exported)
        "has_branches": True,
        "branches": (
            "The Reading office runs part of the service desk and the field engineers for "
            "Berkshire and Oxfordshire clients; it works in the same Freshdesk and Teams "
            "channels as London, so there is no separate exchange of information. Hybrid "
            "working: most staff work from home two days a week; sales executives are often "
            "at client sites."),
        "sponsor": "Daniel Hughes, Managing Director",
        "working_group": (
            "Project manager: Rachel Moore (Head of Operations). New Business Sales: James "
            "Whitfield and Hannah Clarke (Sales Operations Analyst, future internal CRM "
            "expert). Account Management: Priya Raman. Service Desk: Tom Okafor and one "
            "senior second-line engineer. Marketing: Sophie Lang. Finance: Claire Benson. "
            "Internal IT and integrations: Oliver Grant."),
        # --- 3. Products and services
        "products_list": [
            {"name": "Managed IT support (per-user monthly contracts, three SLA tiers)",
             "share": 48, "clients": "SMEs of 20 to 250 staff",
             "comment": "Sold after a discovery meeting and an IT audit; three-year "
                        "contracts, priced per user per month, onboarding fee"},
            {"name": "Cloud and Microsoft 365 administration", "share": 14,
             "clients": "Contract clients and co-managed IT teams",
             "comment": "Usually an add-on to a support contract; monthly fee per tenant "
                        "and per user"},
            {"name": "Cyber security: monitoring, Cyber Essentials certification",
             "share": 12, "clients": "Contract clients; firms bidding for public contracts",
             "comment": "Certification sold as a fixed-price project, monitoring as a "
                        "monthly add-on; often the door-opener for a support contract"},
            {"name": "Bespoke software development", "share": 18,
             "clients": "Operations directors of mid-sized firms",
             "comment": "Time and materials or fixed price after a paid discovery "
                        "workshop; sales cycle of three to six months"},
            {"name": "Hardware and licence resale", "share": 8, "clients": "Contract clients",
             "comment": "Quoted on request at a fixed margin; no active selling"},
        ],
        "sales_cycle": "months",
        "average_deal": 28500,
        "repeat_share": 71,
        "seasonality": (
            "Mild. Many clients set budgets for a financial year starting in April, so "
            "February to April is our busiest quarter for new contracts and projects. "
            "August and the second half of December are quiet. Renewals are spread over "
            "the year but cluster in March and September."),
        # --- 4. Clients
        "client_types": ["b2b", "b2g"],
        "active_clients": 140,
        "classification": (
            "Contract clients by SLA tier (Gold 22, Silver 51, Bronze 41) plus about 25 "
            "project-only clients. Sectors: legal, accountancy and financial services, "
            "charities, property, education (two multi-academy trusts). Size bands by "
            "number of users. Finance uses Xero tracking categories by service line. No "
            "formal ABC analysis; the top 20 clients by revenue are known informally."),
        "portraits": (
            "1. Professional services firm with 30 to 120 staff (law or accountancy firm). "
            "The managing partner decides, the practice manager runs the process. Security "
            "and regulatory compliance, responsiveness and a fixed monthly cost matter "
            "most. They compare three providers, meet us twice, ask for references and "
            "sign a three-year contract.\n"
            "2. Growing company with 80 to 250 staff and one in-house IT person. The "
            "finance director decides with the IT manager; they want co-managed support "
            "and project capacity rather than full outsourcing, and are price-sensitive "
            "per user. Often start with a security project.\n"
            "3. Operations director commissioning bespoke software to replace spreadsheets "
            "or an ageing in-house system. Decides with the MD after a paid discovery "
            "workshop; values delivery track record and a fixed price for the first phase."),
        "client_fields": (
            "In the pipeline: company, contact name, role, e-mail and phone, source, "
            "estimated value, stage, next step. In Freshdesk: requester contacts and "
            "company. In SharePoint: contract tier, start, end and notice dates, users "
            "covered. In Xero: billing address, company number, payment terms. Decision "
            "makers, competitors and renewal risk are in people's heads."),
        "shared_clients": True,
        "ownership_rules": (
            "New Business owns a prospect until the contract is signed, then hands it to "
            "an account manager after onboarding; the service desk works with everyone. "
            "There is no written handover, and upsell leads from engineers reach "
            "account managers only by chance."),
        # --- 5. Sales channels and marketing
        "sales_channels": ["direct", "phone", "website", "tenders"],
        "lead_sources": (
            "Client referrals about 35%; website and SEO 20%; webinars and events 15%; "
            "outbound calling and LinkedIn 12%; vendor and partner referrals (Microsoft, "
            "security vendors) 10%; public-sector frameworks and tenders 8%. These are "
            "estimates: sources are recorded in the pipeline for only about half of the "
            "deals."),
        "leads_per_month": 45,
        "marketing_mix": ["search_ads", "seo", "social", "email", "events", "referrals",
                          "cold_calls"],
        "measures_roi": False,
        # --- 6. Business processes
        "main_process": (
            "1) Enquiry from the website, a referral or outbound work; a sales executive "
            "books a qualification call within two days. 2) Discovery meeting, with a "
            "pre-sales engineer from Delivery for technical scoping (one to two weeks). "
            "3) Proposal assembled from old Word documents and a pricing spreadsheet: four "
            "working days on average, with occasional pricing errors. 4) Negotiation and "
            "approval of discounts by the Sales Director. 5) Contract signed by e-signature. "
            "6) Handover meeting to onboarding and the service desk; Finance sets up the "
            "repeating invoice in Xero. 7) First invoice on go-live, monthly in advance.\n"
            "Problems: no deadlines per stage, the handover depends on one e-mail, and "
            "nobody checks that the Xero invoice matches the signed contract."),
        "funnel_stages": (
            "In practice nine ad-hoc stages in the Excel pipeline (lead, contacted, call "
            "booked, met, proposal due, proposal sent, verbal, contract out, won/lost). "
            "We have agreed to move to six: qualify, discovery, proposal, negotiation, won, "
            "lost, with a required loss reason."),
        "after_sales": (
            "Support runs through Freshdesk: e-mail and portal requests become tickets, "
            "phone calls often do not. Monitoring alerts from N-able arrive as e-mails and "
            "are triaged by hand. Complaints go to the account manager or straight to the "
            "MD and are handled by e-mail, with no record or follow-up date. Quarterly "
            "business reviews happen for only about a third of contract clients."),
        "approvals": (
            "Discounts above 10% or a margin below 30% on a quote: Sales Director. Deals "
            "over £100k a year or non-standard contract terms: Managing Director. Payment "
            "terms beyond 30 days and credit for new clients: Financial Controller. "
            "Approvals are given by e-mail or Teams chat and are hard to find later."),
        "task_control": (
            "Sales: Monday pipeline meeting, actions noted in the spreadsheet. Service: "
            "ticket assignment in Freshdesk, escalations by Teams message. Account "
            "management: personal Outlook tasks. Leadership sees overdue work only when a "
            "client complains."),
        "documented": "text",
        "approach": "to_be",
        # --- 7. Reports and analytics
        "reports_used": (
            "Weekly pipeline summary from the Excel workbook (Hannah Clarke, every Monday, "
            "about two hours to compile). Monthly Freshdesk report of ticket volumes and "
            "response times (Tom Okafor). Monthly management accounts and recurring revenue "
            "from Xero and Power BI (Claire Benson). Contract renewals list, ad hoc, from "
            "SharePoint (Priya Raman)."),
        "report_tools": ["excel", "bi"],
        "report_frequency": "weekly",
        "kpis": (
            "Sales: new annual contract value won, win rate, pipeline coverage against "
            "target, proposal turnaround. Service: first response and resolution times by "
            "priority, SLA breaches, tickets per user per month, client satisfaction. "
            "Account management: renewal rate, net revenue retention, QBRs held. Finance: "
            "monthly recurring revenue and contract margin."),
        "missing_reports": (
            "Weighted pipeline forecast and stalled deals; win rate by source and by "
            "service line; SLA compliance per client and contract tier; hours used against "
            "block-hours contracts; contracts ending in the next 120 days; a monthly "
            "service report per client for QBRs; marketing campaign influence on won "
            "revenue."),
        # --- 8. IT landscape
        "telephony": "cloud_pbx",
        "telephony_provider": (
            "RingCentral (cloud PBX): 48 extensions, support line as a call queue in "
            "London and Reading"),
        "call_recording": True,
        "email_system": "exchange",
        "messengers": ["whatsapp"],
        "accounting_system": "other",
        "accounting_version": (
            "Xero (cloud, Established plan) with repeating invoices for contracts; "
            "maintained by Finance (Claire Benson), no external partner"),
        "exchange_objects": ["counterparties", "invoices", "payments"],
        "website": "https://www.northwind-it.co.uk",
        "website_features": ["forms"],
        "single_sign_on": True,
        "hosting": "cloud",
        "it_contact": "Oliver Grant, Internal Systems Engineer, +44 20 7946 0188",
        "other_systems": (
            "Microsoft Entra ID (single sign-on, user provisioning); Microsoft 365 "
            "(Outlook e-mail and calendars, Teams notifications); N-able N-sight RMM "
            "(alerts as tickets, device inventory); website on WordPress with Gravity "
            "Forms. Freshdesk is to be retired, not integrated. The PSA tool Delivery uses "
            "for timesheets stays as it is and needs no integration."),
        # --- 9. Data and migration
        "data_sources": [
            {"source": "New business pipeline (shared Excel workbook)", "format": "xlsx",
             "records": 520, "owner": "Hannah Clarke"},
            {"source": "Freshdesk: tickets, requesters, knowledge base", "format": "crm",
             "records": 21300, "owner": "Tom Okafor"},
            {"source": "Contract register (SharePoint list)", "format": "xlsx",
             "records": 214, "owner": "Priya Raman"},
            {"source": "Sales and account managers' Outlook contacts and e-mail",
             "format": "documents", "owner": "Each salesperson"},
        ],
        "history_depth": "three_years",
        "directories": (
            "SLA tiers and the P1–P4 priority matrix; Freshdesk ticket categories (about "
            "40, to be reduced); service catalogue with list prices in the pricing "
            "spreadsheet; Xero tracking categories by service line. No agreed lists of lead "
            "sources, loss reasons or sectors."),
        # --- 10. Personal data
        "pd_processing": True,
        "pd_consent": (
            "Client contacts are processed under legitimate interests for the contract, as "
            "set out in our privacy notice (UK GDPR); we are registered with the ICO. "
            "Marketing e-mails to business contacts follow PECR: website and webinar forms "
            "have an opt-in tick box, and every e-mail has an unsubscribe link. Opt-outs "
            "are currently kept in the e-mail tool only."),
        "access_policy": (
            "Sales and account managers see all accounts but edit only their own; the "
            "service desk sees contacts, contracts and tickets but not deal values or "
            "margins; Finance sees invoices and contracts read-only. Call recordings: "
            "department heads only. Exports of contact lists: Leadership and marketing "
            "only."),
        # --- 11. Rollout and training (launch date as exported)
        "pilot_department": "New Business Sales (the MVP in iteration 1)",
        "training_format": "mixed",
        "crm_expert": "Hannah Clarke, Sales Operations Analyst",
        "fixed_corners": ["time", "budget"],
        "support": (
            "08:00 to 18:00 UK time, Monday to Friday; response within 2 business hours, "
            "fixes within 3 working days; for the service desk module, a P1 contact "
            "reachable by phone during the first two weeks after cut-over."),
        "concerns": (
            "Service desk agents may resist leaving Freshdesk in a busy quarter. Sales "
            "wants every feature in the MVP. Key users get pulled into client incidents "
            "and miss demos. The contract register and the Xero repeating invoices do not "
            "agree, and somebody has to reconcile them."),
        "comments": (
            "Please schedule training in the mornings and record every session; Reading "
            "staff will join online."),
    },
)

NORTHWIND_SALES = Workbook(
    questionnaire="requirements",
    audience="sales",
    respondent={
        "name": "James Whitfield",
        "position": "Sales Director",
        "department": "New Business Sales",
        "date": dt.date(2026, 3, 10),
    },
    answers={
        "daily_work": (
            "Qualification and discovery calls, meetings at prospects' offices, scoping "
            "with a pre-sales engineer, writing proposals and quotes, chasing decisions, "
            "updating the pipeline spreadsheet before the Monday meeting."),
        "pain_points": (
            "Proposals take four working days because every one is assembled from old Word "
            "files and the pricing spreadsheet. E-mails and call notes live in personal "
            "Outlook folders. Nobody knows which deals have gone quiet until the weekly "
            "meeting. Website leads reach us by e-mail and sometimes sit for a day."),
        "must_have": (
            "1) A pipeline with agreed stages, next steps and a forecast. 2) Quotes built "
            "from the service catalogue with a margin check and a branded PDF. 3) Outlook "
            "e-mails and meetings logged against the opportunity automatically."),
        "access_rules": (
            "Sales executives see all accounts (to avoid chasing existing clients) but edit "
            "only their own opportunities; the Sales Director and Leadership see "
            "everything."),
        "mobile_access": True,
        "lead_distribution": "round_robin",
        "client_card": (
            "Whether they are already a client, and if so their contract tier, account "
            "manager and open tickets; open opportunities and last activity; decision "
            "makers and their roles; source of the lead; competitors in play; next agreed "
            "step and date."),
        "sales_documents": ["offer", "contract", "specification"],
        "discount_approval": True,
        "discount_rules": (
            "Term discounts per the price book (5% for three years) need no approval. Any "
            "further discount above 10%, or a quote below 30% margin, goes to the Sales "
            "Director and is answered the same working day. Deals over £100k a year go to "
            "the Managing Director."),
        "sales_plans": "manager",
        "telephony_features": ["click_to_call", "popup", "recordings"],
        "reminders_importance": 4,
    },
)

NORTHWIND_ACCOUNTS = Workbook(
    questionnaire="requirements",
    audience="account_mgmt",
    respondent={
        "name": "Priya Raman",
        "position": "Head of Account Management",
        "department": "Account Management",
        "date": dt.date(2026, 3, 10),
    },
    answers={
        "daily_work": (
            "Calls and meetings with contract clients, preparing quarterly business "
            "reviews, collecting ticket and SLA figures from Freshdesk, renewal and price "
            "review conversations, passing upsell leads for security and development work."),
        "pain_points": (
            "Preparing one QBR takes half a day of copying figures from Freshdesk, Xero and "
            "SharePoint. Contract end dates are noticed late, sometimes after the notice "
            "period. We do not hear about escalated tickets or overdue invoices before a "
            "client raises them with us."),
        "must_have": (
            "1) Renewal opportunities created automatically 120 days before the contract "
            "ends. 2) A monthly service report per client: tickets, SLA compliance, hours "
            "used. 3) One account view with contract, open tickets and overdue invoices."),
        "access_rules": (
            "Each account manager edits their own portfolio and sees all accounts; "
            "deputies get edit rights during holidays."),
        "mobile_access": True,
        "lead_distribution": "head",
        "client_card": (
            "Contract tier, end and notice dates, users covered and monthly value; tickets "
            "in the last 90 days and SLA breaches; overdue invoices from Xero; date of the "
            "last QBR and the actions agreed; open upsell opportunities; satisfaction "
            "scores."),
        "sales_documents": ["offer", "contract"],
        "discount_approval": True,
        "discount_rules": (
            "The standard renewal uplift is CPI plus 2%. Waiving or reducing it needs the "
            "Head of Account Management up to £5k a year of contract value, and the Sales "
            "Director above that; answer within two working days."),
        "sales_plans": "both",
        "telephony_features": ["click_to_call", "recordings"],
        "reminders_importance": 5,
    },
)

NORTHWIND_SERVICE = Workbook(
    questionnaire="requirements",
    audience="service_desk",
    respondent={
        "name": "Tom Okafor",
        "position": "Service Desk Manager",
        "department": "Service Desk",
        "date": dt.date(2026, 3, 11),
    },
    answers={
        "daily_work": (
            "Triage of new tickets from e-mail, the portal and monitoring alerts, answering "
            "the support line, first- and second-line fixes, escalation to engineering and "
            "vendors, updating clients, logging time on tickets."),
        "pain_points": (
            "Priorities are set by feel because Freshdesk does not know the client's "
            "contract and SLA tier. Calls to the support line are not logged, so phone "
            "requests get forgotten. RMM alerts arrive as e-mails and are triaged by hand, "
            "with a lot of noise. Block-hours balances are tracked in a spreadsheet."),
        "must_have": (
            "1) One queue for e-mail, phone and RMM alerts, with each ticket linked to the "
            "client's contract and SLA. 2) SLA clocks in business hours with breach "
            "warnings. 3) Knowledge base articles suggested on the ticket."),
        "access_rules": (
            "All agents see all tickets and client contacts; deal values and margins are "
            "hidden from the service desk; Delivery engineers see the tickets escalated to "
            "them."),
        "mobile_access": True,
        "request_channels": ["phone", "email", "portal"],
        "requests_per_month": 825,
        "has_sla": True,
        "sla_terms": (
            "Response / resolution targets in business hours. Gold: P1 30 min / 4 h, P2 "
            "1 h / 8 h, P3 4 h / 2 days, P4 1 day / 5 days. Silver: P1 1 h / 8 h, P2 2 h / "
            "1 day, P3 8 h / 3 days, P4 2 days / 10 days. Bronze: P1 2 h / 1 day, P2 4 h / "
            "2 days, P3 and P4 next business day / best effort. Clocks pause while waiting "
            "on the client."),
        "complaints": (
            "Complaints come to the account manager or the MD by e-mail or phone; they are "
            "not recorded as tickets. The Service Desk Manager investigates and replies by "
            "e-mail. There is no register, no deadline and no review of causes."),
        "satisfaction_survey": True,
    },
)

EXAMPLE_BOOKS: dict[str, list[Workbook]] = {
    "optima-distribution": [OPTIMA_SURVEY, OPTIMA_SALES_CORP, OPTIMA_SALES_DEALERS,
                            OPTIMA_SERVICE],
    "northwind-it": [NORTHWIND_SURVEY, NORTHWIND_SALES, NORTHWIND_ACCOUNTS,
                     NORTHWIND_SERVICE],
}


if __name__ == "__main__":
    main()
