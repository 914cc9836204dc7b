"""The training plan: groups, curriculum per group, sessions placed in the rollout window.

Groups follow the methodology (groups of 7–10, METHODOLOGY.md "Rollout"): the internal
CRM expert and key users first ("train the trainer"), then every department split evenly
into groups of ``training.group_min``–``training.group_size``; people of departments too
small for a group of their own are merged into mixed groups. People of different shifts,
and people trained online and onsite, never share a group. Every CRM user of every
department lands in exactly one group.

Sessions are placed by :func:`place_sessions`: inside the group's shift (or office day) at
the preferred time of day, never two at once for one trainer, never more hours a day than
the trainer has, never on a trainer's vacation, never before the group's earliest day.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from crmimpl.errors import CrmimplError
from crmimpl.i18n import word
from crmimpl.industry import project_industry
from crmimpl.model.project import Department, Module, Person, Project, Shift
from crmimpl.plan.backlog import MVP, PRIORITY_ORDER, build_backlog, requirement_iteration
from crmimpl.plan.costs import PlanWarning
from crmimpl.plan.pilot import adoption_period, part_waves, wave_of
from crmimpl.vocabulary import label, project_names, template_data

KEY_USERS = "key_users"
ADMINS = "admins"  # the client's system administrators: the administration course
MIXED = "mixed"  # the kind of a group mixing departments of different kinds
ONSITE, ONLINE = "onsite", "online"
# Order in which department groups are trained after the key users.
KIND_ORDER = ["sales", "service", "marketing", "accounting", "other", "management"]
# An office day without shifts: the morning and the afternoon session.
SLOT_TIMES = ["10:00", "14:30"]
_DAY = 24 * 60
# Hours a trainer's day may run beyond ``plan.hours_per_day``: lunch and a gap between
# classes (10:00–13:00 and 14:30–17:30 is a 7.5-hour day).
SPAN_BREAKS = 2


@dataclass(frozen=True)
class Topic:
    """One topic of a group's curriculum."""

    id: str
    title: str
    hours: float


@dataclass
class TrainingGroup:
    """A group of trainees: key users, part of one department, or a mixed group.

    ``people`` counts its people per department (one department for a department group,
    several for a mixed one, none for the key users); ``slots`` are the session
    start times inside the group's shift, preferred first; ``note`` says why the group is
    outside ``training.group_min``–``group_size`` when it is (a plan warning shows it).
    """

    id: str
    kind: str
    department_id: str | None
    name: str
    size: int
    topics: list[Topic]
    members: list[str] = field(default_factory=list)
    people: dict[str, int] = field(default_factory=dict)
    shift: str | None = None
    format: str = ONSITE
    slots: tuple[str, ...] = tuple(SLOT_TIMES)
    kinds: tuple[str, ...] = ()
    note: str | None = None
    away: tuple[tuple[date, date], ...] = ()
    busy_days: tuple[int, ...] = ()
    """Days of the month its departments' people cannot leave work
    (``Department.busy_days``): none of its sessions falls on them."""
    """Vacations of the group's named members: no session falls on them."""
    venue: str | None = None
    """Where an onsite group meets (one of client.locations); None online."""
    windows: tuple[tuple[int, int], ...] | None = None
    """Free spans of the group's day (minutes from midnight) when its department has busy
    hours: every session lies inside one; None: the ``slots`` as they are."""
    guests: int = 0
    """Its people counted in another group (the internal expert, a key user, taking the
    administration course)."""
    heads: bool = False
    """The heads of departments' staff (office heads, supervisors): a managers' course."""
    repeat: bool = False
    """Its people are counted in another group already (the key users of a later
    iteration, who learn its features after the MVP course)."""
    mobile: bool = False
    """Field staff who work in the system's mobile client (``user_classes[].device``):
    trained on it, on their own phones, in short sessions at the start of the day."""
    wave: int | None = None
    """The earliest pilot wave its people start work in (None without a phased pilot):
    a part of a department at another site may start after its head office."""
    iteration: int | None = None
    """Iterative mode, a delta group: the later iteration whose new functions its
    people, already working in the system, are shown before that iteration's go-live."""
    offset: int = 0
    """Minutes its people's clock is ahead of the schedule's (-60: an office in Moscow
    time learning from a head office in Samara time): its sessions keep their office
    hours, and the schedule gives their local time too."""
    cover: tuple[tuple[str, int, int], ...] = ()
    """The department shifts whose colleagues stay at work while it learns
    (``Department.on_duty``): (``dept/shift``, its people from that shift, the most of
    that shift in class at once); sessions of groups sharing a shift never exceed it."""
    day_span: tuple[int, int] | None = None
    """With ``cover``, its working day (minutes from midnight): a session may also end
    with it, so two groups of one shift learn the same day one after another."""
    known: list[str] = field(default_factory=list)
    """People of its departments the project names (``team``), in it by their department:
    the attendance sheet and the programme give their names (its ``members`` are the
    people it is formed of by name: key users, administrators)."""

    @property
    def longest_window(self) -> float | None:
        """Hours of the longest free span, None without busy hours."""
        if self.windows is None:
            return None
        return max((b - a for a, b in self.windows), default=0) / 60

    @property
    def hours(self) -> float:
        """Total hours of the curriculum."""
        return sum(t.hours for t in self.topics)

    @property
    def departments(self) -> list[str]:
        """Departments its people come from, in order."""
        return list(self.people)


@dataclass(frozen=True)
class Session:
    """One training session: a group, a day, a trainer and the topics covered.

    ``topics`` are positions in the group's curriculum (the same in every language);
    ``hours`` is the sum of those topics' hours; ``format`` is onsite or online.
    """

    group_id: str
    number: int
    day: date
    start_time: str
    hours: float
    trainer_id: str
    topics: tuple[int, ...]
    format: str = ONSITE
    minutes: tuple[int, ...] = ()
    """Each topic's minutes (the session timeline's input: its breaks come on top)."""


@dataclass
class TrainingPlan:
    """The planner's groups and sessions, with group names and topics in one language.

    Nothing here is scheduled: the sessions are the plan's (:func:`place_sessions` runs
    inside :func:`crmimpl.plan.build_plan`); the training window is the span of the
    sessions and the adoption period follows the last one.
    """

    groups: list[TrainingGroup]
    sessions: list[Session]
    group_size: int
    session_hours: float
    trainers: list[Person]
    adoption_start: date
    adoption_end: date
    materials: list[str]
    group_min: int = 1
    department_names: dict[str, str] = field(default_factory=dict)

    @property
    def window_start(self) -> date:
        """Day of the first session."""
        return min(s.day for s in self.sessions)

    @property
    def window_end(self) -> date:
        """Day of the last session."""
        return max(s.day for s in self.sessions)

    @property
    def hours(self) -> float:
        """Hours of all sessions (= the sum of the groups' curricula)."""
        return sum(s.hours for s in self.sessions)

    def sessions_of(self, group_id: str) -> list[Session]:
        """Sessions of one group in date order."""
        return [s for s in self.sessions if s.group_id == group_id]

    def group(self, group_id: str) -> TrainingGroup:
        """The group with this id."""
        return next(g for g in self.groups if g.id == group_id)

    def topic_titles(self, session: Session) -> list[str]:
        """Titles of a session's topics in this plan's language."""
        topics = self.group(session.group_id).topics
        return [topics[i].title for i in session.topics]


def _content() -> dict[str, Any]:
    return template_data("training.yaml")


def split_evenly(total: int, max_size: int) -> list[int]:
    """Split ``total`` people into the fewest groups of at most ``max_size``, evenly."""
    if total <= 0:
        return []
    count = math.ceil(total / max_size)
    base, extra = divmod(total, count)
    return [base + 1 if i < extra else base for i in range(count)]


def _topic(entry: dict[str, Any], lang: str, default_id: str) -> Topic:
    return Topic(str(entry.get("id", default_id)), str(entry["title"][lang]),
                 float(entry["hours"]))


def mode_day_hours(project: Project) -> float | None:
    """The one training day of the project's mode (``modes`` in training.yaml), if any."""
    mode = _content().get("modes", {}).get(project.project.mode) or {}
    hours = mode.get("day_hours")
    return float(hours) if hours else None


def session_setting(project: Project) -> float:
    """Longest session as set: ``training.hours_per_day`` when project.yaml writes it,
    else the mode's training day (express), else the default."""
    if "hours_per_day" in project.training.model_fields_set:
        return project.training.hours_per_day
    return mode_day_hours(project) or project.training.hours_per_day


def _condensed(project: Project, topics: list[Topic]) -> list[Topic]:
    """Topics shortened in proportion to fit the mode's training day, one session (quarter
    hours; at least a quarter hour each); unchanged when they fit or the mode has none."""
    if mode_day_hours(project) is None:
        return topics
    day = session_length(project)
    total = sum(t.hours for t in topics)
    if total <= day + 1e-9:
        return topics
    # quarter hours by the largest remainder: the day is used in full, each topic keeps
    # at least a quarter hour
    quarters = int(day * 4 + 1e-9)
    raw = [t.hours * quarters / total for t in topics]
    parts = [max(1, math.floor(r)) for r in raw]
    by_remainder = sorted(range(len(topics)), key=lambda i: (-(raw[i] - math.floor(raw[i])), i))
    for i in by_remainder[:max(0, quarters - sum(parts))]:
        parts[i] += 1
    while sum(parts) > quarters and max(parts) > 1:
        parts[parts.index(max(parts))] -= 1
    return [replace(t, hours=q / 4) for t, q in zip(topics, parts, strict=True)]


def usable_modules(project: Project, departments: Sequence[str]) -> set[str] | None:
    """Modules the people of ``departments`` have any right to by the user classes
    (``user_classes[].rights``); None when no user class names these departments (then
    every module in scope counts). A topic on a module nobody in the group may open is
    time taken from their work for nothing."""
    classes = [c for c in project.user_classes if set(c.departments) & set(departments)]
    if not classes:
        return None
    return {m for c in classes for m, access in c.rights.items() if access != "none"}


def taught_modules(project: Project, departments: Sequence[str]) -> set[str] | None:
    """Modules a department's training covers: those the main user class of each
    department (the one with the most users) may open. A right only its heads have (the
    retail sales heads' mobile app) is not taught to a group of managers who cannot open
    it. None when no user class names these departments (every module in scope counts)."""
    out: set[str] = set()
    named = False
    for dept in departments:
        main = main_class(project, dept)
        if main is not None:
            named = True
            out |= {m for m, access in main.rights.items() if access != "none"}
    return out if named else None


def worked_modules(project: Project, departments: Sequence[str]) -> set[str]:
    """Modules the main user class of each department (the one with the most users)
    enters data in, a right beyond reading: they are taught whatever the department's
    kind (collectors who call debtors learn the call lists)."""
    out: set[str] = set()
    for dept in departments:
        main = main_class(project, dept)
        if main is not None:
            out |= {m for m, access in main.rights.items() if access not in ("none", "read")}
    return out


def read_modules(project: Project, departments: Sequence[str]) -> set[str]:
    """Modules the main user class of each department may only read: its topic is how
    to find and read the records (``read:`` in the training content), not how to enter
    them (marketers who read the client base fill in no client records)."""
    out: set[str] = set()
    for dept in departments:
        main = main_class(project, dept)
        if main is not None:
            out |= {m for m, access in main.rights.items() if access == "read"}
    return out - worked_modules(project, departments)


def trained(project: Project, dept: Department) -> bool:
    """Whether the department's people are trained: not when its user classes give them
    no right to any module in scope (an accountant who never touches the telephony being
    connected)."""
    allowed = usable_modules(project, [dept.id])
    return allowed is None or bool(allowed & set(project.scope.modules))


def requirement_topics(project: Project, departments: Sequence[str] | None, lang: str,
                       allowed: set[str] | None = None) -> list[Topic]:
    """Topics of the requirements that name one (``requirements[].topic``: rules users
    must learn that the module's general topic does not teach, such as rate approvals):
    each is taught to the groups of its source department and of the departments it
    is ``taught_to`` (teplo's dispatchers make the transfer to sales the sales
    department asked for), or, when its custom change is not planned, whose work that
    change changes (``changes[].departments``), that may open its module (``allowed``),
    and every one to the key users (``departments`` None). A planned change's topic
    carries the first of its requirements' topics a group learns."""
    spec = _content().get("requirements") or {}
    changed = {ch.id: ch.departments for ch in project.changes}
    # a requirement built by a planned custom change is taught as that change's topic
    built = {ch.id for ch in project.planned_changes if ch.module in project.scope.modules}
    out = []
    for r in project.requirements:
        if not r.topic or r.module not in project.scope.modules or r.priority == "wont":
            continue
        if r.change in built and _change_topic_requirement(
                project, r.change, departments) is r:
            continue  # its custom change's topic carries it (:func:`change_topics`)
        # a requirement a custom change builds goes to its source and taught_to only:
        # the change's other departments learn the change under its own topic (teplo's
        # sales managers are not taught the dispatchers' callback rule of CH1)
        learners = {r.source, *r.taught_to, *(changed.get(r.change or "", [])
                                               if r.change not in built else [])}
        if departments is not None and not learners & set(departments):
            continue
        if allowed is not None and r.module not in allowed:
            continue
        out.append(Topic(f"req.{r.id}", r.topic, float(spec.get("hours", 0.5))))
    return out


def change_topics(project: Project, departments: Sequence[str] | None, lang: str,
                  allowed: set[str] | None = None) -> list[Topic]:
    """Topics on the project's custom changes: each change is taught to the department
    that asked for it (its requirement's source) and to the departments whose work it
    changes (``changes[].departments``: the credit-limit check the accountants asked for
    holds the invoices the sales managers record, so the managers learn it too); every
    change to the key users (``departments`` None). With ``allowed`` given, a change on a
    module the group's user class may not open is not taught to it (the contact centre's
    shift report goes to its supervisors, not to operators with no right to reports)."""
    spec = _content().get("changes")
    if not spec:
        return []
    sources = {r.id: r.source for r in project.requirements}
    out = []
    for change in project.planned_changes:
        if change.module not in project.scope.modules:
            continue
        if allowed is not None and change.module not in allowed:
            continue
        source = sources.get(change.requirement or "")
        # a requirement's own topic, when it names one, says what users learn of the
        # change (teplo's callback tasks: the dispatchers' by the duty roster in 15
        # minutes, the sales managers' by the client's manager in 30): the first of the
        # change's requirements with a topic whose learners are in the group
        named = [r for r in _change_requirements(project, change.id) if r.topic]
        learners = {source, *change.departments} | {
            d for r in named for d in (r.source, *r.taught_to)}
        if departments is not None and not learners & set(departments):
            continue
        req = _change_topic_requirement(project, change.id, departments)
        title = (req.topic if req is not None and req.topic and _in_language(req.topic, lang)
                 else str(spec["title"][lang]).format(title=change.title))
        out.append(Topic(f"change.{change.id}", title, float(spec["hours"])))
    return out


def _change_topic_requirement(project: Project, change: str,
                              departments: Sequence[str] | None) -> Any:
    """The requirement whose ``topic`` titles a custom change's topic for a group of
    ``departments`` (None: the key users): the change's first requirement with a topic
    that these departments learn (its source or ``taught_to``); None without one."""
    for r in _change_requirements(project, change):
        if r.topic and (departments is None
                        or {r.source, *r.taught_to} & set(departments)):
            return r
    return None


def _change_requirements(project: Project, change: str) -> list[Any]:
    """The requirements a custom change builds, its own ``requirement`` first, then the
    others naming the change; out-of-scope and won't ones left out."""
    ch = next((c for c in project.changes if c.id == change), None)
    if ch is None:
        return []
    reqs = [r for r in project.requirements if r.priority != "wont"
            and (r.id == ch.requirement or r.change == change)]
    return sorted(reqs, key=lambda r: r.id != ch.requirement)


def topic_iterations(project: Project) -> dict[str, int]:
    """Iterative mode: the iteration (0: the MVP) from which each module and change topic
    can be taught, because it is built by then: a change's own iteration, a module's
    first department that enters data in it (a module no department works in: the MVP).
    Empty in other modes."""
    backlog = build_backlog(project)
    if not backlog.departments:
        return {}
    out: dict[str, int] = {}
    for module in project.scope.modules:
        found = [n for d, n in backlog.departments.items()
                 if module in worked_modules(project, [d])]
        out[module] = min(found, default=MVP)
    for change, n in backlog.changes.items():
        out[f"change.{change}"] = n
    return out


def _built_by(project: Project, topics: list[Topic], departments: Sequence[str],
              upto: int | None = None) -> list[Topic]:
    """In iterative mode, the topics a group can be taught when it is trained: its
    departments' iteration (key users: the MVP) has built them. Key users see each later
    iteration's features at its demonstration, which they accept."""
    ready = topic_iterations(project)
    if not ready:
        return topics
    waves = build_backlog(project).departments
    own = max((waves.get(d, MVP) for d in departments), default=MVP)
    if upto is not None:
        own = upto
    return [t for t in topics if ready.get(t.id, MVP) <= own]


def on_mobile(project: Project, departments: Sequence[str]) -> bool:
    """Whether a group's people work in the mobile client: the main user class of each
    of its departments works on mobile devices (``device: mobile``: field engineers)."""
    if not departments:
        return False
    for dept in departments:
        main = main_class(project, dept)
        if main is None or main.device != "mobile":
            return False
    return True


def field_session_hours(project: Project) -> float:
    """Longest session of a group of field staff (``mobile.session_hours`` of the
    training content): they are trained before they leave for the day's work."""
    return float((_content().get("mobile") or {}).get("session_hours", 1.5))


def _callers(project: Project, departments: Sequence[str]) -> bool:
    """Whether a group's people only make and take their own calls: the main user class
    of each of its departments has the telephony right "own" (field engineers, sales),
    none works the incoming line's queue. Their programme and exercise are theirs, not
    the dispatchers'."""
    if not departments:
        return False
    for dept in departments:
        main = main_class(project, dept)
        if main is None:
            return False
        if main.rights.get("telephony") != "own":
            return False
    return True


def _own_only(project: Project, departments: Sequence[str], module: str) -> bool:
    """Whether the main user class of every one of ``departments`` has the right "own"
    on ``module`` (no department: False)."""
    if not departments:
        return False
    for dept in departments:
        main = main_class(project, dept)
        if main is None or main.rights.get(module) != "own":
            return False
    return True


def curriculum(project: Project, kind: str | Sequence[str], lang: str,
               departments: Sequence[str] = (), *, heads: bool = False,
               upto: int | None = None) -> list[Topic]:
    """:func:`_curriculum` in the words of the system being implemented (amoCRM has no
    reference directories: ``wording`` of ``templates/products.yaml``)."""
    from crmimpl.industry import product_wording, reword

    topics = _curriculum(project, kind, lang, departments, heads=heads, upto=upto)
    wording = product_wording(project, lang)
    return [replace(t, title=reword(t.title, wording)) for t in topics] if wording else topics


def _curriculum(project: Project, kind: str | Sequence[str], lang: str,
                departments: Sequence[str] = (), *, heads: bool = False,
                upto: int | None = None) -> list[Topic]:
    """Topics for a group of department ``kind`` (or kinds) from the modules in scope.

    With ``departments`` given, a module topic is taught only when the main user class
    of one of those departments has a right to the module (:func:`taught_modules`).

    A mixed group of several kinds gets the union of their curricula, in the usual order.
    A training manager takes the union rather than the intersection: the intersection
    would send people back to work without the topics of their own job (a salesperson
    untaught in the pipeline because marketing shares the group), and a separate
    catch-up session for them costs more than the hour or two that some members spend
    on a colleague's topic, which also shows them how their work meets the others'.
    """
    content = _content()
    mode = content.get("modes", {}).get(project.project.mode) or {}
    if kind == ADMINS:
        entries = mode.get("admins", content["admins"])
        deployment = project.system.deployment if project.system else None
        return _condensed(project, [_topic(e, lang, "adm") for e in entries
                                    if (not e.get("modules")
                                        or set(e["modules"]) & set(project.scope.modules))
                                    and (not e.get("deployments") or deployment is None
                                         or deployment in e["deployments"])
                                    and not (deployment is None and e.get("deployments")
                                             == ["cloud"])])
    if kind == KEY_USERS:
        topics = [_topic(e, lang, "intro") for e in mode.get("intro", content["intro"])
                  if not e.get("callers")]
        # in the words of the client's industry, as the department groups learn it (a
        # bank's key users are not taught quotes the bank makes in its core system)
        trade = project_industry(project)
        topics += [_topic({**spec, **spec.get("industries", {}).get(trade, {}),
                           **mode.get("modules", {}).get(m, {}), "id": m}, lang, m)
                   for m, spec in content["modules"].items() if m in project.scope.modules]
        extra = mode.get("key_users", content["key_users"])
        if expert_in_admin_course(project):  # the expert learns it there, not everyone
            extra = [e for e in extra if not e.get("expert_only")]
        topics += change_topics(project, None, lang)
        topics += requirement_topics(project, None, lang)
        topics = _built_by(project, topics, ())
        # the key users answer their departments' questions: each module topic names
        # what those departments asked for in it (round 20: the agency's key users were
        # taught a generic course while their colleagues' topics named the project's)
        key_depts = list(dict.fromkeys(p.department for p in key_user_people(project)
                                       if p.department))
        # (only what the MVP builds: they learn later stages' features at their demos)
        topics = _with_features(project, topics, key_depts, lang, upto=MVP)
        # a system administrator among the key users learns the administration as theirs
        admin = any("sysadmin" in p.roles for p in key_user_people(project))
        extra = [{**e, "title": e["title_with_admin"]} if admin and "title_with_admin" in e
                 else e for e in extra]
        return _condensed(project, topics + [_topic(e, lang, "ku") for e in extra])
    kinds = {kind} if isinstance(kind, str) else set(kind)
    callers = _callers(project, departments)
    # field staff learn each topic on the mobile client they work in
    mobile = on_mobile(project, departments)
    field = (mode.get("mobile") or content.get("mobile") or {}) if mobile else {}

    # departments with extensions on the PBX being connected take calls themselves
    extensions = {d for i in project.integrations if i.kind == "telephony"
                  for d in i.departments}

    def fits(entry: dict[str, Any]) -> bool:
        if "callers" in entry and bool(entry["callers"]) != callers:
            return False
        # a topic of the device the group works on: the mobile app, or the desk phone
        if "mobile" in entry and bool(entry["mobile"]) != mobile:
            return False
        if entry.get("extensions") and not set(departments) & extensions:
            return False
        audiences = entry.get("audiences", ["all"])
        return "all" in audiences or bool(kinds & set(audiences))

    # the kind of work the group's topics speak of: its own, or its departments' for
    # their heads (a contact centre's supervisors read the cases' reports)
    work = ({d.kind for d in project.client.departments if d.id in departments}
            if heads else kinds)
    work_kind = next(iter(work)) if len(work) == 1 else None
    allowed = taught_modules(project, departments) if departments else None
    if heads and allowed is not None:  # the heads' own rights: their reports, control
        allowed |= head_modules(project, departments)
    # managers' rights to edit their staff's records are not a job of data entry
    worked = (worked_modules(project, departments)
              if departments and kinds != {"management"} else set())
    # (managers lead with dashboards and reports: reading the records is not their topic)
    readonly = (read_modules(project, departments)
                if departments and not heads and kinds != {"management"} else set())
    # the heads lead the work of a module where their right is wider than their staff's
    led = led_modules(project, departments) if heads and departments else set()
    # the company's leaders set the goals: they learn how progress on them is measured,
    # not why the CRM is implemented (round 19: the sponsor was taught his own project)
    topics = [_topic({**e, **e.get("kinds", {}).get(next(iter(kinds)), {})}
                     if len(kinds) == 1 else e, lang, "intro")
              for e in mode.get("intro", content["intro"]) if fits(e)]
    for module in project.scope.modules:
        spec = content["modules"].get(module)
        if allowed is not None and module not in allowed:
            continue
        if spec is not None and (fits(spec) or module in worked
                                 # a class that reads a module's records for its work
                                 # learns to find and read them (kreativ's studio
                                 # reads the deals and chats it makes layouts for)
                                 or (module in readonly and "read" in spec)
                                 or (field and module == "mobile")
                                 or (module in led and "heads" in spec)):
            # a group of one kind learns the module as its work uses it (the service
            # desk's reports are cases and SLA, not sales by manager)
            own = spec.get("kinds", {}).get(work_kind, {}) if work_kind else {}
            read = spec.get("read", {}) if module in readonly else {}
            # those who write a module's records learn to write them (engineers who
            # write the knowledge base's fixes, not only search it)
            read = spec.get("write", read) if module in worked and not heads else read
            lead = spec.get("heads", {}) if module in led else {}
            trade = spec.get("industries", {}).get(project_industry(project), {})
            spec = {**spec, **trade, **own, **read, **lead,
                    **mode.get("modules", {}).get(module, {}),
                    **field.get("modules", {}).get(module, {})}
            if not heads and "own" in spec and _own_only(project, departments, module):
                # people who see only their own records learn the module for those (round
                # 14: dispatchers with their own call statistics were taught the load
                # per agent, which only their head sees)
                spec = {**spec, **spec["own"]}
            topics.append(_topic({**spec, "id": module}, lang, module))
    if departments:
        topics += change_topics(project, departments, lang, allowed)
        topics += requirement_topics(project, departments, lang, allowed)
        topics = _built_by(project, topics, departments, upto)
    # heads who decide on requests (a requirement of their departments asks for
    # approvals) learn approving within the control topic's hour
    topics += [_topic({**e, "title": e["approvals"]["title"]}
                      if "approvals" in e
                      and _named_for(project, list(e["approvals"]["needs"]), departments)
                      else e, lang, "x")
               for e in mode.get("management_extra", content["management_extra"]) if fits(e)]
    final = field.get("final") or mode.get("final", content["final"])
    # the workshop follows the group's kind of work (a campaign, not a request)
    final = [{**e, **e.get("kinds", {}).get(work_kind, {})} if work_kind else e
             for e in final]
    topics += [_topic(e, lang, "final") for e in final if fits(e)]
    if departments and not heads and kinds != {"management"}:
        topics = [own for t in topics
                  if (own := own_work_topic(project, t, departments, lang, allowed, work_kind,
                                            worked))]
    if departments:
        # (the heads' own variant of a module, such as listening to their staff's
        # calls, is not where the module's features are taught)
        topics = _with_features(project, topics, departments, lang, skip=led)
    return _condensed(project, topics)


# the most of the project's own features a module topic names
TOPIC_FEATURES = 2


def _with_features(project: Project, topics: list[Topic], departments: Sequence[str],
                   lang: str, skip: Collection[str] = (), upto: int | None = None
                   ) -> list[Topic]:
    """Module topics in the project's terms: each names the features of its module that
    these departments asked for, apply (``taught_to``) or receive work from
    (``routes_to``), built by the time they are trained, those without a topic of their
    own (round 20: northwind's sales course taught "E-mail in the CRM" and never the
    Outlook logging the sales team had asked for, nor the round robin of web enquiries).
    The topic's hours stay: the features are what its hour is spent on."""
    from crmimpl.plan.backlog import source_department

    built = _ready_by(project, departments, upto)
    changed = {ch.id: set(ch.departments) for ch in project.changes}
    mine = set(departments)
    found: dict[str, list[Any]] = {}
    for r in project.requirements:
        if (r.topic or r.priority == "wont" or r.module not in project.scope.modules
                or not built(r) or not _written_in(r.statement, lang)):
            continue
        learners = {source_department(project, r), *r.taught_to,
                    *changed.get(r.change or "", set()), *(x.unit for x in r.routes_to)}
        if learners & mine:
            found.setdefault(r.module, []).append(r)
    out = []
    for t in topics:
        if t.id in skip:
            out.append(t)
            continue
        reqs = sorted(found.get(t.id, []), key=lambda r: (
            source_department(project, r) not in mine, PRIORITY_ORDER.index(r.priority)))
        title = t.title.lower()
        # a feature the topic's own words already name adds nothing («панели KPI»)
        named = [_feature(project, r, mine, lang) for r in reqs]
        names = [n for n in named
                 if not all(w in title for w in re.findall(r"\w{3,}", n.lower()))
                 ][:TOPIC_FEATURES]
        if names:
            lead = "В проекте: " if lang == "ru" else "In this project: "
            t = replace(t, title=f"{t.title.rstrip('.')}. {lead}{'; '.join(names)}")
        out.append(t)
    return out


def _feature(project: Project, r: Any, departments: set[str], lang: str) -> str:
    """A requirement as a feature these departments learn: the step routed to them
    when that is all they do in it (the Managing Director's decision on the terms the
    finance team checks), else its statement's first clauses."""
    from crmimpl.plan.backlog import source_department

    own = {source_department(project, r), *r.taught_to}
    step = next((x.step for x in r.routes_to if x.unit in departments and x.step
                 and _written_in(x.step, lang)), None)
    if step and not own & departments:
        return _task_name(step, lang)
    name = _task_name(r.statement, lang)
    head, colon, rest = r.statement.partition(": ")
    if colon and name == _task_name(head, lang) and len(head) < TASK_NAME // 2:
        # a statement that names its feature before a colon ("Service Desk dashboard:
        # average time to first response, …") keeps the first of what follows
        rest = re.sub(r"\s*\([^()]*\)", "", rest)  # asides in brackets
        more = whole_words(_first_clauses(rest).rstrip(" ,"), TASK_NAME - len(name) - 3,
                           before_and=True)
        balanced = (more.count("(") == more.count(")") and more.count("«") == more.count("»")
                    and more.count('"') % 2 == 0 and more.count("“") == more.count("”"))
        # a phrase, not one stage of a list ("заявка"), and no quote or bracket left open
        if len(more.split()) >= 3 and balanced:
            name = f"{name} \u2014 {more}"
    return name


# words a shortened name does not end on
DANGLING = {"and", "or", "the", "a", "an", "in", "of", "by", "for", "to", "with", "on", "at",
            "from", "as", "is", "are", "own", "one's", "your", "its", "their", "his", "her",
            "и", "или", "в", "во", "на", "по", "с", "со", "для", "к", "о", "об", "от", "из",
            "за", "при", "до", "своей", "своего", "своих", "свой", "его", "ее", "их"}


def whole_words(text: str, limit: int, *, before_and: bool = False) -> str:
    """``text`` cut to whole words within ``limit`` characters, never ending on a word
    that carries no meaning alone ("…and the"); empty when not even one word fits. With
    ``before_and``, a cut list ends before its last "and" ("…in business hours", not
    "…and the share")."""
    if len(text) <= limit:
        return text
    words = text[:limit + 1].split()[:-1]
    joins = [i for i, w in enumerate(words) if w in ("and", "и", "or", "или")]
    if before_and and joins and joins[-1] >= 3:
        words = words[:joins[-1]]
    while len(words) > 1 and words[-1].lower().strip(",;") in DANGLING:
        words.pop()
    return " ".join(words).rstrip(" ,;")


# the scenarios a workshop names: enough for a graded exercise of an hour and a half
WORKSHOP_SCENARIOS = 3


def _after_colon(names: Iterable[str], lang: str) -> str:
    """Departments listed after «Сводная группа:» or «Руководители:»: a common noun in
    lower case from the first («Сводная группа: отдел сервиса и рекламаций, отдел
    маркетинга»); proper names stay as written."""
    from crmimpl.i18n import department_in_text

    return ", ".join(department_in_text(n, lang) for n in names)


def own_tasks(project: Project, departments: Sequence[str], lang: str,
              allowed: set[str] | None = None, module: str | None = None) -> list[str]:
    """The project's own work of these departments, as short names of the requirements
    they asked for, apply (``taught_to``), change with a custom change or receive work
    from (``routes_to``), on modules they may open (``allowed``) and in scope: the
    concrete ones first (a training topic, a test case or rule checks of their own, a
    custom change), taken in turn from each department (a mixed group's workshop has a
    task of each). ``module``: that module's only."""
    changed = {ch.id: set(ch.departments) for ch in project.changes}
    per_dept: dict[str, list[Any]] = {d: [] for d in departments}
    built = _ready_by(project, departments)
    for r in project.requirements:
        if r.module not in project.scope.modules or r.priority == "wont":
            continue
        if not built(r):
            continue
        if (allowed is not None and r.module not in allowed) or (module and r.module != module):
            continue
        owners = [r.source, *r.taught_to, *changed.get(r.change or "", set()),
                  *(x.unit for x in r.routes_to)]
        mine = r.source if r.source in per_dept else next(
            (d for d in departments if d in owners), None)
        if mine is not None:
            per_dept[mine].append(r)
    for d, reqs in per_dept.items():
        reqs.sort(key=lambda r: (r.source != d, 0 if r.topic else 1 if r.test else
                                 2 if r.change else 3 if r.checks else 4))
    out: list[str] = []
    seen: set[str] = set()
    queues = [list(v) for v in per_dept.values()]
    while any(queues):
        for q in queues:
            while q:
                r = q.pop(0)
                if r.id not in seen:
                    seen.add(r.id)
                    if _in_language(r.topic or r.statement, lang):
                        name = _task_name(r.topic or r.statement, lang)
                        routed = [x for x in r.routes_to if x.unit in departments]
                        # a step in the document's language only (an English version
                        # whose overlay leaves a Russian step falls back to the statement)
                        step = next((x.step for x in routed if x.step
                                     and _written_in(x.step, lang)), None)
                        out.append((step or _step_task(name, lang))
                                   if routed and r.source not in departments else name)
                        break
    return out


def _step_task(name: str, lang: str) -> str:
    """A task of a department another department's process is routed to (an approval,
    a check, a handover: ``routes_to``): its own step, not the process's first
    action («регистрация рекламации» is the service's; the warehouse checks it)."""
    if lang == "ru":
        name = name.replace("«", "„").replace("»", "“")  # quotes inside quotes
        return (f"назначенный подразделению шаг процесса «{name}», выполненный в срок "
                "с отметкой результата")
    return (f"the step of \"{name}\" assigned to the department, done on time with its "
            "result recorded")


def _in_language(text: str, lang: str) -> bool:
    """Whether a requirement's text can stand in a document of ``lang``: a Russian
    document does not quote an English project's requirements as its own tasks (an
    English version may keep the names a Russian project gives only in Russian)."""
    from crmimpl.overlay import contains_cyrillic

    return lang != "ru" or contains_cyrillic(text)


def _written_in(text: str, lang: str) -> bool:
    """Whether ``text`` is written in ``lang``: Russian has Cyrillic, English none."""
    from crmimpl.overlay import contains_cyrillic

    return contains_cyrillic(text) == (lang == "ru")


def _ready_by(project: Project, departments: Sequence[str], upto: int | None = None
              ) -> Callable[[Any], bool]:
    """Whether a requirement is built by the time these departments are trained: in an
    iterative project, a requirement of a later iteration than theirs (``upto``: than
    that one) is not yet there (the engineers of iteration 1 are not taught the hours
    bank of iteration 2)."""
    if project.project.mode != "iterative":
        return lambda r: True
    backlog = build_backlog(project)
    own = [upto] if upto is not None else [
        backlog.departments[d] for d in departments if d in backlog.departments]
    if not own:
        return lambda r: True
    last = max(own)
    return lambda r: requirement_iteration(project, backlog, r) <= last


def _module_tasks(project: Project, modules: set[str], lang: str,
                  departments: Sequence[str] | None = None) -> list[str]:
    """Short names of the in-scope requirements on ``modules`` built by the time
    ``departments`` are trained, the concrete first."""
    built = _ready_by(project, departments or [])
    reqs = [r for r in project.requirements if r.module in modules
            and r.module in project.scope.modules and r.priority != "wont" and built(r)]
    reqs.sort(key=lambda r: 0 if r.topic else 1 if r.test else 2 if r.change else
              3 if r.checks else 4)
    return [_task_name(r.topic or r.statement, lang) for r in reqs
            if _in_language(r.topic or r.statement, lang)]


def _task_name(text: str, lang: str) -> str:
    """A requirement as a task a user is set: its topic, else its statement, without
    asides in brackets and cut to its first clauses when long (never inside quotes),
    lower case after the start (an abbreviation stays): «регистрация рекламации с фото
    и актом»."""
    name = text.strip()
    if len(name) > TASK_NAME:
        name = re.sub(r"\s*\([^()]*\)", "", name)
    if len(name) > TASK_NAME and ":" in name:
        name = name.split(":", 1)[0]
    name = first_sentence(name)
    # a topic «пропущенный звонок: задача …» reads as a task after a dash: the
    # workshop's own list already follows a colon
    name = name.replace(": ", " — ", 1)
    if len(name) > TASK_NAME:
        clauses = _clauses(name)
        kept = clauses[0]
        for c in clauses[1:]:
            if len(kept) + len(c) > TASK_NAME and not _binds(c):
                break
            kept += c
        name = kept
    name = name.strip().rstrip(" .;,—")
    # a name that opens with a proper name of two words keeps its capitals ("Service
    # Desk dashboard", «Личный кабинет»: one word, lowered)
    words = name.split(maxsplit=2)
    proper = (len(words) > 1 and words[0][:1].isupper() and words[1][:1].isupper()
              and words[1][1:2].islower())
    if len(name) > 1 and not name[1].isupper() and not proper:
        name = name[:1].lower() + name[1:]
    return name


def first_sentence(text: str) -> str:
    """``text`` up to the end of its first sentence (or its first "; "): a full stop
    ends a sentence only before a capital letter, never an abbreviation («по ст. 16
    123-ФЗ», "No. 5": round 20 cut a topic at «по ст»)."""
    for m in re.finditer(r"(?<=;)\s|(?<=[.!?])\s+(?=[A-ZА-ЯЁ«\"“])", text):
        word = re.search(r"(\w+)[.!?;]$", text[:m.start()])
        # «г. Тольятти», «ст. 16»: a short lower-case word before the stop abbreviates
        if word and text[m.start() - 1] == "." and len(word.group(1)) <= 3 \
                and word.group(1).islower():
            continue
        return text[:m.start()]
    return text


# the longest task name a workshop lists before it is cut to its first clauses
TASK_NAME = 90


# a clause that restricts what comes before it: a name cut before it says the opposite
# («запрет выставления счета клиенту с просрочкой» without «без согласования главного
# бухгалтера» is an absolute ban)
_RESTRICTS = re.compile(r"^(?:,| —)\s+(?:без|кроме|если|только|за исключением|при условии|"
                        r"не более|не менее|свыше|without|except|unless|if|only|provided|"
                        r"no more than|at least|over)\b", re.IGNORECASE)
# the tail of a list: «в сутки, неделю и месяц», "by day, week and month"
_LIST_TAIL = re.compile(r"^,\s+\S+(?:\s+\S+)?\s+(?:и|или|and|or)\s+\S+$")


def _binds(clause: str) -> bool:
    """Whether ``clause`` (as :func:`_clauses` gives it, its separator first) may not be
    cut from the clauses before it: a restriction or the tail of a list."""
    return bool(_RESTRICTS.match(clause) or _LIST_TAIL.match(clause.rstrip(" .;")))


def _first_clauses(text: str) -> str:
    """The first clause of ``text`` with the clauses bound to it (:func:`_binds`)."""
    clauses = _clauses(text)
    kept = clauses[0]
    for c in clauses[1:]:
        if not _binds(c):
            break
        kept += c
    return kept


def _clauses(text: str) -> list[str]:
    """``text`` split after each ", " or " — " outside quotes and brackets, the
    separators kept on the clause before."""
    out, start, depth, quoted = [], 0, 0, False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch in "«(“":
            depth += 1
        elif ch in "»)”":
            depth = max(depth - 1, 0)
        elif depth == 0 and not quoted and (text.startswith(", ", i) or text.startswith(" — ", i)):
            out.append(text[start:i])
            start = i
    out.append(text[start:])
    return out


def own_work_topic(project: Project, topic: Topic, departments: Sequence[str], lang: str,
                   allowed: set[str] | None = None, work_kind: str | None = None,
                   worked: set[str] | None = None) -> Topic | None:
    """A topic in the project's own terms: the workshop is a graded exercise on the
    departments' own scenarios (:func:`own_tasks`), not a generic "end-to-end task"
    (unchanged when the project names none); a department outside sales, service,
    marketing and accounting learns the reports it asked for, not the sales reports, and
    none when it asked for none in scope (None: the topic is not taught; the warehouse
    has no use for sales by manager); a group with no right to deals is not taught to
    link e-mail to deals."""
    ru = lang == "ru"
    if topic.id == "practice":
        tasks = own_tasks(project, departments, lang, allowed)[:WORKSHOP_SCENARIOS]
        if not tasks and worked:
            # a department that asked for nothing itself practises the project's scenarios
            # of the modules it works in (engineering takes the cases the service desk
            # designed)
            tasks = _module_tasks(project, worked, lang, departments)[:WORKSHOP_SCENARIOS]
        if tasks:
            several = len(departments) > 1
            head = (f"Практикум на задачах {'подразделений' if several else 'подразделения'}, "
                    "зачетное задание: " if ru else
                    f"Workshop on the {'departments' if several else 'department'}' own "
                    "tasks, graded exercise: ".replace("department' ", "department's "))
            return replace(topic, title=head + "; ".join(tasks))
    if topic.id == "email" and allowed is not None and "sales_pipeline" not in allowed:
        variant = (_content()["modules"].get("email") or {}).get("no_deals")
        if variant and "title" in variant:
            return replace(topic, title=str(variant["title"][lang]))
    if topic.id == "reports" and work_kind == "other":
        tasks = own_tasks(project, departments, lang, allowed, module="reports")
        if not tasks:
            return None
        return replace(topic, title=("Отчеты подразделения: " if ru
                                     else "The department's reports: ") + "; ".join(tasks))
    return topic


def key_user_people(project: Project) -> list[Person]:
    """Client-side key users and the internal CRM expert, trained first; a key user of
    an administrators' department (IT, security: :func:`admin_class_users`) learns in
    the administration course instead (volga's head of information security sat through
    funnels and the mobile app with no word on rights and the audit log)."""
    expert = project.training.crm_expert
    admin_depts = admin_class_users(project)
    return [p for p in project.team
            if p.side == "client" and ("key_user" in p.roles or p.id == expert)
            and (p.id == expert or p.department not in admin_depts)]


# ------------------------------------------------------------------ groups
@dataclass(frozen=True)
class _Unit:
    """The people of one department (and shift) to train, and what they may share a
    group with: the same pool (format, shift hours, and in iterative mode the MVP wave)."""

    dept: Department
    index: int
    shift: Shift | None
    count: int
    format: str
    pool: tuple[Any, ...]
    venue: str | None = None
    part: str | None = None
    """The name of the department's part at another site (``Department.sites``)."""
    heads: bool = False
    """The department's heads (:func:`head_count`): a managers' group of their own."""
    wave: int | None = None
    """The pilot wave its people start work in (None without a phased pilot)."""
    offset: int = 0
    """Minutes its site's clock is ahead of the schedule's (:func:`site_offset`)."""
    cap: int | None = None
    """The most of its people in class at once (``Department.on_duty`` stay at work)."""
    led: int = 0
    """Its heads learning with it, too few for a managers' group (:func:`_place_heads`)."""

    @property
    def cover(self) -> str | None:
        """The key of the people its cap counts (:attr:`TrainingGroup.cover`)."""
        if self.cap is None:
            return None
        return _cover_key(self.dept, self.shift)


_Spec = list[tuple[_Unit, int]]  # the people of one group: (unit, how many)


_GROUPS: dict[tuple[int, str], tuple[Project, str, list[TrainingGroup]]] = {}
_GROUPS_KEPT = 8


def build_groups(project: Project, lang: str) -> list[TrainingGroup]:
    """:func:`make_groups`, worked out once per project state and language: the plan,
    every document and the workbooks ask for the groups some thirty times a build.
    Each call gets its own copies of the groups."""
    try:
        state = project.model_dump_json()
    except Exception:
        return make_groups(project, lang)
    key = (id(project), lang)
    kept = _GROUPS.get(key)
    if kept is None or kept[0] is not project or kept[1] != state:
        kept = (project, state, make_groups(project, lang))
        _GROUPS.pop(key, None)
        while len(_GROUPS) >= _GROUPS_KEPT:
            _GROUPS.pop(next(iter(_GROUPS)))
        _GROUPS[key] = kept
    return [replace(g) for g in kept[2]]


def make_groups(project: Project, lang: str) -> list[TrainingGroup]:
    """All training groups: key users first, then department and mixed groups.

    Key users form their own group(s) whatever their number (they learn more, and they
    are the first line of support afterwards). Department groups are of
    ``training.group_min``–``group_size`` people wherever the numbers allow; a group
    outside that range carries a ``note`` saying why.
    """
    settings = project.training
    key_people = key_user_people(project)
    groups = _key_user_groups(project, key_people, lang)
    admins = admin_people(project)
    groups += _admin_groups(project, admins, len(groups), lang)
    taken = Counter(p.department for p in key_people + admins if p.department)
    for dept, n in admin_count(project)[1].items():  # administrator classes' people
        taken[dept] = max(taken[dept], n + sum(1 for p in key_people if p.department == dept))
    waves = build_backlog(project).departments  # iterative mode: each department's iteration
    pilot = wave_of(project)  # a phased pilot: its waves are trained in their order
    order = sorted(project.client.departments, key=lambda d: (pilot.get(d.id, 0), _kind_rank(d)))
    units = [u for i, d in enumerate(order)
             for u in _units(project, d, i, taken[d.id], waves.get(d.id))]
    units = _place_heads(units, settings.min_size)
    pools: dict[tuple[Any, ...], list[_Unit]] = {}
    for unit in units:
        pools.setdefault(unit.pool, []).append(unit)
    specs: list[tuple[_Spec, str | None]] = []
    for members in pools.values():
        specs += _pool_groups(members, settings.min_size, settings.group_size)
    specs.sort(key=lambda s: (s[0][0][0].index, len({u.dept.id for u, _ in s[0]}) > 1))
    numbers = _numbering([spec for spec, _ in specs])
    for (spec, note), number in zip(specs, numbers, strict=True):
        groups.append(_group(project, lang, f"T{len(groups) + 1:02d}", spec, number, note))
    _name_known(project, groups)
    deltas = _delta_groups(project, groups, lang)
    _briefed_once(project, groups, deltas, waves)
    # a department's peak days (a bank's salary days) keep all its groups out of class
    peaks = {d.id: d.busy_days for d in project.client.departments if d.busy_days}
    for g in groups + deltas:
        if g.kind != KEY_USERS:
            g.busy_days = tuple(sorted({n for d in (*g.people, g.department_id)
                                        if d in peaks for n in peaks[d]}))
    from crmimpl.industry import product_wording, reword

    wording = product_wording(project, lang)  # the system's own words (amoCRM: no directories)
    if wording:
        for g in groups + deltas:
            g.topics = [replace(t, title=reword(t.title, wording)) for t in g.topics]
    return groups + deltas


def _briefed_once(project: Project, groups: list[TrainingGroup],
                  deltas: list[TrainingGroup], waves: dict[str, int]) -> None:
    """A requirement a department is briefed on before an earlier stage's go-live is not
    taught again in its own course (round 19: northwind's leaders learnt the quotes'
    approvals on 8 Apr before the MVP, and the same topic again on 10 Jul)."""
    for brief in deltas:
        dept = brief.department_id
        if dept is None or brief.iteration is None or waves.get(dept, 0) <= brief.iteration:
            continue
        done = {t.id for t in brief.topics if t.id.startswith("req.")}
        # the custom change that builds a briefed requirement is taught under that
        # requirement's topic (:func:`change_topics`): the same lesson
        done |= {f"change.{r.change}" for r in project.requirements
                 if f"req.{r.id}" in done and r.change
                 and _change_topic_requirement(project, r.change, [dept]) is r}
        for g in groups:
            if g.department_id == dept and not g.repeat and list(g.people) == [dept]:
                g.topics = [t for t in g.topics if t.id not in done]


def _name_known(project: Project, groups: list[TrainingGroup]) -> None:
    """Put the client's people the project names into the department group they learn
    in (``known``): a department's head into its heads' group when it has one, everyone
    else into the first group of their department with room (round 19: the agency's main
    group listed nobody, though its director and art director are in the team)."""
    taken = {m for g in groups for m in g.members}
    heads = {d.head for d in project.client.departments if d.head}
    users = {d.id: d.users for d in project.client.departments}
    for person in project.team:
        dept = person.department
        if person.side != "client" or dept is None or not users.get(dept) \
                or person.name in taken:
            continue
        own = [g for g in groups if dept in g.people and not g.repeat
               and g.kind not in (KEY_USERS, ADMINS)]
        lead = [g for g in own if g.heads] if person.name in heads else []
        for g in lead or [g for g in own if not g.heads]:
            if len(g.known) < g.people[dept]:
                g.known.append(person.name)
                break


def delta_requirements(project: Project) -> dict[int, dict[str, list[str]]]:
    """Iterative mode: for each later iteration, the departments already working in the
    system (live since an earlier stage) whose work its requirements change, each with
    those requirements: the ones whose test cases its user classes take part in
    (:func:`crmimpl.documents.spec.case_roles`). The backlog promises them a short session
    before the go-live, and the training plan holds it (one truth)."""
    return _stage_links(project)[0]


def early_requirements(project: Project) -> dict[int, dict[str, list[str]]]:
    """Iterative mode: for each stage (0: the MVP), the departments that start work in
    the system later but take part in its requirements' work from its go-live (their
    user classes act in its test cases: a director who reads the MVP's pipeline
    dashboard, an account manager a service case is escalated to), each with those
    requirements. They are briefed on them before that go-live, not weeks after it
    with their own department (round 13: the Managing Director of the MVP's dashboards
    and approvals was trained on 3 Jul, the MVP live since 17 Apr)."""
    return _stage_links(project)[1]


_Links = dict[int, dict[str, list[str]]]


def _stage_links(project: Project) -> tuple[_Links, _Links]:
    """:func:`delta_requirements` and :func:`early_requirements` from one pass: each
    stage's requirement goes to the departments whose user classes act in its test case
    and that start work in the system before that stage (a change session) or after it
    (a briefing)."""
    from crmimpl.documents.spec import case_roles

    backlog = build_backlog(project)
    if not backlog.departments or not project.user_classes:
        return {}, {}
    used = case_roles(project)
    delta: _Links = {}
    early: _Links = {}
    for r in project.requirements:
        if r.priority == "wont" or r.module not in project.scope.modules:
            continue
        n = requirement_iteration(project, backlog, r)
        for d in project.client.departments:
            live = backlog.departments.get(d.id)
            if live is None or live == n:
                continue
            classes = {u.name for u in project.user_classes if d.id in u.departments}
            # a department it is taught to learns it before it goes live too
            if used.get(r.id, set()) & classes or d.id in r.taught_to:
                links = delta if live < n else early
                links.setdefault(n, {}).setdefault(d.id, []).append(r.id)
    return delta, early


def _delta_groups(project: Project, groups: list[TrainingGroup], lang: str
                  ) -> list[TrainingGroup]:
    """Iterative mode: every later iteration whose requirements change the work of a
    department already working in the system (:func:`delta_requirements`) gives that
    department a short session on them before the iteration's go-live: one group of its
    trained people, online where the project trains online at all, on each of those
    requirements and on the module and change topics of its curriculum the iteration
    builds (round 13: the backlog promised iteration 2's approvals and handover to the
    sales team live since the MVP, and the training plan had no session for them)."""
    deltas, early = _stage_links(project)
    if not deltas and not early:
        return []
    ready = topic_iterations(project)
    kinds_of = {d.id: d.kind for d in project.client.departments}
    names = {d.id: d.name for d in project.client.departments}
    departments = {d.id: d for d in project.client.departments}
    requirements = {r.id: r for r in project.requirements}
    hours = float((_content().get("requirements") or {}).get("hours", 0.5))
    fmt = ONSITE if project.training.format == ONSITE else ONLINE
    out: list[TrainingGroup] = []
    jobs = [(n, dept, ids, False) for n, per in sorted(deltas.items())
            for dept, ids in per.items()]
    jobs += [(n, dept, ids, True) for n, per in sorted(early.items())
             for dept, ids in per.items()]
    for n, dept, ids, ahead in sorted(jobs, key=lambda j: (j[0], j[3])):
        size = sum(g.people.get(dept, 0) for g in groups if not g.repeat)
        if not size:
            continue
        # a department briefed ahead of its own go-live learns the stage's work it takes
        # part in only; one already working, also the stage's new topics of its curriculum
        topics = [] if ahead else [
            t for t in curriculum(project, kinds_of[dept], lang, [dept], upto=n)
            if ready.get(t.id, MVP) == n]
        taught = {t.id for t in topics}
        for rid in ids:
            r = requirements[rid]
            if f"req.{rid}" in taught or (r.change and f"change.{r.change}" in taught):
                continue
            text = r.topic or r.statement
            # a Russian document does not quote an English project's requirement; the
            # change is its whole first sentence with the requirement after it (round 14:
            # "R21: payment terms … approved by the Financial Controller" lost the
            # Managing Director's approval the sales team was to learn)
            first = first_sentence(" ".join(text.split()))
            first = first.rstrip(" .;")
            # no requirement id in a staff course (round 20: "— R07" read as a code)
            title = (first[:1].upper() + first[1:] if _in_language(text, lang)
                     else f"{'Требование' if lang == 'ru' else 'Requirement'} {rid}")
            topics.append(Topic(f"req.{rid}", title, hours))
        if not topics:
            continue
        # colleagues on duty (Department.on_duty): each shift learns in its own hours,
        # in as many sessions as it needs to keep its people at work (round 19: nine
        # agents of both shifts met at 13:45 while the plan allowed three of a shift)
        d = departments[dept]
        total = sum(t.hours for t in topics)
        keys, cap = _release(d)
        parts: list[tuple[Shift | None, int, int | None, str | None]] = []
        if cap and d.shifts:
            for sh, (name_key, shift_cap) in zip(d.shifts, keys, strict=True):
                trained = sum(g.people.get(dept, 0) for g in groups
                              if not g.repeat and g.shift == sh.name)
                parts += [(sh, c, shift_cap, name_key)
                          for c in split_evenly(trained, shift_cap)]
        elif cap:
            parts = [(None, c, cap, keys[0][0]) for c in split_evenly(size, cap)]
        else:
            parts = [(None, size, None, None)]
        seen: Counter[str | None] = Counter()
        for shift, part, k_cap, key in parts:
            name = _delta_name(names[dept] + (f", {shift.name}" if shift else ""), n, ahead,
                               lang)
            alike = sum(1 for p in parts if p[0] is shift)
            seen[shift.name if shift else None] += 1
            if alike > 1:
                name += f" ({seen[shift.name if shift else None]}/{alike})"
            when: dict[str, Any] = (
                _common_hours(project, dept, total) if shift is None else
                {"slots": _slots(shift, min(total, session_setting(project)),
                                 project.training.time_of_day),
                 "windows": _windows(shift, list(d.busy))})
            out.append(TrainingGroup(
                f"T{len(groups) + len(out) + 1:02d}", kinds_of[dept], dept, name, part,
                _condensed(project, topics), people={dept: part}, format=fmt,
                venue=training_site(project) if fmt == ONSITE else None,
                shift=shift.name if shift else None, **when,
                kinds=(kinds_of[dept],), repeat=True, iteration=n,
                cover=((key, part, k_cap),) if key and k_cap else (),
                day_span=_day_span(shift) if key else None))
    return out


def _cover_key(dept: Department, shift: Shift | None) -> str:
    """The key of a department shift's people on duty (``dept/shift``; ``dept/`` without
    shifts): :attr:`TrainingGroup.cover` and the scheduler's bookings use it."""
    return f"{dept.id}/{shift.name if shift else ''}"


def _release(dept: Department) -> tuple[tuple[tuple[str, int], ...], int | None]:
    """The cover keys of a department with people on duty (``on_duty``), each with the
    most of its people who may learn at once (its shift's roster, or its users at its
    own site, less those on duty), and that most for all its shifts together; ((), None)
    without."""
    if dept.on_duty is None:
        return (), None
    rosters = dept.rosters() or [dept.users - sum(part.users for part in dept.sites)]
    shifts: list[Shift | None] = list(dept.shifts) or [None]
    keys = tuple((_cover_key(dept, s), max(n - dept.on_duty, 1))
                 for s, n in zip(shifts, rosters, strict=True))
    return keys, sum(cap for _, cap in keys)


def _covers(spec: _Spec) -> tuple[tuple[str, int, int], ...]:
    """:attr:`TrainingGroup.cover` of a group's people."""
    people: Counter[str] = Counter()
    caps: dict[str, int] = {}
    for unit, count in spec:
        if unit.cover and unit.cap:
            people[unit.cover] += count
            caps[unit.cover] = unit.cap
    return tuple((key, n, caps[key]) for key, n in people.items())


def _common_hours(project: Project, dept_id: str, hours: float) -> dict[str, Any]:
    """Slots and free spans for a group of a whole department: the office day, or for a
    department in shifts the hours all its shifts share (a service desk's early and late
    shifts meet from 13:00 to 15:00), less its busy hours (round 14: the desk's change
    session was set at 10:00, before the late shift starts)."""
    dept = next(d for d in project.client.departments if d.id == dept_id)
    shift: Shift | None = None
    if dept.shifts:
        begin = max(_minutes(x.start) for x in dept.shifts)
        end = min(_minutes(x.start) + round(x.hours * 60) for x in dept.shifts)
        if end - begin >= round(hours * 60):
            shift = Shift(name=dept.shifts[0].name, start=_clock(begin),
                          hours=(end - begin) / 60)
    return {"slots": _slots(shift, min(hours, session_setting(project)),
                            project.training.time_of_day),
            "windows": _windows(shift, list(dept.busy))}


def _delta_name(dept: str, n: int, ahead: bool, lang: str) -> str:
    """«Отдел продаж: изменения итерации 2» / "Leadership Team: briefing before the MVP
    go-live"."""
    if not ahead:
        return (f"{dept}: изменения итерации {n}" if lang == "ru"
                else f"{dept}: iteration {n} changes")
    if lang == "ru":
        return f"{dept}: инструктаж до запуска " + ("MVP" if n == MVP else f"итерации {n}")
    return f"{dept}: briefing before the " + ("MVP" if n == MVP else f"iteration {n}") + \
        " go-live"


# The fewest heads who make a managers' group of their own below the usual minimum: a
# head or two alone is no class, but four group heads who run queues and a journal their
# staff never see learn that apart (volga's collection heads sat with their specialists).
HEADS_GROUP_MIN = 3


def _with_heads(project: Project, topics: list[Topic], lang: str) -> list[Topic]:
    """A staff group's course with its heads in it (too few for a managers' group): the
    head's own control of the department's work (round 18: teplo's sales and service
    heads sat through their staff's course and never learnt the department's statistics
    or the overdue callbacks their requirement has them watch), at the end of the course
    so that the staff need not sit through it."""
    content = _content()
    mode = content.get("modes", {}).get(project.project.mode) or {}
    extra = [_topic(e, lang, "heads") for e in mode.get("heads_in_group",
                                                        content.get("heads_in_group", []))]
    if not extra:
        return topics
    # last, after the workshop: the staff go back to work while their head stays
    # (round 19: six engineers sat through their head's half hour at 08:00)
    return _condensed(project, topics + extra)


def _in_blocks(project: Project, topics: list[Topic], depts: Sequence[str], lang: str
               ) -> list[Topic]:
    """A mixed group's day (express: one session) in an order that keeps each
    department's topics together, so its people leave work once rather than five times
    (round 18: the agency's director sat in 10:00–10:30, 12:40–13:10, 14:10–14:40,
    16:20–16:35 and 17:05–17:20). The topics for everyone come first; the department with
    the most topics sits in the middle and the others at either end, each topic placed
    by the mean position of the departments taking it; the workshops come last, the
    far end's first, so it goes on from its block."""
    kinds = {d.id: d.kind for d in project.client.departments}
    own = {d: {t.id for t in curriculum(project, kinds[d], lang, [d])} for d in depts}
    order = sorted(depts, key=lambda d: -len(own[d] & {t.id for t in topics}))
    place = {order[0]: 0.0}
    for i, d in enumerate(order[1:]):
        place[d] = (i // 2 + 1) * (-1.0 if i % 2 == 0 else 1.0)
    finals = _final_ids(_content())

    def where(t: Topic) -> float:
        users = [d for d in depts if t.id in own[d]]
        return sum(place[d] for d in users) / len(users) if users else 0.0

    common = [t for t in topics if t.id not in finals
              and all(t.id in own[d] for d in depts)]
    rest = [t for t in topics if t.id not in finals and t not in common]
    last = [t for t in topics if t.id in finals]
    return (common + sorted(rest, key=where)
            + sorted(last, key=lambda t: -where(t)))


def _final_ids(node: Any) -> set[str]:
    """Ids of the workshops (every ``final:`` list of the training content, the modes'
    and the mobile client's too)."""
    out: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "final" and isinstance(value, list):
                out |= {str(e.get("id")) for e in value if isinstance(e, dict)}
            else:
                out |= _final_ids(value)
    elif isinstance(node, list):
        for item in node:
            out |= _final_ids(item)
    return out


def _place_heads(units: list[_Unit], lo: int) -> list[_Unit]:
    """Heads too few for a managers' group of their own (fewer than ``lo`` where they
    train, and fewer than :data:`HEADS_GROUP_MIN`) stay with their staff: a manager
    alone in a group is no class."""
    pools: dict[tuple[Any, ...], list[_Unit]] = {}
    for u in units:
        if u.heads:
            pools.setdefault(u.pool, []).append(u)
    out = list(units)
    for members in pools.values():
        if sum(u.count for u in members) >= min(lo, HEADS_GROUP_MIN):
            continue
        for u in members:
            i = out.index(u)
            staff = next((j for j, s in enumerate(out) if s.dept is u.dept and not s.heads
                          and s.format == u.format and s.venue == u.venue), None)
            if staff is not None:
                out[staff] = replace(out[staff], count=out[staff].count + u.count,
                                     led=out[staff].led + u.count)
                out.pop(i)
    return out


def _key_user_groups(project: Project, people: list[Person], lang: str
                     ) -> list[TrainingGroup]:
    if not people:
        return []
    name = word("training", "key_users_group", lang)
    fmt = ONLINE if project.training.format == ONLINE else ONSITE
    chunks = _chunks(people, project.training.group_size)
    groups = [TrainingGroup(
        f"T{i:02d}", KEY_USERS, None, name + (f" ({i}/{len(chunks)})" if len(chunks) > 1
                                              else ""),
        len(chunk), curriculum(project, KEY_USERS, lang), [p.name for p in chunk],
        format=fmt, venue=training_site(project) if fmt == ONSITE else None,
        slots=_slots(None, session_setting(project), project.training.time_of_day),
        away=tuple(sorted((v.start, v.end) for p in chunk for v in p.vacations)))
        for i, chunk in enumerate(chunks, start=1)]
    return groups + _iteration_key_groups(project, people, len(groups), lang)


def _iteration_key_groups(project: Project, people: list[Person], before: int, lang: str
                          ) -> list[TrainingGroup]:
    """Iterative mode: the key users of the departments a later iteration brings in learn
    its features (their departments' topics it builds) in a group of their own at the
    start of that iteration's training; the MVP course taught them the system's basics
    only. A service desk lead who accepts the service iteration is not
    left untaught in cases and the knowledge base."""
    ready = topic_iterations(project)
    if not ready:
        return []
    waves = build_backlog(project).departments
    later: dict[int, list[Person]] = {}
    for person in people:
        n = waves.get(person.department or "", MVP)
        if n > MVP:
            later.setdefault(n, []).append(person)
    # a key user a later stage's requirement names as the one who decides (northwind's
    # Sales Director approves renewal-uplift waivers above GBP 5,000 from iteration 2,
    # the Financial Controller payment terms) learns it with that stage's key users,
    # whatever stage their own department goes live in (round 22)
    deciding = _deciding(project, people)
    for n in deciding:
        later.setdefault(n, [])
    kinds_of = {d.id: d.kind for d in project.client.departments}
    extra = [_topic(e, lang, "ku_iter") for e in _content().get("key_users_iteration", [])]
    # a short session for a handful of key users: online where the project trains
    # online at all, so it takes no classroom from their colleagues' first session
    fmt = ONSITE if project.training.format == ONSITE else ONLINE
    out: list[TrainingGroup] = []
    for n, chunk in sorted(later.items()):
        depts = list(dict.fromkeys(p.department for p in chunk if p.department))
        kinds = sorted({kinds_of[d] for d in depts}, key=KIND_ORDER.index)
        topics = [t for t in curriculum(project, kinds, lang, depts)
                  if ready.get(t.id, MVP) == n]
        deciders = deciding.get(n, [])
        stage_extra = _with_decisions(project, topics, extra, deciders, n, lang)
        chunk = [*chunk, *(p for p in deciders if p not in chunk)]
        if not topics and not deciders:
            continue
        name = (f"Ключевые пользователи: итерация {n}" if lang == "ru"
                else f"Key users: iteration {n}")
        # the internal expert answers every department's questions: they learn each
        # iteration's features with its key users (round 19: the expert, trained with the
        # MVP's sales, was never taught the service desk's or account management's)
        expert = (project.person(project.training.crm_expert)
                  if project.training.crm_expert else None)
        if expert is not None and expert not in chunk:
            chunk = [*chunk, expert]
        out.append(TrainingGroup(
            f"T{before + len(out) + 1:02d}", KEY_USERS,
            next(iter(depts or [p.department for p in chunk if p.department]), None),
            name, len(chunk),
            _condensed(project, topics + stage_extra), [p.name for p in chunk], format=fmt,
            venue=training_site(project) if fmt == ONSITE else None,
            slots=_slots(None, session_setting(project), project.training.time_of_day),
            away=tuple(sorted((v.start, v.end) for p in chunk for v in p.vacations)),
            repeat=True))
    return out


def _names_position(position: str, text: str) -> bool:
    """Whether ``text`` names ``position`` in any case form: each word's stem in turn
    («Финансовый контролер» in «согласует финансовым контролером»)."""
    words = re.findall(r"\w+", position.lower())
    if not words:
        return False
    stems = [w[:max(4, len(w) - 2)] for w in words]
    return re.search(r"\b" + r"\w*\W+".join(map(re.escape, stems)), text.lower()) is not None


def _approval_stems() -> list[str]:
    """The words of a requirement that asks for approvals (training.yaml's ``approvals``
    ``needs`` of the managers' control topic)."""
    return [str(stem) for e in _content()["management_extra"] if "approvals" in e
            for stem in e["approvals"]["needs"]]


def _decided_by(project: Project, person: Person) -> list[Any]:
    """The approvals in scope that ``person`` decides on: requirements that ask for
    approvals and name ``person``'s position."""
    modules = set(project.scope.modules)
    stems = _approval_stems()
    return [r for r in project.requirements if r.priority != "wont" and r.module in modules
            and person.position and _names_position(person.position, r.statement)
            and any(stem in r.statement.lower() for stem in stems)]


def _deciding(project: Project, people: list[Person]) -> dict[int, list[Person]]:
    """Per later stage, the key users who decide on one of its approvals."""
    backlog = build_backlog(project)
    out: dict[int, list[Person]] = {}
    for person in people:
        for r in _decided_by(project, person):
            n = requirement_iteration(project, backlog, r)
            if n > MVP and person not in out.setdefault(n, []):
                out[n].append(person)
    return out


def _with_decisions(project: Project, topics: list[Topic], extra: list[Topic],
                    persons: list[Person], n: int, lang: str) -> list[Topic]:
    """The iteration topic (``extra``) naming the stage-``n`` approvals ``persons`` decide
    on, each by its first clause, within its own hour (the plan's hours stay as they
    are); none added that ``topics`` teach already (a topic of their own or of their
    change). Without an iteration topic, one of the approvals in a requirement's hour."""
    backlog = build_backlog(project)
    taught = {t.id for t in topics}
    heads: list[str] = []
    for person in persons:
        for r in _decided_by(project, person):
            if requirement_iteration(project, backlog, r) != n or f"req.{r.id}" in taught \
                    or (r.change and f"change.{r.change}" in taught):
                continue
            text = r.topic or r.statement
            # every language has the topic (the sessions are placed once for all); a
            # Russian document does not quote an English project's requirement
            head = re.split(r":\s|;\s|,\s", first_sentence(" ".join(text.split())),
                            maxsplit=1)[0].rstrip(" .") if _in_language(text, lang) else (
                f"{'требование' if lang == 'ru' else 'requirement'} {r.id}")
            head = head[:1].lower() + head[1:]
            if head not in heads:
                heads.append(head)
            taught.add(f"req.{r.id}")
    if not heads:
        return extra
    lead = ("согласования в CRM, которые вы принимаете с этой итерации: " if lang == "ru"
            else "the approvals in the CRM you decide on from this iteration: ")
    if not extra:
        hours = float((_content().get("requirements") or {}).get("hours", 0.5))
        return [Topic(f"decisions.{n}", lead[:1].upper() + lead[1:] + "; ".join(heads), hours)]
    first = extra[0]
    return [replace(first, title=f"{first.title.rstrip('. ')}; {lead}{'; '.join(heads)}"),
            *extra[1:]]


def admin_people(project: Project) -> list[Person]:
    """The client's system administrators who are not key users: they learn the
    administration of the system in a course of their own (the key users' course has
    its basics)."""
    key = {p.id for p in key_user_people(project)}
    admin_depts = admin_class_users(project)
    return [p for p in project.team
            if p.side == "client" and p.id not in key and (
                "sysadmin" in p.roles
                or ("key_user" in p.roles and p.department in admin_depts))]


def admin_class_users(project: Project) -> dict[str, int]:
    """Per department, the users of its administrator classes: a user class of one
    department of the "other" kind (IT, security: not a business line, whose heads may
    have full rights too) with full rights to every module in scope (volga's four CRM
    administrators and two security officers). They learn administration, not a sales
    or collection course."""
    out: dict[str, int] = {}
    for c in project.user_classes:
        if c.id in _admin_classes(project):
            out[c.departments[0]] = out.get(c.departments[0], 0) + (c.users or 0)
    return out


def _admin_classes(project: Project) -> set[str]:
    """Ids of the administrator classes :func:`admin_class_users` counts."""
    modules = set(project.scope.modules)
    service = {d.id for d in project.client.departments if d.kind == "other"}
    return {c.id for c in project.user_classes
            if len(c.departments) == 1 and c.departments[0] in service and c.users
            and modules and all(c.rights.get(m) == "all" for m in modules)}


def admin_count(project: Project) -> tuple[int, dict[str, int]]:
    """How many people the administration course has: the named system administrators
    and the rest of the administrator classes' users (less their key users, who learn
    the basics in the key users' course); and how many it takes from each department."""
    named = admin_people(project)
    key = Counter(p.department for p in key_user_people(project) if p.department)
    own = Counter(p.department for p in named if p.department)
    taken: dict[str, int] = {}
    for dept, users in admin_class_users(project).items():
        taken[dept] = max(users - key[dept], own[dept])
    total = len(named) + sum(n - own[d] for d, n in taken.items())
    return total, taken


def expert_in_admin_course(project: Project) -> bool:
    """Whether the internal CRM expert learns the administration in the administrators'
    course (there is one, and the expert is a key user): the key users' course then
    leaves out the topics only the expert needs (``expert_only``), which a commercial
    director among the key users would sit through for nothing."""
    expert = project.training.crm_expert
    return bool(expert and admin_count(project)[0]
                and any(p.id == expert for p in key_user_people(project))
                and _content().get("admins"))


def _admin_groups(project: Project, people: list[Person], before: int, lang: str
                  ) -> list[TrainingGroup]:
    if not curriculum(project, ADMINS, lang):
        return []
    size = admin_count(project)[0]
    if not size:
        return []
    guests = 0
    if expert_in_admin_course(project):
        expert = project.person(project.training.crm_expert or "")
        if expert not in people:
            people, guests = [expert, *people], 1
    fmt, venue = (ONLINE, None) if project.training.format == ONLINE else \
        (ONSITE, training_site(project))
    return [TrainingGroup(
        # the expert who sits the course is no administrator: the name says both
        f"T{before + 1:02d}", ADMINS, None,
        word("training", "admins_group" if not guests else "admin_expert_group"
             if size == 1 else "admins_expert_group", lang),
        size + guests, curriculum(project, ADMINS, lang), [p.name for p in people],
        format=fmt, venue=venue,
        slots=_slots(None, session_setting(project), project.training.time_of_day),
        away=tuple(sorted((v.start, v.end) for p in people for v in p.vacations)),
        guests=guests)]


def group_sizes(groups: Sequence[TrainingGroup]) -> tuple[int, int] | None:
    """The smallest and the largest group of trainees (key users aside), or None."""
    sizes = [g.size for g in groups if g.kind not in (KEY_USERS, ADMINS)]
    return (min(sizes), max(sizes)) if sizes else None


def group_sizes_text(groups: Sequence[TrainingGroup], lang: str, *, each: bool = False
                     ) -> str:
    """The real sizes of the groups: "4 to 6 people", «от 4 до 6 человек»; one size:
    "5 people", «5 человек» (``each``: «по 5 человек»)."""
    from crmimpl.i18n import count_of, number

    found = group_sizes(groups)
    if found is None:
        return ""
    lo, hi = found
    if lang == "ru":
        if lo == hi:
            return ("по " if each else "") + count_of(hi, "человек", lang)
        return f"от {number(lo, lang)} до {count_of(hi, 'человек', lang, case='gent')}"
    if lo == hi:
        return count_of(hi, "person", lang, plural="people")
    return f"{number(lo, lang)} to {count_of(hi, 'person', lang, plural='people')}"


def group_rule_text(groups: Sequence[TrainingGroup], lo: int, hi: int, lang: str) -> str:
    """The size of the department groups as the plan states it: their real range when
    every group keeps to the project's norm ``lo``–``hi`` (or when none does: the
    departments are small), else the norm itself ("a usual user group has 7 to 10
    people"), the groups below it explained one by one next to it. Key users and
    administrators are counted apart (their groups are formed by who they are)."""
    from crmimpl.i18n import count_of, number

    sizes = [g.size for g in groups if g.kind not in (KEY_USERS, ADMINS)]
    if not sizes:
        return ""
    inside = [lo <= s <= hi for s in sizes]
    if all(inside) or not any(inside):
        real = group_sizes_text(groups, lang)
        return (f"В группе пользователей {real}" if lang == "ru"
                else f"A user group has {real}")
    if lang == "ru":
        if lo <= 1:
            norm = f"не более {count_of(hi, 'человек', lang, case='gent')}"
        elif lo == hi:
            norm = count_of(hi, "человек", lang)
        else:
            norm = f"от {number(lo, lang)} до {count_of(hi, 'человек', lang, case='gent')}"
        return f"Обычная группа пользователей — {norm}"
    if lo <= 1:
        norm = f"at most {count_of(hi, 'person', lang, plural='people')}"
    elif lo == hi:
        norm = count_of(hi, "person", lang, plural="people")
    else:
        norm = f"{number(lo, lang)} to {count_of(hi, 'person', lang, plural='people')}"
    return f"A user group normally has {norm}"


def group_rule(project: Project, groups: Sequence[TrainingGroup], lang: str
               ) -> tuple[int, list[str]]:
    """The rule the plan forms its groups by, one truth for the training plan and the
    specification: the largest group (never below the project's usual size) and who is
    trained apart: key users first, managers with a group of their own, everyone else by
    department (and shift), small departments together. Not a range computed from the
    groups, which a group of one contradicts, nor a separation the plan does not make."""
    names = {d.id: d.name for d in project.client.departments}
    if not groups:
        return 0, []
    ru = lang == "ru"
    limit = max([project.training.group_size,
                 *(g.size for g in groups if g.kind not in (KEY_USERS, ADMINS))])
    parts = []
    if any(g.kind == KEY_USERS for g in groups):
        parts.append("ключевые пользователи обучаются первыми и отдельно" if ru
                     else "key users are trained first and apart")
    # a heads' group of several departments (retail and SME heads together) counts for
    # each of them: the training plan trains those heads apart too
    apart = [names.get(d, d) for g in groups if g.kind == "management"
             for d in (g.people if g.heads and len(g.people) > 1
                       else [g.department_id] if g.department_id and len(g.people) <= 1
                       else [])]
    if apart:
        # one phrase each: a management department is trained apart as a whole; other
        # departments' managers (supervisors, office heads) in groups of their own
        from crmimpl.i18n import join

        kinds = {d.name: d.kind for d in project.client.departments}
        whole = [n for n in dict.fromkeys(apart) if kinds.get(n) == "management"]
        heads = [n for n in dict.fromkeys(apart) if kinds.get(n) != "management"]
        if heads:
            which = join([f"«{n}»" if ru else n for n in heads], lang, last=True)
            parts.append((f"руководители подразделени{'я' if len(heads) == 1 else 'й'} "
                          f"{which} — в своих группах") if ru
                         else f"the managers of {which} in groups of their own")
        for name in whole:
            parts.append(f"подразделение «{name}» — отдельно" if ru
                         else f"{name} trained apart")
    shifts = any(g.shift for g in groups)
    parts.append(("остальные сотрудники — по подразделениям и сменам" if shifts
                  else "остальные сотрудники — по подразделениям") if ru
                 else ("everyone else by department and shift" if shifts
                       else "everyone else by department"))
    if any(g.kind == MIXED or len(g.people) > 1 for g in groups
           if g.kind not in (KEY_USERS, ADMINS)):
        parts.append("небольшие подразделения — в сводных группах" if ru
                     else "small departments in mixed groups")
    return limit, parts


def training_site(project: Project) -> str | None:
    """Where onsite sessions are held: ``training.site``, else the first location."""
    return project.training.site or next(iter(project.client.locations), None)


_CONTROL: tuple[Module, ...] = ("reports", "kpi_dashboards")
_WIDER = {"department", "all", "read_all_edit_own"}


def main_class(project: Project, dept: str) -> Any:
    """The department's main user class: its largest own class (one naming only this
    department) before a class shared with others (the heads of two sales lines, who
    are 6 of the SME unit's 48 people though their class has 46). Its rights are what
    the department's course teaches; None when no class names the department."""
    classes = [c for c in project.user_classes if dept in c.departments]
    return max(classes, key=lambda c: (c.departments == [dept], c.users or 0)) \
        if classes else None


def head_classes(project: Project, dept: str) -> list[Any]:
    """The user classes of a department's heads: not its main class, with the
    department's (or everyone's) reports or dashboards where the main class sees only
    its own or none (office heads beside the client managers, supervisors beside the
    operators)."""
    if project.project.mode in ("express", "cti"):
        return []
    return _head_classes(project, dept)


def _head_classes(project: Project, dept: str) -> list[Any]:
    """:func:`head_classes` in any mode (an express or CTI project trains its heads with
    their staff, yet they lead the department's work all the same)."""
    main = main_class(project, dept)
    if main is None:
        return []
    # an administrator class has every right without leading anyone (northwind's
    # systems engineer made the engineering head, who uses no CRM, a phantom trainee)
    admins = _admin_classes(project)
    return [c for c in project.user_classes
            if dept in c.departments and c is not main and c.users and c.id not in admins
            and any(c.rights.get(m) in _WIDER and main.rights.get(m) not in _WIDER
                    for m in _CONTROL)]


def head_count(project: Project, dept: Department) -> int:
    """How many of a department's users are its heads: the users of its head classes (a
    class shared by several departments: what the department's users leave after its
    own single-department classes)."""
    heads = head_classes(project, dept.id)
    if not heads or dept.kind == "management":
        return 0
    own = sum(c.users or 0 for c in project.user_classes
              if c.departments == [dept.id] and c not in heads)
    users = {d.id: d.users for d in project.client.departments}
    out = 0
    for c in heads:
        if c.departments == [dept.id]:
            out += c.users or 0
        elif own:  # what the department's own classes leave
            out += min(c.users or 0, max(dept.users - own - out, 0))
        else:  # shared in proportion to the departments' users
            total = sum(users.get(d, 0) for d in c.departments) or 1
            out += round((c.users or 0) * dept.users / total)
    return min(out, max(dept.users - own, 0))


def _key_heads(project: Project, dept: Department, heads: set[str] | None = None) -> int:
    """How many of the department's key users work in one of its heads' classes (their
    ``user_class``; ``heads``: those classes' ids, by default :func:`head_classes`')."""
    heads = {c.id for c in head_classes(project, dept.id)} if heads is None else heads
    if not heads:
        return 0
    # the department's own head is one of its heads whatever class the team names
    # (round 19: the sales head, a key user, left a phantom head in the staff's group)
    return sum(1 for p in key_user_people(project)
               if p.department == dept.id and (p.user_class in heads or p.name == dept.head))


def led_modules(project: Project, departments: Sequence[str]) -> set[str]:
    """Modules whose work the heads of ``departments`` lead: a head class's right is wider
    (department, all) than the main class's, who work in it too (supervisors assign the
    operators' call lists, keep the knowledge base, listen to their calls; the SME heads
    lead no call lists where their managers have none)."""
    out: set[str] = set()
    for d in departments:
        main = main_class(project, d)
        if main is None:
            continue
        out |= {m for c in head_classes(project, d) for m, access in c.rights.items()
                if access in _WIDER
                and main.rights.get(m, "none") not in ("none", *_WIDER)}
    return out


def _named_for(project: Project, stems: list[str], departments: Sequence[str]) -> bool:
    """Whether a requirement of this version (not "won't") names one of ``stems`` and
    comes from one of ``departments`` (its source, or its source person's department),
    or ``departments`` include the company's management, who decide across them."""
    from crmimpl.plan.backlog import source_department

    if any(d.kind == "management" for d in project.client.departments
           if d.id in departments):
        return project_names(project, stems)
    return any(stem in r.statement.lower() for r in project.requirements
               if r.priority != "wont" and source_department(project, r) in departments
               for stem in stems)


def head_modules(project: Project, departments: Sequence[str]) -> set[str]:
    """Modules the heads of ``departments`` may open (their head classes' rights)."""
    return {m for d in departments for c in head_classes(project, d)
            for m, access in c.rights.items() if access != "none"}


def _units(project: Project, dept: Department, index: int, taken: int, wave: int | None
           ) -> list[_Unit]:
    """The department's people to train, per shift (key users are trained already);
    ``wave`` is its iteration in iterative mode: people of different iterations never
    share a group."""
    if not trained(project, dept):
        return []
    away = sum(part.users for part in dept.sites)
    fmt, venue = _format(project, dept.site)
    # the heads learn to lead in groups of their own, each where their office trains;
    # key users of a heads' class (a supervisor who is the internal expert) are trained
    # already and leave the heads' groups, not the staff's
    heads = max(head_count(project, dept) - _key_heads(project, dept), 0)
    part_heads = [round(heads * part.users / dept.users) for part in dept.sites]
    main_heads = heads - sum(part_heads)
    counts = _shift_counts(dept, max(dept.users - taken - away - main_heads, 0))
    shifts: list[Shift | None] = list(dept.shifts) or [None]
    busy = tuple(dept.busy)
    # managers learn apart (dashboards and control, not their staff's data entry), and a
    # general director is not put in a group of accountants: management never pools,
    # except in an express project, which trains its few people in a day
    lead = dept.kind == "management" and project.project.mode != "express"
    # field staff in the mobile client never share a group with desk staff
    mobile = on_mobile(project, [dept.id])
    # people of different pilot waves never share a group either: a group learns the
    # system together shortly before its own wave starts using it
    pilot = wave_of(project).get(dept.id)
    # a part at another site may start with a later wave than its head office
    later = part_waves(project)
    # the colleagues on duty while a shift (or the office) learns: the rest may go
    caps: list[int | None] = ([None] * len(shifts) if lead or dept.on_duty is None
                              else [cap for _, cap in _release(dept)[0]])
    units = [_Unit(dept, index, shift, count, fmt,
                   (0, fmt, venue, (shift.start, shift.hours) if shift else None, wave,
                    pilot, busy, mobile, lead),
                   venue, wave=pilot, cap=cap)
             for shift, count, cap in zip(shifts, counts, caps, strict=True)]
    if not head_classes(project, dept.id) and units and dept.kind != "management":
        # an express or CTI project trains the heads with their staff: the staff's
        # group (the first, the head office's) then has the head's own topic too
        classes = {c.id for c in _head_classes(project, dept.id)}
        # a head who is a key user learns it in the key users' course
        if classes and not _key_heads(project, dept, classes):
            units[0] = replace(units[0], led=1)
    for part, n in zip(dept.sites, part_heads, strict=True):
        where, place = _format(project, part.site)
        own = later.get((dept.id, part.site), pilot)
        # a part that starts after its head office is a team of its own: it learns with
        # its colleagues, not with another department that happens to share its wave
        alone = (wave, part.site) if own != pilot else wave
        # a site in another time zone learns in its own office hours: never in a group
        # with people on the schedule's clock
        off = site_offset(project, part)
        units.append(_Unit(dept, index, None, part.users - n, where,
                           (off, where, place, None, alone, own, busy, mobile, lead), place,
                           part.name or part.site, wave=own, offset=off))
    for where, place, n, own, off, name in [(fmt, venue, main_heads, pilot, 0, None)] + [
            (*_format(project, part.site), k, later.get((dept.id, part.site), pilot),
             site_offset(project, part), part.name or part.site)
            for part, k in zip(dept.sites, part_heads, strict=True)]:
        if n > 0:
            # the heads of a site on another clock are named by their site, as its staff
            # the heads at its own site count in the people on duty too (round 19: the
            # collection heads' group met with three staff groups, 26 of 40 away)
            cap = caps[0] if name is None and not dept.shifts else None
            units.append(_Unit(dept, index, None, n, where,
                               (off, where, place, None, wave, busy, False, ("heads", own)),
                               place, name if off else None, heads=True, wave=own,
                               offset=off, cap=cap))
    return units


def site_offset(project: Project, part: Any) -> int:
    """Minutes the clock of a department's site (``SitePart.timezone``) is ahead of the
    project's (negative behind), on the project's start day; 0 without a zone of its
    own or of the project."""
    zone = getattr(part, "timezone", None)
    if not zone or not project.timezone or zone == project.timezone:
        return 0
    from crmimpl.countries import utc_offset_hours

    day = project.project.start
    return round((utc_offset_hours(zone, day) - utc_offset_hours(project.timezone, day)) * 60)


def onsite_venues(project: Project) -> list[str]:
    """Where groups meet in person: the training site, then ``training.sites``."""
    first = training_site(project)
    return list(dict.fromkeys(([first] if first else []) + list(project.training.sites)))


def _format(project: Project, site: str | None) -> tuple[str, str | None]:
    """Onsite (and where) or online for people working at ``site`` (None: the training
    site). People at a venue of ``training.sites`` are trained there in person."""
    fmt: str = project.training.format
    venues = onsite_venues(project)
    here = site if site in venues else (venues[0] if venues else None)
    if fmt == "mixed":
        return (ONLINE, None) if site is not None and site not in venues else (ONSITE, here)
    return (fmt, here if fmt == ONSITE else None)


def _shift_counts(dept: Department, users: int) -> list[int]:
    """People per shift: as written, the rest split evenly; fewer (heads and key users,
    trained in their own groups) from every shift alike."""
    if not dept.shifts:
        return [users]
    counts = dept.rosters()
    total = sum(counts)
    if total <= users:
        return counts
    # the people trained elsewhere (heads, key users) leave every shift equally: each
    # shift has its own supervisors (74 and 66 of 140 with 20 heads train 64 and 56
    # operators, the client's own figures; in proportion it was 63 and 57). A shift
    # smaller than its share gives what it has; a remainder comes from the larger shifts.
    give = [0] * len(counts)
    left = total - users
    while left > 0:
        active = [i for i, n in enumerate(counts) if n > give[i]]
        if not active:
            break
        share = max(left // len(active), 1)
        for i in sorted(active, key=lambda i: (-counts[i], i)):
            step = min(share, counts[i] - give[i], left)
            give[i] += step
            left -= step
            if not left:
                break
    return [n - g for n, g in zip(counts, give, strict=True)]


def _pool_groups(units: list[_Unit], lo: int, hi: int) -> list[tuple[_Spec, str | None]]:
    """Groups of one pool: each department split evenly; what is left of departments too
    small for a group (or for an even split) merged with the nearest departments."""
    own: list[tuple[_Spec, str | None]] = []
    left: _Spec = []
    for unit in units:
        n = unit.count
        k = math.ceil(n / hi)
        if n == 0:
            continue
        if unit.cap is not None and unit.cap < min(n, hi):
            # colleagues stay at work: groups of its own, no larger than it can release
            parts = split_evenly(n, unit.cap)
            shift = f" ('{unit.shift.name}' shift)" if unit.shift else ""
            note = (f"training groups of '{unit.dept.id}'{shift}: {unit.dept.on_duty} "
                    "stay at work during the sessions, so the plan trains"
                    f" {n} people in groups of at most {unit.cap}"
                    if min(parts) < lo else None)
            own += [([(unit, c)], note) for c in parts]
            continue
        if n >= k * lo:
            own += [([(unit, c)], None) for c in split_evenly(n, hi)]
            continue
        # k - 1 groups of the minimum; the most people possible left to merge
        own += [([(unit, c)], None) for c in split_evenly((k - 1) * lo, hi)]
        left.append((unit, n - (k - 1) * lo))
    if not left:
        return own
    own, left = _borrow(own, left, lo, hi)
    left.sort(key=lambda m: (_kind_rank(m[0].dept), m[0].dept.site or "", m[0].index))
    sizes = split_evenly(sum(c for _, c in left), hi)
    alone = len({u.dept.id for u, _ in left}) == 1
    if min(sizes) < lo and alone:
        unit = left[0][0]
        own = [g for g in own if g[0][0][0] is not unit]
        parts = split_evenly(unit.count, hi)
        note = _note(unit, lo, hi, split=unit.count > hi, sizes=parts)
        return own + [([(unit, c)], note) for c in parts]
    packed = _pack_whole(left, len(sizes), min(lo, min(sizes)), hi) or _pack(left, sizes)
    return own + [(spec, _mixed_note(spec, lo) if sum(c for _, c in spec) < lo else None)
                  for spec in packed]


def _fits(total: int, lo: int, hi: int) -> bool:
    """Whether ``total`` people make groups of ``lo``–``hi`` (split evenly)."""
    return total >= lo and math.ceil(total / hi) * lo <= total


def _borrow(own: list[tuple[_Spec, str | None]], left: _Spec, lo: int, hi: int
            ) -> tuple[list[tuple[_Spec, str | None]], _Spec]:
    """Top the people left to merge up to a number that makes whole groups, with people
    from the largest department groups (never below ``lo``), when that is possible.

    Eleven people left over (two groups of 5 and 6) become 14 (two of 7) when three come
    from a department group of 10, which then has 7.
    """
    # only a department of a kind already in the mix lends: a salesperson put with the
    # accountants to make up their number trains apart from the own department's group
    kinds = {u.dept.kind for u, _ in left}
    total = sum(c for _, c in left)
    # a department with colleagues on duty lends nobody: its groups are sized for that
    lends = [spec[0][0].dept.kind in kinds and spec[0][0].cap is None for spec, _ in own]
    spare = sum(spec[0][1] - lo for (spec, _), ok in zip(own, lends, strict=True)
                if ok)
    need = next((d for d in range(spare + 1) if _fits(total + d, lo, hi)), None)
    if not need:
        return own, left
    counts = {id(u): c for u, c in left}
    units = {id(u): u for u, _ in left}
    out: list[tuple[_Spec, str | None]] = []
    for spec, note in sorted(own, key=lambda g: -g[0][0][1]):
        unit, count = spec[0]
        take = min(count - lo, need) if unit.dept.kind in kinds and unit.cap is None else 0
        need -= take
        if take:
            counts[id(unit)] = counts.get(id(unit), 0) + take
            units[id(unit)] = unit
        out.append(([(unit, count - take)], note))
    order = {id(spec[0][0]): i for i, (spec, _) in enumerate(own)}
    out.sort(key=lambda g: order[id(g[0][0][0])])
    return out, [(units[k], c) for k, c in counts.items()]


def _pack_whole(left: _Spec, count: int, lo: int, hi: int) -> list[_Spec] | None:
    """Fill ``count`` groups of ``lo``–``hi`` with whole departments (none split between
    two groups), each tried first in the earliest group with room so departments of a
    kind stay together; None when no such packing exists (or the search is too large)."""
    if len(left) > 12 or count > 4:
        return None
    bins: list[_Spec] = [[] for _ in range(count)]
    sums = [0] * count
    rest = [sum(n for _, n in left[i:]) for i in range(len(left) + 1)]

    def place(i: int) -> bool:
        if i == len(left):
            return all(total >= lo for total in sums)
        if sum(max(lo - total, 0) for total in sums) > rest[i]:
            return False
        unit, n = left[i]
        for b in range(count):
            if sums[b] + n <= hi:
                bins[b].append((unit, n))
                sums[b] += n
                if place(i + 1):
                    return True
                bins[b].pop()
                sums[b] -= n
        return False

    return bins if place(0) else None


def _pack(left: _Spec, sizes: list[int]) -> list[_Spec]:
    """Fill groups of ``sizes`` with the people ``left`` in order (a department may
    continue into the next group)."""
    queue = list(left)
    out: list[_Spec] = []
    for size in sizes:
        spec: _Spec = []
        need = size
        while need:
            unit, count = queue[0]
            take = min(count, need)
            spec.append((unit, take))
            need -= take
            if take == count:
                queue.pop(0)
            else:
                queue[0] = (unit, count - take)
        out.append(spec)
    return out


def _where(unit: _Unit) -> str:
    """How the unit is trained, for messages: "online, in the 'night' shift"."""
    shift = f", in the '{unit.shift.name}' shift" if unit.shift else ""
    return ("online" if unit.format == ONLINE else "on site") + shift


def _note(unit: _Unit, lo: int, hi: int, *, split: bool,
          sizes: list[int] | None = None) -> str:
    """What the plan did with a unit that does not fit the group norm: the groups it
    formed («split into groups of 7, 7 and 6»), not only what could not be done."""
    formed = ""
    if split and sizes:
        shown = ", ".join(str(n) for n in sizes[:-1]) + f" and {sizes[-1]}"
        formed = f"; the plan trains them in groups of {shown}"
    what = (f"{unit.count} people do not divide into groups of {lo}–{hi}{formed}" if split
            else f"{unit.count} people to train, fewer than the minimum group of {lo}")
    if unit.pool[-1]:  # managers are never pooled with other departments
        return (f"training groups of the managers of '{unit.dept.id}': {what}; managers "
                "are trained apart from other departments, so no one is added to even "
                "the groups out")
    return (f"training group of '{unit.dept.id}': {what}, and no other department "
            f"trained {_where(unit)} to merge with")


def _mixed_note(spec: _Spec, lo: int) -> str:
    ids = ", ".join(dict.fromkeys(u.dept.id for u, _ in spec))
    total = sum(c for _, c in spec)
    return (f"mixed training group of {ids} (trained {_where(spec[0][0])}): only {total} "
            f"people left to merge, fewer than the minimum group of {lo}")


def _numbering(specs: list[_Spec]) -> list[tuple[int, int]]:
    """(n, of) for each group of one department and shift, (0, 0) for mixed groups."""
    def key(spec: _Spec) -> tuple[str, str] | None:
        unit = spec[0][0]
        if unit.heads:  # heads' groups of the same departments are numbered together
            return ("heads:" + ",".join(sorted({u.dept.id for u, _ in spec})),
                    unit.part or "")
        if len({u.dept.id for u, _ in spec}) > 1:
            return None
        return unit.dept.id, (unit.shift.name if unit.shift else "") + (unit.part or "")

    totals = Counter(key(s) for s in specs)
    seen: Counter[tuple[str, str] | None] = Counter()
    out = []
    for spec in specs:
        k = key(spec)
        seen[k] += 1
        out.append((seen[k], totals[k]) if k is not None else (0, 0))
    return out


def _group(project: Project, lang: str, gid: str, spec: _Spec, number: tuple[int, int],
           note: str | None) -> TrainingGroup:
    people: Counter[str] = Counter()
    for u, count in spec:
        people[u.dept.id] += count
    depts = list(people)
    units = {u.dept.id: u for u, _ in spec}
    unit = spec[0][0]
    kinds = tuple(sorted({units[d].dept.kind for d in depts}, key=KIND_ORDER.index))
    heads = any(u.heads for u, _ in spec)
    shift = f", {unit.shift.name}" if unit.shift else ""
    shift += f", {unit.part}" if unit.part and all(u.part == unit.part for u, _ in spec) else ""
    if heads:
        depts = [d for d in depts if units[d].dept.kind != "management"] + [
            d for d in depts if units[d].dept.kind == "management"]
        kinds = ("management",)
        prefix = "Руководители" if lang == "ru" else "Heads"
        n, of = number
        # the first department as written, the rest lower-case inside the list
        name = f"{prefix}: " + _after_colon((units[d].dept.name for d in depts), lang) + (
            f", {unit.part}" if unit.part else "") + (f" ({n}/{of})" if of > 1 else "")
    elif len(depts) == 1:
        n, of = number
        name = unit.dept.name + shift + (f" ({n}/{of})" if of > 1 else "")
    else:
        prefix = "Сводная группа" if lang == "ru" else "Mixed group"
        parts = {u.dept.id: u.part for u, _ in spec if u.part}
        name = f"{prefix}: " + _after_colon(
            (units[d].dept.name + (f" ({parts[d]})" if d in parts else "") for d in depts),
            lang) + (f", {unit.shift.name}" if unit.shift else "")
    kind = kinds[0] if len(kinds) == 1 else MIXED
    settings = project.training
    mobile = bool(unit.pool[-2])
    # field staff: at the start of their day, before they leave for clients
    slots = ((unit.shift.start,) if unit.shift else FIELD_SLOTS) if mobile else \
        _slots(unit.shift, session_setting(project), settings.time_of_day)
    topics = curriculum(project, kinds, lang, depts, heads=heads)
    if len(depts) > 1 and not heads and mode_day_hours(project) is not None:
        topics = _in_blocks(project, topics, depts, lang)
    if not heads and any(u.led for u, _ in spec) and number[0] <= 1 \
            and not unit.pool[-2]:
        # the head sits in the department's first group; field staff's short sessions
        # before their first visit hold no head's topic (at most field_session_hours)
        topics = _with_heads(project, topics, lang)
    return TrainingGroup(
        gid, kind, depts[0] if len(depts) == 1 else None, name, sum(c for _, c in spec),
        topics, people=dict(people),
        shift=unit.shift.name if unit.shift else None, format=unit.format,
        slots=slots, kinds=kinds, note=note, venue=unit.venue,
        windows=_windows(unit.shift, [d for u, _ in spec for d in u.dept.busy]),
        mobile=mobile, heads=heads,
        wave=min((u.wave for u, _ in spec if u.wave is not None), default=None),
        offset=unit.offset,
        cover=(cover := _covers(spec)),
        day_span=_day_span(unit.shift) if cover else None)


def _day_span(shift: Shift | None) -> tuple[int, int]:
    """The working day of a shift (else the office day), minutes from midnight."""
    if shift is None:
        return _minutes(OFFICE_DAY[0]), _minutes(OFFICE_DAY[1])
    return _minutes(shift.start), _minutes(shift.start) + round(shift.hours * 60)


OFFICE_DAY = ("09:00", "18:00")
# Field staff are trained at the start of their day, before the first visit: at the
# morning briefing, else an hour later.
FIELD_SLOTS = ("08:00", "09:00")
LUNCH = ("13:00", "14:00")


def _windows(shift: Shift | None, busy: Sequence[str]) -> tuple[tuple[int, int], ...] | None:
    """The free spans of a working day (the shift, else the office day less lunch) once
    the department's busy hours are taken out, in minutes from midnight, each at least
    half an hour and on quarter hours; None without busy hours."""
    if not busy:
        return None
    if shift is None:
        begin, end = (_minutes(t) for t in OFFICE_DAY)
        taken = [tuple(_minutes(t) for t in LUNCH)]
    else:
        begin = _minutes(shift.start)
        end, taken = begin + round(shift.hours * 60), []
    for span in busy:
        a, b = (_minutes(t) for t in span.split("-"))
        taken += [(a + k * _DAY, b + k * _DAY) for k in (0, 1)]  # a night shift's next day
    free = [(begin, end)]
    for a, b in taken:
        free = [part for lo, hi in free
                for part in ((lo, min(hi, a)), (max(lo, b), hi)) if part[0] < part[1]]
    spans = [(-(-lo // 15) * 15, hi // 15 * 15) for lo, hi in free]
    return tuple((lo, hi) for lo, hi in spans if hi - lo >= 30)


def _starts(group: TrainingGroup, span: int, time_of_day: str) -> list[str]:
    """Start times a session lasting ``span`` minutes (its breaks included) may take: the
    group's slots, or with busy hours the start of each free span it fits in (late spans
    first for the afternoon). A group whose colleagues stay on duty may also end its
    session with the working day: the shift's next group then learns the same day."""
    starts = _own_starts(group, span, time_of_day)
    if group.day_span is not None and group.windows is None:
        last = _clock((group.day_span[1] - span) // 15 * 15 - group.offset)
        if _minutes(last) + group.offset >= group.day_span[0] and last not in starts:
            starts.append(last)
    return starts


def _own_starts(group: TrainingGroup, span: int, time_of_day: str) -> list[str]:
    """:func:`_starts` from the group's slots or free spans."""
    if group.windows is None:
        if group.shift is None and group.slots and set(group.slots) <= set(SLOT_TIMES):
            # the office day's slots, in the group's own office hours (an office an hour
            # behind starts at 10:00 its time, 11:00 on the schedule's clock)
            own = [_minutes(t) - group.offset for t in _office_starts(span, time_of_day)]
            if group.offset < 0:
                # a site behind the trainer's clock takes its afternoon first: the trainer
                # teaches a morning group of his own town, then this one (Пенза 14:00 is
                # 15:00 in Самара), instead of losing the day to one late morning session
                own.reverse()
            return [_clock(m) for m in own]
        return [_clock(_minutes(t) - group.offset) for t in group.slots]
    fits = [(lo, hi) for lo, hi in group.windows if hi - lo >= span]
    if time_of_day == "afternoon":
        need = -(-span // 15) * 15
        return [_clock(max(lo, hi - need)) for lo, hi in reversed(fits)]
    return [_clock(lo) for lo, _ in fits]


def _office_starts(span: int, time_of_day: str) -> list[str]:
    """The office day's start times for a session of ``span`` minutes: 10:00 and 14:30,
    the afternoon earlier (not before lunch ends) so it ends with the office day, and the
    morning earlier where the day then still holds both sessions with a break for the
    trainer between them (a four-hour session taught 14:30–18:50 kept people past the
    end of their day)."""
    day_start, day_end = (_minutes(t) for t in OFFICE_DAY)
    morning, afternoon = (_minutes(t) for t in SLOT_TIMES)
    afternoon = max(_minutes(LUNCH[1]), min(afternoon, (day_end - span) // 15 * 15))
    earliest = afternoon - OFFICE_GAP - span
    if earliest >= day_start:  # a longer session is never taught twice in a day
        morning = min(morning, earliest // 15 * 15)
    chosen = {"morning": [morning], "afternoon": [afternoon]}.get(
        time_of_day, [morning, afternoon])
    return [_clock(m) for m in chosen]


# Minutes a trainer has between a morning and an afternoon session of the office day.
OFFICE_GAP = 30


def _slots(shift: Shift | None, session_hours: float, time_of_day: str) -> tuple[str, ...]:
    """Session start times: the office day's, or early and late inside the shift (an
    hour after it starts, and ending an hour before it ends, where the shift allows)."""
    if shift is None:
        morning, afternoon = (_minutes(t) for t in SLOT_TIMES)
    else:
        start, length = _minutes(shift.start), round(shift.hours * 60)
        room = max(length - round(session_hours * 60), 0)
        lead = min(60, room // 2) // 15 * 15
        morning = start + lead
        afternoon = start + lead + (room - 2 * lead) // 15 * 15
    chosen = {"morning": [morning], "afternoon": [afternoon]}.get(
        time_of_day, [morning, afternoon])
    return tuple(dict.fromkeys(_clock(m) for m in chosen))


def _minutes(clock: str) -> int:
    hour, minute = clock.split(":")
    return int(hour) * 60 + int(minute)


def _clock(minutes: int) -> str:
    minutes %= _DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _kind_rank(dept: Department) -> int:
    return KIND_ORDER.index(dept.kind)


def _chunks(people: list[Person], size: int) -> list[list[Person]]:
    sizes = split_evenly(len(people), size)
    out, start = [], 0
    for count in sizes:
        out.append(people[start:start + count])
        start += count
    return out


def training_warnings(project: Project, sessions: list[Session]) -> list[PlanWarning]:
    """A warning for each trained group outside ``group_min``–``group_size`` (why)."""
    taught = {s.group_id for s in sessions}
    # Every group of a unit carries the unit's note: one warning per note.
    notes = dict.fromkeys(g.note for g in build_groups(project, "en")
                          if g.note is not None and g.id in taught)
    return [PlanWarning("training", note) for note in notes]


def trainers_of(project: Project) -> list[Person]:
    """Named trainers, else people with the trainer role, else consultants."""
    if project.training.trainers:
        return [project.person(t) for t in project.training.trainers]
    for role in ("trainer", "consultant", "project_manager"):
        people = project.people_with(role)
        if people:
            return people
    raise CrmimplError.single("project.yaml", "nobody can run the training",
                              hint="add the role trainer to a team member")


# A session shorter than this is merged with the group's next (or previous) one, even
# if that session then passes the session length by the short topic's minutes: people
# are not taken off their work for half an hour of teaching.
SHORTEST_SESSION_HOURS = 0.75


def _session_topics(group: TrainingGroup, session_hours: float) -> list[tuple[int, ...]]:
    """Cut the curriculum into sessions of at most ``session_hours`` (topics stay whole
    and in order; a topic longer than a session is a session of its own), as few as
    possible and, among those, as even as possible: no half-hour session on a day of its
    own left over where the topics before it can be spread differently. A session
    shorter than SHORTEST_SESSION_HOURS is avoided first: its topics join the session
    beside it, which may then pass ``session_hours`` by less than that. Topics as
    curriculum positions."""
    hours = [t.hours for t in group.topics]
    n = len(hours)
    if not n:
        return []
    limit = session_hours + 1e-9
    short = SHORTEST_SESSION_HOURS - 1e-9

    def allowed(i: int, j: int, used: float) -> tuple[bool, int]:
        """Whether topics i..j make a session, and whether it passes the limit (1)."""
        if j == i or used <= limit:
            return True, 0
        # a short topic at either end joins a session that fits without it
        ends = [k for k, rest in ((i, used - hours[i]), (j, used - hours[j]))
                if hours[k] < short and rest <= limit]
        return bool(ends), 1

    # best[i]: (short sessions, overruns, sessions, sum of squared idle hours) to teach
    # topics i.. ; cut[i]: first topic of the next session
    best: list[tuple[int, int, int, float]] = [(0, 0, 0, 0.0)] * (n + 1)
    cut = [n] * (n + 1)
    for i in range(n - 1, -1, -1):
        found: tuple[int, int, int, float] | None = None
        used = 0.0
        for j in range(i, n):
            used += hours[j]
            ok, over = allowed(i, j, used)
            if not ok:
                if used > limit + SHORTEST_SESSION_HOURS:
                    break
                continue
            rest = best[j + 1]
            idle = max(session_hours - used, 0.0)
            score = (rest[0] + (used < short), rest[1] + over, rest[2] + 1,
                     rest[3] + idle * idle)
            if found is None or score < found:
                found, cut[i] = score, j + 1
        assert found is not None
        best[i] = found
    out: list[tuple[int, ...]] = []
    i = 0
    while i < n:
        out.append(tuple(range(i, cut[i])))
        i = cut[i]
    return out


def session_length(project: Project) -> float:
    """Longest session: :func:`session_setting`, shorter when no trainer has that many
    hours in a day (availability × ``plan.hours_per_day``)."""
    day = project.plan.hours_per_day
    return min(session_setting(project),
               max(t.availability * day for t in trainers_of(project)))


@dataclass
class _Pending:
    group: TrainingGroup
    parts: list[tuple[int, ...]]
    earliest: date
    done: int = 0
    last_day: date | None = None
    trainer: str | None = None
    keep: bool = False

    @property
    def finished(self) -> bool:
        return self.done == len(self.parts)


@dataclass
class _Diary:
    """What each trainer is booked for: minutes from day zero, hours per day.

    ``span`` is the longest working day in minutes, from the start of a trainer's first
    session to the end of the last: a morning class and a night-shift class are never
    given to one trainer on one day, however few hours they add up to.
    """

    capacity: dict[str, float]
    span: int
    rooms: int = 1
    time_of_day: str = "any"
    busy: dict[tuple[str, date], list[tuple[int, int]]] = field(default_factory=dict)
    hours: dict[tuple[str, date], float] = field(default_factory=dict)
    venue: dict[tuple[str, date], str] = field(default_factory=dict)
    """Where each trainer teaches in person that day: one venue a day (travel)."""
    classes: dict[tuple[str, date], list[tuple[int, int]]] = field(default_factory=dict)
    """Onsite sessions per venue and day: never more at once than ``rooms``."""
    cover: dict[tuple[str, date], list[tuple[int, int, int]]] = field(default_factory=dict)
    """Sessions per department shift with colleagues on duty (:attr:`TrainingGroup.cover`)
    and the people of that shift in each: never more at once than it can release."""

    def room_free(self, venue: str | None, day: date, begin: int, hours: float,
                  length: int | None = None) -> bool:
        """Whether a classroom of ``venue`` is free for the span (online: always)."""
        if venue is None:
            return True
        lo, hi = _at(day, begin), _at(day, begin) + (length or round(hours * 60))
        near = [(venue, day - timedelta(days=1)), (venue, day)]
        taken = [(a, b, 1) for key in near for a, b in self.classes.get(key, [])]
        return _peak(taken, lo, hi) < self.rooms

    def free(self, trainer: Person, day: date, begin: int, hours: float,
             venue: str | None = None, length: int | None = None) -> bool:
        """Whether ``trainer`` can teach ``hours`` from minute ``begin`` of ``day`` (at
        ``venue`` in person, None online)."""
        if any(v.start <= day <= v.end for v in trainer.vacations):
            return False
        if venue is not None and self.venue.get((trainer.id, day), venue) != venue:
            return False
        if not self.room_free(venue, day, begin, hours, length):
            return False
        if self.hours.get((trainer.id, day), 0.0) + hours > self.capacity[trainer.id] + 1e-9:
            return False
        lo, hi = _at(day, begin), _at(day, begin) + (length or round(hours * 60))
        today = self.busy.get((trainer.id, day), [])
        if today and max(hi, *(b for _, b in today)) - min(lo, *(a for a, _ in today)) \
                > self.span:
            return False
        near = [(trainer.id, day - timedelta(days=1)), (trainer.id, day)]
        return not any(a < hi and lo < b for key in near for a, b in self.busy.get(key, []))

    def book(self, trainer_id: str, day: date, begin: int, hours: float,
             venue: str | None = None, length: int | None = None) -> None:
        """Book ``trainer_id`` (and a classroom of ``venue``) for a session."""
        start = _at(day, begin)
        span = length or round(hours * 60)
        self.busy.setdefault((trainer_id, day), []).append((start, start + span))
        if venue is not None:
            self.venue[(trainer_id, day)] = venue
            self.classes.setdefault((venue, day), []).append((start, start + span))
        self.hours[(trainer_id, day)] = self.hours.get((trainer_id, day), 0.0) + hours

    def released(self, group: TrainingGroup, day: date, begin: int, length: int) -> bool:
        """Whether the shifts ``group`` takes people from (its ``cover``: colleagues stay
        at work) can spare them for the span, with the other groups then in class."""
        lo, hi = _at(day, begin), _at(day, begin) + length
        return all(n + _peak([x for near in (day - timedelta(days=1), day)
                              for x in self.cover.get((key, near), [])], lo, hi) <= cap
                   for key, n, cap in group.cover)

    def release(self, group: TrainingGroup, day: date, begin: int, length: int) -> None:
        """Book the span for the shifts ``group`` takes people from."""
        start = _at(day, begin)
        for key, n, _ in group.cover:
            self.cover.setdefault((key, day), []).append((start, start + length, n))

    def full(self, trainers: list[Person], day: date, hours: float) -> bool:
        """Whether nobody has ``hours`` left on ``day``."""
        return all(self.hours.get((t.id, day), 0.0) + hours > self.capacity[t.id] + 1e-9
                   for t in trainers)


def _peak(spans: Iterable[tuple[int, int, int]], lo: int, hi: int) -> int:
    """The most at once in ``lo``–``hi`` of ``spans`` (start, end, how many): counted at
    the span's start and where one of them begins inside it."""
    taken = [(a, b, k) for a, b, k in spans if a < hi and lo < b]
    moments = [lo] + [a for a, _, _ in taken if lo < a < hi]
    return max(sum(k for a, b, k in taken if a <= t < b) for t in moments)


def _at(day: date, minute: int) -> int:
    return day.toordinal() * _DAY + minute


def place_sessions(
    project: Project,
    groups: list[TrainingGroup],
    *,
    start: date,
    is_working: Callable[[date], bool],
    not_before: dict[str, date] | None = None,
) -> list[Session]:
    """Place every group's sessions on working days from ``start``.

    Args:
        project: the project (trainers, their availability and vacations, settings).
        groups: the groups to train, in order of priority.
        start: the first day training may take place.
        is_working: the project's working-day calendar.
        not_before: the earliest day per group id (say, once the features it learns are
            built); groups not named start from ``start``.

    A session starts at one of the group's slots (inside its shift, at the preferred time
    of day); a trainer never teaches two sessions at once, nor more hours a day than their
    availability × ``plan.hours_per_day``, nor over a day longer than
    ``plan.hours_per_day`` + ``SPAN_BREAKS`` hours, nor on vacation; a group has at most one
    session a day; department groups start only after the key users have finished. The
    planner calls this; documents only read the sessions it placed.

    Raises:
        CrmimplError: a topic longer than any trainer's day, or training beyond ten years.
    """
    # a group that had to change trainer mid-course is placed again with the trainer who
    # took it over from its first session (a few rounds); one that still changes waits
    # for its own trainer in the last round
    chosen: dict[str, str] = {}
    keep = False
    for attempt in range(4):
        sessions = _place_all(project, groups, start, is_working, not_before or {}, chosen,
                              keep=keep)
        picks = {}
        for g in groups:
            names = [s.trainer_id for s in sessions if s.group_id == g.id]
            if len(set(names)) > 1:
                picks[g.id] = max(set(names), key=lambda t: (names.count(t),
                                                             -names[::-1].index(t)))
        if not picks or keep:
            return sessions
        again = {**chosen, **picks}
        keep = again == chosen or attempt == 2
        chosen = again
    return sessions


def _place_all(project: Project, groups: list[TrainingGroup], start: date,
               is_working: Callable[[date], bool], limits: dict[str, date],
               chosen: dict[str, str], *, keep: bool = False) -> list[Session]:
    """One placement of every group (:func:`place_sessions`); ``chosen`` names the
    trainer a group starts with; with ``keep`` a group waits a few days for its own
    trainer rather than change."""
    trainers = trainers_of(project)
    diary = _Diary({t.id: t.availability * project.plan.hours_per_day for t in trainers},
                   (project.plan.hours_per_day + SPAN_BREAKS) * 60, project.training.rooms,
                   project.training.time_of_day)
    length = session_length(project)
    pending = [_Pending(g, _fitted_topics(g, _group_length(g, length, project)),
                        max(start, limits.get(g.id, start)), trainer=chosen.get(g.id),
                        keep=keep)
               for g in groups]
    shortest = _check_lengths(pending, diary)
    # key users are trained before their colleagues: the MVP's before everyone, a later
    # iteration's before the staff trained for that iteration (they answer their
    # colleagues' questions from the first session)
    key_pending = [p for p in pending if p.group.kind == KEY_USERS]
    sessions: list[Session] = []
    day = start
    for _ in range(3660):
        pending = [p for p in pending if not p.finished]
        if not pending:
            return sessions
        if is_working(day):
            # a group waits for the key users trained for the same build (the MVP's,
            # an iteration's), not for a later iteration's
            def key_done(item: _Pending, today: date = day) -> bool:
                return all(p.finished and p.last_day is not None and p.last_day < today
                           for p in key_pending if p.earliest <= item.earliest)
            sessions += _fill_day(day, trainers, pending, key_done, diary, shortest)
        day += timedelta(days=1)
    raise CrmimplError.single("project.yaml", "the training sessions do not fit in ten "
                              "years", hint="check the trainers' availability and vacations")


def _group_length(group: TrainingGroup, length: float, project: Project | None = None
                  ) -> float:
    """A group's longest session: ``length``, shorter for field staff (trained before
    they leave, :func:`field_session_hours`) and when the free span of its day (outside
    its department's busy hours) is shorter; a topic longer than that span is refused (it
    cannot be taught without taking people off work in their peak hours)."""
    if group.mobile and project is not None:
        length = min(length, field_session_hours(project))
    window = group.longest_window
    if window is None:
        return length
    if window <= 0 or any(_part_span(group, (i,)) > window * 60
                          for i in range(len(group.topics))):
        raise CrmimplError.single(
            "project.yaml", f"training group '{group.name}': its department's free hours "
            f"({window:g} h at most between busy hours) are shorter than a topic of its course",
            hint="narrow the department's busy hours or shorten the topic in training.yaml")
    return min(length, window)


def _part_span(group: TrainingGroup, part: Sequence[int]) -> int:
    """Minutes from the start to the end of a session teaching ``part``, breaks included."""
    minutes = tuple(round(group.topics[i].hours * 60) for i in part)
    return span_minutes(sum(group.topics[i].hours for i in part), minutes)


def _fitted_topics(group: TrainingGroup, session_hours: float) -> list[tuple[int, ...]]:
    """:func:`_session_topics`, and for a group with busy hours shorter sessions until
    each, with its breaks, fits in the longest free span of the group's day."""
    parts = _session_topics(group, session_hours)
    if group.windows is None:
        return parts
    widest = max(b - a for a, b in group.windows)
    limit = session_hours
    while limit > 0.25 and any(len(p) > 1 and _part_span(group, p) > widest for p in parts):
        limit -= 0.25
        parts = _session_topics(group, limit)
    return parts


def _check_lengths(pending: list[_Pending], diary: _Diary) -> float:
    """The shortest session; refuse a session longer than any trainer's day."""
    hours = [_hours(p, n) for p in pending for n in range(len(p.parts))]
    if not hours:
        return 0.0
    if max(hours) > max(diary.capacity.values()) + 1e-9:
        raise CrmimplError.single(
            "project.yaml", f"a training session of {max(hours):g} h is longer than any "
            "trainer's working day", hint="raise a trainer's availability")
    return min(hours)


def _hours(item: _Pending, part: int) -> float:
    return sum(item.group.topics[i].hours for i in item.parts[part])


def _fill_day(day: date, trainers: list[Person], pending: list[_Pending],
              key_done: Callable[[_Pending], bool], diary: _Diary, shortest: float
              ) -> list[Session]:
    placed: list[Session] = []
    for item in pending:
        if diary.full(trainers, day, shortest):
            break
        if item.last_day == day or day < item.earliest:
            continue
        if any(first <= day <= last for first, last in item.group.away):
            continue
        if day.day in item.group.busy_days:
            continue
        # a group with a key user in it (the expert in the administrators') waits too
        if (item.group.kind not in (KEY_USERS, ADMINS) or item.group.guests) \
                and not key_done(item):
            continue
        session = _place_one(item, day, trainers, diary)
        if session is not None:
            placed.append(session)
    return placed


def teaches(trainer: Person, group: TrainingGroup) -> bool:
    """Whether ``trainer`` may teach ``group``: the contractor's trainers teach every
    group; a client's in-house trainer of a department (say the contact centre's own
    trainer) teaches that department's groups only."""
    if trainer.side != "client" or trainer.department is None:
        return True
    return group.departments == [trainer.department]


# Calendar days a group waits for its own trainer before another one takes it over (a
# vacation or a clash that lasts): a change of trainer mid-course is the last resort.
TRAINER_PATIENCE_DAYS = 7


def _place_one(item: _Pending, day: date, trainers: list[Person], diary: _Diary
               ) -> Session | None:
    """The group's next session on ``day``: its own trainer at the earliest preferred slot
    they are free (and, in person, a classroom at its venue), else the least booked
    trainer that day at the earliest slot."""
    hours = _hours(item, item.done)
    minutes = tuple(round(item.group.topics[i].hours * 60) for i in item.parts[item.done])
    length = span_minutes(hours, minutes)
    able = [t for t in trainers if teaches(t, item.group)]
    own = [t for t in able if t.id == item.trainer]
    others = sorted((t for t in able if t.id != item.trainer),
                    key=lambda t: diary.hours.get((t.id, day), 0.0))
    # a group keeps its trainer for the whole course (they know its questions and mark
    # its final assignment): in the last round it waits a few days for them rather
    # than change mid-course
    since = item.last_day or item.earliest
    if item.keep and own and (day - since).days <= TRAINER_PATIENCE_DAYS:
        others = []
    venue = item.group.venue if item.group.format == ONSITE else None
    slots = _starts(item.group, length, diary.time_of_day)
    for choice in (own, others):
        for slot in slots:
            begin = _minutes(slot)
            if not diary.released(item.group, day, begin, length):
                continue
            for trainer in choice:
                if diary.free(trainer, day, begin, hours, venue, length):
                    diary.book(trainer.id, day, begin, hours, venue, length)
                    diary.release(item.group, day, begin, length)
                    item.done += 1
                    item.last_day, item.trainer = day, trainer.id
                    return Session(item.group.id, item.done, day, slot, hours, trainer.id,
                                   item.parts[item.done - 1], item.group.format, minutes)
    return None


def training_plan(project: Project, lang: str, sessions: list[Session],
                  is_working: Callable[[date], bool]) -> TrainingPlan:
    """The planner's ``sessions`` with groups and curricula in ``lang``.

    Only groups that have sessions are shown (in iterative mode the MVP's groups).
    """
    taught = {s.group_id for s in sessions}
    groups = [g for g in build_groups(project, lang) if g.id in taught]
    adoption_start, adoption_end = adoption_period(
        max(s.day for s in sessions) + timedelta(days=1), project.training.adoption_days,
        is_working)
    trainer_ids = {s.trainer_id for s in sessions}
    # one order for every output: by day and clock time, then by group (T04 before T06)
    order = {g.id: i for i, g in enumerate(groups)}
    sessions = sorted(sessions, key=lambda s: (s.day, s.start_time, order.get(s.group_id, 0)))
    return TrainingPlan(
        groups=groups, sessions=sessions, group_size=project.training.group_size,
        session_hours=session_length(project), group_min=project.training.min_size,
        trainers=[p for p in trainers_of(project) if p.id in trainer_ids],
        adoption_start=adoption_start, adoption_end=adoption_end,
        materials=[str(m) for m in (_content()["modes"].get(project.project.mode) or {})
                   .get("materials", _content()["materials"])[lang]]
        + ([str(_content()["recording"][lang])] if project.training.record else []),
        department_names={d.id: d.name for d in project.client.departments},
    )


# A session longer than this has a lunch break of LUNCH_MINUTES in its middle: the
# training plan, the express passport's agenda and the calendar all end it after lunch.
LUNCH_AFTER_HOURS = 4
LUNCH_MINUTES = 60


def span_minutes(hours: float, minutes: Sequence[int] = ()) -> int:
    """Minutes from a session's start to its end: its teaching hours, the lunch break of
    a session longer than LUNCH_AFTER_HOURS and, given the topics' minutes, the short
    breaks the session timeline adds on top of the teaching."""
    if minutes:
        rows = session_timeline("00:00", minutes)
        return rows[-1][3] - rows[0][2]
    return round(hours * 60) + (LUNCH_MINUTES if hours > LUNCH_AFTER_HOURS + 1e-9 else 0)


# A session longer than BLOCK_MINUTES of teaching in a row has a short break of
# SHORT_BREAK_MINUTES: breaks come on top of the teaching hours, like the lunch (every
# topic keeps in the schedule the hours its programme gives it; the day grows).
BLOCK_MINUTES = 90
SHORT_BREAK_MINUTES = 10
# A session of at most this much teaching has no short break: two hours in a row are a
# usual lesson, and a session that fills a free span between a department's busy hours
# (a contact centre's two hours before its peak) must not run into them for a break.
NO_BREAK_MINUTES = 120


def session_timeline(start_time: str, minutes: Sequence[int]) -> list[tuple[str, int, int, int]]:
    """The clock of one session: rows ``(kind, topic index, start, end)`` in minutes from
    midnight, kind ``topic``, ``break`` or ``lunch`` (index -1 for a break). The lunch of a
    session longer than LUNCH_AFTER_HOURS comes at the topic boundary past half the
    teaching; a short break comes at the topic boundary before a run of teaching would
    pass BLOCK_MINUTES (a longer topic is split), unless the whole session is no longer
    than NO_BREAK_MINUTES. Breaks are on top of the teaching: a
    topic's rows add up to its minutes and the session ends at :func:`session_end`. The
    training plan's schedule and the passport's agenda both read it."""
    clock = _minutes(start_time)
    total = sum(minutes)
    if total <= NO_BREAK_MINUTES:
        rows_: list[tuple[str, int, int, int]] = []
        for i, m in enumerate(minutes):
            rows_.append(("topic", i, clock, clock + m))
            clock += m
        return rows_
    lunch_at = total / 2 if total > LUNCH_AFTER_HOURS * 60 else None
    rows: list[list[Any]] = []
    taught = run = 0
    for i, m in enumerate(minutes):
        if lunch_at is not None and taught >= lunch_at:
            rows.append(["lunch", -1, clock, clock + LUNCH_MINUTES])
            clock, lunch_at, run = clock + LUNCH_MINUTES, None, 0
        left = m
        while run + left > BLOCK_MINUTES + 15 and run < 45:  # a long topic is split
            part = BLOCK_MINUTES - run
            rows.append(["topic", i, clock, clock + part])
            rows.append(["break", -1, clock + part, clock + part + SHORT_BREAK_MINUTES])
            clock, left, run = clock + part + SHORT_BREAK_MINUTES, left - part, 0
        if run + left > BLOCK_MINUTES + 15:
            rows.append(["break", -1, clock, clock + SHORT_BREAK_MINUTES])
            clock, run = clock + SHORT_BREAK_MINUTES, 0
        rows.append(["topic", i, clock, clock + left])
        clock, run, taught = clock + left, run + left, taught + m
    return [(str(k), int(ix), int(a), int(b)) for k, ix, a, b in rows]


def session_end(session: Session) -> str:
    """When a session ends, HH:MM (after the lunch break of a long one)."""
    return _clock(_minutes(session.start_time) + span_minutes(session.hours, session.minutes))


def shifted(clock: str, minutes: int) -> str:
    """A clock time ``minutes`` later (earlier when negative), HH:MM: a session's time on
    the clock of a site in another time zone."""
    return _clock(_minutes(clock) + minutes)


def group_kind_label(kind: str, lang: str) -> str:
    """Label of a group's kind (a department kind, the key users, or mixed kinds)."""
    if kind == KEY_USERS:
        return word("training", "key_users", lang)
    if kind == ADMINS:
        return word("training", "admins", lang)
    if kind == MIXED:
        return word("training", "mixed_group", lang)
    return label("department_kind", kind, lang)
