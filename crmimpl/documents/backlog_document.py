"""The MVP backlog and iteration plan as a document (iterative mode).

The stages themselves come from :mod:`crmimpl.documents.backlog`, which the specifications
import for their own account of the stages. This document adds, for each later stage,
the departments already working in the system whose work the stage changes; that is
read from the specification's test cases, so it lives here: the stage module stays free of
the specification (no import cycle between them).
"""

from __future__ import annotations

from typing import Any

from crmimpl.documents import backlog
from crmimpl.documents import common as c
from crmimpl.documents.backlog import NAME
from crmimpl.model.project import Project

__all__ = ["NAME", "build_context"]


def build_context(project: Project, lang: str, *, plan: object | None = None,
                  answers: object | None = None) -> dict[str, Any]:
    """Plain data for ``backlog.md.j2``: the stages of
    :func:`crmimpl.documents.backlog.build_context`, each later one with the users
    already working whose work it changes."""
    the_plan = c.resolve_plan(project, plan)
    context = backlog.build_context(project, lang, plan=the_plan, answers=answers)
    assert the_plan is not None
    for stage in context["stages"]:
        n = 0 if stage["is_mvp"] else int(stage["key"])
        stage["delta"] = backlog.stage_delta(project, n, lang)
    return context
