"""Plan templates are data: each bundled one validates; mistakes get file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmimpl.errors import CrmimplError
from crmimpl.model.plan_template import builtin_template, load_plan_template
from crmimpl.scaffold import MODES

GOOD_TASK = """\
mode: typical
name: {ru: "Т", en: "T"}
phases:
  - id: prep
    name: {ru: "Подготовка", en: "Preparation"}
    tasks:
"""


@pytest.mark.parametrize("mode", MODES)
def test_bundled_templates_validate(mode: str) -> None:
    template = builtin_template(mode)
    assert template.mode == mode
    ids = [t.id for _, t in template.tasks()]
    assert len(ids) == len(set(ids))
    names = [t.name for _, t in template.tasks()]
    assert all(n.ru != n.en for n in names), "both languages are written"


@pytest.mark.parametrize(("body", "message", "line"), [
    ("      - {id: a, name: {ru: 'А', en: 'A'}, effort: {per: {users: 1}}}\n",
     "'users' is not one of", 7),
    ("      - {id: a, name: {ru: 'А', en: 'A'}, depends_on: [b]}\n",
     "no task 'b' in this template", 7),
    ("      - {id: a, name: {ru: 'А {x}', en: 'A'}}\n",
     "unknown placeholder '{x}'", 7),
    ("      - {id: a, name: {ru: 'А', en: 'A'}, roles: [consultant], milestone: true}\n",
     "a milestone has no roles or effort", 7),
    ("      - {id: a, name: {ru: 'А', en: 'A'}, foreach: teams}\n",
     "'teams' is not one of", 7),
    ("      - {id: a, name: {ru: 'А', en: 'A'}, effort: {base: '1 + 1'}}\n",
     "expected a number", 7),
])
def test_template_errors_have_positions(tmp_path: Path, body: str, message: str,
                                        line: int) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD_TASK + body, encoding="utf-8")
    with pytest.raises(CrmimplError) as info:
        load_plan_template(path)
    text = info.value.render()
    assert message in text
    assert f"bad.yaml:{line}:" in text
