"""Round 4 of the bank review: a pilot wave that starts with part of its users shows those
users, training programmes follow each user class's rights and its department's
requirements, and generic trade or branch wording follows the project's industry."""

from __future__ import annotations

import pytest

from crmimpl.documents import spec
from crmimpl.model.checks import project_problems
from crmimpl.model.project import load_project
from crmimpl.plan.pilot import pilot_waves
from crmimpl.render.markdown import parse_blocks, render_markdown
from tests.conftest import EXAMPLES
from tests.test_documents_content import all_text


def _spec_text(project, lang: str) -> str:
    context = spec.build_context(project, lang)
    return all_text(parse_blocks(render_markdown(spec.NAME, lang, context), "tech_spec.md"))


@pytest.fixture(scope="module")
def bank():
    return load_project(EXAMPLES / "volga-bank")


def test_a_wave_starting_with_part_of_its_users_shows_those_users(bank) -> None:
    first = pilot_waves(bank)[0]
    assert first.partial and first.users == 22 and first.total == 140
    text = _spec_text(bank, "ru").replace("\xa0", " ")
    assert "(22 из 140 пользователей, остальные пользователи подключаются вместе со " \
           "следующей волной" in text
    assert "(140 пользователей" not in text


def test_a_wave_without_users_counts_its_departments(bank) -> None:
    data = bank.model_copy(deep=True)
    data.rollout.pilot[0].users = None
    first = pilot_waves(data)[0]
    assert not first.partial and first.users == first.total == 140


def test_wave_users_beyond_its_departments_are_a_problem(bank) -> None:
    data = bank.model_copy(deep=True)
    data.rollout.pilot[0].users = 500
    problems = [p for p in project_problems(data) if "users" in str(p)]
    assert problems
