"""A project fresh from ``crmimpl new`` plans without a warning, in every mode, language and
country, whatever day it is started: a new user's first build must not tell them their
own starting file misses its deadline, lacks a role or is out of the usual (round 22: the
CTI scaffold missed its one-month deadline, the project-mode one came to 66 hours per user
and the iterative one fell short of its mode's usual length; no scaffold had a client
system administrator)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crmimpl.documents.workspace import Workspace
from crmimpl.model.checks import warning_texts
from crmimpl.questionnaire.wishes import wish_warnings
from crmimpl.scaffold import MODES, new_project_text

# a spring start, a summer one and one that runs into the New Year holidays
DAYS = [date(2026, 3, 2), date(2026, 6, 15), date(2026, 12, 18)]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("lang", "country"), [("ru", "RU"), ("en", "GB"), ("en", "US"),
                                               ("en", "DE")])
def test_a_new_project_plans_without_warnings(tmp_path: Path, mode: str, lang: str,
                                              country: str) -> None:
    for today in DAYS:
        folder = tmp_path / f"p{today:%m%d}"
        folder.mkdir()
        (folder / "project.yaml").write_text(
            new_project_text(folder, mode, lang, today=today, country=country),
            encoding="utf-8")
        ws = Workspace.open(folder)
        said = [str(getattr(w, "message", w)) for w in ws.plan.warnings]
        said += warning_texts(ws.project, wish_warnings(ws.project))
        assert not said, f"{mode} {lang} {country} started {today}: {said}"
