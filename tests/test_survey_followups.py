"""A yes the client went on to explain is not repeated beside its explanation (round 11:
«SLA are agreed» after the full SLA matrix, «discounts are approved by a manager» after
the thresholds, «needed beyond the head office» before the Reading office's account, and
«the client checks that it is registered with the ICO» above «Registered with the ICO:
Yes»)."""

from __future__ import annotations

import pytest

from crmimpl.build import document_markdown
from crmimpl.documents.workspace import Workspace
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def northwind_survey() -> str:
    md = document_markdown(Workspace.open(EXAMPLES / "northwind-it"), "survey", "en")[0]
    return " ".join(md.replace("\\", "").split())


def test_a_yes_with_its_detail_answered_is_said_once(northwind_survey: str) -> None:
    text = northwind_survey
    assert "Gold: P1 30 min / 4 h" in text  # the detail stays
    assert "Response and resolution times (SLA) are agreed" not in text
    assert "Discount approval rules" in text
    assert "approved by a manager, and each approval is to stay" not in text
    assert "The Reading office runs part of the service desk" in text
    assert "The CRM is needed beyond the head office" not in text
    # the mobile yes invents no reason the client did not give
    assert "work away from the office, so they need" not in text
    assert "asks for access to the CRM from phones or tablets" in text


def test_a_registration_the_client_holds_is_stated_not_checked(northwind_survey: str) -> None:
    text = northwind_survey
    assert "checks that it is registered with the ICO" not in text
    assert "The client reports that it is registered with the ICO" in text
    assert "| Registered with the ICO | Yes |" not in text


def test_a_yes_without_its_detail_keeps_its_sentence(tmp_path: object) -> None:
    from crmimpl.documents import survey_answers as sa

    class Item:
        value, audience, respondent, comments = True, "service", None, []

    class Answers:
        def report_all(self, key: str) -> list[object]:
            return []

    library = sa.library_for(Workspace.open(EXAMPLES / "northwind-it").project)
    asked = sa.catalog(library)["requirements.service.has_sla"]
    assert not sa._followed_up(Answers(), asked, Item())  # type: ignore[arg-type]
