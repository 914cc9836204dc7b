"""Round 15 of the senior-consultant review: the training plan."""

from __future__ import annotations

import re

import pytest

from crmimpl.documents import training_plan
from crmimpl.i18n import day
from crmimpl.model.project import load_project
from crmimpl.plan.builder import build_plan
from crmimpl.plan.pilot import pilot_period
from tests.conftest import EXAMPLES


@pytest.mark.parametrize("name", ["teplo-service", "optima-distribution", "volga-bank",
                                  "kreativ-agency"])
def test_the_contractors_support_runs_to_acceptance(name: str) -> None:
    """teplo: the contractor supported the users from 25.05 to 29.05, "then within the
    support package", which starts after acceptance on 02.06: three days with nobody.
    The adoption support runs to acceptance."""
    project = load_project(EXAMPLES / name)
    plan = build_plan(project)
    period = pilot_period(plan)
    if period is None:
        pytest.skip("no pilot")
    window = training_plan._support(project, plan, "ru")["support_window"]
    assert window.endswith(day(max(period[1], plan.launch), "ru")), window


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_an_iterative_training_plan_speaks_of_stages_not_a_pilot(lang: str) -> None:
    """northwind (MVP and iterations) was trained "as it will be handed over for the
    pilot": an iterative project has no pilot operation."""
    from crmimpl.build import document_markdown
    from crmimpl.documents.workspace import Workspace

    text, _ = document_markdown(Workspace(load_project(EXAMPLES / "northwind-it")),
                                "training", lang)
    assert "for the pilot" not in text and "опытную эксплуатацию" not in text
    assert ("configured as their stage" if lang == "en" else "передает в работу их этап") \
        in text


def test_a_change_session_teaches_the_whole_change() -> None:
    """northwind's change sessions listed "R21: payment terms beyond 30 days and credit
    for new clients are approved by the Financial Controller", cut before the Managing
    Director's approval of non-standard terms, and R22 before the only part that
    concerns the engineers. A change session's topic is the requirement's whole first
    sentence, the requirement's id after it."""
    from crmimpl.plan.training import build_groups

    project = load_project(EXAMPLES / "northwind-it")
    requirements = {r.id: r for r in project.requirements}
    seen = 0
    for group in build_groups(project, "en"):
        if not group.repeat or group.members:
            continue
        for topic in group.topics:
            if not topic.id.startswith("req."):
                continue
            r = requirements[topic.id[4:]]
            first = re.split(r"(?<=[.;!?])\s", r.topic or r.statement)[0].rstrip(" .;")
            assert topic.title.startswith(first[:1].upper() + first[1:]), topic.title
            # and no requirement id: a staff course names the rule, not its code (round 20)
            assert topic.title == first[:1].upper() + first[1:], topic.title
            seen += 1
    assert seen
