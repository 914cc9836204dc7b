"""The survey report's section on system selection and total cost of ownership."""

from __future__ import annotations

from typing import Any

from crmimpl import i18n
from crmimpl.model.project import Project


def tco_context(project: Project, lang: str, plan: Any = None) -> dict[str, Any] | None:
    """Selection ranking, TCO per offer and ROI as formatted data; None without economics."""
    if project.economics is None:
        return None
    from crmimpl.plan.economics import analyse, offer_label, text

    result = analyse(project, plan)
    currency = project.project.currency
    ranking = sorted(result.scores, key=lambda s: (s.rank, s.candidate.name))
    returns = {r.offer.key: r for r in result.returns}
    offers = []
    for offer in sorted(result.offers, key=lambda o: o.total):
        ret = returns.get(offer.key)
        offers.append({
            "name": offer_label(offer, lang),
            "years": [i18n.money(offer.year_total(y), lang, currency)
                      for y in range(1, result.years + 1)],
            "total": i18n.money(offer.total, lang, currency),
            "roi": i18n.percent(ret.roi * 100, lang) if ret and ret.roi is not None else i18n.DASH,
            "payback": str(ret.payback_month) if ret and ret.payback_month else i18n.DASH,
        })
    cheapest = min(result.offers, key=lambda o: o.total)
    leader = ranking[0] if ranking else None
    leader_offers = [o for o in result.offers if leader and o.candidate.id == leader.candidate.id]
    leader_best = min(leader_offers, key=lambda o: o.total) if leader_offers else None
    score_of = {s.candidate.id: s for s in result.scores}
    dearer = (leader_best is not None and leader_best.candidate.id != cheapest.candidate.id
              and leader_best.total > cheapest.total)
    return {
        "leader_dearer": dearer,
        "leader_extra": i18n.approx_money(leader_best.total - cheapest.total, lang, currency)
        if dearer and leader_best else "",
        "leader_score": i18n.number(leader.score5, lang, 2) if leader else "",
        "cheapest_score": i18n.number(score_of[cheapest.candidate.id].score5, lang, 2)
        if cheapest.candidate.id in score_of else "",
        "cheapest_name": cheapest.candidate.name,
        "years": result.years,
        "year_numbers": list(range(1, result.years + 1)),
        "users": result.users,
        "criteria": len(result.economics.criteria),
        "ranking": [{"rank": s.rank, "name": s.candidate.name,
                     "score": i18n.number(s.score5, lang, 2),
                     "delivery": text("delivery", s.candidate.delivery, lang)}
                    for s in ranking],
        "leader": ranking[0].candidate.name if ranking else "",
        "offers": offers,
        "cheapest": offer_label(cheapest, lang),
        "has_roi": bool(result.returns),
        "benefit_month": result.benefit_from_month,
        "monthly_benefit": i18n.money(result.monthly_benefit, lang, currency),
    }
