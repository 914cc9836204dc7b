"""Round 12 of the training plan: the graded task each group sits is the one its sheet
in the training workbook gives, a department a process is routed to practises its own
step, the promises of §9 and §10 follow the courses and the duty the plan has."""

from __future__ import annotations

import pytest

from crmimpl.build import document_markdown
from crmimpl.documents.workspace import Workspace
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def optima() -> Workspace:
    return Workspace.open(EXAMPLES / "optima-distribution")


def _plain(markdown: str) -> str:
    return markdown.replace("\\", "").replace("\u00a0", " ")


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_each_group_of_a_shared_course_is_graded_on_its_own_workbook_task(
        optima: Workspace, lang: str) -> None:
    # optima's dealers (T03, T04) and construction sales (T05) share one course: the
    # document named one merged task list, the workbook each group's own
    training = optima.in_language(lang).training(lang)
    assert training is not None
    text = _plain(document_markdown(optima, "training", lang)[0])
    sales = [g for g in training.groups if g.kind == "sales"]
    assert len(sales) > 1
    for group in sales:
        workshop = next(t.title for t in group.topics if t.id == "practice")
        graded = "зачетное задание: " if lang == "ru" else "graded exercise: "
        tasks = workshop.partition(graded)[2]
        assert tasks
        line = next(x for x in text.splitlines() if group.id in x and tasks in x)
        # and no other group's task list stands in its place
        assert line.count(tasks) == 1


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_warehouse_practises_its_step_of_the_claim_not_its_registration(
        optima: Workspace, lang: str) -> None:
    training = optima.in_language(lang).training(lang)
    assert training is not None
    warehouse = next(g for g in training.groups if list(g.departments) == ["logistics"])
    workshop = next(t.title for t in warehouse.topics if t.id == "practice")
    if lang == "ru":
        assert workshop.endswith("зачетное задание: назначенный подразделению шаг процесса "
                                 "«регистрация рекламации с фото и актом», выполненный в срок "
                                 "с отметкой результата")
    else:
        assert workshop.endswith("graded exercise: the step of \"registration of a claim with "
                                 "photos and a report\" assigned to the department, done on "
                                 "time with its result recorded")


def test_a_requirement_topic_with_a_colon_reads_as_one_task(optima: Workspace) -> None:
    training = optima.training("ru")
    assert training is not None
    for group in training.groups:
        for topic in group.topics:
            if topic.id == "practice":
                assert topic.title.count(": ") == 1, topic.title
