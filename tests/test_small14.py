"""Round 14 (kreativ, teplo): defects found in the express and CTI documents."""

from __future__ import annotations

from crmimpl.documents import survey
from crmimpl.model.project import load_project
from tests.conftest import EXAMPLES


def test_a_step_that_requirements_serve_is_not_unchanged() -> None:
    """A to-be step without its own text is "unchanged" only when no requirement serves
    it (round 13: kreativ's invoicing step said «Без изменений» while the passport sets up
    the invoice template)."""
    project = load_project(EXAMPLES / "kreativ-agency")
    dept = next(d for d in project.client.departments if any(st.to_be for st in d.process))
    dept.process[0].to_be = None
    dept.process[0].requirements = ["R02", "R06"]
    dept.process[1].to_be = None
    dept.process[1].requirements = []
    for lang, changed, same in (("ru", "Меняется по требованиям R02, R06", "Без изменений"),
                                ("en", "Changes under R02, R06", "No change")):
        steps = next(x for x in survey._to_be(project, lang) if x["name"] == dept.name)["steps"]
        assert steps[0]["to_be"] == changed
        assert steps[1]["to_be"] == same


def test_kreativ_invoicing_step_says_what_the_package_changes() -> None:
    project = load_project(EXAMPLES / "kreativ-agency")
    steps = [st for d in project.client.departments for st in d.process]
    invoicing = next(st for st in steps if st.step.startswith("Счета"))
    assert invoicing.to_be and "шаблон" in invoicing.to_be

