"""The training groups are worked out once per project state and language; a changed
project gets new groups, and every caller gets its own copies."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmimpl.model.project import load_project
from crmimpl.plan import training

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "volga-bank"


def test_groups_once_per_state(monkeypatch: pytest.MonkeyPatch) -> None:
    project = load_project(EXAMPLE / "project.yaml")
    calls: list[str] = []
    real = training.make_groups

    def counting(p: object, lang: str) -> list[training.TrainingGroup]:
        calls.append(lang)
        return real(p, lang)  # type: ignore[arg-type]

    monkeypatch.setattr(training, "make_groups", counting)
    monkeypatch.setattr(training, "_GROUPS", {})
    first = training.build_groups(project, "ru")
    again = training.build_groups(project, "ru")
    assert calls == ["ru"]
    assert again == first and again[0] is not first[0]
    training.build_groups(project, "en")
    assert calls == ["ru", "en"]
    project.training.group_size = max(2, project.training.group_size - 3)
    changed = training.build_groups(project, "ru")
    assert calls == ["ru", "en", "ru"]
    assert changed == real(project, "ru")
