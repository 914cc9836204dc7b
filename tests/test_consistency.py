"""One truth: every output of a project tells the same figures.

Each example is built in both languages; every output is read the way its real
application reads it (the workbooks recalculated by LibreOffice, the DOCX converted to text
by LibreOffice, the MS Project XML and the iCalendar file parsed, the HTML as text) and
compared with the one plan of the run: effort and money, phase and milestone dates, the
critical set, the training sessions (date, time, trainer) and hours, the TCO of the
proposed candidate and each document's date.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from crmimpl import i18n
from crmimpl.build import BuildOptions, build
from crmimpl.documents.common import plan_hours
from crmimpl.documents.register import document_entry
from crmimpl.documents.workspace import Workspace
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.office

NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "project.yaml").exists())
LANGS = ("ru", "en")
MS = "{http://schemas.microsoft.com/project}"
PLACEHOLDER = re.compile(r"\{[a-z_]+\}|\{\{|\}\}|\bNone\b|\bnan\b")


@dataclass
class Built:
    """One example built in both languages, with the outputs as LibreOffice reads them."""

    ws: Workspace
    out: Path
    texts: dict[str, str]  # file name -> text (DOCX through LibreOffice, HTML stripped)
    recalculated: Path  # folder of the workbooks as LibreOffice saved them

    def file(self, stem: str, ext: str, lang: str | None = None) -> Path:
        suffix = f"-{lang}" if lang else ""
        return self.out / f"{self.ws.id}-{stem}{suffix}.{ext}"

    def text(self, stem: str, lang: str, ext: str) -> str:
        return self.texts[f"{self.ws.id}-{stem}-{lang}.{ext}"]


def _soffice(soffice: str, files: list[Path], fmt: str, outdir: Path) -> None:
    """Convert ``files`` in one LibreOffice run (own profile)."""
    profile = Path("/tmp") / f"lo_profile_{uuid.uuid4().hex}"
    outdir.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", fmt, "--outdir", str(outdir), *map(str, files)],
                       check=True, capture_output=True, timeout=600)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _html_text(path: Path) -> str:
    body = path.read_text(encoding="utf-8")
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.fixture(scope="module", params=NAMES)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
          soffice: str) -> Built:
    name = request.param
    ws = Workspace.open(EXAMPLES / name)
    out = tmp_path_factory.mktemp(name)
    build(ws, BuildOptions(out=out, langs=LANGS, only=(
        "plan", "survey", "spec", "passport", "cti-spec", "backlog", "training",
        "training-workbook", "selection")))
    docx = sorted(out.glob("*.docx"))
    _soffice(soffice, docx, "txt:Text (encoded):UTF8", out / "txt")
    books = sorted(out.glob("*.xlsx"))
    _soffice(soffice, books, "xlsx", out / "lo")
    texts = {p.name: (out / "txt" / (p.stem + ".txt")).read_text(encoding="utf-8-sig")
             for p in docx}
    texts |= {p.name: _html_text(p) for p in out.glob("*.html") if "gantt" not in p.name}
    return Built(ws, out, texts, out / "lo")


def _norm(text: str) -> str:
    """Whitespace as a reader sees it (non-breaking spaces are spaces)."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")
                  .replace("\u2060", ""))


# ------------------------------------------------------------------ plan workbook


def test_plan_workbook_recalculates_to_the_plan(built: Built) -> None:
    from openpyxl import load_workbook

    from crmimpl.render.workbook import build_workbook_with_cells

    _, cells = build_workbook_with_cells(built.ws.plan)
    book = load_workbook(built.recalculated / built.file("plan", "xlsx").name, data_only=True)
    sheet = book.worksheets[0]
    costs = built.ws.plan.costs
    # the contractor's hours, as the documents state them; the client's people apart
    for key, expected in (("hours", costs.contractor_hours), ("net", costs.net),
                          ("vat", costs.vat), ("total", costs.total),
                          ("client_hours", costs.hours - costs.contractor_hours)):
        got = Decimal(str(sheet[cells[key]].value))
        assert abs(got - expected) < Decimal("0.005"), (key, got, expected)
    for phase in built.ws.plan.phases:
        got = Decimal(str(sheet[cells[f"phase:{phase.id}"]].value))
        assert abs(got - phase.cost) < Decimal("0.005"), phase.id


# ------------------------------------------------------------------ MS Project XML


def _mspdi_tasks(path: Path) -> list[dict[str, Any]]:
    root = ET.parse(path).getroot()
    out = []
    for el in root.iter(f"{MS}Task"):
        out.append({
            "name": el.findtext(f"{MS}Name"),
            "start": datetime.fromisoformat(el.findtext(f"{MS}Start") or "").date(),
            "finish": datetime.fromisoformat(el.findtext(f"{MS}Finish") or "").date(),
            "critical": el.findtext(f"{MS}Critical") == "1",
            "summary": el.findtext(f"{MS}Summary") == "1",
        })
    return out


def test_mspdi_has_the_plans_dates_and_critical_set(built: Built) -> None:
    plan = built.ws.plan
    tasks = _mspdi_tasks(built.file("plan", "xml"))
    ours = list(plan.schedule.tasks)
    assert len(tasks) == len(ours)
    by_id = {t.id: t for t in plan.tasks}
    phases = {p.id: p for p in plan.phases}
    for tid, got in zip(ours, tasks, strict=True):
        item: Any = by_id.get(tid) or phases[tid]
        assert got["name"] == item.name
        if item.finish >= item.start:  # a milestone's end-of-day finish is the same day
            assert (got["start"], got["finish"]) == (item.start, item.finish), tid
        assert got["critical"] == item.critical, tid
    critical = {tid for tid, got in zip(ours, tasks, strict=True)
                if got["critical"] and not got["summary"]}
    assert critical == set(plan.critical_path)


# ------------------------------------------------------------------ iCalendar


def _events(path: Path) -> dict[str, Any]:
    from icalendar import Calendar

    return {str(e.get("uid")).split("@")[0]: e
            for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}


def test_icalendar_has_the_plans_phases_milestones_and_sessions(built: Built) -> None:
    plan, ws = built.ws.plan, built.ws
    events = _events(built.file("plan", "ics"))
    for phase in plan.phases:
        assert events[f"phase.{phase.id}"].decoded("dtstart") == phase.start
    for task in plan.tasks:
        if task.milestone:
            assert events[task.id].decoded("dtstart") == task.start
    names = {p.id: p.name for p in ws.project.team}
    sessions = [e for uid, e in events.items() if uid.startswith("training.")]
    assert len(sessions) == len(plan.sessions)
    for s in plan.sessions:
        event = events[f"training.{s.group_id}.{s.number}"]
        start = event.decoded("dtstart")
        assert (start.date(), start.strftime("%H:%M")) == (s.day, s.start_time)
        assert str(event.get("description")).startswith(names[s.trainer_id])


# ------------------------------------------------------------------ training


def _training_hours(ws: Workspace) -> Decimal:
    return sum((t.effort_hours for t in ws.plan.tasks if t.sessions_placed), Decimal(0))


@pytest.mark.parametrize("lang", LANGS)
def test_training_plan_shows_the_plans_sessions(built: Built, lang: str) -> None:
    ws = built.ws.in_language(lang)  # names as the documents in lang write them
    training = ws.training(lang)
    if training is None:
        pytest.skip("no training in this plan")
    assert Decimal(str(training.hours)) == _training_hours(ws)
    from crmimpl.documents.training_plan import short_name
    from crmimpl.plan.training import session_end, shifted

    names = {p.id: p.name for p in ws.project.team}
    for ext in ("docx", "html"):
        text = _norm(built.text("training_plan", lang, ext))
        assert _norm(i18n.hours(training.hours, lang)) in text
        assert _norm(i18n.day(training.window_start, lang)) in text
        assert _norm(i18n.day(training.window_end, lang)) in text
        for s in training.sessions:
            day = _norm(i18n.day(s.day, lang))
            end = session_end(s)  # the time span, then the group and its trainer
            trainer = _norm(short_name(names[s.trainer_id]))
            row = f"{day} {s.start_time}–{end} "
            offset = training.group(s.group_id).offset
            if offset:  # a site on another clock: its local time beside the schedule's
                local = "местное" if lang == "ru" else "local"
                row += (f"({local} {shifted(s.start_time, offset)}–"
                        f"{shifted(end, offset)}) ")
            row += f"{s.group_id} "  # place, topics (with their short names), trainer
            assert re.search(re.escape(row) + r".{1,300}?" + re.escape(trainer), text), \
                (ext, row, trainer)
    for task in ws.plan.tasks:
        if task.sessions_placed:
            days = [s.day for s in training.sessions_of(task.group or "")]
            assert (task.start, task.finish) == (min(days), max(days))
            trainers = {s.trainer_id for s in training.sessions_of(task.group or "")}
            assert set(task.assignees) == trainers


@pytest.mark.parametrize("lang", LANGS)
def test_training_workbook_lists_the_plans_sessions(built: Built, lang: str) -> None:
    from openpyxl import load_workbook

    training = built.ws.training(lang)
    if training is None:
        pytest.skip("no training in this plan")
    book = load_workbook(built.recalculated / built.file("training", "xlsx", lang).name,
                         data_only=True)
    rows = [r for r in book.worksheets[0].iter_rows(min_row=2, values_only=True) if r[0]]
    names = {p.id: p.name for p in built.ws.in_language(lang).project.team}
    got = [(r[0].date() if isinstance(r[0], datetime) else r[0], str(r[1]), r[6])
           for r in rows]
    want = [(s.day, s.start_time, names[s.trainer_id]) for s in training.sessions]
    assert got == want


# ------------------------------------------------------------------ text documents


# the design document of each mode: the specification, or what takes its place
DESIGN = {"express": "passport", "cti": "cti_spec"}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc", ["survey_report", "tech_spec"])
def test_documents_show_the_plans_totals_and_dates(built: Built, doc: str, lang: str) -> None:
    ws = built.ws
    costs, cur = ws.plan.costs, ws.project.project.currency
    key = "survey" if doc == "survey_report" else "spec"
    if doc == "tech_spec":
        doc = DESIGN.get(ws.project.project.mode, doc)
    when = document_entry(ws.project, ws.plan, key).date
    for ext in ("docx", "html"):
        text = _norm(built.text(doc, lang, ext))
        # the contractor's effort (the client's own staff are not billed), as the plan has it
        assert _norm(plan_hours(costs.contractor_hours, lang)) in text, ext
        # the survey's preliminary estimate is in whole units, the specification exact; an
        # express or CTI project's documents state its price by one rule (project_money)
        from crmimpl.documents.common import PRICE_MODES, project_money, sparing_money
        from crmimpl.documents.spec import functional_spec

        short = ws.project.project.mode in PRICE_MODES
        # a functional specification (an English client's) quotes whole units, as its survey
        whole = doc == "survey_report" or (doc == "tech_spec"
                                           and functional_spec(ws.project, lang))
        # (the specification's exact amounts carry cents only when they have any)
        shown = (project_money(ws.plan) if short
                 else i18n.whole_money if whole else sparing_money)
        assert _norm(shown(costs.total, lang, cur)) in text, ext
        # the title page and header print the register's date (short or long form)
        assert _norm(i18n.day_long(when, lang)) in text or _norm(i18n.day(when, lang)) in text
        launch = ws.plan.launch
        assert _norm(i18n.day_long(launch, lang)) in text or _norm(i18n.day(launch, lang)) in text
        if doc != "survey_report" and costs.support_month > 0:  # the TCO counts it too
            # a month of the package, and the package over its months after launch (a
            # year when the project sets no term): the TCO's own figures
            money = (project_money(ws.plan) if short
                     else i18n.whole_money if whole else sparing_money)
            assert _norm(money(costs.support_month, lang, cur)) in text, ext
            term = (costs.support_package if costs.support_months else costs.support_year)
            assert _norm(money(term, lang, cur)) in text, ext


@pytest.mark.parametrize("lang", LANGS)
def test_passport_price_dates_and_agenda_are_the_plans(built: Built, lang: str) -> None:
    """The express passport's fixed price, effort, dates and training agenda, as Word or
    LibreOffice shows them, are the plan's figures."""
    from crmimpl.plan.training import session_end

    ws = built.ws
    if ws.project.project.mode != "express":
        pytest.skip("only express projects issue a package passport")
    from crmimpl.documents.common import project_money

    costs, cur = ws.plan.costs, ws.project.project.currency
    money = project_money(ws.plan)  # the project's one rounding rule
    training = ws.training(lang)
    for ext in ("docx", "html"):
        text = _norm(built.text("passport", lang, ext))
        for figure in (money(costs.net, lang, cur), money(costs.vat, lang, cur),
                       money(costs.total, lang, cur),
                       plan_hours(costs.contractor_hours, lang),
                       i18n.day(ws.plan.start, lang), i18n.day(ws.plan.launch, lang)):
            assert _norm(figure) in text, (ext, figure)
        if costs.has_package:  # a fixed price: the stages show the contractor's hours
            from crmimpl.documents.common import contractor_phase_hours

            assert not any(_norm(i18n.money(ph.cost, lang, cur)) in text
                           for ph in ws.plan.phases if ph.cost), ext
            hours = contractor_phase_hours(ws.plan)
            assert sum(hours.values()) == costs.contractor_hours  # half hours: no rounding
        else:
            for phase in ws.plan.phases:
                assert _norm(i18n.money(phase.cost, lang, cur)) in text, (ext, phase.id)
        if training is not None:
            for s in training.sessions:
                # the session's span, as the training plan shows it (one clock)
                row = (f"{_norm(i18n.day(s.day, lang))} {s.start_time}\u2013"
                       f"{session_end(s)} {s.group_id}")
                assert row in text, (ext, row)


def test_document_dates_are_their_approval_milestones(built: Built) -> None:
    ws = built.ws
    tasks = {t.id: t for t in ws.plan.tasks}
    if "survey.approved" in tasks:
        assert document_entry(ws.project, ws.plan, "survey").date == \
            tasks["survey.approved"].finish
    if "design.approved" in tasks:
        assert document_entry(ws.project, ws.plan, "spec").date == \
            tasks["design.approved"].finish
    if ws.plan.sessions:
        assert document_entry(ws.project, ws.plan, "training").date < \
            min(s.day for s in ws.plan.sessions)


def test_no_placeholder_in_any_text(built: Built) -> None:
    for name, text in built.texts.items():
        found = PLACEHOLDER.search(text)
        assert found is None, f"{name}: {text[max(found.start() - 60, 0):found.end() + 60]!r}"
    for task in built.ws.plan.tasks:
        for lang in LANGS:
            assert PLACEHOLDER.search(task.name_in(lang)) is None, task.id
    for phase in built.ws.plan.phases:
        for lang in LANGS:
            assert PLACEHOLDER.search(phase.name_in(lang)) is None, phase.id


# ------------------------------------------------------------------ TCO


def test_tco_of_the_proposed_candidate_is_the_plans_cost(built: Built) -> None:
    from openpyxl import load_workbook

    from crmimpl.plan.economics import offer_label, text

    econ, result = built.ws.project.economics, built.ws.economics
    if econ is None or econ.proposed is None or result is None:
        pytest.skip("no proposed candidate")
    costs = built.ws.plan.costs
    book = load_workbook(built.recalculated / built.file("selection-tco", "xlsx").name,
                         data_only=True)
    lang = result.language
    labels = {"implementation": text("text", "implementation", lang),
              "support_per_year": text("text", "support_per_year", lang)}
    if costs.support_month:  # the contractor's package: its monthly cost and its months
        labels |= {"package_month": text("text", "package_month", lang),
                   "package_months": text("text", "package_months", lang)}
    offers = [o for o in result.offers if o.candidate.id == econ.proposed]
    assert offers
    package = result.package
    for offer in offers:
        found = _offer_inputs(book, offer_label(offer, lang), labels)
        assert found["implementation"] == costs.compared
        vendor = next(c for c in econ.candidates if c.id == econ.proposed)
        assert found["support_per_year"] == vendor.support_per_year
        if package is not None:
            assert found["package_month"] == costs.support_month
            assert found["package_months"] == package.months
            months = built.ws.project.support.months
            if months is not None:  # the client's term (inside the horizon)
                assert package.months == months


def _offer_inputs(book: Any, title: str, labels: dict[str, str]) -> dict[str, Decimal]:
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        for i, row in enumerate(rows):
            if row and row[0] == title and i + 1 < len(rows) and rows[i + 1][1] is not None:
                out = {}
                for block_row in rows[i + 1:i + 20]:
                    for key, label in labels.items():
                        if block_row[0] == label and key not in out:
                            out[key] = Decimal(str(block_row[1])).quantize(Decimal("0.01"))
                if len(out) == len(labels):
                    return out
    raise AssertionError(f"no inputs block for {title!r}")



# ------------------------------------------------------------------ one registry


def _parts(path: Path) -> dict[str, bytes]:
    """A zip's members (XLSX) or the file itself: what must be identical. openpyxl stamps
    the save time into docProps/core.xml whatever the workbook says, so that part is left
    out (STYLE.md: compare workbooks part by part)."""
    import zipfile

    if path.suffix != ".xlsx":
        return {"": path.read_bytes()}
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in sorted(z.namelist()) if n != "docProps/core.xml"}


@pytest.mark.parametrize("name", NAMES)
def test_export_gantt_and_build_write_identical_files(
        name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.helpers import run_cli

    project = tmp_path / name
    shutil.copytree(EXAMPLES / name, project, ignore=shutil.ignore_patterns("out"))
    built = run_cli(capsys, "build", str(project), "--only", "plan", "-o", str(tmp_path / "b"))
    assert built.code == 0, built.err
    exported = run_cli(capsys, "export", str(project), "-d", str(tmp_path / "e"))
    assert exported.code == 0, exported.err
    drawn = run_cli(capsys, "gantt", str(project), "-o", str(tmp_path / "e" / "gantt.html"),
                    "--plotlyjs", "beside")
    assert drawn.code == 0, drawn.err
    pid = Workspace.open(project).id
    pairs = [(f"{pid}-plan.{ext}", f"{pid}-plan.{ext}") for ext in ("xlsx", "xml", "ics")]
    pairs.append((f"{pid}-gantt.html", "gantt.html"))
    for ours, theirs in pairs:
        assert _parts(tmp_path / "b" / ours) == _parts(tmp_path / "e" / theirs), ours
