"""The audit cycle: checklist workbook out, filled checklist in, scores for the report.

The checklist is the questionnaire ``audit`` (``questionnaires/audit.yaml``) narrowed to
the project: checks that do not apply (mobile use without the mobile module, integrations
when there are none) are left out by the rules of the catalogue
(``templates/audit_actions.yaml``), and the KPI table gets one row per goal. The workbook
is written by the questionnaire writer and read back by the questionnaire importer
(same safety checks, same ``file.xlsx!Sheet!D14: message`` errors); a filled checklist
becomes ``audits/<date>.yaml``.

Scoring rule (stated in the report too): a check earns 1 when passed, 0.5 when partly
passed and 0 when failed; checks marked not applicable are left out. Each check weighs by
its criticality (high 3, medium 2, low 1). The score of an area is the weighted credit
over the weighted applicable checks, in percent; the overall score pools every applicable
check of every area the same way. KPI progress is the share of the way from baseline to
target covered by the actual value, in the direction of improvement, capped at 0..100 %.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import yaml
from pydantic import Field

from crmimpl.errors import CrmimplError
from crmimpl.i18n import unit_label, words
from crmimpl.model.base import LocalText, Strict
from crmimpl.model.questionnaire import Question, Questionnaire, Section
from crmimpl.store import atomic_write_text

if TYPE_CHECKING:
    from crmimpl.model.project import Kpi, Project

AUDITS_DIR = "audits"
QUESTIONNAIRE = "audit"
CATALOGUE_FILE = "audit_actions.yaml"
KPI_QUESTION = "kpi"
STATUS_COLUMN = "status"
NOTE_QUESTIONS = ("participants", "strengths", "conclusion", "schedule_note")
WEIGHTS = {"high": 3, "medium": 2, "low": 1}
CREDIT = {"passed": 1.0, "partly": 0.5, "failed": 0.0}

Status = Literal["passed", "partly", "failed", "not_applicable"]
Level = Literal["low", "medium", "high"]
Rule = Annotated[str, Field(pattern=r"^(module|integration|industry|country):[A-Za-z0-9_]+$")]
Rules = Rule | list[Rule]


# ------------------------------------------------------------------ catalogue
class CatalogueAction(LocalText):
    """A corrective action; it is proposed only where it fits the project and the audit."""

    applies_if: Rules | None = None
    unless_passed: list[str] = Field(
        default_factory=list, description="Checks of the same audit that, when passed, "
        "make the action needless (no alert to set up when errors are already watched).")
    unless_evidence: list[str] = Field(
        default_factory=list, description="Regular expressions (any language, case "
        "ignored) for auditor's notes saying the action is already done: a reminder the "
        "auditor saw working is not proposed again.")


class CatalogueCheck(Strict):
    """What the catalogue says about one check."""

    criticality: Level = "medium"
    applies_if: Rules | None = None
    how: LocalText | None = None
    problem: LocalText | None = Field(
        None, description="The finding's heading when the check fails or passes only in "
        "part, worded as the problem.")
    failed_by: list[str] = Field(
        default_factory=list, description="Regular expressions (any language, case "
        "ignored) for auditor's notes that report a failure this check covers: a check "
        "cannot pass while its own notes, or another check's, say so (no «exchanges run "
        "without errors: passed» beside «2 payments were not transferred»).")
    actions: list[CatalogueAction] = Field(min_length=1)


class CatalogueArea(Strict):
    """When a whole area applies."""

    applies_if: Rules | None = None


class Catalogue(Strict):
    """``templates/audit_actions.yaml``: rules, guidance and corrective actions."""

    areas: dict[str, CatalogueArea] = Field(default_factory=dict)
    checks: dict[str, CatalogueCheck] = Field(default_factory=dict)
    before_launch: list[str] = Field(
        default_factory=list, description="Regular expressions (any language, case "
        "ignored) for a KPI's source note or period saying that the value still largely "
        "reflects work done before go-live (\"most of these deals were opened before the "
        "MVP went live\"): the report credits no pace since launch to such a value.")


def before_launch(result: KpiResult, catalogue: Catalogue) -> bool:
    """Whether the auditor's notes on a KPI value say it largely predates the go-live."""
    notes = f"{result.comment or ''} {result.period or ''}"
    return any(re.search(p, notes, re.IGNORECASE) for p in catalogue.before_launch)


def load_catalogue(user_dir: Path | None = None) -> Catalogue:
    """The catalogue; a file of the same name in ``user_dir`` overrides the built-in one.

    Raises:
        CrmimplError: the file is broken (with ``file:line:col``).
    """
    from crmimpl.resources import templates_dir

    path = templates_dir() / CATALOGUE_FILE
    if user_dir is not None and (Path(user_dir) / CATALOGUE_FILE).is_file():
        path = Path(user_dir) / CATALOGUE_FILE
    stat = path.stat()
    return _catalogue(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _catalogue(path: str, _mtime_ns: int, _size: int) -> Catalogue:
    """Read once per run (and again only when the file changes, e.g. under --watch)."""
    from crmimpl.load import load_yaml
    from crmimpl.model.validate import validate_document

    return validate_document(Catalogue, load_yaml(path, defer_problems=True))


def in_country(text: LocalText, project: Project, lang: str) -> str:
    """A catalogue text in one language with the client's country's words in its slots:
    a UK client's checklist searches duplicates by Companies House number, not by tax id
    (round 18: northwind's audit-2 checklist spoke of tax ids and counterparties)."""
    from crmimpl.countries import fill_terms

    return fill_terms(text.get(lang), str(project.country), lang)


def applies(rule: str | list[str] | None, project: Project) -> bool:
    """Whether an ``applies_if`` rule (or every rule of a list) holds for the project
    (no rule: always)."""
    if rule is None:
        return True
    if isinstance(rule, list):
        return all(applies(r, project) for r in rule)
    kind, _, value = rule.partition(":")
    if kind == "module":
        return value in project.scope.modules
    if kind == "industry":
        from crmimpl.industry import project_industry

        return project_industry(project) == value
    if kind == "country":
        return str(project.country) == value
    if value == "any":
        return bool(project.integrations)
    return any(i.kind == value for i in project.integrations)


def contradicted(action: CatalogueAction, evidence: str | None) -> bool:
    """Whether the auditor's notes say the action is already done."""
    import re

    return any(re.search(p, evidence or "", re.IGNORECASE) for p in action.unless_evidence)


def contradictions(record: AuditRecord, catalogue: Catalogue) -> list[tuple[str, str, str]]:
    """Passed checks that the audit's own notes fail: (the passed check, the check whose
    notes report the failure, the words that report it). A status must never contradict
    the evidence the same report prints."""
    import re

    notes = {check_id: c.evidence or "" for checks in record.areas.values()
             for check_id, c in checks.items()}
    out = []
    for checks in record.areas.values():
        for check_id, c in checks.items():
            entry = catalogue.checks.get(check_id)
            if c.status != "passed" or entry is None:
                continue
            for source, text in notes.items():
                found = next((m for p in entry.failed_by
                              if (m := re.search(p, text, re.IGNORECASE))), None)
                if found:
                    out.append((check_id, source, found.group(0)))
                    break
    return out


def unsupported(record: AuditRecord) -> list[str]:
    """Passed checks without the auditor's evidence (the sample or source seen): a pass
    is a finding too, and the next audit must be able to repeat it."""
    return [check_id for checks in record.areas.values() for check_id, c in checks.items()
            if c.status == "passed" and not (c.evidence or "").strip()]


def underrated(record: AuditRecord) -> list[str]:
    """Findings against an accepted requirement rated below high: the client paid for
    what is missing, and whatever depends on it (a goal, a report) cannot be measured."""
    return [check_id for checks in record.areas.values() for check_id, c in checks.items()
            if c.status in ("failed", "partly") and c.requirement and c.criticality != "high"]


# the auditor's words that the check's norm is met, and that some part of it is not
_NORM_MET = ("в пределах нормы", "норма выполнена", "норму выполняет", "within the norm",
             "norm is met", "norm met", "meets the norm")
_NORM_MISSED = ("не выполнен", "сверх нормы", "выше нормы", "ниже нормы", "не соответству",
                "not met", "outside the norm", "above the norm", "below the norm", "misses")


def scored_below_norm(record: AuditRecord) -> list[str]:
    """Checks scored partly or failed whose evidence says the norm is met and nowhere
    that any part of it is not: the score follows the norm, so either the verdict or the
    evidence is wrong (kreativ's duplicates, 1.7 % «в пределах нормы», scored partly)."""
    out = []
    for checks in record.areas.values():
        for check_id, c in checks.items():
            text = (c.evidence or "").lower()
            if c.status in ("failed", "partly") and any(w in text for w in _NORM_MET) \
                    and not any(w in text for w in _NORM_MISSED):
                out.append(check_id)
    return out


# a count the auditor cites: «2 из 30», «19 of the 214», «из 30 обещаний платежа 2»
_COUNT = (r"(?P<a>\d[\d\u00a0\u202f ]*)\s+(?:из|of)\s+(?:the\s+)?(?P<b>\d[\d\u00a0\u202f ]*)",
          r"\b[Ии]з\s+(?P<b>\d+)\s+(?:[а-яё]+\s+){1,3}(?P<a>\d+)\b")


def cited_counts(text: str | None) -> set[tuple[str, str]]:
    """The «N of M» counts a note cites, as (N, M) with the digits only."""
    import re

    out = set()
    for pattern in _COUNT:
        for m in re.finditer(pattern, text or ""):
            out.add((re.sub(r"\D", "", m.group("a")), re.sub(r"\D", "", m.group("b"))))
    return out


def double_counted(record: AuditRecord) -> list[tuple[str, str, str]]:
    """Pairs of findings (failed or partly passed checks) whose notes cite the same «N of
    M» count: one incident that costs points on two checks and is listed twice. Each
    incident belongs to one finding; the other check is judged on its own evidence.
    Returns (first check, second check, the count as «N/M»)."""
    findings = [(check_id, cited_counts(f"{c.finding or ''} {c.evidence or ''}"))
                for checks in record.areas.values() for check_id, c in checks.items()
                if c.status in ("failed", "partly")]
    out = []
    for i, (first, counts) in enumerate(findings):
        for second, other in findings[i + 1:]:
            shared = sorted(counts & other)
            if shared:
                out.append((first, second, "/".join(shared[0])))
    return out


def echoed(record: AuditRecord) -> list[str]:
    """Findings whose notes only repeat their heading: the report would print the same
    sentence twice and never say what the auditor saw (the sample, the cause)."""
    import re

    def plain(text: str | None) -> str:
        return re.sub(r"[\W_]+", " ", (text or "").lower()).strip()

    return [check_id for checks in record.areas.values() for check_id, c in checks.items()
            if c.status in ("failed", "partly") and c.finding and c.evidence
            and plain(c.evidence) == plain(c.finding)]


def digit_headings(record: AuditRecord) -> list[tuple[str, str]]:
    """Findings whose heading (the report's subsection title) opens with a figure
    («9 офисов ведут…»): a heading does not start with digits in good Russian or English
    style. Returns (check id, the heading's first words)."""
    return [(check_id, " ".join(c.finding.split()[:2]))
            for checks in record.areas.values() for check_id, c in checks.items()
            if c.status in ("failed", "partly") and c.finding
            and c.finding.lstrip()[:1].isdigit()]


def off_schedule(project: Project, record: AuditRecord, plan: Any = None
                 ) -> dt.date | None:
    """The plan's date of this audit when the audit was held outside the days the plan
    gives it (its check to its report); None when held on time or not planned."""
    if record.number is None:
        return None
    try:
        window = planned_window(project, record.number, plan)
    except CrmimplError:
        return None
    if window is None or window[0] <= record.date <= window[1]:
        return None
    return window[0]


# ------------------------------------------------------------------ the checklist
def check_question(section: Section) -> Question | None:
    """The table of checks of an area section (a table with a status column)."""
    for q in section.questions:
        if q.type == "table" and any(c.id == STATUS_COLUMN for c in q.columns):
            return q
    return None


def areas(definition: Questionnaire) -> list[tuple[Section, Question]]:
    """``(section, table of checks)`` for every area of the checklist, in order."""
    out = []
    for section in definition.sections:
        q = check_question(section)
        if q is not None:
            out.append((section, q))
    return out


def goal_rows(project: Project) -> dict[str, str]:
    """Row id in the KPI table (a questionnaire id) → goal id of the project."""
    import re

    out: dict[str, str] = {}
    for goal in project.goals:
        base = "goal_" + re.sub(r"[^a-z0-9_]", "_", goal.id.lower())[:40]
        row, n = base, 2
        while row in out:
            row, n = f"{base}_{n}", n + 1
        out[row] = goal.id
    return out


def checklist_definition(project: Project, definition: Questionnaire,
                         catalogue: Catalogue) -> Questionnaire:
    """The audit questionnaire narrowed to the project, with a KPI row per goal."""
    data = definition.model_dump(mode="python")
    sections = []
    for section in data["sections"]:
        area = catalogue.areas.get(section["id"])
        if area is not None and not applies(area.applies_if, project):
            continue
        for q in section["questions"]:
            if q["id"] == KPI_QUESTION:
                q["rows"] = [{"id": row, "label": _goal_label(project, gid)}
                             for row, gid in goal_rows(project).items()]
            elif q["type"] == "table" and q["rows"]:
                q["rows"] = [r for r in q["rows"] if _check_applies(r["id"], project,
                                                                    catalogue)]
        if all(q["type"] != "table" or q["rows"] or q["id"] == KPI_QUESTION
               for q in section["questions"]):
            sections.append(section)
    return Questionnaire.model_validate({**data, "sections": sections})


def _check_applies(check_id: str, project: Project, catalogue: Catalogue) -> bool:
    entry = catalogue.checks.get(check_id)
    return entry is None or applies(entry.applies_if, project)


def _goal_label(project: Project, goal_id: str) -> dict[str, str]:
    goal = next(g for g in project.goals if g.id == goal_id)
    text = f"{goal.id}. {goal.statement}"
    return {"ru": text, "en": text}


def checklist_prefill(project: Project, definition: Questionnaire, catalogue: Catalogue,
                      lang: str) -> dict[str, Any]:
    """Values written in advance: guidance and criticality per check, KPI facts per goal."""
    prefill: dict[str, Any] = {}
    for _section, q in areas(definition):
        rows = []
        for row in q.rows:
            entry = catalogue.checks.get(row.id)
            rows.append({"how": in_country(entry.how, project, lang) if entry and entry.how
                         else None,
                         "norm": row.norm.get(lang) if row.norm else None,
                         "criticality": entry.criticality if entry else "medium"})
        prefill[q.prefill or q.id] = rows
    kpi = next((q for q in definition.questions() if q.id == KPI_QUESTION), None)
    if kpi is not None:
        goals = {g.id: g for g in project.goals}
        prefill[kpi.prefill or kpi.id] = [
            _kpi_prefill(goals[gid].kpi, lang) for gid in goal_rows(project).values()]
    return prefill


def _kpi_prefill(kpi: Kpi, lang: str) -> dict[str, Any]:
    ui = words("audit_workbook", lang)
    # the unit as the workbook's language writes it ("RUB million", not «млн руб.»)
    return {"metric": kpi.metric, "unit": unit_label(kpi.unit, lang) or None,
            "direction": ui["higher" if kpi.better_is_higher else "lower"],
            "baseline": kpi.baseline, "target": kpi.target, "deadline": kpi.deadline}


# ------------------------------------------------------------------ audit records
class CheckResult(Strict):
    """The auditor's verdict on one check."""

    status: Status
    criticality: Level = "medium"
    finding: str | None = Field(None, description="The finding in one phrase, worded "
                                "for this client: the report's heading for it.")
    requirement: str | None = Field(
        None, description="The accepted requirement the finding breaks: a gap in the "
        "contractor's set-up, fixed at the contractor's cost and rated high.")
    evidence: str | None = None
    norm: str | None = Field(
        None, description="The norm the auditor scored this check against when it is not "
        "the checklist's approved one (a wider window, another sample): the report says so "
        "next to the approved norm, since the audits are compared on the approved norms.")
    action: str | None = Field(None, description="The auditor's corrective action for this "
                               "finding; the report puts it first.")
    owner: str | None = None
    due: dt.date | None = None


class KpiResult(Strict):
    """The actual value of a goal's KPI on the audit date."""

    actual: float | None = None
    period: str | None = Field(None, description="The period the actual value covers.")
    comparable: float | None = Field(
        None, description="The value for the same months before the CRM: the like-for-like "
        "baseline of a seasonal indicator.")
    before_crm: bool | None = Field(
        None, description="The value still measures work done before the CRM took the "
        "process over (renewals that fell due before the renewal automation went live): "
        "the report shows it without progress, as not yet attributable to the CRM.")
    comment: str | None = None
    action: str | None = Field(
        None, description="The auditor's measure for a goal past its deadline or behind its "
        "pace (what is done about the cause the comment names); the report states it with "
        "its owner and date and lists it in the corrective action plan.")
    owner: str | None = Field(None, description="Who carries the goal's measure (default: "
                              "the goal's owner).")
    due: dt.date | None = Field(None, description="When the measure is done (default: the "
                                "date by which the report asks for a decision).")


class AuditRecord(Strict):
    """One ``audits/<date>.yaml``: an imported, filled checklist."""

    project: str
    number: Annotated[int, Field(ge=1, le=100)] | None = None
    date: dt.date
    language: Literal["ru", "en"] = "ru"
    source: str
    auditor: str | None = None
    auditor_position: str | None = None
    areas: dict[str, dict[str, CheckResult]] = Field(default_factory=dict)
    kpi: dict[str, KpiResult] = Field(default_factory=dict)
    participants: str | None = None
    strengths: str | None = None
    conclusion: str | None = None
    schedule_note: str | None = Field(
        None, description="Why the audit was held on another date than the plan's.")
    report_date: dt.date | None = Field(
        None, description="The report's date when it is not the plan's report day (an "
        "audit held on the plan's dates is reported on the day the plan gives its report).")


@dataclass(frozen=True)
class ActionItem:
    """One corrective action of a finding, with its own owner and due date when the
    auditor gave them on its line (``… [Claire Benson, 11.09.2026]``), and, after them,
    the consultant's hours it takes (``6 h``, ``6 ч``) and whether it is work beyond the
    agreed design that goes through change control (``change request``, ``запрос на
    изменение``): ``… [Pavel Kowalski, 2026-09-07, 3 h, change request]``, or a defect of
    the contractor's own set-up fixed under warranty at its cost (``warranty``,
    ``гарантия``)."""

    text: str
    owner: str | None = None
    due: dt.date | None = None
    hours: float | None = None
    change: bool = False
    warranty: bool = False


# «… [Орлов Д. С., 11.09.2026]» or «… [Claire Benson, 2026-09-11]» closing an action
# line: that action's owner and due date (both, so that a reference in brackets is text),
# then, optionally, its hours and the change-request mark
_ACTION_OWNER = re.compile(
    r"\s*\[(?P<owner>[^\[\]]*?[^\[\]\s,;])\s*[,;]\s*(?P<due>\d{1,2}\.\d{1,2}\.\d{4}|"
    r"\d{4}-\d{2}-\d{2})(?P<extra>(?:\s*[,;]\s*(?:[^\[\],;]|,(?=\d))+?)*)\s*\]\s*[.;]?\s*$")
_HOURS = re.compile(r"^(?:about\s+|около\s+|~\s*)?(\d+(?:[.,]\d+)?)\s*(?:h|hours?|ч|час\w*)\.?$",
                    re.IGNORECASE)
_CHANGE = re.compile(r"^(?:change request|CR|запрос на изменение|ЗНИ)$", re.IGNORECASE)
_WARRANTY = re.compile(r"^(?:(?:under |по )?(?:warranty|гарантии|гарантия))$", re.IGNORECASE)


def _extras(text: str) -> tuple[float | None, bool, bool] | None:
    """The hours and the change-request or warranty mark after an action's owner and
    date; None when something else is written there (then the brackets are the action's
    own text), or when both marks are: one piece of work is billed one way."""
    hours, change, warranty = None, False, False
    # a comma before a digit is a decimal one («0,5 ч»), not a separator
    text = re.sub(r"^\s*[,;]", "", text)
    for part in (p.strip() for p in re.split(r";|,(?!\d)", text) if p.strip()):
        if (found := _HOURS.match(part)) is not None and hours is None:
            hours = float(found.group(1).replace(",", "."))
        elif _CHANGE.match(part) and not change:
            change = True
        elif _WARRANTY.match(part) and not warranty:
            warranty = True
        else:
            return None
    if change and warranty:
        return None
    return hours, change, warranty


def action_items(result: CheckResult) -> list[ActionItem]:
    """The auditor's corrective actions of a check, one a line, each with the owner and
    due date written in brackets at its end, if any (no brackets: none of its own), and
    the hours and change-request mark that may follow them."""
    out = []
    for line in (result.action or "").splitlines():
        if not line.strip():
            continue
        match = _ACTION_OWNER.search(line)
        extras = _extras(match.group("extra")) if match is not None else None
        if match is None or extras is None:
            out.append(ActionItem(line.strip()))
            continue
        due = match.group("due")
        try:
            parsed = (dt.date(*reversed([int(x) for x in due.split(".")])) if "." in due
                      else dt.date.fromisoformat(due))
        except ValueError:  # not a day: the brackets are the action's own text
            out.append(ActionItem(line.strip()))
            continue
        out.append(ActionItem(line[:match.start()].strip(), match.group("owner").strip(),
                              parsed, *extras))
    return out


def audit_path(project_dir: Path, date: dt.date) -> Path:
    """``audits/<YYYY-MM-DD>.yaml`` under the project folder."""
    return project_dir / AUDITS_DIR / f"{date.isoformat()}.yaml"


def read_audit(path: Path, lang: str | None = None, untranslated: list[str] | None = None,
               words: Any = None) -> AuditRecord:
    """Read and validate one audit file (errors with ``file:line:col``). With ``lang``
    other than the record's, its translation ``<date>.<lang>.yaml`` beside it (text only,
    see :mod:`crmimpl.overlay`) is merged in, and the paths of its text still in Russian
    are added to ``untranslated`` (``2026-12-07.yaml: conclusion``; a value ``words``
    translates, a person's name the project's overlay gives, is not)."""
    from crmimpl.model.validate import validate_document
    from crmimpl.overlay import load_translated

    return validate_document(AuditRecord, load_translated(path, lang, untranslated, words))


def load_audits(project_dir: Path, lang: str | None = None,
                untranslated: list[str] | None = None, words: Any = None) -> list[AuditRecord]:
    """Every audit of the project, oldest first; with ``lang``, each in that language
    where its overlay ``audits/<date>.<lang>.yaml`` translates it (see :func:`read_audit`).

    Raises:
        CrmimplError: every problem of every broken audit file or overlay.
    """
    from crmimpl.overlay import is_overlay_file

    folder = project_dir / AUDITS_DIR
    records, problems = [], []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        if is_overlay_file(path):
            continue
        try:
            records.append(read_audit(path, lang, untranslated, words))
        except CrmimplError as exc:
            problems += exc.problems
    if problems:
        raise CrmimplError(problems)
    return sorted(records, key=lambda r: r.date)


def write_audit(path: Path, record: AuditRecord) -> Path:
    """Write an audit file atomically (safe_dump, sorted keys, Unicode kept)."""
    payload = record.model_dump(mode="python", exclude_none=True)
    text = yaml.safe_dump(payload, sort_keys=True, allow_unicode=True, width=100,
                          default_flow_style=False)
    header = "# Imported by `crmimpl audit import`; edit the workbook, not this file.\n"
    return atomic_write_text(path, header + text)


# ------------------------------------------------------------------ scoring
@dataclass
class Score:
    """Counts and weighted score of a set of checks."""

    passed: int = 0
    partly: int = 0
    failed: int = 0
    not_applicable: int = 0
    earned: float = 0.0
    possible: float = 0.0

    @property
    def applicable(self) -> int:
        """Checks that count (all but not applicable)."""
        return self.passed + self.partly + self.failed

    @property
    def percent(self) -> float | None:
        """Weighted score in percent; None when no check applies."""
        return None if self.possible == 0 else 100.0 * self.earned / self.possible


def score(checks: Iterable[CheckResult]) -> Score:
    """Score checks: (passed + 0.5 × partly) / applicable, weighted by criticality."""
    result = Score()
    for check in checks:
        if check.status == "not_applicable":
            result.not_applicable += 1
            continue
        setattr(result, check.status, getattr(result, check.status) + 1)
        weight = WEIGHTS[check.criticality]
        result.earned += weight * CREDIT[check.status]
        result.possible += weight
    return result


def whole_percent(value: float, decimals: int = 0) -> Decimal:
    """A score or a progress as every output prints it: a whole percent, rounded half up
    (a score from twenty checks is no more precise than that: 81.8 % reads 82 %). A value
    short of 100 never reads 100, and one above 0 never reads 0, so that the figure never
    claims a goal met or a check set empty that is not. ``decimals`` keeps one place where
    a whole percent would hide the point (a forecast of 99.8 % is on the edge, not 100 %).
    """
    step = Decimal(1).scaleb(-decimals)
    shown = Decimal(str(value)).quantize(step, ROUND_HALF_UP)
    if value < 100 and shown >= 100:
        return Decimal(100) - step
    if value > 0 and shown <= 0:
        return step
    return shown


def area_scores(record: AuditRecord) -> dict[str, Score]:
    """Score per area of an audit."""
    return {area: score(checks.values()) for area, checks in record.areas.items()}


def overall_score(record: AuditRecord) -> Score:
    """All applicable checks of all areas pooled into one weighted score."""
    return score(c for checks in record.areas.values() for c in checks.values())


def like_for_like(kpi: Kpi, comparable: float) -> tuple[float, float]:
    """``(baseline, target)`` moved to the same months before the CRM: the target keeps
    its relative change (+30 % of an annual average stays +30 % of the same months); a
    KPI that is itself a percentage (a share) keeps its change in points (46 → 60 % is
    +14 points from the same months' share too), never above 100 %."""
    if kpi.unit.strip() == "%":
        return comparable, min(100.0, comparable + (kpi.target - kpi.baseline))
    if kpi.baseline == 0:
        return comparable, comparable + (kpi.target - kpi.baseline)
    return comparable, comparable * kpi.target / kpi.baseline


# month names as the auditor writes them in a KPI's period (any case form), by number
_MONTHS = [
    (1, r"январ\w*|january|jan"), (2, r"феврал\w*|february|feb"), (3, r"март\w*|march|mar"),
    (4, r"апрел\w*|april|apr"), (5, r"ма[йяе]|may"), (6, r"июн\w*|june|jun"),
    (7, r"июл\w*|july|jul"), (8, r"август\w*|august|aug"),
    (9, r"сентябр\w*|september|sept?"), (10, r"октябр\w*|october|oct"),
    (11, r"ноябр\w*|november|nov"), (12, r"декабр\w*|december|dec")]
_MONTH_RE = re.compile(r"(?<![\w])(" + "|".join(f"(?P<m{n}>{p})" for n, p in _MONTHS)
                       + r")(?![\w])", re.IGNORECASE)
_QUARTER_RE = re.compile(r"(?<![\w])(?:(IV|III|II|I)\s*(?:квартал\w*|quarter)|Q([1-4]))(?![\w])",
                         re.IGNORECASE)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def period_end(text: str | None, audit_date: dt.date) -> dt.date | None:
    """The last day a KPI's measured period covers, read from the auditor's period
    («апрель 2027 года», «сентябрь–ноябрь 2026 года», «III квартал 2026 года», «на
    30.04.2027», "May–July 2026"): an explicit date, else the end of the last month
    named, else of the quarter named; the year is the one written, else the audit's
    (a month after the audit's month then belongs to the year before). None when the
    text names no date, month or quarter; never later than the audit date."""
    if not text:
        return None
    dates = re.findall(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    end: dt.date | None = None
    if dates:
        d, m, y = (int(x) for x in dates[-1])
        try:
            end = dt.date(y, m, d)
        except ValueError:
            end = None
    if end is None:
        years = re.findall(r"(?<!\d)(20\d\d)(?!\d)", text)
        months = list(_MONTH_RE.finditer(text))
        month = None
        if months:
            last = months[-1]
            month = next(n for n, _ in _MONTHS if last.group(f"m{n}"))
        elif (quarter := _QUARTER_RE.search(text)) is not None:
            month = 3 * (_ROMAN[quarter.group(1).upper()] if quarter.group(1)
                         else int(quarter.group(2)))
        if month is None:
            return None
        year = int(years[-1]) if years else (
            audit_date.year if month <= audit_date.month else audit_date.year - 1)
        end = dt.date(year, month, calendar.monthrange(year, month)[1])
    return min(end, audit_date)


def period_start(text: str | None, audit_date: dt.date) -> dt.date | None:
    """The first day a KPI's measured period covers, read as :func:`period_end` reads
    its last: the first explicit date, else the start of the first month named, else of
    the quarter named, in the year written after it (else the audit's). None when the
    text names none of them."""
    if not text:
        return None
    dates = re.findall(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if dates:
        d, m, y = (int(x) for x in dates[0])
        try:
            return min(dt.date(y, m, d), audit_date)
        except ValueError:
            pass
    first = _MONTH_RE.search(text)
    quarter = _QUARTER_RE.search(text)
    if first is not None and (quarter is None or first.start() <= quarter.start()):
        month, at = next(n for n, _ in _MONTHS if first.group(f"m{n}")), first.end()
    elif quarter is not None:
        number = (_ROMAN[quarter.group(1).upper()] if quarter.group(1)
                  else int(quarter.group(2)))
        month, at = 3 * number - 2, quarter.end()
    else:
        return None
    year_after = re.search(r"(?<!\d)(20\d\d)(?!\d)", text[at:])
    year = int(year_after.group(1)) if year_after else (
        audit_date.year if month <= audit_date.month else audit_date.year - 1)
    return min(dt.date(year, month, 1), audit_date)


def measured_on(result: KpiResult, audit_date: dt.date) -> dt.date:
    """The day a KPI's actual value stands for: the end of its measured period when the
    auditor gave one, else the audit date."""
    return period_end(result.period, audit_date) or audit_date


def kpi_progress(kpi: Kpi, actual: float, comparable: float | None = None) -> float:
    """Share of the way from baseline to target covered, in percent, capped to 0..100.

    The direction of improvement comes from the KPI (``better_is_higher``), so for a
    lower-is-better metric a fall counts as progress. With ``comparable`` (the same months
    before the CRM) the progress is like for like (:func:`like_for_like`).
    """
    baseline, target = ((kpi.baseline, kpi.target) if comparable is None
                        else like_for_like(kpi, comparable))
    sign = 1.0 if kpi.better_is_higher else -1.0
    span = abs(target - baseline)
    raw = 100.0 * sign * (actual - baseline) / span
    return min(100.0, max(0.0, raw))


# ------------------------------------------------------------------ export
def next_number(project: Project) -> int:
    """Number of the next audit: one more than the audits imported so far."""
    return len(load_audits(project.folder)) + 1


def planned_date(project: Project, number: int, plan: Any = None) -> dt.date | None:
    """Start of the plan's audit task number ``number`` (None without a plan)."""
    from crmimpl.plan.builder import build_plan

    resolved = plan if plan is not None else build_plan(project)
    task = next((t for t in resolved.tasks if t.id == f"audit.check.{number}"), None)
    return task.start if task is not None else None


def planned_window(project: Project, number: int, plan: Any = None
                   ) -> tuple[dt.date, dt.date] | None:
    """The days the plan gives audit ``number``: from the start of its check to the day
    its report is due (None without a plan or such an audit)."""
    from crmimpl.plan.builder import build_plan

    resolved = plan if plan is not None else build_plan(project)
    tasks = {t.id: t for t in resolved.tasks}
    check = tasks.get(f"audit.check.{number}")
    if check is None:
        return None
    report = tasks.get(f"audit.report.{number}")
    return check.start, max(check.finish, report.finish if report else check.finish)


def checklist_for(project: Project, user_dir: Path | None = None) -> tuple[
        Questionnaire, Catalogue]:
    """The project's checklist definition and the catalogue it was narrowed with."""
    from crmimpl.questionnaire.library import get_questionnaire

    catalogue = load_catalogue(user_dir)
    definition = get_questionnaire(QUESTIONNAIRE, project.folder)
    return checklist_definition(project, definition, catalogue), catalogue


def export_checklist(project: Project, output: Path, *, lang: str | None = None,
                     number: int | None = None, date: dt.date | None = None,
                     plan: Any = None, user_dir: Path | None = None) -> Path:
    """Write the fillable audit checklist workbook for audit ``number``.

    Args:
        project: The loaded project.
        output: The ``.xlsx`` to write (atomically).
        lang: ``ru`` or ``en``; the project's language by default.
        number: Audit number; the next one by default.
        date: Audit date; the plan's date of that audit by default.
        plan: A plan already built (saves building it again).
        user_dir: The consultant's templates folder (catalogue override).

    Returns:
        The path written.
    """
    from crmimpl.questionnaire.audit_workbook import write_checklist
    from crmimpl.questionnaire.export import context_from_project

    lang = lang or project.project.language
    if lang not in ("ru", "en"):
        raise CrmimplError.single(f"--lang {lang}", "language must be ru or en")
    number = number or next_number(project)
    date = date or planned_date(project, number, plan)
    definition, catalogue = checklist_for(project, user_dir)
    ctx = context_from_project(project, language=lang, deadline=date)
    ctx.prefill.update(checklist_prefill(project, definition, catalogue, lang))
    return write_checklist(definition, ctx, output, number=number, date=date)


def default_checklist_path(project: Project, lang: str) -> Path:
    """``out/<project id>-audit-checklist-<lang>.xlsx`` in the project folder."""
    return project.folder / "out" / f"{project.project.id}-audit-checklist-{lang}.xlsx"


# ------------------------------------------------------------------ import
@dataclass
class ImportOutcome:
    """What an import did."""

    path: Path
    status: str
    record: AuditRecord
    warnings: list[str] = field(default_factory=list)


def import_checklist(project: Project, file: Path, *, date: dt.date | None = None,
                     force: bool = False, user_dir: Path | None = None) -> ImportOutcome:
    """Check a filled checklist and store it as ``audits/<date>.yaml``.

    The workbook passes the questionnaire safety checks and importer; every problem is
    raised at once. An existing audit of that date is replaced only with ``force``; the
    differences are listed either way.

    Raises:
        CrmimplError: unsafe file, invalid or missing values, or differences without force.
    """
    from crmimpl.messages import speaking

    with speaking(project.project.language):
        return _import_checklist(project, file, date, force, user_dir)


def _import_checklist(project: Project, file: Path, date: dt.date | None, force: bool,
                      user_dir: Path | None) -> ImportOutcome:
    from crmimpl.messages import counted, msg
    from crmimpl.questionnaire.importer import read_workbook

    definition, catalogue = checklist_for(project, user_dir)
    parsed = read_workbook(Path(file), {QUESTIONNAIRE: definition},
                           project_id=project.project.id)
    if parsed.problems:
        raise CrmimplError(parsed.problems, summary=msg(
            "nothing_imported", problems=counted(len(parsed.problems), "problem")))
    record = _record(project, definition, catalogue, parsed, date)
    target = audit_path(project.folder, record.date)
    status = _store(target, record, force)
    return ImportOutcome(target, status, record,
                         list(parsed.warnings) + _unassigned(definition, record)
                         + _inconsistent(definition, catalogue, record)
                         + _unexplained_date(project, record))


def _unexplained_date(project: Project, record: AuditRecord) -> list[str]:
    """A warning when the audit was held outside the plan's days for it and the
    checklist gives no reason: the report tells the client of the shift either way, and
    a shift without a reason is the first thing the client asks about."""
    from crmimpl.i18n import day
    from crmimpl.messages import current, msg

    planned = off_schedule(project, record)
    if planned is None or (record.schedule_note or "").strip():
        return []
    return [msg("audit_date_unexplained", planned=day(planned, current()),
                actual=day(record.date, current()))]


def _unassigned(definition: Questionnaire, record: AuditRecord) -> list[str]:
    """A warning for each finding (failed or partly passed check) that lacks its owner or
    due date: the checklist asks for both, the report needs them."""
    from crmimpl.messages import current, msg

    labels = {r.id: r.label.get(current()) for _s, q in areas(definition) for r in q.rows}
    return [msg("audit_unassigned", check=labels.get(check_id, check_id))
            for checks in record.areas.values() for check_id, c in checks.items()
            if c.status in ("failed", "partly") and not (c.owner and c.due)
            and not _each_assigned(c)]


def _each_assigned(c: CheckResult) -> bool:
    """Whether every corrective action of the finding has its own owner and date."""
    items = action_items(c)
    return bool(items) and all(i.owner and i.due for i in items)


def _inconsistent(definition: Questionnaire, catalogue: Catalogue,
                  record: AuditRecord) -> list[str]:
    """A warning for each passed check that the audit's notes fail or that has no
    evidence: the report would print a verdict its own evidence does not support."""
    from crmimpl.messages import current, msg

    labels = {r.id: r.label.get(current()) for _s, q in areas(definition) for r in q.rows}
    out = [msg("audit_contradicted", check=labels.get(check_id, check_id),
               other=labels.get(source, source), words=words)
           for check_id, source, words in contradictions(record, catalogue)]
    out += [msg("audit_no_evidence", check=labels.get(check_id, check_id))
            for check_id in unsupported(record)]
    out += [msg("audit_requirement_low", check=labels.get(check_id, check_id))
            for check_id in underrated(record)]
    out += [msg("audit_below_norm", check=labels.get(check_id, check_id))
            for check_id in scored_below_norm(record)]
    out += [msg("audit_echoed", check=labels.get(check_id, check_id))
            for check_id in echoed(record)]
    out += [msg("audit_heading_digit", check=labels.get(check_id, check_id), start=start)
            for check_id, start in digit_headings(record)]
    out += [msg("audit_double_count", check=labels.get(first, first),
                other=labels.get(second, second), count=count)
            for first, second, count in double_counted(record)]
    return out


def _record(project: Project, definition: Questionnaire, catalogue: Catalogue,
            parsed: Any, date: dt.date | None) -> AuditRecord:
    answers = parsed.response.answers
    respondent = parsed.response.respondent
    meta = parsed.meta
    when = date or respondent.date or _meta_date(parsed.path.name, meta)
    record = AuditRecord(
        project=project.project.id, number=int(meta["audit_number"]) if meta.get(
            "audit_number", "").isdigit() else None,
        date=when, language=meta.get("language", "ru"), source=parsed.path.name,
        auditor=respondent.name, auditor_position=respondent.position,
        **{k: answers.get(k) for k in NOTE_QUESTIONS})
    for section, q in areas(definition):
        rows = {row["row"]: row for row in answers.get(q.id, [])}
        record.areas[section.id] = {
            check.id: _check(rows[check.id], catalogue.checks.get(check.id))
            for check in q.rows if check.id in rows}
    goals = goal_rows(project)
    for row in answers.get(KPI_QUESTION, []):
        if row.get("actual") is not None or row.get("comment"):
            record.kpi[goals[row["row"]]] = KpiResult(
                actual=row.get("actual"), period=row.get("period"),
                comparable=row.get("comparable"), comment=row.get("comment"),
                before_crm=True if row.get("before_crm") else None,
                action=row.get("action"), owner=row.get("owner"), due=row.get("due"))
    return record


def _meta_date(name: str, meta: dict[str, str]) -> dt.date:
    try:
        return dt.date.fromisoformat(meta.get("audit_date", ""))
    except ValueError:
        from crmimpl.messages import error, msg

        raise error(name, msg("audit_date_unknown"), msg("audit_date_hint")) from None


def _check(row: dict[str, Any], entry: CatalogueCheck | None) -> CheckResult:
    default = entry.criticality if entry else "medium"
    return CheckResult(status=row["status"], criticality=row.get("criticality") or default,
                       finding=row.get("finding"), requirement=row.get("requirement"),
                       evidence=row.get("evidence"), action=row.get("action"),
                       owner=row.get("owner"),
                       due=row.get("due"))


def _store(target: Path, record: AuditRecord, force: bool) -> str:
    if not target.exists():
        write_audit(target, record)
        return "added"
    old = read_audit(target)
    changes = diff_records(old, record)
    if not changes:
        return "unchanged"
    if not force:
        from crmimpl.messages import counted, msg, problem

        problems = [problem(target.name, msg("audit_value_changed", old=_show(a), new=_show(b)),
                            key_path=key) for key, a, b in changes]
        raise CrmimplError(problems, summary=msg(
            "audit_would_change", values=counted(len(problems), "value")))
    write_audit(target, record)
    return "replaced"


def diff_records(old: AuditRecord, new: AuditRecord) -> list[tuple[str, Any, Any]]:
    """``(key.path, old, new)`` for every value that differs between two audits."""
    a, b = _flatten(old.model_dump(mode="json")), _flatten(new.model_dump(mode="json"))
    return [(k, a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if not isinstance(data, dict):
        return {prefix: data}
    out: dict[str, Any] = {}
    for key, value in data.items():
        out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    return {k: v for k, v in out.items() if v is not None}


def _show(value: Any) -> str:
    from crmimpl.messages import msg

    text = msg("empty") if value is None else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


# ------------------------------------------------------------------ build
