"""Round-10 fixes for the iterative (northwind-it) documents."""

from __future__ import annotations

import re

import pytest

from crmimpl.documents import backlog
from crmimpl.model.project import load_project
from tests.conftest import EXAMPLES


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_backlog_hours_keep_the_number_and_unit_together(lang: str) -> None:
    """"9 h" never breaks into "9" / "h" (read as "9h" beside "10 h"): every size in
    the backlog's solution column joins the number and the unit by a no-break space."""
    project = load_project(EXAMPLES / "northwind-it")
    ctx = backlog.build_context(project, lang)
    unit = "ч" if lang == "ru" else "h"
    sizes = [row["change"] for row in ctx["backlog"] if re.search(rf"\d\s*{unit}$", row["change"])]
    assert sizes, "the backlog shows sizes in hours"
    for change in sizes:
        assert re.search(rf"\d\u00a0{unit}$", change), change
