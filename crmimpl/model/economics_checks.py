"""Cross-checks of the ``economics`` section of a project (candidates, criteria, benefits).

Called from :meth:`crmimpl.model.project.Project.reference_problems`; each problem is a
``(key path, message, hint)`` tuple that validation turns into ``file:line:col``.
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

from crmimpl.load import KeyPath

if TYPE_CHECKING:
    from crmimpl.model.project import Economics, Goal, Revenue

RefProblem = tuple[KeyPath, str, str]


def plan_cost_available() -> bool:
    """Whether the plan module exists to supply a default implementation cost."""
    return importlib.util.find_spec("crmimpl.plan.builder") is not None


def candidate_problems(econ: Economics) -> list[RefProblem]:
    """Licensing, update pricing and implementation cost of each candidate."""
    out: list[RefProblem] = []
    for ci, cand in enumerate(econ.candidates):
        path: KeyPath = ("economics", "candidates", ci)
        if cand.saas is None and cand.perpetual is None:
            out.append((path, f"candidate '{cand.id}' has no licensing",
                        "add `saas: {per_user_month: ...}` or `perpetual: {first_licence: "
                        "..., further_licence: ...}` (or both)"))
        if cand.saas is not None and cand.delivery == "on_premise":
            out.append(((*path, "saas"), "a SaaS subscription for an on-premise-only CRM",
                        "set delivery to 'cloud' or 'both'"))
        lic = cand.perpetual
        if lic is not None and (lic.major_update_share is None) == (lic.major_update_price
                                                                       is None):
            out.append(((*path, "perpetual"),
                        "give exactly one of major_update_share and major_update_price",
                        "e.g. `major_update_share: 0.3` (30% of the licences per update); "
                        "use `major_update_price: 0` when updates are free"))
        if cand.id == econ.proposed and cand.implementation is not None:
            out.append(((*path, "implementation"),
                        f"the implementation of the proposed candidate '{cand.id}' is the "
                        "plan's cost", "remove `implementation` here: crmimpl takes it "
                        "from the plan, so every document shows the same figure"))
        if (cand.implementation is None and econ.implementation is None
                and not plan_cost_available()):
            out.append((path, f"no implementation cost for candidate '{cand.id}'",
                        "add `implementation: <amount>` to the candidate or to economics"))
    ids = [c.id for c in econ.candidates]
    if econ.proposed is not None and econ.proposed not in ids:
        out.append((("economics", "proposed"), f"no candidate with id '{econ.proposed}'",
                    _close(econ.proposed, ids)))
    return out


def criteria_problems(econ: Economics, modules: set[str]) -> list[RefProblem]:
    """Scores cover exactly the candidates; functional fit rates a module in scope."""
    out: list[RefProblem] = []
    ids = [c.id for c in econ.candidates]
    for ki, crit in enumerate(econ.criteria):
        path: KeyPath = ("economics", "criteria", ki)
        if crit.kind == "functional_fit" and crit.module is None:
            out.append((path, "a functional_fit criterion needs a module",
                        "add `module: <a module from scope.modules>`"))
        if crit.module is not None and crit.kind != "functional_fit":
            out.append(((*path, "module"), f"module given for a '{crit.kind}' criterion",
                        "only functional_fit criteria rate a module"))
        if crit.module is not None and crit.module not in modules:
            out.append(((*path, "module"), f"module '{crit.module}' is not in scope.modules",
                        "rate the fit of modules in scope only"))
        if crit.kind == "other" and crit.name is None:
            out.append((path, "a criterion of kind 'other' needs a name", ""))
        for key in crit.scores:
            if key not in ids:
                out.append(((*path, "scores", key), f"no candidate with id '{key}'",
                            _close(key, ids)))
        missing = [i for i in ids if i not in crit.scores]
        if missing:
            out.append(((*path, "scores"), "no score for " + ", ".join(missing),
                        "score every candidate from 1 to 5"))
    return out


def revenue_problems(revenue: Revenue, goals: dict[str, Goal]) -> list[RefProblem]:
    """Benefit lines refer to goals that can give an uplift, or state one."""
    out: list[RefProblem] = []
    for bi, line in enumerate(revenue.benefits):
        path: KeyPath = ("economics", "revenue", "benefits", bi)
        if line.goal is not None and line.goal not in goals:
            out.append(((*path, "goal"), f"no goal with id '{line.goal}'",
                        _close(line.goal, list(goals))))
            continue
        if line.annual_saving is not None:
            if line.uplift_percent is not None:
                out.append((path, "give either annual_saving or uplift_percent, not both", ""))
            continue
        if line.goal is None and line.uplift_percent is None:
            out.append((path, "a benefit needs a goal, uplift_percent or annual_saving",
                        "e.g. `goal: G1` to take the uplift from the goal's KPI"))
            continue
        if revenue.annual_revenue is None:
            out.append((path, "a revenue uplift needs economics.revenue.annual_revenue", ""))
        if line.uplift_percent is None and line.goal is not None:
            kpi = goals[line.goal].kpi
            if not kpi.better_is_higher or kpi.baseline <= 0:
                out.append(((*path, "goal"),
                            f"the KPI of goal '{line.goal}' does not read as a revenue uplift",
                            "state `uplift_percent` for this benefit"))
    return out


def _close(value: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else "known ids: " + ", ".join(sorted(known))
