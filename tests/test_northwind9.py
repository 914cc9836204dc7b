"""Round 9 (northwind): a test scenario fits the project; the training groups' rule is one
truth for the specification and the training plan."""

from __future__ import annotations

import pytest

from crmimpl.documents import scenarios, spec, training_plan
from crmimpl.model.project import load_project
from crmimpl.plan.training import build_groups, group_rule
from tests.conftest import EXAMPLES


def test_an_attribution_requirement_gets_the_attribution_scenario() -> None:
    """R13 (UTM attribution; its solution names «campaign responses») was tested with a
    control group of 1,000 clients: the word «response» chose it."""
    text = ("Campaign attribution of leads from website forms and webinars to won revenue. "
            "Campaign and source fields populated from UTM data; standard campaign "
            "responses and a campaign-to-won-revenue report.")
    assert scenarios.choose("marketing_campaigns", text)["id"] == "attribution"
    assert scenarios.choose("marketing_campaigns",
                            "Campaigns with a control group")["id"] == "control_group"


@pytest.mark.parametrize(("clients", "segment"),
                         [(None, 1000), (140, 140), (5000, 1000), (147, 140), (8, 20)])
def test_a_campaign_segment_never_exceeds_the_clients(clients: int | None,
                                                      segment: int) -> None:
    assert spec.campaign_segment(clients) == segment


def test_the_control_group_case_uses_the_project_segment() -> None:
    found = scenarios.choose("marketing_campaigns", "control group")
    assert any("{segment}" in step for step in found["steps"]["en"])
    assert not any("1,000" in step for step in found["steps"]["en"])


@pytest.mark.parametrize("name", ["northwind-it", "optima-distribution"])
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_one_group_rule_in_the_spec_and_the_training_plan(name: str, lang: str) -> None:
    project = load_project(EXAMPLES / name)
    limit, parts = group_rule(project, build_groups(project, lang), lang)
    assert parts
    rule = spec._group_rule(project, lang)
    assert str(limit) in rule
    plan = training_plan.build_context(project, lang)
    assert str(limit) in plan["group_rule"]
    assert "normally" not in plan["group_rule"] and "Обычная" not in plan["group_rule"]
    assert plan["small_text"] == ""


def test_northwind_engineers_and_administrator_agree_with_the_training_groups() -> None:
    project = load_project(EXAMPLES / "northwind-it")
    engineers = next(c for c in project.user_classes if c.id == "engineer")
    groups = build_groups(project, "en")
    # the engineers' own course; a session on a later iteration's changes repeats them
    delivery = [g for g in groups if g.department_id == "delivery" and not g.heads
                and g.kind not in ("key_users", "admins") and g.iteration is None]
    assert delivery and sum(g.size for g in delivery) == engineers.users
    assert "Three" not in (engineers.description or "")


def test_every_backlog_item_has_a_size_and_the_shares_add_up() -> None:
    """«in place of an item of the same size» needs a size on every item: configured
    requirements share their stage's settings hours, data loads take their migration's."""
    import re
    from decimal import Decimal

    from crmimpl.documents import backlog
    from crmimpl.plan.builder import build_plan

    project = load_project(EXAMPLES / "northwind-it")
    plan = build_plan(project)
    ctx = backlog.build_context(project, "en", plan=plan)
    hours = re.compile(r", (\d+(?:\.\d+)?)\sh$")
    assert all(hours.search(row["change"]) for row in ctx["backlog"]), [
        (row["id"], row["change"]) for row in ctx["backlog"] if not hours.search(row["change"])]
    for stage, task in (("MVP", "mvp.settings"), ("Iteration\u00a01", "iteration.settings.1"),
                        ("Iteration\u00a02", "iteration.settings.2")):
        configured = [Decimal(hours.search(row["change"])[1]) for row in ctx["backlog"]
                      if row["stage"] == stage
                      and row["change"].startswith(("configuration", "standard", "within"))]
        effort = next(t.effort_hours for t in plan.tasks if t.id == task)
        assert configured and sum(configured) == effort


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_stage_without_data_of_its_own_still_has_its_go_live(lang: str) -> None:
    """Iteration 2 (account management, Finance) loads no data: its go-live still retires
    the departments' own lists, and the contract register loaded earlier is read-only."""
    from crmimpl.documents import backlog
    from crmimpl.render.markdown import render_markdown

    project = load_project(EXAMPLES / "northwind-it")
    ctx = backlog.build_context(project, lang)
    last = ctx["stages"][-1]
    assert not last["cutover"] and last["departments"]
    assert [m["name"] for m in last["earlier"]] and "Contract register" in last["earlier"][0][
        "name"]
    md = render_markdown(backlog.NAME, lang, ctx).replace("\\", "")
    assert ("Go-live: from" in md) if lang == "en" else ("Переход на систему: с" in md)
    assert "pauses" not in md and "перерыв" not in md
