"""The training plan: groups, curriculum per group, sessions placed in the rollout window.

Groups follow the methodology: at most ``training.group_size`` people, never mixing
departments, the internal CRM expert and key users first ("train the trainer"). Every CRM
user of every department lands in exactly one group.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from crmimpl.errors import CrmimplError
from crmimpl.i18n import word
from crmimpl.model.project import Department, Person, Project
from crmimpl.vocabulary import label, template_data

KEY_USERS = "key_users"
# Order in which department groups are trained after the key users.
KIND_ORDER = ["sales", "service", "marketing", "accounting", "other", "management"]
SLOT_TIMES = ["10:00", "14:30"]


@dataclass(frozen=True)
class Topic:
    """One topic of a group's curriculum."""

    id: str
    title: str
    hours: float


@dataclass
class TrainingGroup:
    """A group of trainees from one department (or the key users)."""

    id: str
    kind: str
    department_id: str | None
    name: str
    size: int
    topics: list[Topic]
    members: list[str] = field(default_factory=list)

    @property
    def hours(self) -> float:
        """Total hours of the curriculum."""
        return sum(t.hours for t in self.topics)


@dataclass(frozen=True)
class Session:
    """One training session: a group, a day, a trainer and the topics covered.

    ``topics`` are positions in the group's curriculum (the same in every language);
    ``hours`` is the sum of those topics' hours.
    """

    group_id: str
    number: int
    day: date
    start_time: str
    hours: float
    trainer_id: str
    topics: tuple[int, ...]


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


def curriculum(project: Project, kind: str, lang: str) -> list[Topic]:
    """Topics for a group of department ``kind`` from the modules in scope."""
    content = _content()
    if kind == KEY_USERS:
        topics = [_topic(e, lang, "intro") for e in content["intro"]]
        topics += [_topic({**spec, "id": m}, lang, m) for m, spec in content["modules"].items()
                   if m in project.scope.modules]
        return topics + [_topic(e, lang, "ku") for e in content["key_users"]]

    def fits(entry: dict[str, Any]) -> bool:
        audiences = entry.get("audiences", ["all"])
        return "all" in audiences or kind in audiences

    topics = [_topic(e, lang, "intro") for e in content["intro"] if fits(e)]
    for module in project.scope.modules:
        spec = content["modules"].get(module)
        if spec is not None and fits(spec):
            topics.append(_topic({**spec, "id": module}, lang, module))
    topics += [_topic(e, lang, "x") for e in content["management_extra"] if fits(e)]
    return topics + [_topic(e, lang, "final") for e in content["final"] if fits(e)]


def key_user_people(project: Project) -> list[Person]:
    """Client-side key users and the internal CRM expert, trained first."""
    expert = project.training.crm_expert
    return [p for p in project.team
            if p.side == "client" and ("key_user" in p.roles or p.id == expert)]


def build_groups(project: Project, lang: str) -> list[TrainingGroup]:
    """All training groups: key users first, then each department split by group size."""
    size = project.training.group_size
    key_people = key_user_people(project)
    taken: dict[str, int] = {}
    for person in key_people:
        if person.department:
            taken[person.department] = taken.get(person.department, 0) + 1
    groups: list[TrainingGroup] = []
    if key_people:
        name = word("training", "key_users_group", lang)
        chunks = _chunks(key_people, size)
        for i, chunk in enumerate(chunks, start=1):
            suffix = f" ({i}/{len(chunks)})" if len(chunks) > 1 else ""
            groups.append(TrainingGroup(
                f"T{len(groups) + 1:02d}", KEY_USERS, None, name + suffix, len(chunk),
                curriculum(project, KEY_USERS, lang), [p.name for p in chunk]))
    for dept in sorted(project.client.departments, key=_kind_rank):
        users = max(dept.users - taken.get(dept.id, 0), 0)
        sizes = split_evenly(users, size)
        for i, count in enumerate(sizes, start=1):
            suffix = f" ({i}/{len(sizes)})" if len(sizes) > 1 else ""
            groups.append(TrainingGroup(
                f"T{len(groups) + 1:02d}", dept.kind, dept.id,
                dept.name + suffix, count, curriculum(project, dept.kind, lang)))
    return groups


def _kind_rank(dept: Department) -> int:
    return KIND_ORDER.index(dept.kind)


def _chunks(people: list[Person], size: int) -> list[list[Person]]:
    sizes = split_evenly(len(people), size)
    out, start = [], 0
    for count in sizes:
        out.append(people[start:start + count])
        start += count
    return out


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


def _session_topics(group: TrainingGroup, session_hours: float) -> list[tuple[int, ...]]:
    """Cut the curriculum into sessions of at most ``session_hours`` (topics stay whole
    unless a topic alone is longer than a session); topics as curriculum positions."""
    sessions: list[list[int]] = [[]]
    used = 0.0
    for n, topic in enumerate(group.topics):
        if used and used + topic.hours > session_hours + 1e-9:
            sessions.append([])
            used = 0.0
        sessions[-1].append(n)
        used += topic.hours
    return [tuple(s) for s in sessions if s]


@dataclass
class _Pending:
    group: TrainingGroup
    parts: list[tuple[int, ...]]
    done: int = 0
    last_day: date | None = None


def place_sessions(
    project: Project,
    groups: list[TrainingGroup],
    *,
    start: date,
    is_working: Callable[[date], bool],
) -> list[Session]:
    """Place every group's sessions on working days from ``start``.

    A trainer runs at most as many sessions a day as their availability allows (at most
    two: morning and afternoon), never on vacation; a group has at most one session a day;
    department groups start only after the key users have finished. The planner calls
    this; documents only read the sessions it placed.
    """
    session_hours = project.training.hours_per_day
    trainers = trainers_of(project)
    pending = [_Pending(g, _session_topics(g, session_hours)) for g in groups]
    key_pending = [p for p in pending if p.group.kind == KEY_USERS]
    sessions: list[Session] = []
    day = start
    for _ in range(3660):
        if all(p.done == len(p.parts) for p in pending):
            break
        if is_working(day):
            key_done = all(p.done == len(p.parts) and p.last_day is not None
                           and p.last_day < day for p in key_pending)
            sessions += _fill_day(day, trainers, pending, key_done, session_hours)
        day += timedelta(days=1)
    else:
        raise CrmimplError.single("project.yaml", "the training sessions do not fit in ten "
                                  "years", hint="check the trainers' availability and vacations")
    return sessions


def _fill_day(day: date, trainers: list[Person], pending: list[_Pending], key_done: bool,
              session_hours: float) -> list[Session]:
    placed: list[Session] = []
    for trainer in trainers:
        if any(v.start <= day <= v.end for v in trainer.vacations):
            continue
        slots = max(1, min(len(SLOT_TIMES), int(8 * trainer.availability // session_hours)))
        for slot in range(slots):
            item = _next(pending, day, key_done)
            if item is None:
                return placed
            part = item.parts[item.done]
            hours = sum(item.group.topics[i].hours for i in part)
            placed.append(Session(item.group.id, item.done + 1, day, SLOT_TIMES[slot],
                                  hours, trainer.id, part))
            item.done += 1
            item.last_day = day
    return placed


def _next(pending: list[_Pending], day: date, key_done: bool) -> _Pending | None:
    for item in pending:
        if item.done == len(item.parts) or item.last_day == day:
            continue
        if item.group.kind != KEY_USERS and not key_done:
            continue
        return item
    return None


def training_plan(project: Project, lang: str, sessions: list[Session],
                  is_working: Callable[[date], bool]) -> TrainingPlan:
    """The planner's ``sessions`` with groups and curricula in ``lang``.

    Only groups that have sessions are shown (in iterative mode the MVP's groups).
    """
    taught = {s.group_id for s in sessions}
    groups = [g for g in build_groups(project, lang) if g.id in taught]
    last = max(s.day for s in sessions)
    adoption_start = _next_working(last + timedelta(days=1), is_working)
    adoption_end = adoption_start
    for _ in range(max(project.training.adoption_days - 1, 0)):
        adoption_end = _next_working(adoption_end + timedelta(days=1), is_working)
    trainer_ids = {s.trainer_id for s in sessions}
    return TrainingPlan(
        groups=groups, sessions=sessions, group_size=project.training.group_size,
        session_hours=project.training.hours_per_day,
        trainers=[p for p in trainers_of(project) if p.id in trainer_ids],
        adoption_start=adoption_start, adoption_end=adoption_end,
        materials=[str(m) for m in _content()["materials"][lang]],
    )


def _next_working(day: date, is_working: Callable[[date], bool]) -> date:
    while not is_working(day):
        day += timedelta(days=1)
    return day


def group_kind_label(kind: str, lang: str) -> str:
    """Label of a group's kind (a department kind, or the key users)."""
    if kind == KEY_USERS:
        return word("training", "key_users", lang)
    return label("department_kind", kind, lang)
