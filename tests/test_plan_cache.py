"""The plan cache: a workspace whose project, baseline and tool are as before reads the
plan built before (the same plan, tied to the live project); a change of any input
builds it again; a damaged entry does no harm; ``CRMIMPL_CACHE_DIR=`` turns it off."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import crmimpl.plan.builder as builder
from crmimpl.documents.workspace import Workspace
from crmimpl.model.project import load_project
from crmimpl.plan.cache import _project_objects
from crmimpl.resources import cache_dir

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CRMIMPL_CACHE_DIR", str(folder))
    cache_dir.cache_clear()
    yield folder
    cache_dir.cache_clear()


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    target = tmp_path / "northwind"
    shutil.copytree(EXAMPLES / "northwind-it", target,
                    ignore=shutil.ignore_patterns("out", ".crmimpl", "fill"))
    return target


def _count_builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = builder.build_plan

    def counting(project, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(project.project.id)
        return real(project, *args, **kwargs)

    monkeypatch.setattr(builder, "build_plan", counting)
    return seen


def _facts(plan: builder.Plan) -> list[tuple[object, ...]]:
    return [(t.id, t.start, t.finish, t.critical, t.total_float,
             [(a.person_id, a.hours) for a in t.assignments]) for t in plan.tasks] + [
        (s.group_id, s.number, s.day, s.start_time, s.trainer_id) for s in plan.sessions] + [
        (str(w),) for w in plan.warnings]


def test_unchanged_inputs_read_the_plan_built_before(
        cache: Path, project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _count_builds(monkeypatch)
    first = Workspace.open(project_dir).plan
    ws = Workspace.open(project_dir)
    again = ws.plan
    assert len(seen) == 1
    assert _facts(again) == _facts(first)
    assert again.costs == first.costs and again.finish == first.finish
    # tied to the live project: every project object the plan holds is the project's own
    assert again.project is ws.project
    # (as in a fresh plan: the same models in the same places are the project's)
    fresh_ws = Workspace.open(project_dir)
    fresh = builder.build_plan(fresh_ws.project)

    def owned(plan: builder.Plan, project: object) -> list[bool]:
        own = {id(obj) for obj in _project_objects(project)}  # type: ignore[arg-type]
        return [id(obj) in own for obj in _models_in(plan)]

    assert owned(again, ws.project) == owned(fresh, fresh_ws.project)
    assert any(owned(again, ws.project))


def _models_in(plan: builder.Plan) -> list[object]:
    """The pydantic models reachable from ``plan`` (not through ``plan.project``)."""
    import dataclasses

    from pydantic import BaseModel

    found: list[object] = []
    seen: set[int] = set()

    def walk(value: object) -> None:
        if id(value) in seen or isinstance(value, (str, int, float, bytes)):
            return
        seen.add(id(value))
        if isinstance(value, BaseModel):
            found.append(value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))
        elif isinstance(value, (list, tuple, set, frozenset)):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk(plan)
    return found


def test_a_changed_input_builds_the_plan_again(
        cache: Path, project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _count_builds(monkeypatch)
    Workspace.open(project_dir).plan
    yaml = project_dir / "project.yaml"
    # a comment only: the data is the same, the positions the warnings quote are not
    yaml.write_text("# note\n" + yaml.read_text(encoding="utf-8"), encoding="utf-8")
    Workspace.open(project_dir).plan
    assert len(seen) == 2
    ws = Workspace.open(project_dir)
    ws.project.plan.hours_per_day = 6  # the validated data changed in memory
    changed = ws.plan
    assert len(seen) == 3
    assert _facts(changed) == _facts(builder.build_plan(ws.project))
    assert len(seen) == 4
    baseline = project_dir / ".crmimpl" / "baseline.yaml"
    baseline.parent.mkdir(exist_ok=True)
    baseline.write_text("tasks: {}\n", encoding="utf-8")
    Workspace.open(project_dir).plan
    assert len(seen) == 5


def test_damaged_entry_builds_again(cache: Path, project_dir: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    first = Workspace.open(project_dir).plan
    [entry] = cache.rglob("plan/*.pickle")
    entry.write_bytes(entry.read_bytes()[:100])
    seen = _count_builds(monkeypatch)
    assert _facts(Workspace.open(project_dir).plan) == _facts(first)
    assert len(seen) == 1
    Workspace.open(project_dir).plan
    assert len(seen) == 1  # written again whole


def test_cache_off(project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRMIMPL_CACHE_DIR", "")
    cache_dir.cache_clear()
    try:
        seen = _count_builds(monkeypatch)
        Workspace.open(project_dir).plan
        Workspace.open(project_dir).plan
        assert len(seen) == 2
    finally:
        cache_dir.cache_clear()


@pytest.mark.parametrize("example", ["volga-bank", "optima-distribution"])
def test_cached_plan_equals_a_fresh_one(cache: Path, example: str) -> None:
    Workspace.open(EXAMPLES / example).plan
    cached = Workspace.open(EXAMPLES / example)
    fresh = builder.build_plan(load_project(EXAMPLES / example / "project.yaml"))
    assert _facts(cached.plan) == _facts(fresh)
    en = cached.in_language("en")
    assert _facts(en.plan) == _facts(Workspace(en.project).plan)
