"""Questionnaire definitions: what ``questionnaires/*.yaml`` may say.

A definition holds both languages (``ru`` and ``en``) of every text. Questions have stable
ids (renames keep the old id in ``previous_ids``) so answers survive new versions.
Cross-checks (duplicate ids, unknown choice lists, conditions naming unknown questions)
are reported by :meth:`Questionnaire.reference_problems` with the file position.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, cast

from pydantic import Field, PrivateAttr

from crmimpl.load import KeyPath
from crmimpl.model.base import Language, LocalText, Strict
from crmimpl.model.conditions import (
    COUNTRY_CODE,
    Call,
    Compare,
    ConditionError,
    In,
    Lit,
    Node,
    Ref,
    country_applies,
    parse_condition,
    walk,
)

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,47}$")]
ReportKey = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")]
LANGUAGES: tuple[Language, ...] = ("ru", "en")
Kind = Literal["survey", "requirements", "employee", "documents", "audit"]
Audience = Literal["sales", "service", "marketing", "management", "accounting", "other"]
QuestionType = Literal[
    "text", "long_text", "integer", "decimal", "percent", "money", "date", "yes_no",
    "select_one", "select_multiple", "scale", "table", "note", "email", "phone", "url",
]
ColumnType = Literal[
    "text", "long_text", "integer", "decimal", "percent", "money", "date", "yes_no",
    "select_one", "scale", "email", "phone", "url",
]
DatePrecision = Literal["year", "month", "day"]
NUMERIC = {"integer", "decimal", "percent", "money", "scale"}
TEXTUAL = {"text", "long_text", "email", "phone", "url"}
SELECTS = {"select_one", "select_multiple"}

RefProblem = tuple[KeyPath, str, str]
Countries = list[Annotated[str, Field(pattern=COUNTRY_CODE)]]
CURRENCY_SLOT = "{currency}"


class Choice(Strict):
    """One option of a choice list; ``id`` is what answers store."""

    id: Id
    label: LocalText
    countries: Countries = Field(
        default_factory=list, description="Only for clients in these countries (RU, GB, EU, !RU).")
    industries: dict[Id, LocalText] = Field(
        default_factory=dict, description="Its label for clients of an industry "
        "(templates/industries.yaml ids): a bank exchanges clients and accounts with its "
        "core banking system, not counterparties and invoices.")
    report: LocalText | None = Field(
        None, description="The answer as a sentence of the survey report when this option is "
        "chosen (a select_one question), instead of a 'caption: option' table row.")
    industry_reports: dict[Id, LocalText] = Field(
        default_factory=dict, description="Its `report` sentence for clients of an industry: "
        "a bank hosts the CRM in its own data centres, not «на собственном сервере».")
    names: list[Annotated[str, Field(max_length=60)]] = Field(
        default_factory=list, max_length=40, description="Products this generic option stands "
        "for (Power BI, Tableau): when the same respondent's other answers name some of them, "
        "the survey report shows those names instead of the generic label.")


class ReportWording(Strict):
    """How the survey report words a question's answer for clients of one industry."""

    report_label: LocalText | None = None
    report_yes: LocalText | None = None
    report_no: LocalText | None = None


class ChoiceList(Strict):
    """A named list of options shared by select questions and table columns."""

    id: Id
    choices: list[Choice] = Field(min_length=1, max_length=200)


class Length(Strict):
    """Allowed length of a text answer, in characters."""

    min: Annotated[int, Field(ge=0, le=10_000)] | None = None
    max: Annotated[int, Field(ge=1, le=10_000)] | None = None


class Constraints(Strict):
    """Checks shared by questions and table columns."""

    required: bool = False
    min: float | None = None
    max: float | None = None
    length: Length | None = None
    pattern: Annotated[str, Field(max_length=300)] | None = None
    pattern_message: LocalText | None = None
    choices: Id | None = Field(None, description="Id of a choice list (select types).")
    unit: LocalText | None = None
    precision: DatePrecision | None = Field(
        None, description="What a date answer names: a year, a month or a day (the default).")

    @property
    def date_precision(self) -> DatePrecision:
        """``year``, ``month`` or ``day``: what a date answer names."""
        return self.precision or "day"


class Column(Constraints):
    """A column of a table question."""

    id: Id
    type: ColumnType = "text"
    label: LocalText
    hint: LocalText | None = None


class TableRow(Strict):
    """A fixed row of a table question (the client fills the cells)."""

    id: Id
    label: LocalText
    norm: LocalText | None = Field(
        None, description="The result at which the row's check passes (audit checklists: "
        "shown locked in the workbook and with the check in the report, so that every "
        "audit applies the same threshold).")


class ReportDetail(Strict):
    """The answer that names a generic option in detail ("Другая система" → the bank's ABS)."""

    key: ReportKey = Field(description="Report key of the answer that names it.")
    options: list[str] = Field(description="Options too generic to show once it is answered.")
    column: Id | None = Field(None, description="For a table answer: the column whose cells "
                              "name the option (the client's own sources).")


def _for_industry(data: dict[str, Any], industry: str) -> dict[str, Any]:
    """A dumped definition with the choice labels and report wording of ``industry``."""
    for cl in data["choice_lists"]:
        for ch in cl["choices"]:
            if industry in ch.get("industries", {}):
                ch["label"] = ch["industries"][industry]
            if industry in ch.get("industry_reports", {}):
                ch["report"] = ch["industry_reports"][industry]
    for section in data["sections"]:
        for q in section["questions"]:
            q.update({k: v for k, v in q.get("industries", {}).get(industry, {}).items()
                      if v is not None})
    return data


class Question(Constraints):
    """One question."""

    id: Id
    previous_ids: list[Id] = Field(default_factory=list)
    type: QuestionType
    label: LocalText
    hint: LocalText | None = None
    required_if: Annotated[str, Field(max_length=1000)] | None = None
    relevant: Annotated[str, Field(max_length=1000)] | None = None
    report_key: ReportKey | None = None
    report_label: LocalText | None = Field(
        None, description="Short caption of the answer in the survey report.")
    report_sentence: LocalText | None = Field(
        None, description="The answer as the consultant writes it in the survey report, with "
        "{value} for the answer (a sentence, not a 'caption: value' table row); "
        "{value|one|few|many} (ru) or {value|one|many} (en) counts a noun agreed with it.")
    report_yes: LocalText | None = Field(
        None, description="A yes/no answer 'yes' as a sentence of the survey report.")
    report_no: LocalText | None = Field(
        None, description="A yes/no answer 'no' as a sentence of the survey report.")
    report_detail: ReportDetail | None = Field(
        None, description="When one of its options is chosen and the named answer is given, "
        "the report shows that answer under this caption instead of the generic option.")
    report_details: list[ReportDetail] = Field(
        default_factory=list, max_length=5, description="Further answers that name other "
        "options (a table answer names them by its `column`), tried after "
        "`report_detail`.")
    countries: Countries = Field(
        default_factory=list, description="Only for clients in these countries (RU, GB, EU, !RU).")
    industries: dict[Id, ReportWording] = Field(
        default_factory=dict, description="The report's wording of the answer for clients of "
        "an industry (templates/industries.yaml ids): a bank's «дополнительные офисы», "
        "not «филиалы».")
    prefill: ReportKey | None = Field(None, description="Project fact written in advance.")
    wishes: dict[str, LocalText] = Field(
        default_factory=dict, description="Answers that ask the CRM for a capability: the "
        "answer (a choice id, or 'true' for a yes) and the capability it asks for. A "
        "requirement takes it by naming the answer in `requirements[].answers` "
        "(`<question>.<choice>`, or `<question>` for a yes); `validate` warns about a wish "
        "that no requirement takes. A text question's key 'answered' makes any written "
        "answer a wish, named `<question>`: the practice the client describes (complaints "
        "handled by e-mail with no record) asks for a decision on it.")
    columns: list[Column] = Field(default_factory=list, max_length=30)
    rows: list[TableRow] = Field(default_factory=list, max_length=200)
    max_rows: Annotated[int, Field(ge=1, le=500)] = 15

    @property
    def answerable(self) -> bool:
        """Whether the question takes an answer (notes do not)."""
        return self.type != "note"


class Section(Strict):
    """A group of questions; one sheet in the workbook."""

    id: Id
    title: LocalText
    intro: LocalText | None = None
    audiences: list[Audience] = Field(
        default_factory=list, description="Only for these departments; empty = everyone."
    )
    countries: Countries = Field(
        default_factory=list, description="Only for clients in these countries (RU, GB, EU, !RU).")
    questions: list[Question] = Field(min_length=1)


class Questionnaire(Strict):
    """A questionnaire definition (one ``questionnaires/*.yaml`` file)."""

    id: Id
    version: Annotated[int, Field(ge=1)]
    kind: Kind
    title: LocalText
    introduction: LocalText
    audiences: list[Audience] = Field(default_factory=list)
    anonymous: bool = Field(False, description="Respondents may stay anonymous.")
    choice_lists: list[ChoiceList] = Field(default_factory=list)
    sections: list[Section] = Field(min_length=1)

    _idx: dict[str, Question] | None = PrivateAttr(None)
    # localised() results by (country, currency, industry): a build asks per workbook
    # and per language, a portfolio worker per project
    _localised: dict[tuple[str | None, str | None, str | None], Questionnaire] = \
        PrivateAttr(default_factory=dict)
    # content_hash(), once: every workbook of the definition (each language, each
    # department) carries it, and dumping the definition is most of its cost
    _hash: str | None = PrivateAttr(None)

    # ----------------------------------------------------------------- lookups
    def questions(self, audience: str | None = None) -> list[Question]:
        """All questions in order (of the sections shown to ``audience`` kind)."""
        return [q for s in self.sections_for(audience) for q in s.questions]

    def sections_for(self, audience: str | None) -> list[Section]:
        """Sections shown to an audience kind (all when ``audience`` is None)."""
        return [s for s in self.sections
                if audience is None or not s.audiences or audience in s.audiences]

    def question(self, qid: str) -> Question:
        """The question with id (or previous id) ``qid``."""
        return self._index()[qid]

    def find(self, qid: str) -> Question | None:
        """The question with id (or previous id) ``qid``, or None."""
        return self._index().get(qid)

    def _index(self) -> dict[str, Question]:
        cached = self._idx
        if cached is None:
            cached = {}
            for q in self.questions():
                for old in q.previous_ids:
                    cached.setdefault(old, q)
            for q in self.questions():
                cached[q.id] = q
            self._idx = cached
        return cached

    def choice_list(self, list_id: str) -> ChoiceList:
        """The choice list with this id."""
        return next(c for c in self.choice_lists if c.id == list_id)

    def localised(self, country: str | None, currency: str | None = None,
                  industry: str | None = None) -> Questionnaire:
        """The definition as a client in ``country`` (and ``industry``) sees it.

        Sections, questions and choices limited to other countries are left out,
        ``{currency}`` in units and hints becomes the project's currency, and the labels
        and report wording given for the client's industry replace the general ones.
        Without a country, currency or industry the definition is returned unchanged.
        """
        if not country and not currency and not industry:
            return self
        key = (country, currency, industry)
        if key not in self._localised:
            self._localised[key] = self._localise(country, currency, industry)
        return self._localised[key]

    def _localise(self, country: str | None, currency: str | None,
                  industry: str | None) -> Questionnaire:
        data = self.model_dump(mode="python", exclude_none=True)
        if industry:
            data = _for_industry(data, industry)
        data["choice_lists"] = [
            {**cl, "choices": [ch for ch in cl["choices"]
                               if country_applies(ch.get("countries", []), country)]}
            for cl in data["choice_lists"]]
        sections = []
        for section in data["sections"]:
            if not country_applies(section.get("countries", []), country):
                continue
            questions = [q for q in section["questions"]
                         if country_applies(q.get("countries", []), country)]
            if questions:
                sections.append({**section, "questions": questions})
        data["sections"] = sections
        used = {item.get("choices") for section in sections for q in section["questions"]
                for item in [q, *q.get("columns", [])]}
        data["choice_lists"] = [cl for cl in data["choice_lists"]
                                if cl["id"] in used and cl["choices"]]
        if currency:
            data = cast(dict[str, Any], _fill_currency(data, currency))
        return Questionnaire.model_validate(data)

    def content_hash(self) -> str:
        """A short hash of the definition's content (changes when any text changes)."""
        if self._hash is None:
            blob = json.dumps(_without_unset_precision(self.model_dump(mode="json")),
                              sort_keys=True, ensure_ascii=False)
            self._hash = hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]
        return self._hash

    # -------------------------------------------------------------- cross-checks
    def reference_problems(self) -> list[RefProblem]:
        """Duplicate ids, unknown lists, bad constraints and conditions."""
        out = self._id_problems()
        lists = {c.id: {ch.id for ch in c.choices} for c in self.choice_lists}
        questions = {q.id: q for q in self.questions()}
        for si, section in enumerate(self.sections):
            for qi, q in enumerate(section.questions):
                path: KeyPath = ("sections", si, "questions", qi)
                out += _type_problems(path, q, lists)
                for ci, col in enumerate(q.columns):
                    out += _type_problems((*path, "columns", ci), col, lists)
                out += _condition_problems(path, q, questions, lists)
        return out

    def _id_problems(self) -> list[RefProblem]:
        out: list[RefProblem] = []
        out += _dupes(("choice_lists",), [c.id for c in self.choice_lists], "choice list")
        for li, cl in enumerate(self.choice_lists):
            out += _dupes(("choice_lists", li, "choices"), [c.id for c in cl.choices], "choice")
        out += _dupes(("sections",), [s.id for s in self.sections], "section")
        seen: dict[str, str] = {}
        for si, section in enumerate(self.sections):
            for qi, q in enumerate(section.questions):
                path: KeyPath = ("sections", si, "questions", qi)
                for key, qid in [("id", q.id)] + [("previous_ids", p) for p in q.previous_ids]:
                    if qid in seen:
                        out.append(((*path, key), f"question id '{qid}' is used twice "
                                    f"(also {seen[qid]})",
                                    "ids (and previous_ids) must be unique in a questionnaire"))
                    seen[qid] = f"in section '{section.id}'"
                out += _dupes((*path, "columns"), [c.id for c in q.columns], "column")
                out += _dupes((*path, "rows"), [r.id for r in q.rows], "row")
            for ai, aud in enumerate(section.audiences):
                if self.audiences and aud not in self.audiences:
                    out.append((("sections", si, "audiences", ai),
                                f"audience '{aud}' is not among the questionnaire's audiences",
                                "add it to `audiences` at the top"))
        return out


def _without_unset_precision(data: Any) -> Any:
    """The dump without ``precision: None`` (so the hashes of workbooks exported before
    date precision existed still match) and without the report's sentences for options
    (how the report words an answer is not what the client is asked)."""
    if isinstance(data, dict):
        return {k: _without_unset_precision(v) for k, v in data.items()
                if not (k == "precision" and v is None) and k != "report"}
    if isinstance(data, list):
        return [_without_unset_precision(v) for v in data]
    return data


def _dupes(path: KeyPath, ids: list[str], what: str) -> list[RefProblem]:
    seen: set[str] = set()
    out: list[RefProblem] = []
    for index, item in enumerate(ids):
        if item in seen:
            out.append(((*path, index, "id"), f"{what} id '{item}' is used twice", ""))
        seen.add(item)
    return out


def _type_problems(path: KeyPath, q: Question | Column, lists: dict[str, set[str]]
                   ) -> list[RefProblem]:
    out: list[RefProblem] = []
    kind = q.type
    if kind in SELECTS and q.choices is None:
        out.append(((*path, "type"), f"a {kind} question needs `choices: <list id>`", ""))
    if q.choices is not None:
        if kind not in SELECTS:
            out.append(((*path, "choices"), f"choices are only for select types, not {kind}",
                        ""))
        elif q.choices not in lists:
            out.append(((*path, "choices"), f"no choice list with id '{q.choices}'",
                        _close(q.choices, set(lists))))
    if (q.min is not None or q.max is not None) and kind not in NUMERIC:
        out.append(((*path, "min" if q.min is not None else "max"),
                    f"min/max apply to numbers and scales, not {kind}", ""))
    if q.min is not None and q.max is not None and q.min > q.max:
        out.append(((*path, "min"), f"min {q.min:g} is greater than max {q.max:g}", ""))
    if kind == "scale" and q.max is not None and q.max - (q.min or 1) > 10:
        out.append(((*path, "max"), "a scale has at most 11 points", ""))
    if (q.length is not None or q.pattern is not None) and kind not in TEXTUAL:
        out.append(((*path, "pattern" if q.pattern else "length"),
                    f"length and pattern apply to text answers, not {kind}", ""))
    if q.precision is not None and kind != "date":
        out.append(((*path, "precision"), f"precision applies to dates, not {kind}",
                    "year, month or day for a question of type date"))
    if q.pattern is not None:
        try:
            re.compile(q.pattern)
        except re.error as exc:
            out.append(((*path, "pattern"), f"invalid regular expression: {exc}", ""))
    if isinstance(q, Question):
        out += _question_shape(path, q)
    return out


def _question_shape(path: KeyPath, q: Question) -> list[RefProblem]:
    out: list[RefProblem] = []
    if q.type == "table" and not q.columns:
        out.append(((*path, "type"), "a table question needs `columns`", ""))
    if q.type != "table" and (q.columns or q.rows):
        out.append(((*path, "columns" if q.columns else "rows"),
                    f"columns and rows are only for tables, not {q.type}", ""))
    if q.type == "note" and (q.required or q.required_if):
        out.append(((*path, "required"), "a note takes no answer and cannot be required", ""))
    if q.required and q.required_if:
        out.append(((*path, "required_if"), "give either `required: true` or `required_if`",
                    ""))
    return out


def _condition_problems(path: KeyPath, q: Question, questions: dict[str, Question],
                        lists: dict[str, set[str]]) -> list[RefProblem]:
    out: list[RefProblem] = []
    for key in ("relevant", "required_if"):
        text = getattr(q, key)
        if text is None:
            continue
        try:
            node = compiled_condition(text)
        except ConditionError as exc:
            out.append(((*path, key), f"{exc} (at character {exc.position + 1})", ""))
            continue
        for message in _condition_refs(node, q.id, questions, lists):
            hint = ""
            if message.startswith("no question"):
                hint = _close(message.split("'")[1], set(questions))
            out.append(((*path, key), message, hint))
    return out


def _condition_refs(node: Node, own: str, questions: dict[str, Question],
                    lists: dict[str, set[str]]) -> list[str]:
    out: list[str] = []
    for item in walk(node):
        if isinstance(item, Ref):
            if item.id not in questions:
                out.append(f"no question with id '{item.id}'")
            elif item.id == own:
                out.append("a condition cannot refer to its own question")
            elif questions[item.id].type in ("note", "table") and not _inside_answered(
                    node, item.id):
                out.append(f"'{item.id}' is a {questions[item.id].type}; only answered() "
                           "can test it")
        codes = _literal_codes(item)
        if codes is not None:
            ref, values = codes
            target = questions.get(ref.id)
            if target is not None and target.choices in lists:
                out += [f"'{v}' is not a choice of '{ref.id}' (list '{target.choices}')"
                        for v in values if v not in lists[target.choices or ""]]
    return out


def _inside_answered(node: Node, qid: str) -> bool:
    return any(isinstance(n, Call) and n.name == "answered" and n.args[0] == Ref(qid)
               for n in walk(node))


def _literal_codes(item: Node) -> tuple[Ref, list[str]] | None:
    """A reference compared with text literals: (ref, codes) to check against choices."""
    if isinstance(item, Call) and item.name == "selected":
        ref, lit = item.args
        if isinstance(ref, Ref) and isinstance(lit, Lit):
            return ref, [str(lit.value)]
    if isinstance(item, Compare) and item.op in ("=", "!="):
        for a, b in ((item.left, item.right), (item.right, item.left)):
            if isinstance(a, Ref) and isinstance(b, Lit) and isinstance(b.value, str):
                return a, [b.value]
    if isinstance(item, In) and isinstance(item.operand, Ref):
        return item.operand, [str(o.value) for o in item.options if isinstance(o.value, str)]
    return None


def _fill_currency(data: object, currency: str) -> object:
    if isinstance(data, dict):
        return {k: _fill_currency(v, currency) for k, v in data.items()}
    if isinstance(data, list):
        return [_fill_currency(v, currency) for v in data]
    if isinstance(data, str) and CURRENCY_SLOT in data:
        return data.replace(CURRENCY_SLOT, currency)
    return data


@cache
def compiled_condition(text: str) -> Node:
    """Parse a condition once per process (definitions repeat the same texts)."""
    return parse_condition(text)


def _close(value: str, known: set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def load_questionnaire(path: Path | str) -> Questionnaire:
    """Load and validate one definition file.

    Raises:
        CrmimplError: every problem, each with ``file:line:col``.
    """
    from crmimpl.load import load_yaml
    from crmimpl.model.validate import validate_document

    doc = load_yaml(path, defer_problems=True)
    return validate_document(Questionnaire, doc)
