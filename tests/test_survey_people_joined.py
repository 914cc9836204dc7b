"""The people a department's requirements were taken from read as a list: "with Daniel
Hughes and Rachel Moore", not "with Daniel Hughes, Rachel Moore and are in the register"."""

from __future__ import annotations

from crmimpl.documents import survey
from crmimpl.model.project import load_project
from tests.conftest import EXAMPLES
from tests.test_spec_round6 import _blocks, _text


def test_the_interviewees_are_joined_with_and() -> None:
    text = _text(load_project(EXAMPLES / "northwind-it"), survey, "en")
    assert "interview with Daniel Hughes and Rachel Moore and are" in text
    assert "Daniel Hughes, Rachel Moore and are" not in text


def test_generic_choices_give_way_to_what_the_client_said() -> None:
    """The residency requirement is the client's own (UK or EEA), not "the home country
    or region"; the accounting exchange carries client records, not "suppliers"."""
    text = _text(load_project(EXAMPLES / "northwind-it"), survey, "en")
    assert "home country or region" not in text
    assert "hosted in the UK or the EEA" in text
    assert "Customers and suppliers" not in text


def test_the_summary_names_the_recommended_system_and_its_extra_cost() -> None:
    """The sponsor reads the system decision and its trade-off in the summary, not only
    in the selection section."""
    text = _text(load_project(EXAMPLES / "northwind-it"), survey, "en")
    summary = text.split("Executive summary", 1)[1].split("The company", 1)[0]
    assert "The recommended system is Microsoft Dynamics 365 Sales and Customer Service" \
        in summary
    assert "more than HubSpot Sales Hub and Service Hub Professional over 3 years" in summary


def test_the_migration_table_names_who_signs_off_each_load() -> None:
    """The client's table names the contract register's owner today (Priya Raman); the
    migration table names who signs off its load (Claire Benson, who reconciles it)."""
    from crmimpl.render.blocks import Table, plain_text

    blocks = _blocks(load_project(EXAMPLES / "northwind-it"), survey, "en")
    table = next(b for b in blocks if isinstance(b, Table)
                 and plain_text(b.header[-1]) == "Signs off the load")
    rows = [[plain_text(cell) for cell in row] for row in table.rows]
    assert any(r[0].startswith("Contract register") and r[-1] == "Claire Benson"
               for r in rows)
