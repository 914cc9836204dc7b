"""The survey report's section on system selection and total cost of ownership.

A survey's figures are preliminary: the tables give whole currency units, the running text
rounds as a consultant speaks («около 2,3 млн ₽»), percentages are whole; the selection
workbook keeps the exact figures and formulas.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crmimpl import i18n
from crmimpl.model.project import Project

# a weighted score this close to the runner-up's is a narrow lead, said as such
NARROW_LEAD = Decimal("0.3")
SHOWN_CRITERIA = 3


def tco_context(project: Project, lang: str, plan: Any = None) -> dict[str, Any] | None:
    """Selection ranking, TCO per offer and ROI as formatted data; None without economics."""
    if project.economics is None:
        return None
    from crmimpl.plan.economics import (
        analyse,
        criterion_label,
        offer_label,
        short_names,
        text,
    )

    result = analyse(project, plan)
    econ = result.economics
    # the ranking table (and an excluded system's paragraph) names a system in full, the
    # text and tables after it by its short name
    short = short_names(econ)
    currency = project.project.currency
    from crmimpl.documents.modes import part_words

    part = part_words(project)  # «подсистема» for 1С, «раздел» otherwise, as elsewhere
    # an excluded candidate (a hard requirement it fails) is costed but never ranked,
    # compared on return or set against the recommended system
    ranking = sorted((s for s in result.scores if s.rank is not None),
                     key=lambda s: (s.rank, s.candidate.name))
    returns = {r.offer.key: r for r in result.returns}
    late_month = _late_month(project, result)
    offers = []
    for offer in sorted(result.offers, key=lambda o: o.total):
        ret = returns.get(offer.key)
        excluded = offer.candidate.excluded is not None
        mark = (" (исключен)" if lang == "ru" else " (excluded)") if excluded else ""
        offers.append({
            "name": offer_label(offer, lang, short) + mark,
            "years": [i18n.whole_money(offer.year_total(y), lang, currency)
                      for y in range(1, result.years + 1)],
            "total": i18n.whole_money(offer.total, lang, currency),
            "roi": i18n.whole_percent(ret.roi * 100, lang)
            if ret and ret.roi is not None else i18n.DASH,
            "payback": str(ret.payback_month) if ret and ret.payback_month else i18n.DASH,
            **_late_return(offer, result, late_month, lang, excluded),
            "excluded": excluded,
        })
    cheapest = min(result.ranked_offers, key=lambda o: o.total)
    leader = ranking[0] if ranking else None
    leader_offers = [o for o in result.ranked_offers
                     if leader and o.candidate.id == leader.candidate.id]
    leader_best = min(leader_offers, key=lambda o: o.total) if leader_offers else None
    score_of = {s.candidate.id: s for s in result.scores}
    rival = _rival(result, leader_best, score_of)
    dearer = rival is not None
    cheapest_offer = cheapest
    if rival is not None:
        cheapest = rival  # the comparison below is with the closest cheaper rival

    def versus(better: str, worse: str) -> list[str]:
        """Criteria ``better`` scores higher on, the heaviest difference first."""
        rows = [(c.weight * (c.scores[better] - c.scores[worse]), index, c)
                for index, c in enumerate(econ.criteria)
                if c.scores.get(better, 0) > c.scores.get(worse, 0)]
        rows.sort(key=lambda r: (-r[0], r[1]))
        word = "против" if lang == "ru" else "against"
        return [f"{_criterion_phrase(c, lang, criterion_label, part)} "
                f"({c.scores[better]} {word} {c.scores[worse]})"
                for _, _, c in rows[:SHOWN_CRITERIA]]

    gap = (leader.score5 - score_of[cheapest.candidate.id].score5
           if dearer and leader and cheapest.candidate.id in score_of else None)
    package = result.package
    proposed = next((c for c in econ.candidates if c.id == econ.proposed), None)
    return {
        "leader_dearer": dearer,
        "leader_cheapest": bool(leader_best is not None
                                and leader_best.candidate.id == cheapest_offer.candidate.id),
        "leader_extra": i18n.rough_money(leader_best.total - cheapest.total, lang, currency)
        if dearer and leader_best else "",
        "leader_score": i18n.number(leader.score5, lang, 2) if leader else "",
        "cheapest_score": i18n.number(score_of[cheapest.candidate.id].score5, lang, 2)
        if cheapest.candidate.id in score_of else "",
        "cheapest_name": short[cheapest.candidate.id],
        "rival_offer": offer_label(cheapest, lang, short),
        "rival_is_cheapest": cheapest is cheapest_offer,
        # the cheapest option, when the comparison is with another: why it is set aside
        "cheapest_score_alone": i18n.number(score_of[cheapest_offer.candidate.id].score5,
                                            lang, 2)
        if dearer and cheapest is not cheapest_offer
        and cheapest_offer.candidate.id in score_of else "",
        "cheapest_weaker": i18n.join(versus(leader.candidate.id, cheapest_offer.candidate.id),
                                     lang, last=True)
        if dearer and leader and cheapest is not cheapest_offer else "",
        "cheapest_alone_name": short[cheapest_offer.candidate.id],
        "narrow_lead": gap is not None and gap < NARROW_LEAD,
        **(_implementation_gap(leader_best, cheapest, lang, currency) if dearer else {}),
        "leader_strengths": i18n.join(versus(leader.candidate.id, cheapest.candidate.id), lang,
                                      last=True)
        if dearer and leader else "",
        "cheapest_strengths": i18n.join(versus(cheapest.candidate.id, leader.candidate.id),
                                        lang, last=True)
        if dearer and leader else "",
        "rationale": (econ.rationale or "").strip(),
        "years": result.years,
        "years_text": i18n.count(result.years, lang, ("год", "года", "лет"), ("year", "years")),
        "year_numbers": list(range(1, result.years + 1)),
        "users": result.users,
        "criteria": len(econ.criteria),
        # criteria apart by semicolons: a criterion may itself list names with commas
        # («соответствие подсистемам «А», «Б» и «В»»), and the reader counts them
        "criteria_names": "; ".join(_criteria_names(econ, lang, criterion_label, part)),
        "ranking": [{"rank": s.rank, "name": s.candidate.name,
                     "score": i18n.number(s.score5, lang, 2),
                     "delivery": text("delivery", s.candidate.delivery, lang)}
                    for s in ranking],
        "leader": short[ranking[0].candidate.id] if ranking else "",
        "offers": offers,
        "roi_offers": [o for o in offers if not o["excluded"]],
        "excluded": [{"name": c.name, "reason": _reason(str(c.excluded))}
                     for c in econ.candidates if c.excluded is not None],
        "cheapest": offer_label(cheapest_offer, lang, short),
        "has_roi": bool(result.returns),
        "benefit_month": result.benefit_from_month,
        # the default start: the first month after the project's deadline month
        "benefit_after_deadline": bool(econ.revenue is not None
                                       and econ.revenue.benefit_from_month is None
                                       and project.project.deadline is not None),
        "monthly_benefit": i18n.rough_money(result.monthly_benefit, lang, currency),
        **_benefit_lines(project, result, lang, currency),
        **_benefit_start(project, result.benefit_from_month, lang),
        **_late_benefit(project, result, late_month, min(
            (o for o in result.ranked_offers if o.candidate.id == econ.proposed),
            key=lambda o: o.total, default=leader_best), lang),
        "licence_note": _licence_note(project, result.users, lang, short),
        **_package(project, package, proposed, lang, short),
    }


def _reason(text: str) -> str:
    """An exclusion reason as the tail of a sentence after a colon: trimmed, without its
    final stop, its first letter lower-cased unless it starts an abbreviation («ЦОД»)."""
    text = text.strip().rstrip(".")
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        text = text[0].lower() + text[1:]
    return text


def _licence_note(project: Project, users: int, lang: str,
                  short: dict[str, str] | None = None) -> str:
    """How the proposed system's perpetual licences make up its TCO line, so that the reader
    can reconcile the seats (first + further = users) and any server licence with the licence
    table; empty when the proposed system is not bought as perpetual licences."""
    econ = project.economics
    proposed = next((c for c in econ.candidates if c.id == econ.proposed), None) if econ else None
    lic = proposed.perpetual if proposed is not None else None
    if lic is None or proposed is None:
        return ""
    cur = project.project.currency
    name = (short or {}).get(proposed.id, proposed.name)

    def cost(value: Decimal) -> str:
        return i18n.whole_money(value, lang, cur)

    further = users - 1
    if lang == "ru":
        parts = [f"основная поставка с первой лицензией — {cost(lic.first_licence)}"]
        if further:
            more = i18n.count(further, lang, ("лицензия", "лицензии", "лицензий"), ("", ""))
            parts.append(f"еще {more} по {cost(lic.further_licence)}")
        if lic.platform_licence:
            platform = i18n.count(users, lang, ("клиентская лицензия", "клиентские лицензии",
                                                "клиентских лицензий"), ("", ""))
            parts.append(f"{platform} платформы по {cost(lic.platform_licence)}")
        if lic.server_licences:
            parts.append(f"лицензирование сервера — {cost(lic.server_licences)}")
        seats = i18n.count(users, lang, ("рабочее место", "рабочих места", "рабочих мест"),
                           ("", ""))
        return (f"Лицензии «{name}» учтены в стоимости владения полностью: "
                f"{i18n.join(parts, lang, last=True)}; итого {seats}.")
    parts = [f"the base package with the first licence at {cost(lic.first_licence)}"]
    if further:
        noun = "licence" if further == 1 else "licences"
        parts.append(f"{further} further {noun} at {cost(lic.further_licence)} each")
    if lic.platform_licence:
        noun = "licence" if users == 1 else "licences"
        parts.append(f"{users} platform client {noun} at {cost(lic.platform_licence)} each")
    if lic.server_licences:
        parts.append(f"the server licensing at {cost(lic.server_licences)}")
    return (f"The TCO of {name} counts every licence it needs: "
            f"{i18n.join(parts, lang, last=True)}; {users} seats in all.")


def _benefit_lines(project: Project, result: Any, lang: str, currency: str
                   ) -> dict[str, Any]:
    """How the monthly benefit is made up, line by line, so that the sponsor who approves
    the return on investment sees where the figure comes from (round 12: "about GBP 11,500
    a month" had no derivation): each goal's revenue uplift at the margin and the share
    credited to the CRM, each direct saving, and their sum."""
    from crmimpl.plan.economics import benefit_name

    revenue = project.economics.revenue if project.economics else None
    if revenue is None or not result.benefits:
        return {"benefits": []}
    ru = lang == "ru"
    rows = []
    for b in result.benefits:
        attr = i18n.percent(b.attribution_percent, lang)
        name = benefit_name(project, b, lang)
        if b.annual_saving is not None:
            saving = i18n.whole_money(b.annual_saving, lang, currency)
            how = (f"экономия {saving} в год, на CRM отнесено {attr}" if ru
                   else f"{saving} a year saved, {attr} credited to the CRM")
        else:
            base = i18n.whole_money(revenue.annual_revenue or 0, lang, currency)
            uplift = i18n.percent(b.uplift_percent, lang)
            margin = i18n.percent(revenue.margin_percent, lang)
            how = (f"рост годовой выручки {base} на {uplift} при марже {margin}, "
                   f"на CRM отнесено {attr}" if ru else
                   f"revenue up {uplift} on {base} a year, at {_article(margin)} {margin} "
                   "margin, "
                   f"{attr} credited to the CRM")
        rows.append({"name": name, "how": how,
                     "month": i18n.whole_money(b.monthly, lang, currency)})
    head = (["Эффект", "Как посчитан", "В месяц"] if ru
            else ["Benefit", "How it is counted", "A month"])
    return {"benefits": rows, "benefit_head": head,
            "benefit_head_total": "Итого" if ru else "Total",
            "benefit_total": i18n.whole_money(result.monthly_benefit, lang, currency)}


def _article(number: str) -> str:
    """"an" before a number said with a vowel sound (an 8 %, an 11 %, an 18 %, an 80 %),
    else "a"."""
    digits = number.split("%")[0].replace(",", "").replace(".", " ").split()[0]
    vowel = (digits.startswith("8") or digits in ("11", "18")
             or (len(digits) in (2, 5) and digits.startswith(("11", "18"))))
    return "an" if vowel else "a"


def _benefit_start(project: Project, month: int, lang: str) -> dict[str, str]:
    """The benefit's first month as a calendar month («с сентября 2026 года» / "from October
    2026") and the project's deadline in running text, so that the report says which date the
    benefit is counted from instead of implying it is the end of the planned work."""
    start = project.project.start
    index = start.year * 12 + start.month - 1 + month - 1
    year, month0 = divmod(index, 12)
    if lang == "ru":
        genitive = i18n._format(lang)["months"][month0]
        since = f"{genitive} {year} года"
    else:
        since = f"{i18n._format(lang)['month_names'][month0]} {year}"
    deadline = project.project.deadline
    return {"benefit_since": since,
            "deadline_text": i18n.day_long(deadline, lang) if deadline else ""}


def _late_month(project: Project, result: Any) -> int | None:
    """The horizon month after the goals' last deadline, when it is later than the month
    the estimate counts the benefit from; else None (one case is enough)."""
    deadlines = [g.kpi.deadline for g in project.goals]
    if not deadlines or not result.returns:
        return None
    last = max(deadlines)
    start = project.project.start
    month = (last.year - start.year) * 12 + last.month - start.month + 2
    return month if month > result.benefit_from_month else None


def _late_return(offer: Any, result: Any, month: int | None, lang: str,
                 excluded: bool) -> dict[str, str]:
    """An offer's ROI and payback in the conservative case (the benefit only after the
    goals' last deadline), shown in the ROI table beside the base case."""
    from crmimpl.plan.economics import offer_return

    if month is None or excluded:
        return {}
    late = offer_return(offer, result.monthly_benefit, month)
    return {"late_roi": i18n.whole_percent(late.roi * 100, lang)
            if late.roi is not None else i18n.DASH,
            "late_payback": str(late.payback_month) if late.payback_month else i18n.DASH}


def _late_benefit(project: Project, result: Any, month: int | None, offer: Any,
                  lang: str) -> dict[str, str]:
    """The recommended option's payback and ROI if the benefit comes in full only after the
    goals' last deadline, when that is later than the month the estimate counts it from:
    the ROI table shows both cases, labelled, and the text names the conservative one as
    the case to plan the budget on (one decision, one payback per case, no unlabelled
    second figure)."""
    from crmimpl.plan.economics import offer_return

    if offer is None or month is None:
        return {}
    last = max(g.kpi.deadline for g in project.goals)
    late = offer_return(offer, result.monthly_benefit, month)
    return {
        "late_goals_day": i18n.day_long(last, lang),
        "late_since": _benefit_start(project, month, lang)["benefit_since"],
        "late_payback": str(late.payback_month) if late.payback_month else "",
        "late_roi": i18n.whole_percent(late.roi * 100, lang) if late.roi is not None else "",
        "base_payback": _base_payback(result, offer),
    }


def _base_payback(result: Any, offer: Any) -> str:
    """The recommended offer's payback in the base case, as the table shows it."""
    ret = next((r for r in result.returns if r.offer.key == offer.key), None)
    return str(ret.payback_month) if ret and ret.payback_month else ""


def _implementation_gap(leader: Any, rival: Any, lang: str, currency: str) -> dict[str, str]:
    """When most of the dearer system's extra cost of ownership is its implementation,
    the two implementation figures, so that the report says where the difference comes
    from (the planned project against the rival's rough figure)."""
    if leader is None or rival is None:
        return {}
    extra = leader.total - rival.total
    ours = leader.inputs.get("implementation", Decimal(0))
    theirs = rival.inputs.get("implementation", Decimal(0))
    if extra <= 0 or ours - theirs < extra / 2:
        return {}
    return {"implementation_ours": i18n.rough_money(ours, lang, currency),
            "implementation_rival": i18n.rough_money(theirs, lang, currency)}


def _rival(result: Any, leader_best: Any, score_of: dict[str, Any]) -> Any:
    """The offer the recommended system is set against when it costs more to own: the best
    scored other candidate that is cheaper (its cheapest offer); None when none is."""
    if leader_best is None:
        return None
    cheaper = [o for o in result.ranked_offers if o.candidate.id != leader_best.candidate.id
               and o.total < leader_best.total]
    if not cheaper:
        return None
    best: dict[str, Any] = {}
    for offer in sorted(cheaper, key=lambda o: o.total):
        best.setdefault(offer.candidate.id, offer)

    def order(offer: Any) -> tuple[Decimal, Decimal]:
        score = score_of.get(offer.candidate.id)
        return (-(score.score5 if score else Decimal(0)), offer.total)

    return min(best.values(), key=order)


def _criterion_phrase(crit: Any, lang: str, criterion_label: Any,
                      part: dict[str, str]) -> str:
    """A criterion in running text: the module for functional fit («соответствие подсистеме
    «Рекламации»»), else its name in quotes."""
    from crmimpl.vocabulary import label

    if crit.kind == "functional_fit" and crit.module and not crit.name:
        module = label("module", crit.module, lang)
        return (f"соответствие {part['dat']} «{module}»" if lang == "ru"
                else f"fit of the “{module}” module")
    name = criterion_label(crit, lang)
    return f"«{name}»" if lang == "ru" else f"“{name}”"


def _criteria_names(econ: Any, lang: str, criterion_label: Any,
                    part: dict[str, str]) -> list[str]:
    """The criteria's names as the selection workbook gives them, in running text: the
    functional-fit criteria as one item naming their modules, the others lower-cased (a
    proper name such as «Microsoft 365» keeps its capital)."""
    from crmimpl.vocabulary import label

    names: list[str] = []
    modules = [label("module", c.module, lang) for c in econ.criteria
               if c.kind == "functional_fit" and c.module and not c.name]
    for crit in econ.criteria:
        if crit.kind == "functional_fit" and crit.module and not crit.name:
            if modules:
                quoted = [f"«{m}»" if lang == "ru" else f"“{m}”" for m in modules]
                names.append((f"функциональное соответствие {part['dat_pl']} " if lang == "ru"
                              else "functional fit of the modules ")
                             + i18n.join(quoted, lang, last=True))
                modules = []
            continue
        name = criterion_label(crit, lang)
        if len(name) > 1 and not name[1].isupper():
            name = name[0].lower() + name[1:]
        names.append(name)
    return list(dict.fromkeys(names))


def _package(project: Project, package: Any, proposed: Any, lang: str,
             short: dict[str, str] | None = None) -> dict[str, Any]:
    """What the proposed system's support line holds of the contractor's support package."""
    if package is None or proposed is None or not package.months:
        return {"has_package": False}
    currency = project.project.currency
    months = project.support.months
    return {
        "has_package": True,
        "package_system": (short or {}).get(proposed.id, proposed.name),
        "package_hours": i18n.number(project.support.monthly_hours, lang),
        "package_month": i18n.whole_money(package.month_cost, lang, currency),
        "package_months": i18n.count(months, lang, ("месяц", "месяца", "месяцев"),
                                     ("month", "months")) if months else "",
        "package_total": i18n.rough_money(package.total, lang, currency),
        "package_open": months is None,
    }
