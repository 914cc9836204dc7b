"""Context of the audit report («Отчет об аудите использования CRM»).

Everything the report shows is computed here (templates never compute): scores per area
with a text bar, KPI progress, the failed and partly passed checks with corrective
actions from the catalogue, ordered by the points they cost, and the trend of scores
across all audits up to the one reported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from crmimpl import i18n
from crmimpl.documents import common
from crmimpl.errors import CrmimplError
from crmimpl.model.project import Project
from crmimpl.model.questionnaire import Questionnaire
from crmimpl.questionnaire import audit as au

NAME = "audit_report"
BAR_CELLS = 10


def bar(percent: float | None, lang: str) -> str:
    """A text bar for tables: ``████████░░ 80 %``; a dash when there is no value."""
    if percent is None:
        return i18n.DASH
    # a full bar only for 100 %: 95 % is not drawn as a perfect score (round 20)
    filled = min(round(percent / 100 * BAR_CELLS), BAR_CELLS - (percent < 100))
    return "█" * filled + "░" * (BAR_CELLS - filled) + " " + pct(percent, lang)


def pct(value: float, lang: str, decimals: int = 0) -> str:
    """A score or progress as the report prints it everywhere, and as `audit import`
    prints the score: a whole percent, rounded half up (81,25 → 81 %, 81,5 → 82 %);
    see :func:`~crmimpl.questionnaire.audit.whole_percent`."""
    return i18n.percent(au.whole_percent(value, decimals), lang)


# where an overall score reads as good, workable or weak (the scale the report prints)
BANDS = ((85.0, "band_high"), (70.0, "band_mid"), (0.0, "band_low"))


def score_band(percent: float | None, lang: str) -> str:
    """What a score means on the report's scale: «система используется по регламенту…»."""
    if percent is None:
        return ""
    # read on the figure printed: a score shown as 85 % is never called "below 85 %"
    shown = float(au.whole_percent(percent))
    key = next(k for floor, k in BANDS if shown >= floor)
    return i18n.words(NAME, lang)[key]


def pick_audit(records: list[au.AuditRecord], audit: object | None) -> au.AuditRecord:
    """The audit asked for: a record, a date (or ISO text) or, by default, the latest.

    Raises:
        CrmimplError: no audit yet, or none of that date.
    """
    if isinstance(audit, au.AuditRecord):
        return audit
    if not records:
        raise CrmimplError.single(au.AUDITS_DIR, "no audit has been imported yet",
                                  hint="fill the checklist and run `crmimpl audit import`")
    if audit is None:
        return records[-1]
    wanted = audit if isinstance(audit, dt.date) else dt.date.fromisoformat(str(audit))
    found = next((r for r in records if r.date == wanted), None)
    if found is None:
        raise CrmimplError.single(f"--audit {wanted}", "no audit of this date",
                                  hint="audits: " + ", ".join(str(r.date) for r in records))
    return found


def build_context(project: Project, lang: str, *, plan: object | None = None,
                  answers: object | None = None, audit: object | None = None,
                  user_dir: Path | None = None,
                  audits: list[Any] | None = None) -> dict[str, Any]:
    """Plain data for ``audit_report.md.j2``.

    Args:
        project: The project.
        lang: ``ru`` or ``en``.
        plan: The plan, if built (for the date of the next audit).
        answers: Unused; accepted like every document context.
        audit: An :class:`~crmimpl.questionnaire.audit.AuditRecord`, a date, or None for the latest.
        user_dir: The consultant's templates folder (catalogue override).
        audits: The imported audits (the workspace's); read from ``audits/`` if None.
    """
    from crmimpl.questionnaire.library import get_questionnaire

    if audits is not None:
        records = list(audits)
    else:
        records = au.load_audits(project.folder) if project.source else []
    record = pick_audit(records, audit)
    if plan is None:  # one plan for every date the report sets against it
        from crmimpl.plan.builder import build_plan

        plan = build_plan(project)
    history = [r for r in records if r.date < record.date] + [record]
    definition = get_questionnaire(au.QUESTIONNAIRE, project.folder)
    catalogue = au.load_catalogue(user_dir)
    labels = _Labels(definition, lang)
    overall = au.overall_score(record)
    earlier = [r for r in records if r.date < record.date]
    findings = _findings(project, record, labels, catalogue, lang,
                         max(earlier, key=lambda r: r.date) if earlier else None, plan)
    next_audit = _next_audit(project, record, plan, lang)
    attention = _attention(project, record, lang, bool(next_audit), plan, labels, catalogue)
    kpis = _kpis(project, record, lang, {t.split(" ", 1)[0] for t in attention if t.early})
    words = i18n.words(NAME, lang)
    # the report's own date: the plan's report day for an audit held on the plan's
    # dates (the client holds it from the plan), unless the record states another
    reported, held = _report_day(project, record, plan), _held(project, record, plan, lang)
    # «Аудит № 1 от 06.05.2026»; in English «Audit 1, 21 August 2026» (no «No. 1 of»)
    date_text = i18n.day(reported, lang) if lang == "ru" else i18n.day_long(reported, lang)
    subtitle = (words["subtitle"].format(n=record.number, date=date_text) if record.number
                else words["subtitle_nonum"].format(date=date_text))
    kpi_missing = [g.id for g in project.goals
                   if g.id not in record.kpi or record.kpi[g.id].actual is None]
    # the record's names in the project's translation (Романова Е. С. → Elena Romanova)
    auditor = (project.in_own_words(record.auditor)
               or common.person_name(project, project.audit.auditor))
    auditor_position = project.in_own_words(record.auditor_position)
    participants = project.in_own_words(record.participants)
    meta = common.meta(project, lang, i18n.word("titles", NAME, lang), subtitle,
                       when=reported)
    if auditor:  # the auditor wrote the report and signs it
        meta["author"] = auditor
        meta["author_position"] = (auditor_position
                                   or common.position_of(project, auditor))
        meta["approvals"] = _approvals(project, meta.get("approvals") or [], auditor, lang)
    beyond = _beyond_plan(project, record, plan, lang)
    follow_up = _follow_up(history, labels, catalogue, lang, project)
    follow_up["title"] = (words["follow_title_n"].format(n=follow_up["number"])
                          if follow_up["number"] else words["follow_title"])
    return resolve_references({
        "meta": meta,
        # audit records are not translated: an English report says it quotes them
        "record_in_original": lang != "ru" and _notes_in_russian(project, records),
        "follow_up": follow_up,
        "subtitle": subtitle,
        "project_title": project.project.title,
        "client": project.client.name,
        "number": record.number,
        "date": i18n.day_long(record.date, lang),
        "held": held,
        "auditor": auditor,
        "auditor_position": auditor_position or "",
        "auditor_line": _auditor_line(auditor, auditor_position, lang),
        "participants": _initials_tied(participants).rstrip(".") if participants else "",
        "checklist": _checklist(record, labels, lang),
        "reweighted": _reweighted(record, labels, catalogue, lang),
        "norm_changes": _norm_changes(record, labels, lang),
        "strengths": _sentence(record.strengths),
        "conclusion": record.conclusion or "",
        "weakest": _weakest(record, labels, lang),
        "overall": _score_row(words["overall"], overall, lang),
        "overall_band": score_band(overall.percent, lang),
        "areas": [_score_row(labels.area(a), s, lang)
                  for a, s in _ordered_scores(record, labels)],
        "failed": overall.failed,
        "partly": overall.partly,
        "checks": overall.applicable + overall.not_applicable,
        "findings": findings,
        "finding_groups": _finding_groups(findings, lang, project.project.mode),
        "kpis": kpis,
        "kpi_missing": kpi_missing,
        "like_rule": _like_rule(project, record, lang),
        "beyond_plan": beyond,
        "norm_word": words["norm_word"],
        "like_note": (words["like_note"].format(pairs=i18n.join(
            [k["like_pair"] for k in kpis if k["like"]], lang, last=True))
            if any(k["like"] for k in kpis) else ""),
        "kpi_achieved": sum(1 for k in kpis if k["achieved"]),
        "kpi_recorded": len(kpis),
        "kpi_count": len(kpis) + len(kpi_missing),
        "findings_count": len(findings),
        # deviations from the design document come first, then the costliest findings
        "findings_order": i18n.words(NAME, lang)[
            ("order_deviations_first" + ("_express" if project.project.mode == "express"
                                         else ""))
            if any(f["deviation"] for f in findings) else "order_by_points"],
        "all_assigned": all(f["assigned"] for f in findings),
        "trend": _trend(history, labels, lang),
        "next_audit": next_audit,
        "next_gap": _next_gap(project, record, plan, lang),
        "control": _control(project, record, bool(next_audit), lang),
        "confirmed_label": words["confirmed"],
        "attention_label": words["attention"],
        "attention": attention,
        # shown in two lists: what the sponsor decides, and goals on pace whose result a
        # measurement on the deadline confirms (never under "need the sponsor's attention")
        "attention_decide": [t for t in attention if t.decision],
        "watch_label": words["attention_watch"],
        "attention_watch": [t for t in attention if not t.decision and not t.early],
        # goals whose value cannot be credited with a pace yet, confirmed at the next audit
        "early_label": words["attention_early"],
        "attention_early": [t for t in attention if t.early],
        # the summary names the goals that need a decision; a goal on pace due before
        # the next audit is said to be on pace
        "attention_goals": (decide := [t.split(" ", 1)[0] for t in attention if t.decision]),
        "attention_list": i18n.join(decide, lang, last=True),
        "on_pace_goals": (on_pace := [t.split(" ", 1)[0] for t in attention
                                      if not t.decision and not t.early]),
        "on_pace_list": i18n.join(on_pace, lang, last=True),
        # the summary names the goals whose progress is not the CRM's yet: those whose
        # value still reflects the work before it, and those with no pace to judge by
        "early_goals": (early := [k["goal"] for k in kpis if k["unattributed"]]),
        "early_list": i18n.join(early, lang, last=True),
        # every goal that needs a decision is a line of the corrective action plan, with
        # an owner and a date, after the findings
        "goal_actions": [dict(t.row or {}, number=n) for n, t in enumerate(
            (t for t in attention if t.row), start=len(findings) + 1)],
        "schedule": _schedule(project, record, plan, lang, bool(next_audit)),
        "support_hours": _support_hours(project, findings, plan, lang),
        # the previous audit's own shift, told where its findings are followed up: the
        # client holds its planned date from the survey and the specification too
        "previous_schedule": (_schedule(project, max(earlier, key=lambda r: r.date), plan,
                                        lang, True) if earlier else ""),
        **common.frame_context(project, lang),
    }, {f["check_id"]: f["number"] for f in findings}, lang)


class _Labels:
    """Titles of areas and checks, status and criticality names, in one language."""

    def __init__(self, definition: Questionnaire, lang: str) -> None:
        self.lang = lang
        self.order = [s.id for s, _q in au.areas(definition)]
        self.areas = {s.id: s.title.get(lang) for s, _q in au.areas(definition)}
        self.checks = {r.id: r.label.get(lang) for _s, q in au.areas(definition)
                       for r in q.rows}
        # the result at which each check passes: the same on every audit
        self.norms = {r.id: r.norm.get(lang) for _s, q in au.areas(definition)
                      for r in q.rows if r.norm}
        self.status = {c.id: c.label.get(lang)
                       for c in definition.choice_list("audit_status").choices}
        self.level = {c.id: c.label.get(lang)
                      for c in definition.choice_list("criticality").choices}

    def area(self, area_id: str) -> str:
        return self.areas.get(area_id, area_id)

    def check(self, check_id: str) -> str:
        return self.checks.get(check_id, check_id)

    def rank(self, area_id: str) -> int:
        return self.order.index(area_id) if area_id in self.order else len(self.order)


def _auditor_line(name: str, position: str | None, lang: str) -> str:
    """``Романова Е. С., ведущий консультант`` / ``Elena Romanova, Lead Consultant``."""
    if not position:
        return name
    if lang == "ru" and not position[1:2].isupper():  # keep «ИТ-директор», lower «Ведущий»
        position = position[:1].lower() + position[1:]
    return f"{name}, {position}"


def _reweighted(record: au.AuditRecord, labels: _Labels, catalogue: Any, lang: str
                ) -> str:
    """The checks whose criticality the auditor set apart from the checklist's own
    («Справочники» — с низкой на высокую): the scores count with the auditor's weights,
    and a reader comparing them with the workbook sees why (round 15: kreativ's two
    raised checks changed the score from 79,8 % to 77,8 % without a word)."""
    parts = []
    for _area, checks in sorted(record.areas.items(), key=lambda item: labels.rank(item[0])):
        for check_id, c in checks.items():
            entry = catalogue.checks.get(check_id)
            default = entry.criticality if entry else "medium"
            if c.criticality == default:
                continue
            was, now = (labels.level[default].lower(), labels.level[c.criticality].lower())
            gen = _level_gen(was)
            # «со средней», «с низкой»: со before с/з/ш/ж and a consonant
            prep = "со" if gen[:1] in "сзшж" and gen[1:2] not in "аеёиоуыэюя" else "с"
            parts.append(f"«{labels.check(check_id)}» — {prep} {gen} на {_level_acc(now)}"
                         if lang == "ru" else
                         f"“{labels.check(check_id)}” from {was} to {now}")
    return i18n.join(parts, lang, last=True) if parts else ""


def _norm_changes(record: au.AuditRecord, labels: _Labels, lang: str) -> str:
    """The checks the auditor scored against another norm than the approved one, each
    with both norms: the report cannot say the norms never change and use another
    (round 19: northwind's Xero check widened past its two-week window)."""
    words = i18n.words(NAME, lang)
    items = []
    for checks in record.areas.values():
        for check_id, c in checks.items():
            applied = (c.norm or "").strip().rstrip(".")
            approved = labels.norms.get(check_id, "")
            if applied and applied != approved:
                items.append(words["norm_change"].format(
                    check=labels.check(check_id), applied=applied,
                    approved=approved or i18n.DASH))
    return "; ".join(items)


def _level_gen(level: str) -> str:
    """«низкая» → «низкой», «средняя» → «средней» (с низкой на высокую)."""
    return (level[:-2] + "ой" if level.endswith("ая") else
            level[:-2] + "ей" if level.endswith("яя") else level)


def _level_acc(level: str) -> str:
    """«высокая» → «высокую», «средняя» → «среднюю»."""
    return (level[:-2] + "ую" if level.endswith("ая") else
            level[:-2] + "юю" if level.endswith("яя") else level)


def _checklist(record: au.AuditRecord, labels: _Labels, lang: str) -> list[dict[str, Any]]:
    """Every check of the audit by area: status, criticality and the points it earned
    out of its weight (a dash for a check that does not apply)."""
    out = []
    for area, checks in sorted(record.areas.items(), key=lambda item: labels.rank(item[0])):
        rows = []
        for check_id, c in checks.items():
            weight = au.WEIGHTS[c.criticality]
            earned = (i18n.DASH if c.status not in au.CREDIT
                      else i18n.NBSP.join((i18n.number(weight * au.CREDIT[c.status], lang),
                                           i18n.word("document", "of", lang), str(weight))))
            rows.append({"title": labels.check(check_id), "norm": labels.norms.get(check_id, ""),
                         "status": labels.status[c.status],
                         "criticality": labels.level[c.criticality], "points": earned})
        # what the auditor saw where a check passed: the failed ones have their findings
        confirmed = [{"title": labels.check(check_id), "evidence": _sentence(c.evidence)}
                     for check_id, c in checks.items()
                     if c.status == "passed" and (c.evidence or "").strip()]
        out.append({"title": labels.area(area), "rows": rows, "confirmed": confirmed})
    return out


def weakest_area(record: au.AuditRecord) -> tuple[str, au.Score, list[str]] | None:
    """The area with the lowest score (ties: the one with more failed high-criticality
    checks) and its failed high-criticality checks; None when every area scores 100 %."""
    scored = [(a, s) for a, s in au.area_scores(record).items() if s.percent is not None]
    if not scored:
        return None
    area, score = min(scored, key=lambda item: (item[1].percent,
                                                -len(weakest_high(record, item[0]))))
    if score.percent is not None and score.percent >= 100:
        return None
    return area, score, weakest_high(record, area)


def weakest_high(record: au.AuditRecord, area: str) -> list[str]:
    """The failed high-criticality checks of ``area``."""
    return [cid for cid, c in record.areas.get(area, {}).items()
            if c.status == "failed" and c.criticality == "high"]


def _weakest(record: au.AuditRecord, labels: _Labels, lang: str) -> str:
    """The conclusion's first sentence, from the scores: the weakest area, its score and
    its failed high-criticality checks (else the checks it lost points on), so that the
    auditor's words follow the figures (round 19: northwind's conclusion called adoption
    good at 70 %, its weakest area)."""
    found = weakest_area(record)
    if found is None:
        return ""
    area, score, high = found
    words = i18n.words(NAME, lang)
    # areas the report prints with the same whole percent are named together: "the
    # weakest area is Data quality (81%)" beside a Process compliance of 81% in the
    # table reads as a slip (round 21)
    shown = pct(score.percent or 0, lang)
    tied = [a for a, s in _ordered_scores(record, labels)
            if s.percent is not None and pct(s.percent, lang) == shown]
    if len(tied) > 1:
        high = [c for a in tied for c in weakest_high(record, a)]

    def quoted(ids: list[str]) -> str:
        return i18n.join([f"«{labels.check(c)}»" if lang == "ru" else f"“{labels.check(c)}”"
                          for c in ids], lang, last=True)
    # the area is told by the checks it lost points on, never by the overall score's
    # band (round 20: volga's «Использование системы», 96 % of users logging in weekly,
    # was told "работа в системе не закрепилась" for one failed check)
    areas = tied if len(tied) > 1 else [area]
    short = [c for a in areas for c, r in record.areas.get(a, {}).items()
             if r.status in ("failed", "partly") and c not in high]
    many = "_tied" if len(areas) > 1 else ""
    tail = (words[("weakest_failed_one" if len(high) == 1 else "weakest_failed_many") + many]
            .format(checks=quoted(high)) if high else
            words[("weakest_partly_one" if len(short) == 1 else "weakest_partly_many") + many]
            .format(checks=quoted(short)) if short else "")
    if many:
        names = [f"«{labels.area(a)}»" if lang == "ru" else labels.area(a) for a in areas]
        return words["weakest_tied"].format(areas=i18n.join(names, lang, last=True),
                                            score=shown, failed=tail)
    return words["weakest"].format(area=labels.area(area), score=shown, failed=tail)


def _ordered_scores(record: au.AuditRecord, labels: _Labels) -> list[tuple[str, au.Score]]:
    scores = au.area_scores(record)
    return sorted(scores.items(), key=lambda item: labels.rank(item[0]))


def _score_row(title: str, s: au.Score, lang: str) -> dict[str, Any]:
    value = s.percent
    return {"title": title, "applicable": s.applicable, "passed": s.passed,
            "partly": s.partly, "failed": s.failed, "not_applicable": s.not_applicable,
            "score": i18n.DASH if value is None else pct(value, lang),
            "bar": bar(value, lang)}


# a check's statuses from best to worst: a finding worse than the previous audit's result
# of the same check is a step back the report names (6 % «Прочее» then, 31 % now)
_STATUS_RANK = {"passed": 0, "partly": 1, "failed": 2}


def _step_back(previous: au.AuditRecord | None, area: str, check_id: str,
               c: au.CheckResult, lang: str) -> str:
    """The sentence that names a finding as worse than the previous audit, quoting what
    that audit found; empty when the check was no better then (or not checked)."""
    before = previous.areas.get(area, {}).get(check_id) if previous is not None else None
    if before is None or before.status not in _STATUS_RANK or c.status not in _STATUS_RANK:
        return ""
    if _STATUS_RANK[before.status] >= _STATUS_RANK[c.status]:
        return ""
    words = i18n.words(NAME, lang)
    which = (words["step_back_n"].format(n=previous.number) if previous.number  # type: ignore[union-attr]
             else words["step_back_of"])
    return words["step_back"].format(
        audit=which, date=i18n.day(previous.date, lang),  # type: ignore[union-attr]
        status=words[f"step_back_{before.status}"],
        evidence=(" " + _sentence(before.evidence)) if before.evidence else "")


def _findings(project: Project, record: au.AuditRecord, labels: _Labels,
              catalogue: au.Catalogue, lang: str,
              previous: au.AuditRecord | None = None,
              plan: object | None = None) -> list[dict[str, Any]]:
    """The failed and partly passed checks, the costliest first, each headed by its
    problem and answered by the auditor's own actions, or, where the auditor wrote none,
    by the catalogue's actions that fit the project, this audit and its evidence. A check
    that did better at the previous audit is named a step back, with what was found then."""
    def covered(day: dt.date) -> bool:  # the support package runs in that month
        return _package_hours(project, plan, day.replace(day=1)) > 0

    passed = {check_id for checks in record.areas.values()
              for check_id, c in checks.items() if c.status == "passed"}
    items = []
    for area, checks in record.areas.items():
        for check_id, c in checks.items():
            if c.status not in ("failed", "partly"):
                continue
            if c.owner:  # «Орлов Д. С.» as the project's translation names him
                c = c.model_copy(update={"owner": project.in_own_words(c.owner)})
            # actions the auditor gave their own owner and date: each shows them, the
            # finding lists its owners and its last date
            items_own = _own_assignments(project, c)
            lost = au.WEIGHTS[c.criticality] * (1 - au.CREDIT[c.status])
            entry = catalogue.checks.get(check_id)
            check = labels.check(check_id)
            step_back = _step_back(previous, area, check_id, c, lang)
            met = i18n.words(NAME, lang)[f"met_{c.status}"]
            items.append((-lost, labels.rank(area), check_id, {
                "check_id": check_id, "area": labels.area(area),
                "title": _problem(project, entry, check, c, lang),
                "check": check, "status": labels.status[c.status],
                "status_text": i18n.words(NAME, lang)[f"phrase_{c.status}"],
                "met": (i18n.words(NAME, lang)["met_worse"].format(met=met) if step_back
                        else met),
                "step_back": step_back,
                "step_back_label": i18n.words(NAME, lang)["step_back_label"],
                "criticality": labels.level[c.criticality],
                "criticality_text": labels.level[c.criticality].lower(),
                "evidence": _sentence(c.evidence),
                **(_split_assignment(items_own, lang, c.owner, covered) if items_own else {
                    "owner": _initials_tied(c.owner), "owner_cell": _name_cell(c.owner),
                    "due": i18n.day(c.due, lang) if c.due else i18n.DASH,
                    "assigned": bool(c.owner and c.due),
                    "assignment": _assignment(c, lang),
                    "actions": _actions(project, c, entry, passed, lang)}),
                "requirement": _requirement(c, lang),
                # a deviation from the accepted specification is reported apart from the
                # findings on how the system is used: the contractor fixes it
                "deviation": contractors_defect(project, c),
                # (hours, billing, day due, owner) of each action that says its cost
                "efforts": [(i.hours, _billing(i), (i.due or c.due or record.date).isoformat(),
                             i.owner) for i in items_own if i.hours or i.change or i.warranty],
            }))
    # deviations from the specification first, then the costliest findings
    items.sort(key=lambda item: (not item[3]["deviation"], *item[:3]))
    return [dict(item[3], number=n) for n, item in enumerate(items, start=1)]


# «(замечания {exchange_runs, errors_monitored})»: the auditor cites findings by their
# checks' ids, and the report prints the numbers the findings get in it
REFERENCE = re.compile(r"\{\s*([a-z][a-z0-9_]*(?:\s*,\s*[a-z][a-z0-9_]*)*)\s*\}")


def resolve_references(value: Any, numbers: dict[str, int], lang: str) -> Any:
    """Every finding the auditor cites by its check's id (``{calls_logged}``, or several
    in one pair of braces) as its number in this report, in ascending order; braces
    naming anything else are left as written (the review notes flag them). Round 20:
    volga's goal measure cited «замечания 1 и 2», typed by hand, for findings the
    report numbered 1 and 8."""
    if isinstance(value, str):
        def number(match: re.Match[str]) -> str:
            ids = [x.strip() for x in match.group(1).split(",")]
            if not all(x in numbers for x in ids):
                return match.group(0)
            found = sorted({numbers[x] for x in ids})
            return i18n.join([str(n) for n in found], lang, last=True)
        if "{" not in value:
            return value
        text = REFERENCE.sub(number, value)
        if type(value) is str:
            return text
        # a flagged line (a str with the sponsor's decision marks) keeps its marks
        out = type(value)(text)
        out.__dict__.update(value.__dict__)
        return out
    if isinstance(value, dict):
        return {k: resolve_references(v, numbers, lang) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_references(v, numbers, lang) for v in value]
    if isinstance(value, tuple):
        return tuple(resolve_references(v, numbers, lang) for v in value)
    return value


def _approvals(project: Project, approvals: list[dict[str, Any]], auditor: str,
               lang: str) -> list[dict[str, Any]]:
    """The title page's signatures: the auditor wrote the report, so the contractor's
    side is agreed by its authorised signatory, not by the auditor again (round 20:
    kreativ's auditor both wrote and agreed her own report)."""
    from crmimpl.documents.signoff import short_name

    signatory = project.project.contractor_signatory
    names = {auditor, project.in_own_words(auditor) or auditor}
    if signatory is None or signatory.name in names:
        return approvals
    out = []
    for entry in approvals:
        if entry.get("name") in names or project.in_own_words(entry.get("name")) in names:
            entry = dict(entry, role=i18n.words("document", lang)["signoff_roles"][
                             "contractor_signatory"], name=signatory.name,
                         short_name=short_name(signatory.name, lang),
                         position=signatory.position or "")
        out.append(entry)
    return out


def contractors_defect(project: Project, c: au.CheckResult) -> bool:
    """Whether a finding is the contractor's own defect, fixed under warranty, rather
    than a remark on how the client uses the system: it names the accepted requirement
    it breaks, or the auditor bills any of its actions as warranty work (a setting,
    a connection or a data migration the contractor made against the passport or the
    specification; round 20: kreativ's WhatsApp on a QR session instead of WABA and its
    migration accepted unreconciled were told to the director as her staff's usage)."""
    if (c.requirement or "").strip():
        return True
    return any(i.warranty for i in au.action_items(c))


def _finding_groups(findings: list[dict[str, Any]], lang: str, mode: str = "project"
                    ) -> list[dict[str, Any]]:
    """The findings in the sections they are reported in: deviations from the approved
    specification (the contractor's defects, fixed under warranty) apart from the
    findings on how the client uses the system (round 19: volga's АБС rejections that
    the ТЗ says reach the record's author were told as an organisational gap)."""
    words = i18n.words(NAME, lang)
    # an express package is specified by its passport, not a ТЗ (round 20)
    own = "_express" if mode == "express" else ""
    one = "_one" if sum(f["deviation"] for f in findings) == 1 else ""
    groups = [{"deviation": True, "title": words[f"deviations_title{own}"],
               "intro": words[f"deviations_intro{own}{one}"],
               "findings": [f for f in findings if f["deviation"]]},
              {"deviation": False, "title": words["findings_usage_title"], "intro": "",
               "findings": [f for f in findings if not f["deviation"]]}]
    return [g for g in groups if g["findings"]]


def _billing(item: au.ActionItem) -> str:
    """How an action's work is billed: ``warranty``, ``change`` or ``support``."""
    return "warranty" if item.warranty else "change" if item.change else "support"


def _own_assignments(project: Project, c: au.CheckResult) -> list[au.ActionItem]:
    """The auditor's actions with an owner and date each, when at least one action has
    its own: written in brackets, or the team member the action names as its doer
    ("Oliver Grant sets the list back to read-only"), with the finding's date. An action
    without either takes the finding's owner and date. Empty when every action is the
    finding owner's (round 18: northwind's finding 6.1 was Priya Raman's while its only
    action was Oliver Grant's, with no date of its own)."""
    items = [i if i.owner else _named_doer(project, i, c) for i in au.action_items(c)]
    if not any(i.owner for i in items):
        return []
    # one rule for a finding against an accepted requirement: the contractor's work on
    # it is a warranty fix, never support hours or a change request (the client does not
    # pay again for what it accepted; round 19: optima's R08 was sent to change control)
    gap = bool((c.requirement or "").strip())
    return [au.ActionItem(i.text, project.in_own_words(i.owner) if i.owner else c.owner,
                          i.due if i.owner else c.due, i.hours,
                          i.change and not gap,
                          i.warranty or (gap and bool(i.hours or i.change)))
            for i in items]


def _named_doer(project: Project, item: au.ActionItem, c: au.CheckResult) -> au.ActionItem:
    """An action that opens with a team member's name is that person's, due on the
    finding's date; any other action is returned as it is."""
    text = item.text.strip()
    for person in project.team:
        for name in {person.name, project.in_own_words(person.name) or person.name}:
            if text.startswith(name + " ") and name != (c.owner or "").strip():
                return au.ActionItem(item.text, name, c.due)
    return item


def _split_assignment(items: list[au.ActionItem], lang: str, owner: str | None = None,
                      covered: Any = None) -> dict[str, Any]:
    """A finding whose actions have owners and dates of their own: each action says
    them (and the support hours or change request it takes); the finding names its own
    owner first, then every other owner, and its last date (when it is closed)."""
    words = i18n.words(NAME, lang)
    owners = list(dict.fromkeys([o for o in (owner, *(i.owner for i in items)) if o]))
    dues = [i.due for i in items if i.due]
    # one owner and one date for every action: said once, for the finding
    single = len(owners) == 1 and len(set(dues)) == 1 and all(i.owner for i in items)
    actions = []
    for i in items:
        text = _sentence(i.text)
        if i.owner and i.due and not single:
            text += " " + words["action_assigned"].format(owner=_initials_tied(i.owner),
                                                          due=i18n.day(i.due, lang))
        text += _effort(i, lang, covered is None or i.due is None or covered(i.due))
        actions.append(text)
    last = max(dues) if dues else None
    return {"owner": ", ".join(_initials_tied(o) for o in owners),
            "owner_cell": ", ".join(_name_cell(o) for o in owners),
            "due": i18n.day(last, lang) if last else i18n.DASH,
            "assigned": all(i.owner and i.due for i in items),
            "assignment": (words["assigned"].format(owner=_initials_tied(owners[0]),
                                                    due=i18n.day(last, lang)) if single
                           # one owner, a date per action: no "owners" in the plural
                           else words["assigned_dates"].format(
                               owner=_initials_tied(owners[0]),
                               due=i18n.day(last, lang) if last else i18n.DASH)
                           if len(owners) == 1
                           else words["assigned_each"].format(
                owner=i18n.join([_initials_tied(o) for o in owners], lang, last=True),
                due=i18n.day(last, lang) if last else i18n.DASH)),
            "actions": actions}


def _effort(item: au.ActionItem, lang: str, covered: bool = True) -> str:
    """What an action costs the contractor, after its owner and date: the support hours
    it takes, or that it is raised as a change request (with its estimate). Hours due
    in a month the support package no longer runs are billed under a change request,
    as the plan's paragraph says (round 19: optima's January setting said "support
    hours" while the paragraph under the plan billed it on top)."""
    words = i18n.words(NAME, lang)
    hours = i18n.number(item.hours, lang) if item.hours else ""
    if item.warranty:
        return " " + (words["action_warranty_hours"].format(hours=hours) if hours
                      else words["action_warranty"])
    if item.change:
        return " " + (words["action_change_hours"].format(hours=hours) if hours
                      else words["action_change"])
    if hours and not covered:
        return " " + words["action_no_package"].format(hours=hours)
    return " " + words["action_support"].format(hours=hours) if hours else ""


def _support_hours(project: Project, findings: list[dict[str, Any]], plan: object | None,
                   lang: str) -> list[str]:
    """What the corrective actions cost the contractor, stated once under the plan: per
    month, the support package's hours, those the actions take and those left for
    support requests (or the excess, billed on top under a change request); then the
    actions beyond the agreed design, which go through change control, not support.
    Round 18: northwind's actions took 13 of September's 16 support hours unsaid, one of
    them "beyond the agreed design"."""
    words = i18n.words(NAME, lang)
    months: dict[tuple[int, int], dict[int, float]] = {}
    changes: list[tuple[int, float | None, str | None]] = []
    warranty: list[tuple[int, float | None]] = []
    for f in findings:
        for hours, billing, when, owner in f["efforts"]:
            due = dt.date.fromisoformat(when)
            if billing == "warranty":
                warranty.append((f["number"], hours))
            elif billing == "change":
                changes.append((f["number"], hours, owner))
            elif hours:
                per = months.setdefault((due.year, due.month), {})
                per[f["number"]] = per.get(f["number"], 0.0) + hours
    # the one rule every action's billing follows, said once before the figures
    # an express package is specified by its passport, not a ТЗ (round 21)
    own = "_express" if project.project.mode == "express" else ""
    out = [words[f"billing_rule{own}"]] if months or changes or warranty else []
    for (year, month), per in sorted(months.items()):
        used = sum(per.values())
        package = _package_hours(project, plan, dt.date(year, month, 1))
        items = i18n.join([words["support_item"].format(hours=i18n.number(h, lang), n=n)
                           for n, h in sorted(per.items())], lang, last=True)
        key = ("support_none" if not package else "support_left" if used < package
               else "support_all" if used == package else "support_over")
        out.append(words[key].format(
            month=i18n.month_year(year, month, lang), items=items,
            used=i18n.number(used, lang), package=i18n.number(package, lang),
            left=i18n.number(package - used, lang), excess=i18n.number(used - package, lang)))
    if changes:
        out.append(words["change_one" if len(changes) == 1 else "change_many"].format(
            items=_billed_items(project, changes, lang)))
    if warranty:
        out.append(words["warranty_one" if len(warranty) == 1 else "warranty_many"].format(
            items=_billed_items(project, [(n, h, None) for n, h in warranty], lang)))
    return out


def _billed_items(project: Project, billed: list[tuple[int, float | None, str | None]],
                  lang: str) -> str:
    """«the action under finding 2 (about 3 h, GBP 240)», the actions of one finding
    summed into one item (round 19: volga's two warranty fixes of one finding were
    listed as two items under the same number)."""
    words = i18n.words(NAME, lang)
    per: dict[int, list[tuple[float | None, str | None]]] = {}
    for n, hours, owner in billed:
        per.setdefault(n, []).append((hours, owner))
    items = []
    for n, parts in per.items():
        total = sum(h or 0.0 for h, _ in parts)
        prices = [_change_price(project, h, o) for h, o in parts if h]
        cost = ""
        if total and prices and all(prices):
            price = common.sparing_money(sum(prices, Decimal(0)), lang,
                                         project.project.currency)
            if project.project.vat_rate:
                price += words["before_vat"]
            cost = words["change_item_cost"].format(hours=i18n.number(total, lang),
                                                    price=price)
        elif total:
            cost = words["change_item_hours"].format(hours=i18n.number(total, lang))
        items.append(words["change_item" if len(parts) == 1 else "change_items"].format(
            n=n, hours=cost))
    return i18n.join(items, lang, last=True)


def _change_price(project: Project, hours: float, owner: str | None) -> Decimal:
    """A change request's price at its doer's rate (zero when the doer has none): a
    change request states its money, not only its hours (round 19: northwind's 3-hour
    alert)."""
    if owner is None:
        return Decimal(0)
    person = next((p for p in project.team if owner.strip() in {
        p.name, project.in_own_words(p.name)}), None)
    rate = person.hourly_rate() if person is not None else Decimal(0)
    return rate * Decimal(str(hours))


def _package_hours(project: Project, plan: object | None, month: dt.date) -> float:
    """The support package's hours in a month: none after the months it runs from the
    acceptance, when the project limits them."""
    hours, term = project.support.monthly_hours, project.support.months
    launch = _launch(plan)
    if term is not None and launch is not None:
        end = launch.year * 12 + launch.month - 1 + term
        if month.year * 12 + month.month - 1 >= end:
            return 0.0
    return float(hours)


def _requirement(c: au.CheckResult, lang: str) -> str:
    """For a finding against an accepted requirement: whose gap it is and who pays."""
    ref = (c.requirement or "").strip()
    if not ref:
        return ""
    return i18n.words(NAME, lang)["requirement_gap"].format(id=ref)


def _assignment(c: au.CheckResult, lang: str) -> str:
    """«Ответственный — Орлов Д. С., срок — 25.12.2026.», or what is still to agree."""
    words = i18n.words(NAME, lang)
    if c.owner and c.due:
        many = "," in c.owner or ";" in c.owner  # a finding shared by two owners
        return words["assigned_many" if many else "assigned"].format(
            owner=_initials_tied(c.owner), due=i18n.day(c.due, lang))
    if c.owner:
        return words["assigned_nodue"].format(owner=_initials_tied(c.owner))
    if c.due:
        return words["assigned_noowner"].format(due=i18n.day(c.due, lang))
    return words["unassigned"]


def _problem(project: Project, entry: au.CatalogueCheck | None, check: str,
             c: au.CheckResult, lang: str) -> str:
    """A finding's heading: the auditor's own phrase for this client, else the problem
    as the catalogue words it, else the status."""
    own = (c.finding or "").strip()
    if own:
        return own.rstrip(".")
    if entry is not None and entry.problem:
        return au.in_country(entry.problem, project, lang)
    return i18n.words(NAME, lang)[f"finding_{c.status}"].format(check=check)


def _actions(project: Project, c: au.CheckResult, entry: au.CatalogueCheck | None,
             passed: set[str], lang: str) -> list[str]:
    """The corrective actions of a finding. The auditor's own (one a line) say what this
    client must do and replace the catalogue's; otherwise the catalogue's actions that
    fit the project, are not made needless by a passed check and do not contradict the
    evidence (no reminder to set up where the auditor saw one working)."""
    own = [_sentence(line) for line in (c.action or "").splitlines() if line.strip()]
    if own:
        return own
    if entry is None:
        return []
    fitting = [a for a in entry.actions if au.applies(a.applies_if, project)]
    kept = [a for a in fitting if not set(a.unless_passed) & passed
            and not au.contradicted(a, c.evidence)]
    return [au.in_country(a, project, lang) for a in kept or fitting[:1]]


def _initials_tied(name: str | None) -> str:
    """A person as a table shows them: ``Мельников О. П.`` never breaks before an initial."""
    if not name:
        return i18n.DASH
    return re.sub(r"\s+(?=[A-ZА-ЯЁ]\.)", i18n.NBSP, name.strip())


def _name_cell(name: str | None) -> str:
    """A person in a narrow table cell: a short name kept on one line (``Claire Benson``
    never split between its two words)."""
    tied = _initials_tied(name)
    return tied.replace(" ", i18n.NBSP) if len(tied) <= 20 else tied


def _sentence(text: str | None) -> str:
    """The auditor's note as a sentence: trimmed, with its final full stop."""
    body = (text or "").strip()
    if body and body[-1] not in ".!?…":
        body += "."
    return body


_SOURCE_NOUN = re.compile(
    r"^(?:Панель|Отч[её]т|Выгрузка|Сверка|Журнал|Данные|Реестр|Опрос|Детализация|Таблица"
    r"|Анкета|Выборка|Дашборд|Список|Подсчет|Расчет|Система|Карточки)(?=[\s,.;:]|$)")


def _source(text: str, lang: str) -> str:
    """The auditor's data source after «Источник данных:»: a common noun continues the
    sentence in lower case («панель директора, отчет …»); names stay as typed."""
    if lang == "ru" and _SOURCE_NOUN.match(text):
        return text[:1].lower() + text[1:]
    if lang != "ru" and _has_cyrillic(text):
        # an untranslated note (no overlay) is a quote, marked as one, not a sentence
        # spliced out of two languages; the report says once that it quotes the original
        return "“" + text.rstrip(".") + "”."
    return text


def _report_day(project: Project, record: au.AuditRecord, plan: object | None) -> dt.date:
    """The report's date: the record's ``report_date``, else the plan's report day of an
    audit held within the days the plan gives it, else the audit's own day."""
    if record.report_date is not None:
        return record.report_date
    window = _window(project, record, plan)
    if window is None or not window[0] <= record.date <= window[1]:
        return record.date
    return max(record.date, window[1])


def _window(project: Project, record: au.AuditRecord, plan: object | None
            ) -> tuple[dt.date, dt.date] | None:
    if record.number is None:
        return None
    try:
        return au.planned_window(project, record.number, plan)
    except CrmimplError:
        return None


def _held(project: Project, record: au.AuditRecord, plan: object | None, lang: str) -> str:
    """When the audit took place, for running text: the plan's days of its check when it
    began on the first of them («с 21 по 24 августа 2026 года», "from 21 to 24 August
    2026"), else its own day («21 августа 2026 года», "on 21 August 2026")."""
    tasks = {t.id: t for t in getattr(plan, "tasks", [])}
    check = tasks.get(f"audit.check.{record.number}")
    if check is None or check.start != record.date or check.finish <= record.date:
        return i18n.day_long(record.date, lang) if lang == "ru" else \
            f"on {i18n.day_long(record.date, lang)}"
    finish = i18n.day_long(check.finish, lang)
    same = (check.start.year, check.start.month) == (check.finish.year, check.finish.month)
    start = str(check.start.day) if same else i18n.day_long(check.start, lang)
    if lang == "ru" and not same:
        start = start.removesuffix(" года") if check.start.year == check.finish.year \
            else start
    # «со 2 по 3 сентября»: «со второго», as it is read
    since = "со" if check.start.day == 2 else "с"
    return f"{since} {start} по {finish}" if lang == "ru" else f"from {start} to {finish}"


def _schedule(project: Project, record: au.AuditRecord, plan: object | None, lang: str,
              has_next: bool) -> str:
    """The audit's date against the plan's: a sentence when it falls outside the days
    the plan gives the audit (its check to its report), with the auditor's reason. The
    client holds the plan's date from the earlier documents, so a shift is always told,
    once, here; `audit import` asks for the reason when the checklist gives none."""
    planned = au.off_schedule(project, record, plan)
    if planned is None:
        return ""  # held within the days the plan gives the check and its report
    words = i18n.words(NAME, lang)
    days = abs((record.date - planned).days)
    text = words["schedule_late" if record.date > planned else "schedule_early"].format(
        n=record.number, planned=i18n.day_long(planned, lang),
        actual=i18n.day_long(record.date, lang),
        days=i18n.count(days, lang, ("день", "дня", "дней"), ("day", "days")))
    reason = _sentence(record.schedule_note)
    return f"{text} {reason}" if reason else text


# the mark of a table row whose base and target are the same months before the CRM
LIKE_MARK = "\u00b9"


def _kpis(project: Project, record: au.AuditRecord, lang: str,
          early: set[str] | None = None) -> list[dict[str, Any]]:
    """The goal indicators' rows; ``early`` names the goals whose value cannot be
    credited with a pace yet (see :func:`_pace_basis`)."""
    words = i18n.words(NAME, lang)
    early = early or set()
    out = []
    for goal, result, progress in _measured(project, record):
        k = goal.kpi
        state = ("achieved" if progress >= 100 else "overdue" if k.deadline < record.date
                 else "on_track" if progress > 0 else "no_progress")
        # a like-for-like row shows the base and target its progress is measured against
        # (the same months before the CRM), marked; the plain baseline is in its note
        like = result.comparable is not None
        base, target = au.like_for_like(k, result.comparable) if like else (k.baseline,
                                                                            k.target)
        if like:  # no more decimals than the figures it comes from (105,4, not 105,43)
            target = round(target, max(_decimals(result.comparable), _decimals(k.target), 1))
        mark = LIKE_MARK if like else ""
        if result.before_crm:
            # the auditor says the value still measures the work before the CRM: no
            # progress is credited to the CRM, whatever the figure
            state = "before_crm"
        elif goal.id in early and state == "on_track":
            state = "early"
        out.append({
            # the table shows the baseline and target the sponsor approved; a seasonal
            # goal's progress, counted against the same months before the CRM, is marked
            # and its like-for-like base and target are named in the note (round 19:
            # optima's table read as if the approved targets had moved)
            "goal": goal.id, "metric": _plain_e(k.metric, lang), "like": like,
            "baseline": _value(k.baseline, k.unit, lang),
            "target": _value(k.target, k.unit, lang),
            "like_pair": (words["like_pair"].format(
                goal=goal.id, base=_value(base, k.unit, lang),
                target=_value(target, k.unit, lang)) if like else ""),
            "actual": _value(result.actual, k.unit, lang),
            "deadline": i18n.day(k.deadline, lang),
            "progress": (i18n.DASH if result.before_crm
                         else pct(progress, lang) + (mark if like else "")),
            "bar": "" if result.before_crm else bar(progress, lang),
            "state": words[state], "achieved": progress >= 100 and not result.before_crm,
            "unattributed": state in ("before_crm", "early"),
            "comment": _source(_sentence(result.comment), lang),
            "period": _period_note(k, result, lang),
        })
    return out


def _like_rule(project: Project, record: au.AuditRecord, lang: str) -> str:
    """How a like-for-like target is moved to the same months before the CRM, stated once
    and as :func:`~crmimpl.questionnaire.audit.like_for_like` computes it: a quantity keeps
    its relative change (+30 %), a share in % its change in points (46 → 60 % is +14
    points from the same months' share too). Only the cases the report has are named."""
    units = {g.kpi.unit.strip() == "%" for g, r, _ in _measured(project, record)
             if r.comparable is not None}
    if not units:
        return ""
    words = i18n.words(NAME, lang)
    key = ("like_both" if len(units) == 2 else "like_points" if True in units
           else "like_relative")
    return words["like_rule"].format(how=words[key])


def _plain_e(text: str, lang: str) -> str:
    """A project's wording in the report's spelling: the report writes «е» for «ё»
    («расчетный счет»), so a metric copied from a project that writes «ё» does not mix
    both spellings on one page. Names of people are never passed here (Ерёмин stays)."""
    return text.replace("ё", "е").replace("Ё", "Е") if lang == "ru" else text


def _decimals(value: float) -> int:
    """Decimal places a figure was given with: 81.1 → 1, 60 → 0."""
    text = repr(float(value))
    return 0 if text.endswith(".0") else len(text.split(".")[1])


_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
_RU_MONTHS = {  # nominative and genitive, lower case → English
    **dict(zip(("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
                "сентябрь", "октябрь", "ноябрь", "декабрь"), _MONTHS_EN, strict=True)),
    **dict(zip(("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                "сентября", "октября", "ноября", "декабря"), _MONTHS_EN, strict=True)),
}
_RU_QUARTER = {"I": "Q1", "II": "Q2", "III": "Q3", "IV": "Q4"}


def _period_text(text: str, lang: str) -> str | None:
    """The period an actual value covers, as the report's language writes it. A period
    the auditor typed in Russian («сентябрь–ноябрь 2026 года», «III квартал 2026 года»)
    and the audit's overlay did not translate is written in English from its months,
    quarter and year; what cannot be read that way is left out of an English sentence
    (``validate`` names the untranslated field) rather than spliced into it."""
    text = text.strip().rstrip(".")
    if lang == "ru" or not _has_cyrillic(text):
        return text
    out = re.sub(r"\b(I{1,3}|IV)\s+квартал[а-я]*", lambda m: _RU_QUARTER[m.group(1)], text)
    out = re.sub(r"[А-Яа-яЁё]+", lambda m: _RU_MONTHS.get(m.group(0).lower(), m.group(0)), out)
    out = re.sub(r"\s+(года|год|г\.?)(?=\W|$)", "", out)
    return None if _has_cyrillic(out) else out


def _has_cyrillic(text: str) -> bool:
    return bool(re.search(r"[А-Яа-яЁё]", text))


def _period_note(k: Any, result: au.KpiResult, lang: str) -> str:
    """What the actual value covers, set against the baseline: a like-for-like
    comparison for a seasonal indicator when the auditor gave the same months before the
    CRM, else the caveat that a part-year actual against an annual baseline is
    preliminary. Empty when the audit says nothing of the period and the KPI is not
    seasonal."""
    words = i18n.words(NAME, lang)
    parts = []
    period = _period_text(result.period, lang) if result.period else None
    if period:
        parts.append(words["kpi_period"].format(period=period))
    baseline = _value(k.baseline, k.unit, lang)
    if k.baseline_period:
        baseline += f" — {k.baseline_period}" if lang == "ru" else f", {k.baseline_period}"
    if result.comparable is not None and result.actual is not None:
        parts.append(words["kpi_like"].format(
            comparable=_value(result.comparable, k.unit, lang),
            change=_signed(result.actual, result.comparable, lang, k.unit),
            target_change=_signed(k.target, k.baseline, lang, k.unit), baseline=baseline,
            plain=pct(au.kpi_progress(k, result.actual), lang)
        ).replace("\u00a0п..", "\u00a0п."))  # «п. п.» closing the sentence: one full stop
    elif k.seasonal:
        parts.append(words["kpi_seasonal"].format(baseline=baseline))
    return " ".join(parts)


def _value(value: float, unit: str, lang: str) -> str:
    """A KPI value with its unit; a percentage as the report writes every percentage
    (``22%`` in English, ``22 %`` in Russian), unit words kept on one line with it."""
    if unit.strip() == "%":
        return i18n.percent(value, lang)
    return i18n.with_unit(value, unit, lang).replace(" ", i18n.NBSP)


def _signed(new: float, old: float, lang: str, unit: str | None = None) -> str:
    """The change from ``old`` to ``new``: relative (``+9,6 %``, ``−12 %``), or, for a
    KPI that is itself a percentage, in percentage points (``+4,2 п. п.``, ``+4.2 pp``):
    a share going from 48 % to 52 % has grown by 4 points, not by 8 %."""
    if unit is not None and unit.strip() == "%":
        points = new - old
        label = "\u00a0п.\u00a0п." if lang == "ru" else "\u00a0pp"
        return (("+" if points >= 0 else "\u2212")
                + i18n.number(round(abs(points), 1), lang) + label)
    if old == 0:
        return i18n.DASH
    change = 100.0 * (new - old) / abs(old)
    return ("+" if change >= 0 else "\u2212") + pct(abs(change), lang)


def _measured(project: Project, record: au.AuditRecord
              ) -> Iterator[tuple[Any, Any, float]]:
    """(goal, its result, progress in %) of every goal the audit measured."""
    for goal in project.goals:
        result = record.kpi.get(goal.id)
        if result is not None and result.actual is not None:
            yield goal, result, au.kpi_progress(goal.kpi, result.actual, result.comparable)


# a goal whose deadline is this close and not yet met is flagged to the sponsor
AT_RISK_DAYS = 60
# a goal goes to the sponsor when its pace since launch would cover less than this share
# of the way by the deadline, whether the deadline is near or far (one rule, so a goal
# forecast at 83 % is never left out while one at 87 % is flagged)
BEHIND_FORECAST = 100.0


class _Flag(str):
    """A goal's line in "goals that need the sponsor's attention"; ``decision`` is false
    for a goal on pace whose deadline comes before the next audit (the sponsor hears of it
    now, but nothing is to be decided: the summary does not count it with the others)."""

    decision: bool = True
    # a goal whose value cannot be credited with a pace yet (it still largely reflects
    # work before go-live, or too little time has passed since): neither "on pace" nor
    # "behind", it is listed apart and confirmed at the next audit
    early: bool = False
    # the goal's corrective action for the plan's table: goal id, the row's title and
    # state, its owner and due date (a goal that needs a decision always has both)
    row: dict[str, str] | None = None


def _surname_initials(name: str, lang: str) -> str:
    """«Сергеева Марина Олеговна» → «Сергеева М. О.», as the plan's other rows name
    people; other names stay as written."""
    parts = name.split()
    if lang != "ru" or len(parts) != 3 or not all(p[:1].isupper() and p[1:].islower()
                                                   for p in parts):
        return name
    return f"{parts[0]} {parts[1][0]}. {parts[2][0]}."


def _team_name(project: Project, name: str, lang: str) -> str:
    """«Ефимова С. И.» of an audit file as the team names her («Ефимова Светлана
    Игоревна»), so the goals' lines name their owners alike; a name not in the team
    stays as written."""
    found = next((p.name for p in project.team
                  if name in (p.name, _surname_initials(p.name, lang))), None)
    return found or name


def _measure(project: Project, action: str) -> str:
    """The auditor's measure for a goal as it runs on after «Меры …:» (in lower case
    unless it starts with an abbreviation)."""
    text = _sentence(project.in_own_words(action))
    first = text.split(" ", 1)[0]
    return text if sum(ch.isupper() for ch in first) > 1 else text[:1].lower() + text[1:]


def _goal_due(record: au.AuditRecord, result: au.KpiResult, when_key: str,
              following: dt.date | None) -> dt.date:
    """The date of a goal's measure: the auditor's, else the date the report's wording
    asks for a decision by (the next audit; two weeks after this one without a next
    audit; one week when the next audit comes after the goal's deadline)."""
    if result.due is not None:
        return result.due
    if when_key == "attention_when_next" and following is not None:
        return following
    return record.date + dt.timedelta(days=7 if when_key == "attention_when_now" else 14)


# days of data since a goal's launch below which a straight line through them is no pace
PACE_MIN_DAYS = 30


def _pace_basis(result: au.KpiResult, launch: dt.date | None, measured: dt.date,
                record: au.AuditRecord, catalogue: au.Catalogue) -> str:
    """Why the pace since launch cannot be credited to a goal yet, or "" when it can:
    ``mixed`` when the auditor's notes say the value largely reflects work done before
    go-live, or when more than half of its measured period falls before the launch;
    ``short`` when less than :data:`PACE_MIN_DAYS` of data lie after the launch. Round
    18: northwind's G1 was "on pace to be met" on a six-month win rate whose deals were
    mostly opened before the MVP went live, as its own source note said."""
    if launch is None or measured <= launch:
        return ""
    if au.before_launch(result, catalogue):
        return "mixed"
    start = au.period_start(result.period, record.date)
    if start is not None and start < launch and (launch - start) > (measured - launch):
        return "mixed"
    return "short" if (measured - launch).days < PACE_MIN_DAYS else ""


def _attention(project: Project, record: au.AuditRecord, lang: str,
               has_next: bool, plan: object | None = None,
               labels: _Labels | None = None,
               catalogue: au.Catalogue | None = None) -> list[_Flag]:
    """What the sponsor must look at, with the goal's owner: goals past their deadline
    and not met; goals near it and behind the pace the time since launch asks for (a
    goal ahead of that pace needs no decision); goals whose measure a finding of this
    audit puts in doubt (the finding names the goal)."""
    words = i18n.words(NAME, lang)
    when = words["attention_when_next" if has_next else "attention_when"]
    doubted = _doubted_goals(record, labels)
    following = _next_date(project, record, plan)
    catalogue = catalogue if catalogue is not None else au.load_catalogue()
    out = []
    for goal, result, progress in _measured(project, record):
        k = goal.kpi
        days = (k.deadline - record.date).days
        launch = _goal_launch(project, plan, goal.id) or _launch(plan)
        since = ((f"после начала работы в системе {i18n.day(launch, lang)}" if lang == "ru"
                  else f"work in the system began on {i18n.day(launch, lang)}") if launch else "")
        if progress >= 100 or result.before_crm:
            continue
        # the pace runs to the day the actual value stands for (the end of its measured
        # period: April's figures at a May audit), not to the audit date
        measured = au.measured_on(result, record.date)
        basis = _pace_basis(result, launch, measured, record, catalogue)
        # no pace is read from a value that cannot be credited to the CRM yet
        forecast = None if basis else _forecast(progress, launch, measured, k.deadline)
        values = {"goal": goal.id, "metric": _plain_e(k.metric, lang),
                  "deadline": i18n.day(k.deadline, lang),
                  "actual": _value(result.actual, k.unit, lang),
                  "target": _value(k.target, k.unit, lang),
                  "progress": pct(progress, lang), "when": when, "since": since,
                  "days": i18n.count(days, lang, ("день", "дня", "дней"), ("day", "days"))}
        when_key = "attention_when_next" if has_next else "attention_when"
        if days < 0:
            # the auditor's comment on the KPI (shown with it above) names the data source;
            # more than that (another sentence) is the auditor's analysis of the lag
            explained = len(re.findall(r"[.!?](?:\s|$)", (result.comment or "").strip())) >= 2
            if result.action:
                values["action"] = _measure(project, result.action)
            text = words["attention_overdue_action" if result.action
                         else "attention_overdue_explained" if explained
                         else "attention_overdue"].format(**values)
        elif forecast is not None and forecast < BEHIND_FORECAST:
            # one rule for every goal, near its deadline or far from it: at the pace kept
            # since launch it will not cover the way by its deadline. A goal behind
            # schedule cannot wait for the next audit (months away): its
            # measures are agreed within two weeks, or within a week when the next audit
            # comes after the deadline
            when_key = ("attention_when_now" if following is not None
                        and following > k.deadline else "attention_when")
            values["when"] = words[when_key].format(next=i18n.day(following, lang))
            edge = round(forecast) >= 100  # 99,8 %: at the edge, not "about 100 %"
            values["forecast"] = pct(forecast, lang, decimals=1 if edge else 0)
            key = ("attention_edge" if edge else "attention_risk_forecast"
                   if days <= AT_RISK_DAYS else "attention_behind")
            if key == "attention_behind" and result.comparable is not None and launch:
                # a seasonal indicator, measured against the same months before the
                # CRM: its progress is set against the share of time passed, never
                # projected in a straight line over the seasons ahead (round 20: optima's
                # autumn revenue was extrapolated into the winter slump)
                key = "attention_behind_seasonal"
                values["share"] = pct(100 * (measured - launch).days
                                      / max((k.deadline - launch).days, 1), lang)
            # the days run to the end of the measured period, not to the audit: said so
            until = (words["attention_until"].format(date=i18n.day(measured, lang))
                     if measured != record.date else "")
            if result.action:
                # the auditor's measure, proposed to the sponsor, replaces the request to
                # agree one
                values["action"] = _measure(project, result.action)
                key += "_action"
            text = words[key].format(elapsed=i18n.count(
                (measured - launch).days if launch else 0, lang,
                ("день", "дня", "дней"), ("day", "days")), until=until,
                **values)
        elif days <= AT_RISK_DAYS and (launch is None or basis):
            # near its deadline, the pace unknown (no launch, or a value the CRM cannot
            # be credited with): the sponsor is to judge whether it will be met
            text = words["attention_risk"].format(**values)
        elif following is not None and k.deadline < following:
            # the next audit comes too late to raise it: whatever the pace, the sponsor
            # hears of a goal not met yet now, with the auditor's verdict when the pace
            # since launch gives one (on pace: it will be met, confirmed at the deadline)
            text = _Flag(words["attention_final_on_pace" if forecast is not None
                               else "attention_final"].format(**values))
            text.decision = forecast is None
        elif goal.id in doubted:
            check, due = doubted[goal.id]
            text = words["attention_doubt"].format(check=check, due=due, **values)
        elif basis:
            # no pace to judge by yet: neither on pace nor behind, it is confirmed at the
            # next audit (or by the measurement on the deadline), on work done since launch
            values["launch"] = i18n.day(launch, lang)
            values["elapsed"] = i18n.count((measured - launch).days if launch else 0, lang,
                                           ("день", "дня", "дней"), ("day", "days"))
            values["until"] = (words["attention_until"].format(date=i18n.day(measured, lang))
                               if measured != record.date else "")
            values["again"] = (words["attention_early_next"].format(
                next=i18n.day(following, lang)) if following is not None
                else words["attention_early_last"])
            text = _Flag(words[f"attention_early_{basis}"].format(**values))
            text.decision, text.early = False, True
        elif forecast is not None:
            # on pace, the deadline after the next audit: listed with the goals on pace
            # (every goal not met lands in exactly one list: a decision or on pace)
            until = (words["attention_until"].format(date=i18n.day(measured, lang))
                     if measured != record.date else "")
            text = _Flag(words["attention_on_pace"].format(elapsed=i18n.count(
                (measured - launch).days if launch else 0, lang,
                ("день", "дня", "дней"), ("day", "days")), until=until,
                **values)
                + words["attention_on_pace_next" if has_next else "attention_on_pace_last"])
            text.decision = False
        else:
            continue
        decision = getattr(text, "decision", True)
        # «Ерёмин В. Н.», as the findings and the action plan name people (round 20:
        # volga's goal lines mixed full names with initials)
        owner = _initials_tied(_surname_initials(
            _team_name(project, project.in_own_words(result.owner) or result.owner, lang)
            if result.owner else common.person_name(project, goal.owner) if goal.owner
            else "", lang)) if (result.owner or goal.owner) else ""
        goal_due = _goal_due(record, result, when_key, following) if decision else None
        if goal_due is not None and owner:
            tail = words["attention_owner_due"].format(owner=owner, due=i18n.day(goal_due, lang))
        else:
            tail = words["attention_owner"].format(owner=owner) if owner else ""
        flag = _Flag(text + _one_stop(tail))
        flag.decision = decision
        flag.early = getattr(text, "early", False)
        if decision:
            flag.row = {
                "title": words["goal_row_overdue" if days < 0 else "goal_row_behind"].format(
                    goal=goal.id, metric=_plain_e(k.metric, lang)),
                "met": words["goal_met_overdue" if days < 0 else "goal_met_behind"],
                "owner_cell": _name_cell(_surname_initials(owner, lang)) if owner else i18n.DASH,
                "due": i18n.day(goal_due, lang) if goal_due else i18n.DASH,
            }
        out.append(flag)
    return out


# working days after a goal's deadline within which its result is measured: the month
# the deadline closes is reported on in that time (the practice of audits held after a
# month's close)
RESULT_AFTER_DAYS = 10


def _beyond_plan(project: Project, record: au.AuditRecord, plan: object | None,
                 lang: str) -> list[str]:
    """Goals due after the last audit of the plan, not met yet: no audit measures their
    result, so the report says who measures it, how and by when (one sentence per
    deadline)."""
    last = au.planned_date(project, project.audit.count, plan) if plan is not None else None
    if last is None or (record.number or 0) > project.audit.count:
        last = record.date
    last = max(last, record.date)
    measured = {g.id: p for g, _r, p in _measured(project, record)}
    late: dict[dt.date, list[Any]] = {}
    for goal in project.goals:
        if goal.kpi.deadline > last and measured.get(goal.id, 0) < 100:
            late.setdefault(goal.kpi.deadline, []).append(goal)
    if not late:
        return []
    words = i18n.words(NAME, lang)
    calendar = getattr(plan, "calendar", None)
    this = words["beyond_this" if last == record.date else "beyond_planned"].format(
        last=i18n.day(last, lang))

    def measured_by(deadline: dt.date) -> str:
        by = (calendar.add_working_days(deadline, RESULT_AFTER_DAYS) if calendar is not None
              else deadline + dt.timedelta(days=14))
        return i18n.day(by, lang)

    every = [g for _, goals in sorted(late.items()) for g in goals]
    ids = [g.id for g in every]
    if len(late) == 1:
        deadline = next(iter(late))
        text = words["beyond_one" if len(ids) == 1 else "beyond_many"].format(
            goals=i18n.join(ids, lang, last=True), deadline=i18n.day(deadline, lang),
            by=measured_by(deadline), this=this)
    else:
        # several deadlines: one paragraph, not one near-identical paragraph per deadline
        dated = [(i18n.join([g.id for g in goals], lang, last=True), deadline)
                 for deadline, goals in sorted(late.items())]
        text = words["beyond_dates"].format(
            items=i18n.join([f"{g} ({i18n.day(d, lang)})" for g, d in dated], lang,
                            last=True),
            this=this, by_list=", ".join(words["beyond_by"].format(goals=g, by=measured_by(d))
                                         for g, d in dated))
    owners = list(dict.fromkeys(
        _initials_tied(_surname_initials(common.person_name(project, g.owner), lang))
        for g in every if g.owner))
    if owners:
        key = ("beyond_owners" if len(owners) > 1 else "beyond_owner" if len(ids) == 1
               else "beyond_owner_many")
        text = _one_stop(text + " " + words[key].format(
            owners=i18n.join(owners, lang, last=True)))
    return [text]


def _one_stop(text: str) -> str:
    """A sentence ending in initials ends with one full stop: «… — Смирнова А. Е.», not
    the «А. Е..» a template's own full stop after the name makes."""
    return text[:-1] if text.endswith("..") else text


def _launch(plan: object | None) -> dt.date | None:
    """The day the system was accepted (the plan's acceptance), where the goals' clock
    starts; None without a plan."""
    tasks = getattr(plan, "tasks", None) or []
    return next((t.finish for t in tasks if t.id == "rollout.acceptance"), None)


def _goal_launch(project: Project, plan: object | None, goal: str) -> dt.date | None:
    """The day the goal's teams started work in the system, where its pace is counted
    from: the first go-live of the departments its tasks concern, else of those its
    requirements come from (their pilot wave), else the plan's first go-live (the MVP's
    launch, the pilot's start). Round 14: volga counted from the acceptance (15.03)
    though collection had worked in the system since 12.01, and northwind from the
    acceptance though sales were live since 17 Apr, so both credited goals with a pace
    they did not keep. None without such a task."""
    from crmimpl.plan.pilot import wave_starts

    if plan is None:
        return None
    depts = {d.id for d in project.client.departments}
    # the units the goal concerns: the departments its tasks name (volga's cross-sales
    # to retail clients count from the retail wave, 16.02, not from the contact centre's
    # 23.12, though the contact centre also serves requirements of the goal; round 20),
    # else the departments its requirements come from
    concerned = {t.department for g in project.goals if g.id == goal for t in g.tasks
                 if t.department} & depts
    sources = {r.source for r in project.requirements if goal in r.goals} & depts
    waves = wave_starts(project, plan)
    for units in (concerned, sources):
        starts = [start for w, start in waves if units & set(w.departments)]
        if starts:
            return min(starts)
    tasks = {t.id: t for t in getattr(plan, "tasks", None) or []}
    backlog = getattr(plan, "backlog", None)
    if backlog is not None and backlog.departments:
        # an iterative project: the stage that puts the goal's owner's department into
        # the system (northwind's response-time goal, owned by the service manager,
        # counts from the service desk's stage, not from the MVP that brought sales),
        # else the first stage that delivers one of the goal's requirements
        from crmimpl.plan.backlog import requirement_iteration

        def stage_done(n: int) -> dt.date | None:
            key = "mvp.launch" if n == 0 else f"iteration.done.{n}"
            return tasks[key].finish if key in tasks else None

        owner = next((g.owner for g in project.goals if g.id == goal), None)
        person = next((p for p in project.team if p.id == owner), None)
        dept = person.department if person is not None else owner
        if dept in backlog.departments and (day := stage_done(backlog.departments[dept])):
            return day
        done = [day for r in project.requirements if goal in r.goals and r.priority != "wont"
                if (day := stage_done(requirement_iteration(project, backlog, r)))]
        if done:
            return min(done)
    first = [tasks[i].start for i in ("mvp.launch", "rollout.pilot_wave.1", "rollout.pilot")
             if i in tasks]
    return min(first) if first else None


def _forecast(progress: float, launch: dt.date | None, today: dt.date,
              deadline: dt.date) -> float | None:
    """The share of the way the goal covers by its deadline if it keeps the pace it has
    had since launch (a straight line); None when the launch is unknown or not past."""
    if launch is None or deadline <= launch or today <= launch:
        return None
    return progress * (deadline - launch).days / (today - launch).days


def _ahead(progress: float, launch: dt.date | None, today: dt.date,
           deadline: dt.date) -> bool:
    """Whether a goal has covered at least the share of the way that the share of time
    from launch to its deadline asks for (unknown launch: not ahead)."""
    elapsed = _elapsed(launch, today, deadline)
    return elapsed is not None and progress >= elapsed


def _elapsed(launch: dt.date | None, today: dt.date, deadline: dt.date) -> float | None:
    """The share of time from launch to the deadline gone by ``today``, in % (None:
    launch unknown or not yet passed)."""
    if launch is None or deadline <= launch or today <= launch:
        return None
    return 100.0 * (today - launch).days / (deadline - launch).days


def _doubted_goals(record: au.AuditRecord, labels: _Labels | None
                   ) -> dict[str, tuple[str, str]]:
    """Goals a finding of this audit names in its heading or notes ("… for goal G2"):
    {goal id: (the finding's heading, its due date)}."""
    out: dict[str, tuple[str, str]] = {}
    lang = labels.lang if labels else "ru"
    for checks in record.areas.values():
        for check_id, c in checks.items():
            if c.status not in ("failed", "partly"):
                continue
            text = f"{c.finding or ''} {c.evidence or ''}"
            for goal_id in re.findall(r"\b(G\d+)\b", text):
                heading = (c.finding or "").strip().rstrip(".") or (
                    labels.check(check_id) if labels else check_id)
                out.setdefault(goal_id, (i18n.quoted(heading, lang),
                                         i18n.day(c.due, lang) if c.due else i18n.DASH))
    return out


def _trend(history: list[au.AuditRecord], labels: _Labels, lang: str) -> dict[str, Any]:
    """Scores by audit date per area (rows) — empty when there is only one audit."""
    if len(history) < 2:
        return {"dates": [], "rows": []}
    area_ids = sorted({a for r in history for a in r.areas}, key=labels.rank)
    rows = []
    for area in area_ids:
        cells = [_percent_or_dash(au.score(r.areas[area].values()).percent, lang)
                 if area in r.areas else i18n.DASH for r in history]
        rows.append({"title": labels.area(area), "cells": cells})
    rows.append({"title": i18n.words(NAME, lang)["overall"],
                 "cells": [_percent_or_dash(au.overall_score(r).percent, lang)
                           for r in history]})
    return {"dates": [i18n.day(r.date, lang) for r in history], "rows": rows}


def _percent_or_dash(value: float | None, lang: str) -> str:
    return i18n.DASH if value is None else pct(value, lang)


def _control(project: Project, record: au.AuditRecord, has_next: bool, lang: str) -> str:
    """Who sees that the actions are taken: the next audit; without one, the client's
    project manager, with a repeat check after the last due date within the support
    hours when the project has them."""
    words = i18n.words(NAME, lang)
    if has_next:
        return words["control_next"]
    dues = [c.due for checks in record.areas.values() for c in checks.values()
            if c.status in ("failed", "partly") and c.due]
    if not dues or not project.support.monthly_hours:
        return words["control_client"]
    hours = i18n.number(project.support.monthly_hours, lang)
    # the re-check of the contractor's own fixes is part of the warranty, not the
    # client's support hours (round 20: the agency was to pay for checking them)
    warranty = any(i.warranty for checks in record.areas.values() for c in checks.values()
                   if c.status in ("failed", "partly")
                   for i in _own_assignments(project, c) or au.action_items(c))
    key = "control_recheck_warranty" if warranty else "control_recheck"
    return words["control_client"] + words[key].format(
        date=i18n.day(max(dues), lang), hours=hours)


def _next_audit(project: Project, record: au.AuditRecord, plan: object | None,
                lang: str) -> str:
    date = _next_date(project, record, plan)
    return i18n.day_long(date, lang) if date else ""


def _next_date(project: Project, record: au.AuditRecord, plan: object | None
               ) -> dt.date | None:
    if record.number is None:
        return None
    try:
        return au.planned_date(project, record.number + 1, plan)
    except CrmimplError:
        return None


def _next_gap(project: Project, record: au.AuditRecord, plan: object | None,
              lang: str) -> str:
    """When a late audit leaves the next one much closer than the audit rhythm: whether
    this report's actions fall due before it (one sentence, no account of the plan)."""
    following = _next_date(project, record, plan)
    every = project.audit.every_months
    if following is None or (following - record.date).days >= 0.75 * every * 30.4:
        return ""
    dues = [c.due for checks in record.areas.values() for c in checks.values()
            if c.status in ("failed", "partly") and c.due]
    words = i18n.words(NAME, lang)
    if any(d > following for d in dues):
        return words["next_close_later"].format(next=i18n.day(following, lang))
    return ""  # the next audit checks them all: the paragraph before says so


def _notes_in_russian(project: Project, audits: list[Any] | None) -> bool:
    """Whether the auditor's notes (evidence, findings, conclusion) are written in
    Russian: text an audit's overlay (``audits/<date>.en.yaml``) leaves untranslated is
    quoted in the original, and an English report says so once."""
    from crmimpl.overlay import contains_cyrillic

    records = audits if audits is not None else (
        au.load_audits(project.folder) if project.source else [])
    def texts(node: Any) -> list[str]:
        if isinstance(node, dict):
            return [t for v in node.values() for t in texts(v)]
        if isinstance(node, list):
            return [t for v in node for t in texts(v)]
        return [node] if isinstance(node, str) else []

    # a person's name the project's overlay gives is not a quote (the report prints it
    # in the document's script); anything else in Russian is quoted in the original
    return any(contains_cyrillic(project.in_own_words(t))
               for r in records for t in texts(r.model_dump(mode="json")))


def report_blocks(project: Project, lang: str, *, audit: dt.date | None = None,
                  plan: Any = None, user_dir: Path | None = None,
                  audits: list[Any] | None = None) -> tuple[list[Any], Any]:
    """The audit report as blocks and document meta (latest audit by default)."""
    from crmimpl.documents.common import doc_meta, one_spelling
    from crmimpl.render.markdown import parse_blocks, render_markdown

    context = build_context(project, lang, plan=plan, audit=audit, user_dir=user_dir,
                            audits=audits)
    markdown = one_spelling(render_markdown(NAME, lang, context, user_dir=user_dir),
                            project, lang)
    blocks = parse_blocks(markdown, source=f"{NAME}.md.j2")
    return blocks, doc_meta(context["meta"])


def _follow_up(history: list[au.AuditRecord], labels: _Labels, catalogue: au.Catalogue,
               lang: str, project: Project) -> dict[str, Any]:
    """What became of the previous audit's findings, read from this audit's verdict on
    the same checks: the table the sponsor looks for first, and its one-line summary.
    Empty for a first audit."""
    if len(history) < 2:
        return {"rows": [], "summary": "", "number": None}
    previous, current = history[-2], history[-1]
    now = {check_id: c for checks in current.areas.values() for check_id, c in checks.items()}
    words = i18n.words(NAME, lang)
    rows, tally = [], {"done": 0, "partly": 0, "open": 0, "unknown": 0}
    for _area, checks in sorted(previous.areas.items(), key=lambda i: labels.rank(i[0])):
        for check_id, c in checks.items():
            if c.status not in ("failed", "partly"):
                continue
            after = now.get(check_id)
            state = ("unknown" if after is None or after.status == "not_applicable"
                     else {"passed": "done", "partly": "partly", "failed": "open"}[after.status])
            result = words[f"follow_{state}"]
            note = _sentence(after.evidence) if after is not None else ""
            if state in ("partly", "open") and after is not None \
                    and contractors_defect(project, after) \
                    and not contractors_defect(project, c):
                # the client's part is done; the check now falls short on the
                # contractor's own set-up, a finding of this audit (optima: overdue
                # tasks fixed, an escalation rule of R08 never set up)
                state, result = "done", words["follow_done"]
                note = _one_stop(f"{_first_sentence(after.evidence)} " + words[
                    "follow_now_defect"].format(ref="{" + check_id + "}"))
            tally[state] += 1
            rows.append({"title": _problem(project, catalogue.checks.get(check_id),
                                           labels.check(check_id), c, lang),
                         "owner": _name_cell(project.in_own_words(c.owner)),
                         "due": i18n.day(c.due, lang) if c.due else i18n.DASH,
                         "result": f"{result}. {note}" if note else result + "."})
    for n, row in enumerate(rows, start=1):
        row["number"] = n
    return {"rows": rows, "number": previous.number,
            "summary": _follow_summary(len(rows), tally, previous, lang)}


def _first_sentence(text: str | None) -> str:
    """The first sentence of an auditor's note (the measured figure comes first)."""
    import re

    return re.split(r"(?<=[.!?])\s+(?=[A-ZА-ЯЁ])", (text or "").strip(), maxsplit=1)[0]


def _follow_summary(total: int, tally: dict[str, int], previous: au.AuditRecord,
                    lang: str) -> str:
    """«Из 11 замечаний аудита № 1 устранено 8, частично — 3, не устранено — 0.»"""
    if not total:
        return ""
    words = i18n.words(NAME, lang)
    which = (words["follow_of_n"].format(n=previous.number) if previous.number
             else words["follow_of"].format(date=i18n.day(previous.date, lang)))
    parts = [words["follow_sum_done"].format(
        n=tally["done"], total=i18n.count_of(total, words["follow_noun"], lang, case="gent")
        if lang == "ru" else i18n.count_of(total, words["follow_noun"], lang),
        which=which)]
    for key in ("partly", "open", "unknown"):
        if tally[key]:
            parts.append(words[f"follow_sum_{key}"].format(n=tally[key]))
    return ", ".join(parts) + "."


def goals_needing_measures(project: Project, record: au.AuditRecord,
                           plan: object | None = None) -> list[str]:
    """The goals the report asks the sponsor to decide on (behind their pace or past
    their deadline), as :func:`build_context` finds them."""
    from crmimpl.questionnaire.library import get_questionnaire

    if plan is None:
        from crmimpl.plan.builder import build_plan

        plan = build_plan(project)
    labels = _Labels(get_questionnaire(au.QUESTIONNAIRE, project.folder), "en")
    attention = _attention(project, record, "en", bool(_next_audit(project, record, plan, "en")),
                           plan, labels, au.load_catalogue(None))
    return [t.split(" ", 1)[0] for t in attention if t.decision]
