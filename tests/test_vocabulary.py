"""Every value of the model's vocabularies has a Russian and an English label."""

from __future__ import annotations

from typing import get_args

import pytest

from crmimpl.model import project as model
from crmimpl.vocabulary import label, module_functions, vocabulary

GROUPS = {
    "mode": model.Mode, "department_kind": model.DepartmentKind, "role": model.Role,
    "side": model.Side, "corner": model.Corner, "module": model.Module,
    "integration_kind": model.IntegrationKind, "protocol": model.Protocol,
    "direction": model.Direction, "data_format": model.DataFormat, "access": model.Access,
    "priority": model.Priority, "fit": model.Fit, "level": model.Level,
    "impact_level": model.Level,
    "training_format": model.TrainingFormat,
}


@pytest.mark.parametrize("group", sorted(GROUPS))
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_value_has_a_label(group: str, lang: str) -> None:
    values = set(get_args(GROUPS[group]))
    assert set(vocabulary()[group]) == values
    entries = vocabulary()[group]
    for value in values:
        assert set(entries[value]) == {"ru", "en"}, (group, value)
        assert label(group, value, lang).strip()


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_module_has_functions(lang: str) -> None:
    for module in get_args(model.Module):
        assert len(module_functions(module, lang)) >= 2, module
