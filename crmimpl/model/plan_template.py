"""Plan templates: the WBS of a mode as data (``templates/plans/<mode>.yaml``).

A template lists phases and task templates. A task template may expand once per item of
a list in the project (``foreach: departments``), its effort is a base plus per-unit
drivers (``effort: {base: 4, per: {department: 2, user: 0.1}}``), and it depends on other
tasks by template id. Nothing in a template is evaluated as code: drivers are names from
:data:`DRIVERS`, names may hold ``{placeholders}`` replaced by plain text.

Item drivers: ``item_user`` (users of a department or trainees of a group),
``item_record_k`` (migration records / 1000), ``item_object`` (objects exchanged or
migrated), ``item_estimate`` (hours the consultant estimated for a change or an
integration, or the curriculum hours of a training group), ``item_month_offset`` (months
from the first audit to this one).

Dependency resolution between expanded tasks (documented for template authors):

* ``task: X`` where X expands over the same list as the dependent task links each
  instance to the instance of X with the same item (interview of sales → report of
  sales); otherwise it links to every instance of X.
* ``previous: true`` links to the instance of X for the previous item (iteration 2
  kickoff after iteration 1 docs); the first item gets no link from it.
* ``sequential: true`` on a task chains its own instances FS one after another (one
  trainer teaches one group at a time).
* A dependency on a task that has no instances (no custom changes) or was dropped is
  replaced by that task's own dependencies, so the order of the plan survives.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from crmimpl.load import KeyPath
from crmimpl.model.base import LocalText, Strict
from crmimpl.model.project import (
    DataFormat,
    Direction,
    IntegrationKind,
    LinkType,
    Mode,
    Protocol,
    Role,
    Side,
)

TemplateId = Annotated[
    str,
    Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$",
          description="Lower-case words joined by dots, e.g. survey.interview."),
]

Foreach = Literal[
    "departments", "integrations", "migration", "changes", "training_groups",
    "iterations", "audits", "pilot_waves", "on_site_support", "wave_loads",
]

Driver = Literal[
    # whole project
    "user", "user_sqrt", "department", "module", "integration", "migration_source", "record_k",
    "change", "change_hour", "training_group", "iteration", "audit", "requirement",
    "user_class", "training_day_hours", "audit_first_days",
    "module_per_iteration", "integration_per_iteration", "change_hour_per_iteration",
    # the item a foreach task is expanded for
    "item_user", "item_user_sqrt", "item_record_k", "item_object", "item_estimate",
    "item_month_offset", "item_size", "item_days",
]

DRIVERS: tuple[str, ...] = Driver.__args__  # type: ignore[attr-defined]

# placeholders a task name may use, by what it expands over (None: not expanded)
PLACEHOLDERS: dict[str | None, set[str]] = {
    None: {"project", "mvp"},
    "departments": {"name", "key", "n"},
    "integrations": {"name", "key", "n"},
    "migration": {"name", "key", "n"},
    "pilot_waves": {"name", "key", "n"},
    "on_site_support": {"name", "key", "n"},
    "wave_loads": {"name", "key", "n"},
    "changes": {"name", "key", "n"},
    "training_groups": {"name", "key", "n"},
    "iterations": {"name", "key", "n"},
    "audits": {"name", "key", "n"},
}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
Number = Annotated[Decimal, Field(ge=0, le=100_000, max_digits=12, decimal_places=4)]


class _Frozen(Strict):
    """A template is read once and shared by every plan: nothing may change it."""

    model_config = ConfigDict(frozen=True)


class Quantity(_Frozen):
    """A number as ``base + sum(per[driver] * value of driver)``, e.g. hours or days."""

    base: Number = Decimal(0)
    per: dict[Driver, Number] = Field(default_factory=dict)


class RoleLine(_Frozen):
    """A role working on a task and its share of the task's effort."""

    role: Role
    share: Annotated[Decimal, Field(gt=0, le=1)] | None = Field(
        None, description="Share of the task effort; unset shares split the rest equally."
    )
    side: Side | None = Field(None, description="Prefer people of this side for the role.")
    prefer: Literal["trainers", "auditor", "crm_expert", "data_owner", "department",
                    "every"] | None = Field(
        None, description="Prefer the people named in training or audit settings, "
        "(data_owner) the owner of the migration source a task is about, (department) "
        "only someone of the department a task is about, else nobody, or (every) every "
        "holder of the role on the line's side, the share split equally among them."
    )


class DepTemplate(_Frozen):
    """A dependency on another task template."""

    task: TemplateId
    type: LinkType = "FS"
    lag: Annotated[int, Field(ge=-250, le=250)] = 0
    previous: bool = False


class AnchorTemplate(_Frozen):
    """Start not earlier than a calendar offset after another task finishes."""

    task: TemplateId
    days: Quantity = Field(default_factory=Quantity)
    months: Quantity = Field(default_factory=Quantity)


class ItemFilter(_Frozen):
    """Which items of the foreach list to expand for."""

    kinds: list[str] = Field(default_factory=list, description="Item kinds to keep.")
    mvp_only: bool = Field(False, description="Only the MVP department (iterative mode).")
    in_iteration: bool = Field(
        False, description="Only the items the iteration takes (iterative mode's "
        "backlog): in a phase repeated per iteration, that iteration's; elsewhere, the "
        "MVP's.")


class TaskTemplate(_Frozen):
    """One task of the WBS, possibly expanded per item of a project list."""

    id: TemplateId
    name: LocalText
    foreach: Foreach | None = None
    where: ItemFilter | None = None
    sequential: bool = False
    roles: list[Role | RoleLine] = Field(default_factory=list)
    effort: Quantity = Field(default_factory=Quantity)
    use_item_estimate: bool = Field(
        False, description="An item's own estimate (change, integration) replaces effort."
    )
    duration: Quantity | None = Field(None, description="Fixed duration in working days.")
    milestone: bool = False
    meeting: bool = Field(
        False, description="Everyone assigned takes part (a kickoff, a demo): the task "
        "starts on a day when all of them work, never during one's vacation.")
    depends_on: list[TemplateId | DepTemplate] = Field(default_factory=list)
    after: AnchorTemplate | None = None

    def role_lines(self) -> list[RoleLine]:
        """Roles as :class:`RoleLine` with every share filled in (they sum to 1)."""
        lines = [r if isinstance(r, RoleLine) else RoleLine(role=r) for r in self.roles]
        given = sum((r.share for r in lines if r.share is not None), Decimal(0))
        unset = [r for r in lines if r.share is None]
        rest = (Decimal(1) - given) / len(unset) if unset else Decimal(0)
        return [r if r.share is not None else r.model_copy(update={"share": rest})
                for r in lines]

    def deps(self) -> list[DepTemplate]:
        """Dependencies as :class:`DepTemplate`."""
        return [d if isinstance(d, DepTemplate) else DepTemplate(task=d)
                for d in self.depends_on]


class PhaseTemplate(_Frozen):
    """A stage of the methodology."""

    id: TemplateId
    name: LocalText
    foreach: Literal["iterations"] | None = None
    post_launch: bool = Field(False, description="After go-live; not held to the deadline.")
    tasks: list[TaskTemplate] = Field(min_length=1)


class RecordTier(_Frozen):
    """Hours a migration source adds for its volume, up to a number of records."""

    up_to: Annotated[int, Field(ge=0)] | None = Field(
        None, description="Upper bound of the tier in records; unset: above all others.")
    hours: Number


class IntegrationSizing(_Frozen):
    """Hours of one integration: ``kind × direction × protocol + per_object × objects``."""

    kind: dict[IntegrationKind, Number]
    direction: dict[Direction, Number] = Field(default_factory=dict,
                                               description="Multipliers (default 1).")
    protocol: dict[Protocol, Number] = Field(default_factory=dict,
                                             description="Multipliers (default 1).")
    per_object: Number = Decimal(0)


class MigrationSizing(_Frozen):
    """Hours of one source: ``(base + per_object × objects + tier hours) × format``."""

    base: Number = Decimal(0)
    per_object: Number = Decimal(0)
    records: list[RecordTier] = Field(min_length=1)
    format: dict[DataFormat, Number] = Field(default_factory=dict,
                                             description="Multipliers (default 1).")


class Norms(_Frozen):
    """What a plan of this mode usually comes to; `plan show` warns outside it."""

    hours_per_user: tuple[Number, Number]
    months: tuple[Number, Number] = Field(description="From the start to acceptance.")


class LevelOfEffort(_Frozen):
    """Work that runs from the project start to acceptance (management, architecture,
    the client's key users): hours per week, or a share of the delivery effort."""

    id: TemplateId
    name: LocalText
    role: Role
    side: Side | None = None
    hours_per_week: Number | None = None
    share: Annotated[Decimal, Field(gt=0, le=1)] | None = Field(
        None, description="Share of the effort of all other tasks.")
    per_person: bool = Field(False, description="Every holder of the role, not one.")


class Sizing(_Frozen):
    """Calibration of the size drivers that are not a straight line."""

    integration: IntegrationSizing | None = None
    migration: MigrationSizing | None = None


class PlanTemplate(_Frozen):
    """The WBS of one implementation mode."""

    mode: Mode
    name: LocalText
    description: LocalText | None = None
    role_fallbacks: dict[Role, list[Role]] = Field(
        default_factory=dict,
        description="Roles to use when nobody in the team holds a role.",
    )
    phases: list[PhaseTemplate] = Field(min_length=1)
    sizing: Sizing = Field(default_factory=Sizing)
    norms: Norms | None = None
    management: list[LevelOfEffort] = Field(default_factory=list)
    management_phase: LocalText | None = Field(
        None, description="Name of the phase holding the level-of-effort tasks.")

    def tasks(self) -> list[tuple[PhaseTemplate, TaskTemplate]]:
        """All task templates with their phase, in order."""
        return [(ph, t) for ph in self.phases for t in ph.tasks]

    def reference_problems(self) -> list[tuple[KeyPath, str, str]]:
        """Ids unique, dependencies known, placeholders known, shares at most 1."""
        problems: list[tuple[KeyPath, str, str]] = []
        seen: set[str] = set()
        for pi, phase in enumerate(self.phases):
            for ti, task in enumerate(phase.tasks):
                path: KeyPath = ("phases", pi, "tasks", ti)
                if task.id in seen:
                    problems.append(((*path, "id"), f"task id '{task.id}' is used twice", ""))
                seen.add(task.id)
                problems += _task_problems(path, phase, task)
        for pi, phase in enumerate(self.phases):
            for ti, task in enumerate(phase.tasks):
                for di, dep in enumerate(task.deps()):
                    if dep.task not in seen:
                        problems.append((("phases", pi, "tasks", ti, "depends_on", di),
                                         f"no task '{dep.task}' in this template", ""))
                if task.after is not None and task.after.task not in seen:
                    problems.append((("phases", pi, "tasks", ti, "after", "task"),
                                     f"no task '{task.after.task}' in this template", ""))
        for li, loe in enumerate(self.management):
            if (loe.hours_per_week is None) == (loe.share is None):
                problems.append((("management", li), "give either hours_per_week or share", ""))
            if loe.id in seen:
                problems.append((("management", li, "id"), f"task id '{loe.id}' is used twice",
                                 ""))
            seen.add(loe.id)
        if self.management and self.management_phase is None:
            problems.append((("management_phase",), "name the phase of the management tasks",
                             ""))
        return problems


def _task_problems(path: KeyPath, phase: PhaseTemplate, task: TaskTemplate) -> list[
        tuple[KeyPath, str, str]]:
    out: list[tuple[KeyPath, str, str]] = []
    foreach = task.foreach or phase.foreach
    allowed = PLACEHOLDERS[None] | PLACEHOLDERS[foreach] | PLACEHOLDERS[phase.foreach]
    nested = bool(task.foreach and phase.foreach)
    if nested and not (task.where and task.where.in_iteration):
        out.append(((*path, "foreach"), "a task in a repeated phase repeats only over that "
                    "iteration's items", "add where: {in_iteration: true}"))
    if task.where and task.where.in_iteration and phase.foreach not in ("iterations", None):
        out.append(((*path, "where"), "in_iteration belongs to the MVP or an iteration",
                    ""))
    for lang in ("ru", "en"):
        for key in _PLACEHOLDER.findall(getattr(task.name, lang)):
            if key not in allowed:
                out.append(((*path, "name", lang), f"unknown placeholder '{{{key}}}'",
                            "allowed here: " + ", ".join(sorted(allowed))))
    given = [r.share for r in task.roles if isinstance(r, RoleLine) and r.share is not None]
    if sum(given, Decimal(0)) > 1:
        out.append(((*path, "roles"), "role shares add up to more than 1", ""))
    if task.milestone and (task.roles or task.effort.base or task.effort.per):
        out.append(((*path, "milestone"), "a milestone has no roles or effort", ""))
    if (task.sequential or task.where) and not task.foreach:
        out.append(((*path, "foreach"), "'sequential' and 'where' need 'foreach'", ""))
    if any(d.previous for d in task.deps()) and not foreach:
        out.append(((*path, "depends_on"), "'previous' needs 'foreach'", ""))
    return out


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Replace ``{key}`` by ``values[key]``; plain substitution, never evaluation."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def load_plan_template(path: Path | str) -> PlanTemplate:
    """Load and validate a plan template file.

    Raises:
        CrmimplError: every problem found, each with ``file:line:col``.
    """
    from crmimpl.load import load_yaml
    from crmimpl.model.validate import validate_document

    return validate_document(PlanTemplate, load_yaml(Path(path)))


@cache
def builtin_template(mode: str) -> PlanTemplate:
    """The bundled template of ``mode`` (``templates/plans/<mode>.yaml``), cached."""
    from crmimpl.resources import templates_dir

    return load_plan_template(templates_dir() / "plans" / f"{mode}.yaml")
