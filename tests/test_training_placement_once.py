"""The scheduling loop places the training sessions once per schedule: placing them
again on the same schedule gives the same sessions and the same task pins, which is
what lets it keep the first placement."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmimpl.model.project import load_project
from crmimpl.plan import builder

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize("example", ["volga-bank", "northwind-it"])
def test_placing_again_changes_nothing(example: str, monkeypatch: pytest.MonkeyPatch
                                       ) -> None:
    plain = builder.build_plan(load_project(EXAMPLES / example / "project.yaml"))
    real = builder._place_training
    calls: list[int] = []

    def twice(project, phases, sched, cal):  # type: ignore[no-untyped-def]
        first = real(project, phases, sched, cal)
        pins = [(t.id, t.not_earlier_than, t.fixed_duration) for ph in phases
                for t in ph.tasks]
        again = real(project, phases, sched, cal)
        assert again == first
        assert pins == [(t.id, t.not_earlier_than, t.fixed_duration) for ph in phases
                        for t in ph.tasks]
        calls.append(len(first))
        return first

    monkeypatch.setattr(builder, "_place_training", twice)
    checked = builder.build_plan(load_project(EXAMPLES / example / "project.yaml"))
    assert calls and max(calls) > 0
    assert [(t.id, t.start, t.finish) for t in checked.tasks] == \
        [(t.id, t.start, t.finish) for t in plain.tasks]
