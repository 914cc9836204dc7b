"""Context of the training plan document («План обучения пользователей»)."""

from __future__ import annotations

from datetime import date
from typing import Any

from crmimpl.documents import common
from crmimpl.model.project import Project
from crmimpl.plan import Plan, build_plan
from crmimpl.training import KEY_USERS, TrainingPlan, build_training_plan, group_kind_label

NAME = "training_plan"
TITLE = {"ru": "План обучения пользователей", "en": "User training plan"}


def training_window(plan: Plan) -> tuple[date, date]:
    """First start and last finish of the plan's training tasks (``*.training*``)."""
    tasks = [t for t in plan.tasks if t.id.split(".")[1:2] == ["training"]]
    if not tasks:
        return plan.launch, plan.launch
    return min(t.start for t in tasks), max(t.finish for t in tasks)


def training_for(project: Project, lang: str, plan: Plan | None = None) -> TrainingPlan:
    """The training plan placed in the plan's training window and calendar."""
    plan = plan or build_plan(project)
    start, end = training_window(plan)
    return build_training_plan(project, lang, start=start, end=end,
                               is_working=plan.calendar.is_working)


def build_context(project: Project, lang: str, *, plan: object | None = None,
                  answers: object | None = None) -> dict[str, Any]:
    """Plain data for ``training_plan.md.j2``."""
    assert plan is None or isinstance(plan, Plan)
    training = training_for(project, lang, plan)
    names = {p.id: p.name for p in project.team}
    sessions = [
        {"day": common.day(s.day, lang), "time": s.start_time, "group": s.group_id,
         "trainer": names.get(s.trainer_id, s.trainer_id), "topics": "; ".join(s.topics)}
        for s in training.sessions
    ]
    groups = [
        {"id": g.id, "name": g.name, "kind": group_kind_label(g.kind, lang), "size": g.size,
         "hours": common.hours(g.hours, lang),
         "sessions": len(training.sessions_of(g.id))}
        for g in training.groups
    ]
    key_members = [m for g in training.groups if g.kind == KEY_USERS for m in g.members]
    return {
        "meta": common.meta(project, lang, TITLE[lang]),
        "project_title": project.project.title,
        "client": project.client.name,
        "window_start": common.day(training.window_start, lang),
        "window_end": common.day(training.window_end, lang),
        "group_size": training.group_size,
        "session_hours": common.hours(training.session_hours, lang),
        "users_total": sum(g.size for g in training.groups),
        "sessions_total": len(training.sessions),
        "hours_total": common.hours(sum(s.hours for s in training.sessions), lang),
        "trainers": common.join((p.name for p in training.trainers), lang, last=True),
        "groups": groups,
        "key_members": common.join(key_members, lang, last=True),
        "curricula": _curricula(training, lang),
        "sessions": sessions,
        "materials": training.materials,
        "adoption_start": common.day(training.adoption_start, lang),
        "adoption_end": common.day(training.adoption_end, lang),
        "adoption_days": project.training.adoption_days,
        "warnings": _warnings(training, lang),
    }


def _curricula(training: TrainingPlan, lang: str) -> list[dict[str, Any]]:
    """One curriculum per group kind (groups of one kind share it)."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for g in training.groups:
        if g.kind in seen:
            continue
        seen.add(g.kind)
        out.append({
            "title": group_kind_label(g.kind, lang),
            "topics": [{"title": t.title, "hours": common.hours(t.hours, lang)}
                       for t in g.topics],
            "hours": common.hours(g.hours, lang),
        })
    return out


def _warnings(training: TrainingPlan, lang: str) -> list[str]:
    """Remarks on the plan in the document's language, from the facts of the plan."""
    late = training.late_sessions
    if not late:
        return []
    count, end, last = len(late), common.day(training.window_end, lang), common.day(
        late[-1].day, lang)
    if lang == "ru":
        return [f"Занятий за пределами окна обучения по плану-графику (после {end}) — "
                f"{count}, последнее — {last}. Увеличьте длительность этапа обучения "
                "или добавьте тренеров."]
    return [f"{count} sessions fall after the training window of the schedule ends ({end}); "
            f"the last one is on {last}. Lengthen the training stage or add trainers."]
