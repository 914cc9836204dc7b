"""Context of the implementation package passport («Паспорт пакета внедрения»).

An express project (METHODOLOGY.md: fixed time and price, the client adopts the standard
processes) gets this short document instead of a GOST specification: the package with its
price and dates (the plan's figures, never recomputed), what is included and what is left
for a next stage, the settings checklist per subsystem, the training agenda (the plan's
sessions), the acceptance checklist, the client's obligations and the subscription.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crmimpl import i18n
from crmimpl.documents import common as c
from crmimpl.documents import modes
from crmimpl.documents.signoff import signatories
from crmimpl.documents.support_terms import support_terms
from crmimpl.documents.system import system_context
from crmimpl.industry import module_label, standard_functions
from crmimpl.model.project import Project
from crmimpl.vocabulary import label

if TYPE_CHECKING:
    from crmimpl.plan.builder import Plan

NAME = "passport"
REGISTER = "spec"  # the passport takes the specification's place in the document register


def build_context(project: Project, lang: str, *, plan: object | None = None,
                  answers: object | None = None) -> dict[str, Any]:
    """Plain data for ``passport.md.j2``.

    Args:
        project: The validated project.
        lang: Document language, ``ru`` or ``en``.
        plan: The run's plan; built here when omitted.
        answers: Unused (accepted for a uniform interface).
    """
    the_plan = c.resolve_plan(project, plan)
    assert the_plan is not None, "the express mode always has a plan template"
    head = c.document_head(project, the_plan, REGISTER, NAME, lang)
    # the passport fixes the price and the payment terms: the contractor's signatory
    # approves it beside the client
    head["meta"]["approvals"] = signatories(project, lang, binding=True)
    return {
        **head,
        "tax": c.tax_terms(project),
        "mode_label": label("mode", project.project.mode, lang),
        "system": modes.system_context(project, lang),
        "package": _package(project, the_plan, lang),
        # what the package is for: the goals, their measures and the requirements to them
        "goals": c.goal_rows(project, lang),
        "phases": c.plan_phases(the_plan, lang),
        "modules": [{"label": module_label(project, m, lang),
                     "functions": standard_functions(project, m, lang)}
                    for m in project.scope.modules],
        "integrations": [{**c.integration_row(i, lang, project), "objects": _listed(i.objects)}
                         for i in project.integrations],
        "migration": [{**c.migration_row(project, m, lang),
                       "records_text": _records(m.records, lang),
                       "rules_text": modes.lower_first(m.rules) if m.rules else "",
                       "objects_text": "; ".join(modes.lower_first(o) for o in m.objects),
                       "owner_text": c.person_name(project, m.owner) if m.owner else ""}
                      for m in project.migration],
        "user_classes": [_user_class(project, u, lang) for u in project.user_classes],
        "access": _access(project, lang),
        "next_stage": _next_stage(project, lang),
        "settings": _settings(project, lang),
        "training": _training(project, the_plan, lang),
        "acceptance": _acceptance(project, lang),
        "obligations": _obligations(project, the_plan, lang),
        "support": _support(project, the_plan, lang),
        "running": _running_costs(project, the_plan, lang),
        "legal": c.frame_context(project, lang)["legal"],
        "web_form": any(i.kind in ("website", "eshop") for i in project.integrations),
        # a Russian operator's clients write through messengers whose servers are abroad:
        # a cross-border transfer that needs its own notice before they are connected
        "cross_border": i18n.join([i.system for i in project.integrations
                                   if i.kind == "messengers"], lang, last=True)
        if project.country == "RU" else "",
    }


def _package(project: Project, plan: Plan, lang: str) -> dict[str, Any]:
    """Price, effort and dates of the package: the plan's figures."""
    costs, cur = plan.costs, plan.costs.currency
    fixed = project.budget.fixed
    return {
        "net": c.project_money(plan)(costs.net, lang, cur),
        "vat_rate": i18n.percent(project.project.vat_rate, lang),
        "vat_included": project.project.prices_include_vat,
        "vat": c.project_money(plan)(costs.vat, lang, cur),
        "total": c.project_money(plan)(costs.total, lang, cur),
        "hours": c.plan_hours(costs.contractor_hours, lang),
        "start": i18n.day(plan.start, lang),
        "launch": i18n.day(plan.launch, lang),
        "launch_long": i18n.day_long(plan.launch, lang),
        **_check_window(plan, lang),
        "finish": i18n.day(plan.finish, lang),
        "price_fixed": "budget" in fixed or costs.has_package,
        **_payments(project, plan, lang),
        # a fixed package price: the documents quote it, the stages show hours only
        "has_package": costs.has_package,
        "extra_rates": c.extra_rates(project, lang, c.project_money(plan)),
        "time_fixed": "time" in fixed,
        "users": i18n.number(project.client.crm_users, lang),
        "users_count": project.client.crm_users,
        "modules": i18n.number(len(project.scope.modules), lang),
        **_seats(project, lang),
    }


def _payments(project: Project, plan: Plan, lang: str) -> dict[str, str]:
    """The advance and the balance of the package price (``budget.advance_percent``),
    as the invoice states them (VAT included where it is charged)."""
    share = project.budget.advance_percent
    if not share:
        return {"advance_percent": "", "advance": "", "balance": ""}
    total, cur = plan.costs.total, plan.costs.currency
    advance = (total * share / 100).quantize(Decimal("0.01"))
    return {"advance_percent": i18n.percent(share, lang),
            "advance": c.project_money(plan)(advance, lang, cur),
            "balance": c.project_money(plan)(total - advance, lang, cur)}


def _seats(project: Project, lang: str) -> dict[str, Any]:
    """The subscription seats, counted once from the licence table (``system.licences``)
    for every sentence that names them: ``seats`` (the user seats the client buys) and
    ``contractor_seat``: whether a seat is left beyond the staff for the contractor's own
    account until acceptance. Without one, the contractor works under the client's
    administrator account and no seat is bought for it (a seat bought for a month of an
    annual subscription is not a purchase a client can make)."""
    from crmimpl.model.checks import user_licences

    system = project.system
    seats = user_licences(system) if system is not None and system.licences else 0
    users = project.client.crm_users
    return {"seats": i18n.number(seats, lang) if seats else "",
            "contractor_seat": bool(seats) and seats > users,
            "spare_seats": i18n.number(seats - users, lang) if seats > users else ""}


def _check_window(plan: Plan, lang: str) -> dict[str, str]:
    """The working days the acceptance checks run on: the plan's acceptance checks task
    (the workbook's dates), else the support of the first days of work up to the act, so
    that a check needing a given weekday or the next day (a rule that fires overnight)
    fits; empty when the plan has neither."""
    tests = modes.tasks_with(plan, "rollout.tests")
    pilot = tests or modes.tasks_with(plan, "rollout.pilot")
    if not pilot:
        return {"checks_from": "", "checks_to": ""}
    start = min(t.start for t in pilot)
    end = max(t.finish for t in pilot) if tests else \
        max(max(t.finish for t in pilot), plan.launch)
    if end <= start:
        return {"checks_from": "", "checks_to": ""}
    return {"checks_from": i18n.day_long(start, lang), "checks_to": i18n.day_long(end, lang)}


def _next_stage(project: Project, lang: str) -> list[dict[str, str]]:
    """Wishes beyond the package: requirements left out (won't) or needing a custom change."""
    return [{"id": r.id, "statement": r.statement, "module": module_label(project, r.module, lang),
             "solution": r.solution or ""}
            for r in project.requirements
            if r.priority == "wont" or r.fit in ("change", "gap")]


# The subsystem whose settings connect an integration of each kind (the first in scope).
_INTEGRATION_MODULES = {
    "email": ("email",), "messengers": ("messengers",), "telephony": ("telephony",),
    "website": ("sales_pipeline", "client_base"), "eshop": ("sales_pipeline", "client_base"),
    "sms": ("mailings", "contacts"), "accounting": ("sales_pipeline", "client_base"),
}


def _settings(project: Project, lang: str) -> list[dict[str, Any]]:
    """What is configured in each subsystem: the package's standard settings, each
    connection the subsystem works through, then each requirement of the subsystem met
    by a setting: what the client gets and how it is set up. Then the data loads and
    the rights of each user category, which are settings the client checks too."""
    ru = lang == "ru"
    out = []
    for module in project.scope.modules:
        # the solution runs on after its label's colon («Решение: этапы воронки…»)
        reqs = [{"item": r.statement.rstrip(". ") if r.solution else r.statement,
                 "how": modes.lower_first(r.solution or ""),
                 "how_label": "Решение" if ru else "Solution",
                 "ref": r.id}
                for r in project.requirements
                if r.module == module and r.priority != "wont" and r.fit in ("setting",
                                                                              "standard")]
        links = [{"item": i.system + (": подключение (" if ru else ": connection (")
                  + "; ".join(modes.lower_first(o) for o in i.objects) + ")", "how": "",
                  "ref": ""}
                 for i in project.integrations if _module_of(project, i.kind) == module]
        # an integration's notes say what it connects («два рабочих номера и бот»)
        notes = " ".join(i.notes or "" for i in project.integrations
                         if _module_of(project, i.kind) == module)
        said = " ".join(f"{r['item']} {r['how']}" for r in reqs + links) + " " + notes
        standard = [{"item": text, "how": "", "ref": ""}
                    for text in modes.data_list("settings", module, lang)
                    if not _same_setting(text, said)]
        out.append({"label": module_label(project, module, lang),
                    "rows": standard + _listed_settings(project, module, lang) + links + reqs})
    loose = [i for i in project.integrations if _module_of(project, i.kind) is None]
    if loose:
        out.append({"label": "Подключения" if ru else "Connections",
                    "rows": [{"item": f"{i.system}: " + "; ".join(
                        modes.lower_first(o) for o in i.objects), "how": "", "ref": ""}
                        for i in loose]})
    if project.migration:
        out.append({"label": "Загрузка данных" if ru else "Data load",
                    "rows": [{"item": f"{m.name}: " + "; ".join(
                        modes.lower_first(o) for o in m.objects),
                        "how": modes.lower_first(m.rules or ""),
                        "how_label": "Правила загрузки" if ru else "Load rules", "ref": ""}
                        for m in project.migration]})
    if project.user_classes:
        out.append({"label": "Права пользователей" if ru else "User rights",
                    "rows": [{"item": (f"Категория «{u.name}»: права по таблице раздела "
                                       "«Пользователи и права»") if ru else
                              (f'Category "{u.name}": rights as in the table of section '
                               '"Users and rights"'), "how": "", "ref": ""}
                             for u in project.user_classes]})
    return out


def _listed_settings(project: Project, module: str, lang: str) -> list[dict[str, Any]]:
    """The subsystem's list settings with the client's values (``scope.settings``); a
    list without values (``validate`` warns) says when its values are agreed: before the
    settings work starts, never "when the passport is agreed"."""
    from crmimpl.model.checks import setting_lists

    rows = []
    for key, names in setting_lists().get(module, {}).items():
        values = project.scope.settings.get(key)
        if values:
            text = "; ".join(modes.lower_first(v) for v in values)
        else:
            text = ("значения заказчик передает до начала настройки" if lang == "ru" else
                    "the client gives the values before the settings work starts")
        rows.append({"item": f"{names[lang]}: {text}", "how": "", "ref": ""})
    return rows


def _user_class(project: Project, u: Any, lang: str) -> dict[str, str]:
    """A user category's row; without a description of its own, a category with the same
    rights in every subsystem of the package says so ("все записи во всех подсистемах")."""
    row = c.user_class_row(project, u, lang)
    levels = {u.rights.get(m, "none") for m in project.scope.modules}
    if not row["description"] and len(levels) == 1 and levels != {"none"}:
        level = label("access", levels.pop(), lang)
        part = system_context(project, lang)["part"]["prep_pl"]
        row["description"] = (f"{level[:1].upper()}{level[1:]} во всех {part} пакета."
                              if lang == "ru" else
                              f"{level[:1].upper()}{level[1:]} in every subsystem of the "
                              "package.")
    return row


def _module_of(project: Project, kind: str) -> str | None:
    """The subsystem in scope whose settings connect an integration of ``kind``."""
    return next((m for m in _INTEGRATION_MODULES.get(kind, ()) if m in project.scope.modules),
                None)


def _access(project: Project, lang: str) -> dict[str, Any]:
    """The rights of each user category per subsystem, as the specification shows them."""
    from crmimpl.documents.spec import _access_matrix

    if not project.user_classes:
        return {"classes": [], "rows": [], "widths": "", "wide": False, "levels": []}
    return _access_matrix(project, lang)


_STOP = {"и", "в", "на", "с", "по", "из", "для", "к", "от", "о", "the", "and", "of", "a",
         "to", "in", "on", "for", "with", "from"}


def _stems(text: str) -> list[str]:
    """Word stems of a setting in order (first four letters of words longer than two)."""
    words = re.findall(r"[\w-]+", text.lower())
    return list(dict.fromkeys(w[:4] for w in words if len(w) > 2 and w not in _STOP))


def _same_setting(standard: str, requirement: str) -> bool:
    """A package's standard setting that a requirement's setting already covers: its head
    word (the first) and another of its words (or its only other word), by stem, are in
    the requirement."""
    mine = _stems(standard)
    if not mine:
        return False
    theirs = set(_stems(requirement))
    shared = [w for w in mine if w in theirs]
    # a two-word setting ("Панель руководителя") is covered by its head word alone
    return mine[0] in theirs and (len(shared) >= 2 or len(mine) <= 2)


def _training(project: Project, plan: Plan, lang: str) -> dict[str, Any]:
    """The training agenda: the plan's sessions with their topics."""
    if not plan.sessions:
        return {"has": False, "sessions": [], "groups": []}
    from crmimpl.documents.training_plan import attendance, short_name, training_for
    from crmimpl.plan.training import session_end

    training = training_for(project, lang, plan)
    present = attendance(project, training, lang)
    # «Белякова Д. И.» fits the narrow column on one line
    names = {p.id: short_name(p.name) for p in project.team}
    return {
        "has": True,
        "window_start": i18n.day(training.window_start, lang),
        "window_end": i18n.day(training.window_end, lang),
        "hours": i18n.hours(training.hours, lang),
        "sessions_text": modes.counted(len(training.sessions), lang,
                                       ("занятие", "занятия", "занятий"),
                                       ("session", "sessions")),
        "groups": [{"id": g.id, "name": g.name, "size": i18n.number(g.size, lang),
                    "hours": i18n.hours(g.hours, lang),
                    "topics": [{"title": t.title, "hours": i18n.hours(t.hours, lang)}
                               for t in g.topics],
                    "agenda": _agenda(g, [s for s in training.sessions
                                          if s.group_id == g.id], lang),
                    "attendance": [a for a in present if a["group"] == g.id]}
                   for g in training.groups],
        "sessions": [{"day": i18n.day(s.day, lang),
                      "time": f"{s.start_time}\u2060\u2013\u2060{session_end(s)}",
                      "group": s.group_id, "hours": i18n.hours(s.hours, lang),
                      "group_name": training.group(s.group_id).name,
                      "trainer": names.get(s.trainer_id, s.trainer_id),
                      "format": label("training_format", s.format, lang),
                      "topics": "; ".join(training.topic_titles(s))}
                     for s in training.sessions],
        "crm_expert": c.person_name(project, project.training.crm_expert)
        if project.training.crm_expert else "",
    }


def _acceptance(project: Project, lang: str) -> dict[str, Any]:
    """What the client checks before signing the acceptance act: each requirement by its
    own checks (an action with data and the expected result) where the project gives
    them, else by its statement."""
    return {
        "has_checks": any(r.checks for r in project.requirements),
        "requirements": [{"id": r.id, "statement": r.statement,
                          "checks": [{"text": _check_text(k.do, k.expect)} for k in r.checks]}
                         for r in project.requirements
                         if r.priority in ("must", "should")
                         and r.fit in ("standard", "setting")],
        "integrations": [{"system": i.system,
                          "objects": "; ".join(modes.lower_first(o) for o in i.objects),
                          "checks": [{"text": _check_text(k.do, k.expect)} for k in i.checks]}
                         for i in project.integrations],
        "migration": [{"name": m.name, "records": _records(m.records, lang),
                       "objects": i18n.join([modes.lower_first(o) for o in m.objects], lang,
                                            last=True),
                       "has_rules": bool(m.rules)}
                      for m in project.migration],
        "user_classes": [{"name": u.name, "users_count": u.users or 0,
                          "users": modes.counted(u.users, lang,
                                                 ("пользователь", "пользователя",
                                                  "пользователей"), ("user", "users"))
                          if u.users else ""} for u in project.user_classes],
    }


def _obligations(project: Project, plan: Plan, lang: str) -> dict[str, Any]:
    """What the client provides, by whom and by when (the plan's dates)."""
    settings_start, _ = modes.task_span(plan, "dev.settings", lang)
    loads = modes.tasks_with(plan, "rollout.migration")
    exports = modes.tasks_with(plan, "rollout.export")
    # the plan's export by the client (its last day), else two working days before the
    # load: time to check it and to ask for what is missing without moving the load
    migration_start = (i18n.day(max(t.finish for t in exports), lang) if exports else
                       i18n.day(plan.calendar.add_working_days(
                           min(t.start for t in loads), -2), lang) if loads else "")
    _, approved = modes.task_span(plan, "survey.approved", lang)
    owners = [c.person_name(project, m.owner) for m in project.migration if m.owner]
    return {
        "client_pm": c.first_name_with(project, ["project_manager"], side="client"),
        "sysadmin": c.first_name_with(project, ["sysadmin"], side="client"),
        "key_users": i18n.join([p.name for p in project.team if "key_user" in p.roles
                                and p.side == "client"], lang, last=True),
        "settings_approved": approved,
        "settings_start": settings_start,
        "access_by": settings_start,
        "data_by": migration_start,
        "data_owners": i18n.join(dict.fromkeys(owners), lang, last=True),
        "has_integrations": bool(project.integrations),
        "has_migration": bool(project.migration),
    }


def _support(project: Project, plan: Plan, lang: str) -> dict[str, Any]:
    """Support after the launch: the package of ``support`` and the post-launch audit."""
    s = project.support
    audits = [t for t in modes.tasks_with(plan, "audit.check")]
    return {
        "monthly": i18n.number(s.monthly_hours, lang),
        "has_package": s.monthly_hours > 0,
        # clock ranges with an en dash, in the client's zone, as the other documents say
        "hours": c.support_hours(project, lang),
        "reaction": i18n.number(s.reaction_hours, lang),
        "fix_days": i18n.number(s.fix_days, lang),
        "fix_days_text": i18n.count(s.fix_days, lang, ("рабочего дня", "рабочих дней",
                                                       "рабочих дней"),
                                    ("working day", "working days")),
        "warranty": c.warranty(project, lang),
        **c.support_cost(plan, lang),
        **support_terms(project, lang),
        "audit": i18n.day(audits[0].start, lang) if audits else "",
    }


def _running_costs(project: Project, plan: Plan, lang: str) -> dict[str, Any]:
    """What the client pays its providers a year beside the package: each licence with a
    price (``system.licences[].price_year``) and each connector with a subscription
    (``integrations[].subscription_year``); empty when the project gives no prices."""
    cur = project.project.currency
    licences = [{"kind": lic.kind, "count": i18n.number(lic.count, lang),
                 "price": c.project_money(plan)(lic.price_year, lang, cur),
                 "sum": c.project_money(plan)(lic.price_year * lic.count, lang, cur)}
                for lic in (project.system.licences if project.system else [])
                if lic.price_year is not None]
    connectors = [{"system": i.system, "sum": c.project_money(plan)(i.subscription_year, lang, cur)}
                  for i in project.integrations if i.subscription_year is not None]
    return {"priced": bool(licences), "licences": licences, "connectors": connectors}


def _listed(items: list[str]) -> str:
    """Items run on after the first, as a list inside one cell is written («Входящие
    письма; общий ящик hello@», not «…; Общий ящик hello@»)."""
    return "; ".join([*items[:1], *(modes.lower_first(x) for x in items[1:])])


def _check_text(do: str, expect: str) -> str:
    """One check in a checklist line: "send … — a deal appears …" (no final stop)."""
    return f"{modes.lower_first(do.rstrip('. '))} \u2014 {modes.lower_first(expect.rstrip('. '))}"


def _records(n: int, lang: str) -> str:
    return modes.counted(n, lang, ("запись", "записи", "записей"), ("record", "records"))


def _agenda(group: Any, sessions: list[Any], lang: str) -> list[dict[str, str]]:
    """The one-day agenda of a group trained in one session: each topic with its clock
    times inside the plan's session, the lunch and the short breaks where the plan's
    session timeline puts them (the training plan's schedule names the same). Empty when
    the group has several sessions (the topics table then says it all)."""
    from crmimpl.plan.training import session_timeline

    if len(sessions) != 1 or not group.topics:
        return []
    minutes = [round(float(t.hours) * 60) for t in group.topics]
    names = {"lunch": "Перерыв на обед" if lang == "ru" else "Lunch break",
             "break": "Перерыв" if lang == "ru" else "Break"}
    return [{"time": _span(start, end),
             "title": group.topics[ix].title if kind == "topic" else names[kind]}
            for kind, ix, start, end in session_timeline(sessions[0].start_time, minutes)]


def _minutes(hhmm: str) -> int:
    hh, mm = (int(x) for x in hhmm.split(":"))
    return hh * 60 + mm


def _span(start: int, end: int) -> str:
    # no-break spaces keep the period on one line ("10:00 – 10:15")
    return f"{start // 60:02d}:{start % 60:02d}\u00a0\u2013\u00a0{end // 60:02d}:{end % 60:02d}"
