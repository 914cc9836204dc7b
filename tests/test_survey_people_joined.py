"""The people a department's requirements were taken from read as a list: "with Daniel
Hughes and Rachel Moore", not "with Daniel Hughes, Rachel Moore and are in the register"."""

from __future__ import annotations

from crmimpl.documents import survey
from crmimpl.model.project import load_project
from tests.conftest import EXAMPLES
from tests.test_spec_round6 import _text


def test_the_interviewees_are_joined_with_and() -> None:
    text = _text(load_project(EXAMPLES / "northwind-it"), survey, "en")
    assert "interview with Daniel Hughes and Rachel Moore and are" in text
    assert "Daniel Hughes, Rachel Moore and are" not in text
