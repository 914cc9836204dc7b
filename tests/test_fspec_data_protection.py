"""The functional specification's data protection paragraph follows the client's own
lawful bases (northwind: contract, legitimate interests, consent only for sole traders
and partnerships under PECR), not "consent for marketing" across the board, and designs
the opt-out the client asked for."""

from __future__ import annotations

from crmimpl.documents.spec import _lawful_basis
from crmimpl.documents.workspace import Workspace
from crmimpl.questionnaire.answers import Answers
from tests.conftest import EXAMPLES


def test_the_clients_lawful_bases_are_the_ones_recorded() -> None:
    ws = Workspace.open(EXAMPLES / "northwind-it")
    text = _lawful_basis(ws.answers, "en")
    assert "sole traders and partnerships" in text and "Contract for client contacts" in text
    assert "consent for marketing)" not in text


def test_without_an_answer_consent_is_not_claimed_for_all_marketing() -> None:
    text = _lawful_basis(Answers(), "en")
    assert "business contacts" in text and "individuals" in text
    assert "consent for marketing" not in text
