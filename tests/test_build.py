"""`crmimpl build` on every example: every product is written and opens in LibreOffice."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from crmimpl.model.project import load_project
from tests.conftest import ARTIFACTS, EXAMPLES
from tests.helpers import run_cli

EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "project.yaml").exists())
# the design documents each implementation mode issues
DESIGN_DOCUMENTS = {"express": ("passport",), "cti": ("cti_spec",), "typical": ("tech_spec",),
                    "project": ("tech_spec",), "iterative": ("tech_spec", "backlog")}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build every example once, in both languages, DOCX and HTML."""
    from crmimpl.build import BuildOptions, build
    from crmimpl.model.project import load_project

    out: dict[str, Path] = {}
    for name in EXAMPLE_NAMES:
        folder = tmp_path_factory.mktemp(name)
        shutil.copytree(EXAMPLES / name, folder / name)
        project = load_project(folder / name)
        build(project, BuildOptions(out=folder / "out", langs=("ru", "en")))
        out[name] = folder / "out"
    return out


def _audit_ahead(name: str) -> bool:
    """Whether the schedule of an example holds an audit not imported yet."""
    from crmimpl.questionnaire.audit import planned_date

    project = load_project(EXAMPLES / name)
    done = [p for p in (EXAMPLES / name / "audits").glob("*.yaml") if p.stem.count(".") == 0]
    return not done or planned_date(project, len(done) + 1) is not None


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_document_in_both_languages(built: dict[str, Path], name: str) -> None:
    files = {p.name for p in built[name].iterdir()}
    mode = load_project(EXAMPLES / name).project.mode
    design = DESIGN_DOCUMENTS[mode]
    for stem in ("survey_report", *design, "training_plan"):
        for lang in ("ru", "en"):
            for ext in ("docx", "html"):
                assert any(f.endswith(f"-{stem}-{lang}.{ext}") for f in files), (stem, lang)
    for lang in ("ru", "en"):
        assert any(f.endswith(f"-training-{lang}.xlsx") for f in files)
        # the next audit's checklist, unless the schedule's last audit is imported
        assert any(f.endswith(f"-audit-checklist-{lang}.xlsx") for f in files) is (
            _audit_ahead(name))
        if list((EXAMPLES / name / "audits").glob("*.yaml")):
            assert any(f.endswith(f"-audit_report-{lang}.docx") for f in files)
    for plan_file in ("gantt.html", "plan.xlsx", "plan.xml", "plan.ics"):
        assert any(f.endswith(f"-{plan_file}") for f in files), plan_file
    if shutil.which("chromium") or shutil.which("chromium-browser"):
        assert any(f.endswith("-gantt.png") for f in files)
    questionnaires = {p.name for p in (built[name] / "questionnaires").iterdir()}
    for qid in ("survey", "requirements", "employee", "documents"):
        assert any(q.startswith(qid) for q in questionnaires), qid
    assert not [f for f in files if f.endswith(".tmp")]
    others = {d for ds in DESIGN_DOCUMENTS.values() for d in ds} - set(design)
    assert not [f for f in files if any(f"-{d}-" in f for d in others)], "another mode's"


@pytest.mark.office
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_documents_open_in_libreoffice(
    built: dict[str, Path], name: str, soffice: str, tmp_path: Path
) -> None:
    docx = sorted(built[name].glob("*.docx"))
    profile = Path("/tmp") / f"lo_build_{uuid.uuid4().hex}"
    try:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, docx)],
            check=True, capture_output=True, timeout=600,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    for doc in docx:
        pdf = tmp_path / (doc.stem + ".pdf")
        assert pdf.exists(), f"LibreOffice could not open {doc.name}"
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
            ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout)[1])
        assert pages >= 3, doc.name
        for bad in ("Error!", "{{", "None", "undefined", "TODO"):
            assert bad not in text, (doc.name, bad)
        assert re.search(r"^\s*1\s+\S", text, re.MULTILINE), f"no numbered heading in {doc.name}"
        if "-tech_spec-" in doc.name:
            lang = "ru" if doc.name.endswith("-ru.docx") else "en"
            functional = lang == "en" and "Functional Specification" in text
            _gost_sections_in_order(text, "fs" if functional else lang)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    spec = next(p for p in sorted(tmp_path.glob("*-*_spec-*.pdf"))
                + sorted(tmp_path.glob("*-passport-*.pdf")))
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "4", str(spec),
                    str(ARTIFACTS / f"build-{spec.stem}")], check=True, timeout=120)


GOST = {
    "ru": ["Общие сведения", "Цели и назначение", "Характеристика объекта автоматизации",
           "Требования к", "Состав и содержание работ", "Порядок разработки",
           "Порядок контроля и приемки", "Требования к подготовке объекта",
           "Требования к документированию", "Источники разработки"],
    "en": ["General information", "Purpose and objectives", "Characteristics of the",
           "Requirements for the system", "Scope and content of work",
           "Development procedure", "Testing and acceptance",
           "Preparation of the organisation", "Documentation requirements", "Sources"],
    # an English client's functional specification and solution design
    "fs": ["Purpose and scope", "Business context", "Stakeholders", "Solution overview",
           "Functional requirements", "Integrations", "Data migration",
           "Non-functional requirements", "Security and data protection",
           "Testing and acceptance", "Deployment and training", "Assumptions",
           "Sign-off"],
}


def _gost_sections_in_order(text: str, lang: str) -> None:
    """The ten GOST 34.602-2020 sections (or the functional specification's) appear as
    numbered headings, in order."""
    position = 0
    for number, title in enumerate(GOST[lang], start=1):
        match = re.compile(rf"^\s*{number}\s+{re.escape(title)}", re.MULTILINE).search(
            text, position)
        assert match, f"section {number} '{title}' missing or out of order ({lang})"
        position = match.end()


def test_build_cli_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p"
    shutil.copytree(EXAMPLES / EXAMPLE_NAMES[0], project)
    result = run_cli(capsys, "build", str(project), "--only", "training", "--format", "html",
                     "--lang", "en")
    assert result.code == 0, result.err
    written = [line.removeprefix("wrote ") for line in result.out.splitlines()]
    assert len(written) == 1 and written[0].endswith("-training_plan-en.html")
    assert Path(written[0]).parent == project / "out"
    result = run_cli(capsys, "build", str(project), "--only", "nothing")
    assert result.code == 2 and "unknown value(s): nothing" in result.err
    result = run_cli(capsys, "build", str(project), "--format", "odt")
    assert result.code == 2


def test_templates_export_and_override(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "firm"
    result = run_cli(capsys, "templates", "export", str(mine))
    assert result.code == 0, result.err
    assert (mine / "reference.docx").is_file()
    template = mine / "en" / "training_plan.md.j2"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "Purpose of this document", "Why Acme Consulting trains your staff"),
        encoding="utf-8")
    assert (mine / "skeleton" / "training_plan.md.j2").is_file()
    result = run_cli(capsys, "templates", "export", str(mine))
    assert result.code == 1 and "already exists" in result.err
    project = tmp_path / "p"
    shutil.copytree(EXAMPLES / EXAMPLE_NAMES[0], project)
    result = run_cli(capsys, "build", str(project), "--only", "training", "--format", "html",
                     "--lang", "en", "--templates", str(mine),
                     "--reference-docx", str(mine / "reference.docx"))
    assert result.code == 0, result.err
    html = next((project / "out").glob("*-training_plan-en.html")).read_text(encoding="utf-8")
    assert "Why Acme Consulting trains your staff" in html


def test_section_added_to_one_language_only_fails_the_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "firm"
    assert run_cli(capsys, "templates", "export", str(mine)).code == 0
    template = mine / "ru" / "training_plan.md.j2"
    lines = template.read_text(encoding="utf-8").count("\n")
    with template.open("a", encoding="utf-8") as f:
        f.write("\n{% block p_new_section %}\nНовый раздел\n{% endblock %}\n")
    project = tmp_path / "p"
    shutil.copytree(EXAMPLES / EXAMPLE_NAMES[0], project)
    result = run_cli(capsys, "build", str(project), "--only", "training", "--format", "html",
                     "--templates", str(mine))
    assert result.code == 1
    assert f"ru/training_plan.md.j2:{lines + 2}: block 'p_new_section' is not declared in " \
        "skeleton/training_plan.md.j2" in result.err
    assert "Traceback" not in result.err
