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


def test_the_cti_admin_has_the_same_duties_in_the_spec_and_the_training_plan() -> None:
    """One truth for a person's role (round 13: the CTI spec had teplo's system
    administrator look after the PBX groups and the task rules, while the training plan
    said the contractor makes configuration changes under the support package)."""
    from crmimpl.documents import cti_spec, training_plan
    from crmimpl.plan.builder import build_plan
    from crmimpl.render.markdown import parse_blocks, render_markdown
    from tests.test_documents_content import all_text

    project = load_project(EXAMPLES / "teplo-service")
    plan = build_plan(project)
    duties = {"ru": "пользователи и права доступа в CRM, внутренние номера сотрудников в АТС "
                    "и их включение в группы приема звонков",
              "en": "users, access rights in the CRM, staff extensions in the PBX and their "
                    "places in the call groups"}
    for lang in ("ru", "en"):
        spec = all_text(parse_blocks(render_markdown(
            cti_spec.NAME, lang, cti_spec.build_context(project, lang, plan=plan)), "s.md"))
        training = all_text(parse_blocks(render_markdown(
            training_plan.NAME, lang, training_plan.build_context(project, lang, plan=plan)),
            "t.md"))
        assert duties[lang] in spec and duties[lang] in training
        assert "правила задач в CRM сопровождает" not in spec
        assert "task rules in the CRM, are looked after" not in spec


def test_cti_tests_on_live_numbers_have_a_switch_over_and_a_rollback() -> None:
    """A CTI project tests on the company's live numbers: the specification says when
    the routing is switched and how it is rolled back (round 13: teplo's test cases ran
    on live numbers with neither)."""
    from crmimpl.documents import cti_spec
    from crmimpl.plan.builder import build_plan
    from crmimpl.render.markdown import parse_blocks, render_markdown
    from tests.test_documents_content import all_text

    project = load_project(EXAMPLES / "teplo-service")
    plan = build_plan(project)
    for lang, words in (("ru", ("вечером накануне", "возвращает сохраненную схему")),
                        ("en", ("the evening before", "restores the saved scheme"))):
        context = cti_spec.build_context(project, lang, plan=plan)
        text = all_text(parse_blocks(render_markdown(cti_spec.NAME, lang, context), "s.md"))
        for w in words:
            assert w in text
        assert context["schedule"]["testing_start"] in text
