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
  switched off, in the iteration that brings the department into the CRM; but never
  after the first iteration whose requirements rest on a record it fills (``records:``,
  :func:`requirement_iteration`): a service desk that links every case to its contract
  goes live with the contracts loaded, whoever owns the register.

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
    placed = Backlog(departments=departments, integrations=placed_integrations,
                     changes=placed_changes, count=count)
    return Backlog(
        departments=departments,
        integrations=placed_integrations,
        changes=placed_changes,
        migration={m.id: min([departments.get(owners.get(m.owner or "") or "", MVP),
                              *needed_by(project, placed, m.id)])
                   for m in project.migration},
        count=count,
    )


def needed_by(project: Project, backlog: Backlog, source_id: str) -> list[int]:
    """The iterations of the requirements of this version that rest on a record
    filled from migration source ``source_id`` (empty when none does)."""
    wanted = {rid for rec in project.records if rec.migration == source_id
              for rid in rec.requirements}
    return [requirement_iteration(project, backlog, r) for r in project.requirements
            if r.id in wanted and r.priority != "wont"]


def source_department(project: Project, r: Requirement) -> str | None:
    """The department a requirement came from: its source, or its source person's."""
    if any(d.id == r.source for d in project.client.departments):
        return r.source
    person = next((p for p in project.team if p.id == r.source), None)
    return person.department if person is not None else None


def requirement_iteration(project: Project, backlog: Backlog, r: Requirement) -> int:
    """The iteration (0: the MVP) that delivers requirement ``r``: its change's, else
    its source department's, else the first of the departments that use its subsystem
    (1 when none does); never before the integrations it needs
    (:func:`earliest_iteration`)."""
    change = next((c for c in project.changes
                   if c.id == r.change or (r.change is None and c.requirement == r.id)), None)
    if change is not None and change.id in backlog.changes:
        own = backlog.changes[change.id]
    elif (dept := source_department(project, r)) is not None and dept in backlog.departments:
        own = backlog.departments[dept]
    else:
        users = [backlog.departments[d] for u in project.user_classes
                 if u.rights.get(r.module, "none") != "none"
                 for d in u.departments if d in backlog.departments]
        own = min(users) if users else 1
    return max(own, earliest_iteration(project, backlog.integrations, r))


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
