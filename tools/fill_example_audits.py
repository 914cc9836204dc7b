#!/usr/bin/env python3
"""Fill an exported audit checklist of a bundled example the way its auditor would.

Round trip (the audits in ``examples/*/audits/*.yaml`` are real outputs of the tool)::

    crmimpl audit export examples/kreativ-agency -o /tmp/aud-kreativ-agency.xlsx
    python tools/fill_example_audits.py kreativ-agency \\
        /tmp/aud-kreativ-agency.xlsx /tmp/aud-kreativ-agency-filled.xlsx
    crmimpl audit import examples/kreativ-agency /tmp/aud-kreativ-agency-filled.xlsx

The same for ``northwind-it``. Cells are found by the hidden id column and the id row of
each table (never by position); statuses are written with the labels of the workbook's own
``_lists`` sheet, so the script works for either language. The ``_meta`` sheet is checked
to make sure the workbook belongs to the example being filled.

All names are fictitious, as in the examples themselves.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

TABLE_ID_ROW = 3
TABLE_FIRST_ROW = 5
ID_COL = 1
STATUS_ORDER = ("p", "h", "f", "n")  # passed, partly, failed, not applicable (_lists!C2:C5)

KREATIV: dict[str, Any] = {
    "project": "kreativ-crm-2026",
    "number": 1,
    "respondent": {
        "name": "Белякова Дарья Игоревна",
        "position": "Консультант по экспресс-внедрению",
        "date": dt.date(2026, 5, 6),
    },
    "checks": {
        "calls_logged": (
            "h",
            "Сверка детализации рабочих номеров трёх аккаунт-менеджеров за 27–30.04: из 31 "
            "разговора с клиентами в CRM занесено 23. Встречи у клиентов вносятся, как "
            "правило, на следующий день, а не в день встречи.",
            "Андреева П. С.",
            dt.date(2026, 5, 22),
        ),
        "pipeline_current": (
            "p",
            "Из 20 сделок стадия соответствует фактической у 18; две сделки на стадии "
            "«Согласование» уже были в работе и переведены во время аудита.",
            None,
            None,
        ),
        "tasks_on_time": (
            "p",
            "За апрель просрочено 7 % задач, в основном повторные звонки после КП, "
            "перенесённые без отметки о переносе.",
            None,
            None,
        ),
        "client_cards_complete": (
            "p",
            "Проверены все 26 карточек, созданных после запуска: в трёх не указан источник "
            "заявки, остальные поля заполнены.",
            None,
            None,
        ),
        "no_new_duplicates": (
            "p",
            "Среди 26 новых клиентов один дубль: клиент написал в WhatsApp и оставил заявку "
            "на сайте. Карточки объединены.",
            None,
            None,
        ),
        "managers_use_reports": (
            "p",
            "Директор проводит понедельничную планёрку по панели «Заявки и выручка»; "
            "отдельные сводки в таблицах больше не готовятся.",
            None,
            None,
        ),
        "active_users": ("p", "За последние 7 дней в систему входили все 8 пользователей.",
                         None, None),
        "logins_per_week": (
            "p",
            "Аккаунт-менеджеры и офис-менеджер работают в CRM ежедневно, дизайнер и "
            "копирайтер — 3–4 дня в неделю, когда есть правки по макетам; для их роли "
            "этого достаточно.",
            None,
            None,
        ),
        "no_parallel_records": (
            "f",
            "Google-таблица «Клиенты и заказы» не закрыта: два аккаунт-менеджера ведут в ней "
            "график сдачи макетов и список абонентов по соцсетям, потому что в CRM не "
            "настроено представление сделок по срокам сдачи. Нужно настроить список «Сдача "
            "на неделе» и перевести таблицу в режим только для чтения.",
            "Смирнова А. Е.",
            dt.date(2026, 5, 15),
        ),
        "mobile_use": (
            "p",
            "Приложение установлено у всех четырёх аккаунт-менеджеров; за апрель с телефона "
            "внесено 17 итогов встреч.",
            None,
            None,
        ),
        "crm_expert_active": (
            "p",
            "Андреева П. С. ведёт список вопросов коллег: поступило 19, решено 17, два "
            "переданы в поддержку и закрыты в течение трёх дней.",
            None,
            None,
        ),
        "mandatory_fields": (
            "p",
            "Бюджет, срок и вид услуги заполнены во всех сделках начиная со стадии «Бриф»: "
            "обязательность полей настроена в воронке.",
            None,
            None,
        ),
        "duplicates_share": (
            "p",
            "По всей базе найдено 4 дубля на 231 клиента (1,7 %), все из перенесённых данных; "
            "объединены во время аудита.",
            None,
            None,
        ),
        "stale_deals": (
            "p",
            "Без движения больше 30 дней — 4 сделки, все по абонентскому обслуживанию, "
            "с назначенной датой следующего контакта.",
            None,
            None,
        ),
        "directories_current": (
            "h",
            "Источник «Другое» выбран в 9 из 34 заявок апреля. В справочнике нет значений "
            "«Рекомендация» и «Повторное обращение», без них нельзя отделить повторные "
            "заказы для показателя цели G2.",
            "Морозова А. В.",
            dt.date(2026, 5, 13),
        ),
        "exchange_runs": (
            "h",
            "Формы Tilda и почта работали без сбоев. Коннектор Wazzup 28.04 и 30.04 отключал "
            "второй номер WhatsApp до повторного сканирования QR-кода; за это время пять "
            "сообщений клиентов пришли только на телефон.",
            "Ким В. Р.",
            dt.date(2026, 5, 15),
        ),
        "data_consistent": (
            "p",
            "Сверены 20 заявок апреля с формы «Обсудить проект»: все есть в CRM, UTM-метки "
            "переданы.",
            None,
            None,
        ),
        "errors_monitored": (
            "p",
            "Ким В. Р. каждое утро проверяет подключение каналов по инструкции "
            "администратора; после сбоя 28.04 уведомление Wazzup об отключении номера "
            "приходит ей на почту.",
            None,
            None,
        ),
        "email_linked": (
            "p",
            "Тестовое письмо с адреса клиента появилось в карточке через 4 минуты; письмо "
            "на hello@ создало заявку.",
            None,
            None,
        ),
    },
    "kpi": {
        "goal_g1": (5.9, "Панель директора, отчёт «Заявки без ответа» за апрель: 2 из 34"),
        "goal_g2": (31, "Отчёт CRM по клиентам с заказами, сданными в ноябре 2025 – апреле 2026"),
    },
    "conclusions": {
        "participants": "Смирнова А. Е., Андреева П. С., Ким В. Р.; показ работы в системе — "
        "два аккаунт-менеджера и дизайнер студии.",
        "strengths": "Все заявки из мессенджеров, с сайта и с общего ящика попадают в одну "
        "очередь, директор видит заявки без ответа и управляет по панели CRM, внутренний "
        "эксперт быстро отвечает на вопросы коллег.",
        "conclusion": "За месяц после запуска агентство перешло на работу в CRM, доля "
        "заявок без ответа в тот же день снизилась с 22 до 6 %. До закрытия периода "
        "сопровождения нужно прекратить параллельный учёт в Google-таблице, закрепить "
        "внесение звонков и встреч в день контакта и дополнить справочник источников, "
        "иначе рост повторных заказов не удастся измерить.",
    },
}

NORTHWIND: dict[str, Any] = {
    "project": "northwind-crm-2026",
    "number": 1,
    "respondent": {
        "name": "Fiona McAllister",
        "position": "Lead CRM Consultant",
        "date": dt.date(2026, 8, 11),
    },
    "checks": {
        "calls_logged": (
            "p",
            "RingCentral log for 3–7 August against CRM activities of five sales executives: "
            "94% of calls were logged automatically; meetings came through from Outlook.",
            None,
            None,
        ),
        "pipeline_current": (
            "h",
            "In a sample of 20 open opportunities, 4 sat at an earlier stage than their "
            "owners described; two proposals sent in July still showed 'discovery', so the "
            "weighted forecast understates July by about £38k.",
            "James Whitfield",
            dt.date(2026, 8, 28),
        ),
        "tasks_on_time": (
            "p",
            "8% of tasks were overdue in July, mostly follow-ups after QBRs moved by a week.",
            None,
            None,
        ),
        "client_cards_complete": (
            "p",
            "30 accounts created since go-live: all have an owner and a primary contact; "
            "the lead source is missing on two.",
            None,
            None,
        ),
        "no_new_duplicates": (
            "p",
            "2 duplicates among the 47 accounts created since go-live, both from webinar "
            "registrations; merged during the audit.",
            None,
            None,
        ),
        "managers_use_reports": (
            "p",
            "The Monday sales meeting runs from the pipeline dashboard; the Service Desk "
            "Manager reviews the SLA dashboard at the morning stand-up.",
            None,
            None,
        ),
        "active_users": (
            "p",
            "33 of 35 licensed users logged in during 3–7 August; the other two were on "
            "annual leave.",
            None,
            None,
        ),
        "logins_per_week": (
            "p",
            "Sales, service desk and account managers work in the CRM every day; Finance "
            "users two or three days a week, which matches their role.",
            None,
            None,
        ),
        "no_parallel_records": (
            "f",
            "Account managers still keep the SharePoint contract list alongside the CRM for "
            "renewal dates: 19 of the 214 contracts have not been reconciled with Xero, so "
            "their end dates in the CRM are not trusted and renewal opportunities for them "
            "were not created.",
            "Claire Benson",
            dt.date(2026, 9, 11),
        ),
        "mobile_use": (
            "p",
            "All five account managers use the mobile app; 41 meeting notes were logged "
            "from phones in July.",
            None,
            None,
        ),
        "crm_expert_active": (
            "p",
            "Hannah Clarke's question log: 64 raised since go-live, 58 resolved, none "
            "older than a week.",
            None,
            None,
        ),
        "mandatory_fields": (
            "p",
            "Qualification fields are complete on 97% of open opportunities past 'qualify'; "
            "every lost deal has a loss reason (enforced by the stage gate).",
            None,
            None,
        ),
        "duplicates_share": (
            "p",
            "The duplicate detection rules flag 1.1% of accounts and 1.6% of contacts.",
            None,
            None,
        ),
        "stale_deals": (
            "p",
            "6 of 112 open opportunities have had no activity for 30 days; all six are on "
            "the stalled-deals list reviewed on Mondays.",
            None,
            None,
        ),
        "directories_current": (
            "h",
            "The ticket category 'General' was used on 27% of July tickets, which blurs the "
            "category split in the monthly client service reports used at QBRs.",
            "Tom Okafor",
            dt.date(2026, 9, 4),
        ),
        "exchange_runs": (
            "h",
            "Xero sync: 3 hourly runs in two weeks hit the API rate limit during the "
            "month-end invoice run and caught up 2–3 hours late. Entra ID, Microsoft 365, "
            "RingCentral and RMM alert intake ran without errors.",
            "Pavel Kowalski",
            dt.date(2026, 8, 28),
        ),
        "data_consistent": (
            "p",
            "20 accounts compared with Xero: overdue balances and billing contacts matched; "
            "the last 20 RMM alerts all created tickets against the right contract.",
            None,
            None,
        ),
        "errors_monitored": (
            "p",
            "Oliver Grant reviews the integration error log every morning, as the "
            "administrator's guide requires; the rate-limit warnings were all picked up.",
            None,
            None,
        ),
        "calls_in_card": (
            "p",
            "Test inbound and outbound calls on the support line: the account popped up and "
            "the recording appeared in the timeline within a minute.",
            None,
            None,
        ),
        "email_linked": (
            "p",
            "A test e-mail from a client address reached the account timeline; sent to the "
            "support mailbox, it opened a ticket on the client's contract.",
            None,
            None,
        ),
    },
    "kpi": {
        "goal_g1": (22.4, "Win-rate report, rolling six months to 31 July; most of these "
                    "deals were opened before the MVP went live"),
        "goal_g2": (1.3, "SLA dashboard, July, business hours"),
        "goal_g3": (79, "Renewals report: contracts ending May–July 2026"),
    },
    "conclusions": {
        "participants": "Tom Okafor, James Whitfield, Priya Raman, Hannah Clarke, Claire "
        "Benson, Oliver Grant; walkthroughs by two sales executives, two service desk agents "
        "and one account manager. Rachel Moore was on annual leave.",
        "strengths": "The system is in daily use across sales, service and account "
        "management; telephony and Outlook logging work without manual effort; the service "
        "desk runs on SLA clocks and first response time has more than halved since "
        "Freshdesk was retired.",
        "conclusion": "Adoption is good six weeks after acceptance. The main gap is the "
        "contract data: until Finance reconciles the remaining contracts with Xero, account "
        "managers will keep the SharePoint list and renewals will depend on it. Priorities "
        "before the next audit: finish the reconciliation and retire the list, keep "
        "opportunity stages current before the forecast meeting, narrow the 'General' "
        "ticket category and schedule the Xero sync around the month-end invoice run.",
    },
}

EXAMPLES = {"kreativ-agency": KREATIV, "northwind-it": NORTHWIND}


def fill(name: str, src: str, dst: str) -> None:
    """Fill the checklist ``src`` exported for example ``name`` and save it as ``dst``."""
    from openpyxl import load_workbook

    data = EXAMPLES[name]
    wb = load_workbook(src)
    meta = {wb["_meta"].cell(r, 1).value: wb["_meta"].cell(r, 2).value
            for r in range(1, wb["_meta"].max_row + 1)}
    if meta.get("questionnaire") != "audit" or meta.get("project") != data["project"]:
        raise SystemExit(f"{src} is not an audit checklist of {data['project']}")
    if int(meta.get("audit_number") or 0) != data["number"]:
        raise SystemExit(f"{src} is audit No. {meta.get('audit_number')}, "
                         f"expected No. {data['number']}")
    lists = wb["_lists"]
    labels = {key: lists.cell(2 + i, 3).value for i, key in enumerate(STATUS_ORDER)}

    seen_checks: set[str] = set()
    seen_kpi: set[str] = set()
    conclusions_sheet = None
    for ws in wb.worksheets:
        marker = ws.cell(TABLE_ID_ROW, ID_COL).value
        if ws.cell(4, 1).value == "id" and ws.cell(5, 1).value == "participants":
            conclusions_sheet = ws
        if not (isinstance(marker, str) and marker.startswith("table::")):
            continue
        cols = {ws.cell(TABLE_ID_ROW, c).value: c for c in range(2, ws.max_column + 1)
                if ws.cell(TABLE_ID_ROW, c).value}
        for row in range(TABLE_FIRST_ROW, ws.max_row + 1):
            rid = ws.cell(row, ID_COL).value
            if marker == "table::kpi":
                if rid in data["kpi"]:
                    actual, comment = data["kpi"][rid]
                    ws.cell(row, cols["actual"]).value = actual
                    ws.cell(row, cols["comment"]).value = comment
                    seen_kpi.add(rid)
                continue
            if rid not in data["checks"]:
                continue
            status, evidence, owner, due = data["checks"][rid]
            ws.cell(row, cols["status"]).value = labels[status]
            ws.cell(row, cols["evidence"]).value = evidence
            ws.cell(row, cols["owner"]).value = owner
            ws.cell(row, cols["due"]).value = due
            seen_checks.add(rid)

    missing = (set(data["checks"]) - seen_checks) | (set(data["kpi"]) - seen_kpi)
    if missing:
        raise SystemExit(f"not in the workbook: {', '.join(sorted(missing))}")

    first = wb.worksheets[0]
    for row in range(1, first.max_row + 1):
        key = first.cell(row, ID_COL).value
        if isinstance(key, str) and key.startswith("@respondent."):
            value = data["respondent"].get(key.removeprefix("@respondent."))
            if value is not None:
                first.cell(row, 3).value = value
    if conclusions_sheet is None:
        raise SystemExit("no conclusions sheet in the workbook")
    for row in range(TABLE_FIRST_ROW, conclusions_sheet.max_row + 1):
        key = conclusions_sheet.cell(row, ID_COL).value
        if key in data["conclusions"]:
            conclusions_sheet.cell(row, 4).value = data["conclusions"][key]
    wb.save(dst)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("example", choices=sorted(EXAMPLES))
    parser.add_argument("src", help="checklist written by `crmimpl audit export`")
    parser.add_argument("dst", help="where to save the filled checklist")
    args = parser.parse_args()
    fill(args.example, args.src, args.dst)
    print(f"wrote {args.dst}")


if __name__ == "__main__":
    main()
