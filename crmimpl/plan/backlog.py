"""Iterative mode: which iteration takes each department, integration and change.

The MVP (iteration 0) is the MVP department with the key users. The backlog is then
spread over ``plan.iterations``, in the order a product owner would take it:

* an ``iteration:`` written on a department, integration or change wins;
* the MVP takes what its department cannot work without from day one: the integrations
  of kinds :data:`MVP_KINDS` that serve it (sign-in, e-mail, telephony, and the website
  forms its enquiries arrive through) and the "must" changes of requirements it raised;
* departments join one iteration after another, in the file's order, evenly;
* integrations serving the MVP department first, then in the file's order; changes by
  priority (must, should, could; "won't" is left out), then in the file's order;
* both are cut into consecutive runs of about equal hours (an integration's hours are
  the template's sizing), so each iteration gets a similar load and the earliest
  iterations the most needed work;
* a change never comes before an integration its requirement needs
  (:func:`earliest_iteration`): it moves to that integration's iteration;
* a data migration source goes with the department of its owner (the MVP's when the
  owner has none), so the data of a department's old system move, and that system is
  switched off, in the iteration that brings the department into the CRM.

The planner expands each iteration's own tasks from this; the backlog document and the
training plan read the same assignment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from crmimpl.model.project import Project, Requirement

MVP = 0
PRIORITY_ORDER = ("must", "should", "could")
MVP_KINDS = ("sso", "email", "telephony", "website")
# subsystems that work only through an integration of this kind
MODULE_INTEGRATION = {"telephony": "telephony", "email": "email", "messengers": "messengers"}

T = TypeVar("T")


@dataclass(frozen=True)
class Backlog:
    """The iteration (0: the MVP) of every department, integration and change taken."""

    departments: dict[str, int] = field(default_factory=dict)
    integrations: dict[str, int] = field(default_factory=dict)
    changes: dict[str, int] = field(default_factory=dict)
    migration: dict[str, int] = field(default_factory=dict)
    count: int = 0

    def iteration_of(self, kind: str, item_id: str | None) -> int | None:
        """The iteration of ``item_id`` in ``kind`` (departments, integrations, changes,
        migration)."""
        if item_id is None:
            return None
        table: dict[str, int] = getattr(self, kind)
        return table.get(item_id)


def build_backlog(project: Project,
                  integration_hours: Callable[[object], Decimal] | None = None) -> Backlog:
    """The backlog of an iterative project (empty for other modes)."""
    if project.project.mode != "iterative":
        return Backlog()
    count = project.plan.iterations
    mvp = project.plan.mvp_department
    departments = {d.id: MVP for d in project.client.departments if d.id == mvp}
    free = [d for d in project.client.departments if d.id != mvp and d.iteration is None]
    departments |= {d.id: d.iteration for d in project.client.departments
                    if d.id != mvp and d.iteration is not None}
    departments |= {d.id: 1 + n * count // len(free) for n, d in enumerate(free)}
    size = integration_hours or (lambda i: Decimal(1))
    raised = {r.id for r in project.requirements if r.source == mvp}
    mvp_integrations = {i.id: MVP for i in project.integrations if i.iteration is None
                        and i.kind in MVP_KINDS and mvp in i.departments}
    mvp_changes = {c.id: MVP for c in project.changes if c.iteration is None
                   and c.priority == "must" and c.requirement in raised}
    integrations = sorted((i for i in project.integrations if i.id not in mvp_integrations),
                          key=lambda i: (mvp not in i.departments if mvp else True))
    changes = sorted((c for c in project.changes
                      if c.priority != "wont" and c.id not in mvp_changes),
                     key=lambda c: PRIORITY_ORDER.index(c.priority))
    placed_integrations = mvp_integrations | _spread(
        integrations, lambda i: i.id, lambda i: i.iteration, size, count)
    placed_changes = mvp_changes | _spread(changes, lambda c: c.id, lambda c: c.iteration,
                                           lambda c: Decimal(str(c.estimate_hours)), count)
    for change in project.changes:
        requirement = next((r for r in project.requirements
                            if r.id == change.requirement or r.change == change.id), None)
        if change.id in placed_changes and requirement is not None:
            placed_changes[change.id] = max(
                placed_changes[change.id],
                earliest_iteration(project, placed_integrations, requirement))
    owners = {p.id: p.department for p in project.team}
    return Backlog(
        departments=departments,
        integrations=placed_integrations,
        changes=placed_changes,
        migration={m.id: departments.get(owners.get(m.owner or "") or "", MVP)
                   for m in project.migration},
        count=count,
    )


def earliest_iteration(project: Project, placed: dict[str, int],
                       requirement: Requirement) -> int:
    """The first iteration (0: the MVP) where ``requirement`` can work: after every
    integration it names, and after the first integration of the kind its subsystem works
    through (a call pop-up needs the PBX connected); ``placed`` are the integrations'
    iterations."""
    named = [placed[i] for i in requirement.integrations if i in placed]
    kind = MODULE_INTEGRATION.get(requirement.module)
    implied = [placed[i.id] for i in project.integrations
               if kind is not None and i.kind == kind and i.id in placed]
    return max([MVP, *named, *([min(implied)] if implied else [])])


def _spread(items: Sequence[T], key: Callable[[T], str], given: Callable[[T], int | None],
            weight: Callable[[T], Decimal], count: int) -> dict[str, int]:
    """Written iterations as written; the rest cut in order into ``count`` runs of about
    equal weight (an item goes where the middle of its weight falls)."""
    out = {key(i): n for i in items if (n := given(i)) is not None}
    rest = [i for i in items if given(i) is None]
    weights = [max(weight(i), Decimal("0.001")) for i in rest]
    total = sum(weights, Decimal(0))
    done = Decimal(0)
    for item, w in zip(rest, weights, strict=True):
        middle = done + w / 2
        out[key(item)] = min(count, 1 + int(middle * count / total)) if total else 1
        done += w
    return out
