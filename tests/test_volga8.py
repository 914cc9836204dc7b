"""Round-8 remarks on volga's documents, fixed at their cause for any project: units that
requirements hand work to without CRM seats, ..."""

from __future__ import annotations

import pytest

from crmimpl.documents import spec
from crmimpl.model.project import Project, load_project
from crmimpl.render.markdown import parse_blocks, render_markdown
from tests.conftest import EXAMPLES
from tests.test_documents_content import all_text


@pytest.fixture(scope="module")
def volga() -> Project:
    return load_project(EXAMPLES / "volga-bank")


def _spec_text(project: Project, lang: str) -> str:
    context = spec.build_context(project, lang)
    return all_text(parse_blocks(render_markdown(spec.NAME, lang, context), "spec.md"))


def _route_warnings(project: Project) -> list[str]:
    from crmimpl.model.checks import project_warnings

    return [w[1] for w in project_warnings(project) if "hands work to" in w[1]]


def test_a_unit_without_seats_says_how_it_takes_the_work(volga: Project) -> None:
    """The credit department approves R22's rates but holds none of the 500 licences: the
    ТЗ says, in 3.2, how it receives the approval and returns its decision."""
    assert not _route_warnings(volga)
    text = _spec_text(volga, "ru")
    assert "нет рабочих мест (лицензий)" in text
    assert "Кредитное управление: передача на реструктуризацию" in text
    assert "один рабочий день (R22)" in text
    assert "Бэк-офис: обращение приходит письмом" in text
    assert "hold no seat (licence)" in _spec_text(volga, "en")


def test_a_unit_without_seats_or_channel_is_a_warning(volga: Project) -> None:
    data = volga.model_dump(mode="json", exclude_none=True)
    r22 = next(i for i, r in enumerate(data["requirements"]) if r["id"] == "R22")
    del data["requirements"][r22]["routes_to"][0]["via"]
    warnings = _route_warnings(Project.model_validate(data))
    assert warnings == ["R22 hands work to 'Кредитное управление', which has no CRM users"]
    # a department that has CRM users needs no channel and is not listed
    data["requirements"][r22]["routes_to"][0]["unit"] = "retail"
    fixed = Project.model_validate(data)
    assert not _route_warnings(fixed)
    assert "Розничная сеть (дополнительные офисы):" not in _spec_text(fixed, "ru")
    # a department without users is named by its name
    data["client"]["departments"][1]["crm_users"] = 0
    assert _route_warnings(Project.model_validate(data)) == [
        "R22 hands work to 'Розничная сеть (дополнительные офисы)', which has no CRM users"]
