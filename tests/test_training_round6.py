"""Round-6 review of the training plan: what it states about groups is computed from the
groups it has, field staff are trained on their mobile client, key users learn what their
departments do, and heads of a department's staff learn to lead in a group of their own."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pytest

from crmimpl.documents.training_plan import build_context
from crmimpl.model.project import Project, load_project
from crmimpl.plan.builder import Plan, build_plan
from crmimpl.plan.training import ADMINS, KEY_USERS
from tests.conftest import EXAMPLES

NAMES = ["optima-distribution", "volga-bank", "northwind-it", "kreativ-agency",
         "teplo-service"]


@cache
def _built(name: str) -> tuple[Project, Plan]:
    project = load_project(EXAMPLES / name)
    return project, build_plan(project, baseline=False)


@cache
def _context(name: str, lang: str) -> dict[str, Any]:
    project, plan = _built(name)
    return build_context(project, lang, plan=plan)


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("name", NAMES)
def test_the_group_size_statement_agrees_with_every_group(name: str, lang: str) -> None:
    """optima said «от 2 до 9 человек» beside a group of one: the statement is either the
    real range of the department groups or the project's norm, and then every group below
    the norm is named with its reason."""
    ctx = _context(name, lang)
    users = [g for g in ctx["groups"]
             if g["kind"] not in ("Ключевые пользователи", "Key users",
                                  "Администрирование", "Administration")]
    if len(users) < 2:
        return
    numbers = [int(n) for n in re.findall(r"\d+", ctx["group_rule"])]
    sizes = [g["size"] for g in users]
    lo, hi = ctx["group_min"], ctx["group_size"]
    if numbers in ([min(sizes), max(sizes)], [max(sizes)]):
        assert all(lo <= s <= hi for s in sizes) or all(s < lo for s in sizes)
        return
    assert numbers == [lo, hi], ctx["group_rule"]
    for g in users:
        if g["size"] < lo:
            assert f"{g['id']} (" in ctx["small_text"], g["id"]


def test_optima_no_longer_states_a_range_its_admin_group_breaks() -> None:
    rule = _context("optima-distribution", "ru")["group_rule"]
    assert "от 2 до 9" not in rule
    assert rule.replace("\xa0", " ") == "Обычная группа пользователей — от 7 до 10 человек"
