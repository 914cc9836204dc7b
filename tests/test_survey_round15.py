"""Round 15 of the senior-consultant review: the survey report's figures agree with the
training plan's sessions."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from crmimpl.documents import common
from crmimpl.model.project import load_project
from crmimpl.plan.builder import build_plan
from crmimpl.plan.training import build_groups
from tests.conftest import EXAMPLES
from tests.project_factory import project_data, write_project


def test_a_persons_training_hours_include_the_departments_briefings() -> None:
    """The survey's "Training, h" gave the Managing Director 6 h; the training plan has
    his 6-hour course and a half-hour briefing before the MVP for his department. Every
    client person's hours add the sessions their whole department attends (change
    sessions and briefings) to their course, as the training plan's timetable does."""
    project = load_project(EXAMPLES / "northwind-it")
    plan = build_plan(project)
    groups = build_groups(project, project.project.language)
    per_group: dict[str, Decimal] = {}
    for s in plan.sessions:
        per_group[s.group_id] = per_group.get(s.group_id, Decimal(0)) + Decimal(str(s.hours))
    whole = {d.id: sum((per_group[g.id] for g in groups if g.repeat and not g.members
                        and d.id in g.people and g.id in per_group), Decimal(0))
             for d in project.client.departments}
    assert any(whole.values()), "the example has change sessions or briefings"
    rows = {r["name"]: r for r in common.team_rows(project, "en", "client", plan)}
    checked = 0
    for person in project.team:
        if person.side != "client" or any(person.name in g.members for g in groups):
            continue
        course = next(g for g in groups if person.department in g.people
                      and not g.repeat and not g.heads)
        expected = per_group[course.id] + whole[person.department or ""]
        assert Decimal(rows[person.name]["training"]) == expected, person.name
        checked += bool(whole[person.department or ""])
    assert checked


def test_an_integration_states_its_purpose_in_the_clients_words(tmp_path: Path) -> None:
    """The survey's integration table gave "Other" as the purpose of the RMM integration
    and "Accounting / ERP" for Xero: ``integrations[].purpose`` says what the connected
    system is for, and every integration table shows it in place of the kind's label."""
    from crmimpl.build import document_markdown
    from crmimpl.documents.workspace import Workspace

    data = project_data(mode="typical", users=40, departments=2, integrations=3,
                        records=1000, team=4, language="en")
    data["integrations"][0]["kind"] = "other"
    data["integrations"][0]["purpose"] = "Remote monitoring of client devices"
    project = write_project(tmp_path / "p", data)
    row = common.integration_row(project.integrations[0], "en", project)
    assert row["kind"] == "Remote monitoring of client devices"
    survey, _ = document_markdown(Workspace(project), "survey", "en")
    assert "Remote monitoring of client devices" in survey
    assert common.integration_row(project.integrations[1], "en", project)["kind"] != ""


def test_the_client_meets_the_support_specialist_in_the_survey() -> None:
    """kreativ's support specialist had no task before go-live, so the survey's contractor
    table left her out; the audit then made her the owner of four actions. The people the
    plan gives work to and the contractor's support specialists are listed."""
    from crmimpl.documents import survey

    project = load_project(EXAMPLES / "kreativ-agency")
    plan = build_plan(project)
    rows = survey.build_context(project, "ru", plan=plan)["team_contractor"]
    support = [p.name for p in project.team if p.side == "contractor" and "support" in p.roles]
    assert support and all(any(r["name"] == name for r in rows) for name in support)


def test_the_pronoun_agrees_with_the_word_for_a_part_of_the_system() -> None:
    """«какие задачи решает каждый раздел … и какие требования реестра в ней выполняются»:
    «раздел» (amoCRM, Bitrix24) takes «в нем», «подсистема» (1С) «в ней»."""
    from crmimpl.build import document_markdown
    from crmimpl.documents.workspace import Workspace

    for name, pronoun in (("kreativ-agency", "в нем"), ("optima-distribution", "в ней")):
        text, _ = document_markdown(Workspace(load_project(EXAMPLES / name)), "survey", "ru")
        assert f"какие требования реестра {pronoun} выполняются" in text, name


def test_a_connector_and_a_webhook_are_named_as_such() -> None:
    """Telegram and WhatsApp through the Wazzup connector and Tilda's webhook were both
    "REST API" in the survey's integration table; the protocol names them as they are."""
    from crmimpl.documents import common as c

    project = load_project(EXAMPLES / "kreativ-agency")
    rows = {i.id: c.integration_row(i, "ru", project) for i in project.integrations}
    assert rows["messengers"]["protocol"].startswith("готовый коннектор")
    assert rows["website"]["protocol"].startswith("веб-хук")
