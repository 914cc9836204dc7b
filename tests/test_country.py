"""The client's country: legal basis in the documents, `crmimpl new` per country, warnings."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.helpers import run_cli

# the law by its number (152-ФЗ, 152-FZ, No. 152), not any figure with 152 in it (GBP 17,152)
RUSSIAN_LAW = ("152-", "152\u2011", "No. 152", "Roskomnadzor", "Роскомнадзор", "Russia", "RUB",
               "₽")


def _project(country: str | None, calendar: str = "RU") -> object:
    from crmimpl.model.project import load_project

    project = load_project(EXAMPLES / "optima-distribution")
    project.client.country = country
    project.project.calendar = calendar
    return project


@pytest.mark.parametrize(("country", "lang", "law", "regulator"), [
    ("RU", "ru", "№ 152-ФЗ «О персональных данных»", "Роскомнадзор"),
    ("RU", "en", "No. 152-FZ", "Roskomnadzor"),
    ("GB", "en", "the UK GDPR and the Data Protection Act 2018", "ICO"),
    ("GB", "ru", "UK GDPR", "ICO"),
    ("DE", "en", "Regulation (EU) 2016/679", "national data protection authority"),
    ("NO", "en", "Regulation (EU) 2016/679", "national data protection authority"),
    ("FR", "ru", "Регламент (ЕС) 2016/679", "национальный орган"),
    ("US", "en", "CCPA", ""),
    ("JP", "en", "the data protection law applicable in the client's country", ""),
])
def test_legal_basis_by_country(country: str, lang: str, law: str, regulator: str) -> None:
    from crmimpl.documents.country import legal_basis

    legal = legal_basis(_project(country), lang)  # type: ignore[arg-type]
    assert law in legal["personal_data_law"]
    assert law in legal["processing"] or country == "JP"
    assert regulator in legal["regulator"]
    assert legal["is_ru"] == (country == "RU")
    if country not in ("RU",):
        text = " ".join(str(v) for v in legal.values())
        assert not any(word in text for word in ("152", "Roskomnadzor", "Роскомнадзор"))
    if lang == "en":
        assert not re.search("[А-Яа-яЁё]", legal["processing"])


def test_country_falls_back_to_the_calendar() -> None:
    from crmimpl.documents.country import legal_basis

    legal = legal_basis(_project(None, calendar="GB"), "en")  # type: ignore[arg-type]
    assert legal["country"] == "GB" and "UK GDPR" in legal["personal_data_law"]


@pytest.fixture(scope="module")
def northwind(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from crmimpl.build import BuildOptions, build
    from crmimpl.model.project import load_project

    tmp = tmp_path_factory.mktemp("northwind")
    shutil.copytree(EXAMPLES / "northwind-it", tmp / "p")
    build(load_project(tmp / "p"), BuildOptions(out=tmp / "out", langs=("en",),
                                                formats=("html",),
                                                only=("survey", "spec", "training")))
    return tmp / "out"


def _text(path: Path) -> str:
    import html

    body = path.read_text(encoding="utf-8").split("</style>", 1)[1]
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.mark.parametrize("doc", ["survey_report", "tech_spec"])
def test_uk_documents_cite_uk_law_only(northwind: Path, doc: str) -> None:
    text = _text(northwind / f"northwind-crm-2026-{doc}-en.html")
    assert "UK GDPR" in text
    assert not [w for w in RUSSIAN_LAW if w in text]


def test_ru_specification_cites_the_law_from_the_country_data(tmp_path: Path) -> None:
    from crmimpl.build import document_markdown
    from crmimpl.documents.workspace import Workspace

    project = _project("GB", calendar="RU")
    markdown, _ = document_markdown(Workspace(project), "spec", "ru")  # type: ignore[arg-type]
    markdown = re.sub(r"\\(.)", r"\1", markdown)  # context text is escaped for Markdown
    assert "Data Protection Act 2018" in markdown
    assert "152-ФЗ" not in markdown


@pytest.mark.parametrize(("country", "stages"), [("RU", "ГОСТ Р 59793-2021"),
                                                ("KZ", "ГОСТ 34.601-90")])
def test_ru_specification_cites_the_stages_standard_in_force(country: str, stages: str) -> None:
    """A Russian national standard (ГОСТ Р) binds Russian projects only; a Kazakh or
    Belarusian project written in Russian cites the interstate ГОСТ 34.601-90."""
    from crmimpl.build import document_markdown
    from crmimpl.documents.workspace import Workspace

    project = _project(country, calendar="RU")
    markdown, _ = document_markdown(Workspace(project), "spec", "ru")  # type: ignore[arg-type]
    markdown = re.sub(r"\\(.)", r"\1", markdown)
    assert stages in markdown
    if country != "RU":
        assert "ГОСТ Р" not in markdown


# ------------------------------------------------------------------ crmimpl new


def _new(capsys: pytest.CaptureFixture[str], folder: Path, *args: str) -> str:
    result = run_cli(capsys, "new", str(folder), *args)
    assert result.code == 0, result.err
    return (folder / "project.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "country", "currency", "city"), [
    (("--lang", "en"), "GB", "GBP", "London"),
    (("--lang", "en", "--country", "US"), "US", "USD", "New York"),
    (("--lang", "en", "--country", "de"), "DE", "EUR", "Berlin"),
    (("--lang", "ru"), "RU", "RUB", "Москва"),
    (("--lang", "ru", "--country", "KZ"), "KZ", "KZT", "Алматы"),
])
def test_new_follows_the_country(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 args: tuple[str, ...], country: str, currency: str,
                                 city: str) -> None:
    text = _new(capsys, tmp_path / "p", "--mode", "project", *args)
    assert f"calendar: {country} " in text and f"  country: {country} " in text
    assert f"currency: {currency}\n" in text and f'locations: ["{city}"]' in text
    assert "# system:" in text
    result = run_cli(capsys, "validate", str(tmp_path / "p"))
    assert result.code == 0, result.err
    assert "warning" not in result.err
    if args[1] == "en" and country != "RU":
        assert not re.search("[А-Яа-яЁё]", text), "Russian text in an English scaffold"


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_scaffold_system_block_validates_when_uncommented(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str) -> None:
    text = _new(capsys, tmp_path / "p", "--lang", lang)
    lines = text.splitlines()
    start = lines.index("# system:")
    for n in range(start, len(lines)):
        if not lines[n].startswith("#"):
            break
        lines[n] = lines[n][2:]
    (tmp_path / "p" / "project.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli(capsys, "validate", str(tmp_path / "p"))
    assert result.code == 0, result.err
    assert "warning" not in result.err


def test_new_english_project_builds_without_russian(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _new(capsys, tmp_path / "p", "--lang", "en")
    result = run_cli(capsys, "build", str(tmp_path / "p"), "--only", "survey,training",
                     "-f", "html,docx")
    assert result.code == 0, result.err
    for html_file in (tmp_path / "p" / "out").glob("*.html"):
        text = _text(html_file)
        found = re.findall(r".{0,30}[А-Яа-яЁё]+.{0,30}", text)
        assert not found, f"{html_file.name}: {found[:3]}"
        assert not [w for w in RUSSIAN_LAW if w in text], html_file.name
        assert "UK GDPR" in text or "training_plan" in html_file.name


@pytest.mark.parametrize("country", ["X1", "ZZ"])
def test_new_refuses_an_unknown_country(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        country: str) -> None:
    result = run_cli(capsys, "new", str(tmp_path / "p"), "--lang", "en", "--country", country)
    assert result.code == 2
    assert "--country" in result.err
    assert not (tmp_path / "p" / "project.yaml").exists()


def test_currency_and_calendar_odd_for_the_country_warn(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = _new(capsys, tmp_path / "p", "--lang", "en")
    text = text.replace("currency: GBP", "currency: RUB").replace("calendar: GB", "calendar: RU")
    (tmp_path / "p" / "project.yaml").write_text(text, encoding="utf-8")
    result = run_cli(capsys, "validate", str(tmp_path / "p"))
    assert result.code == 0, result.err
    line = text.splitlines().index(next(ln for ln in text.splitlines()
                                        if ln.startswith("  currency:"))) + 1
    assert re.search(rf"warning: .*project\.yaml:{line}:\d+: project\.currency: the "
                     "currency is RUB for a client in GB", result.err), result.err
    assert "project.calendar: the calendar is RU but the client is in GB" in result.err
