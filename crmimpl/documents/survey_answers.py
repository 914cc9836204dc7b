"""Questionnaire answers as the survey report shows them.

A consultant does not paste answers as "question: answer" runs. Short answers (numbers,
choices, yes/no, names) become rows of a facts table; long answers become paragraphs under a
short caption; table questions become tables with their own columns. Each question says
how it is captioned in the report (``report_label``). What the client still owes, the
required questions left unanswered, becomes the open questions of the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crmimpl import i18n
from crmimpl.model.conditions import evaluate
from crmimpl.model.questionnaire import (
    NUMERIC,
    Choice,
    Question,
    Questionnaire,
    compiled_condition,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from crmimpl.model.project import Project
    from crmimpl.questionnaire.answers import Answers

LONG = {"long_text"}
CHOSEN = {"select_one", "select_multiple", "yes_no"}  # the answer is one of our own labels
LIST_LINE = 200
DETAIL_AS_TEXT = 12  # words of a detail answer that make it a paragraph, not a table cell
_ENUMERATED = re.compile(r"^\s*(\d{1,2})[.)]\s+")


@dataclass(frozen=True)
class Asked:
    """A question as the client was asked it: in its (localised) questionnaire."""

    definition: Questionnaire
    question: Question


def library_for(project: Project) -> dict[str, Questionnaire]:
    """The questionnaire library as the project's client sees it (country, currency)."""
    from crmimpl.errors import CrmimplError
    from crmimpl.questionnaire.library import load_library

    try:
        library = load_library(project.folder if project.source is not None else None)
    except CrmimplError:
        return {}
    from crmimpl.industry import project_industry

    industry = project_industry(project)
    return {qid: d.localised(project.country, project.project.currency, industry)
            for qid, d in library.items()}


def catalog(library: dict[str, Questionnaire]) -> dict[str, Asked]:
    """Questions by report key, the survey questionnaire first."""
    out: dict[str, Asked] = {}
    for qid in sorted(library, key=lambda q: (q != "survey", q)):
        definition = library[qid]
        for q in definition.questions():
            if q.report_key and q.report_key not in out:
                out[q.report_key] = Asked(definition, q)
    return out


# ------------------------------------------------------------------ values


def caption(asked: Asked, lang: str) -> str:
    """The short caption of an answer (the question itself when it has none)."""
    q = asked.question
    return plain_e((q.report_label or q.label).get(lang).rstrip("?:."), lang)


def plain_e(text: str, lang: str) -> str:
    """Our own Russian wording (captions, options, sentences) with «е» for «ё», as the
    documents' text writes it throughout («учет», «отчет»); the client's words are kept."""
    return text.replace("ё", "е").replace("Ё", "Е") if lang == "ru" else text


def value_text(value: Any, asked: Asked | None, lang: str, column: str | None = None) -> str:
    """One stored answer value as the report writes it."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return i18n.yes_no(value, lang)
    precision = _date_precision(asked, column)
    if precision == "year" and isinstance(value, int):
        return str(value)  # 2009, not "2 009"
    if precision == "month" and isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value):
        return i18n.month_year(int(value[:4]), int(value[5:]), lang)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return i18n.number(value, lang)
    if isinstance(value, date):
        return i18n.day(value, lang)
    if isinstance(value, list | tuple):
        items = [t for t in (value_text(v, asked, lang, column) for v in value) if t]
        # an enumeration continues in lower case, names kept («Контрагенты; номенклатура»,
        # "Customer and contact records; invoices; payments", not "; Invoices; Payments")
        items = items[:1] + [_lower_first(t) if lang == "ru" else run_on(t, lang)
                             for t in items[1:]]
        return "; ".join(items)
    text = " ".join(str(value).split())
    labels = _choice_labels(asked, lang, column)
    return labels.get(text, text)


def _date_precision(asked: Asked | None, column: str | None) -> str | None:
    """``year`` or ``month`` for a date question (or table column) asked that way."""
    if asked is None:
        return None
    q: Any = asked.question
    if column is not None:
        q = next((c for c in q.columns if c.id == column), None)
    return q.precision if q is not None and q.type == "date" else None


_COMMON_WORD = re.compile(r"^[А-ЯЁ][а-яё]+(?=[\s,.()-]|$)")


def _lower_first(text: str) -> str:
    """"Дилерская сеть" -> "дилерская сеть"; names and abbreviations stay as they are."""
    return text[:1].lower() + text[1:] if _COMMON_WORD.match(text) else text


_COMMON_WORD_EN = re.compile(r"^(?:[A-Z][a-z]+|An?|E-mail)(?=[\s,.()-]|$)")
# the products our English options and the clients' answers name: they keep their capital
_PROPER_EN = frozenset({
    "Excel", "Power", "Tableau", "Qlik", "Looker", "Metabase", "Superset", "DataLens",
    "Google", "Yandex", "Microsoft", "Outlook", "Telegram", "WhatsApp", "Viber", "Facebook",
    "Instagram", "Avito", "Bitrix", "Asterisk", "Mango", "Xero", "Sage", "Salesforce"})


def run_on_list(items: list[str], lang: str) -> str:
    """Options running on in a sentence: «A, B и C»; when an option has its own «и»
    («сайт и заявки с него»), semicolons keep the options apart («A; B; C»)."""
    conjunction = " и " if lang == "ru" else " and "
    if len(items) > 1 and any(conjunction in item for item in items):
        return "; ".join(items)
    return i18n.join(items, lang, last=True)


def run_on(text: str, lang: str) -> str:
    """An option continuing a sentence, in lower case unless it is a name: «дилерская
    сеть», "search advertising", but "Excel", "Power BI", «BI-система»."""
    if lang == "ru":
        return _lower_first(text)
    found = _COMMON_WORD_EN.match(text)
    if found is None or found.group(0) in _PROPER_EN:
        return text
    return text[:1].lower() + text[1:]


def _choice(asked: Asked, value: Any) -> Choice | None:
    """The option of a select question that ``value`` names."""
    q = asked.question
    found = next((cl for cl in asked.definition.choice_lists if cl.id == q.choices), None)
    return next((ch for ch in found.choices if ch.id == str(value)), None) if found else None


def _choice_labels(asked: Asked | None, lang: str, column: str | None) -> dict[str, str]:
    if asked is None:
        return {}
    q = asked.question
    list_id = q.choices
    if column is not None:
        list_id = next((c.choices for c in q.columns if c.id == column), None)
    if not list_id:
        return {}
    found = next((cl for cl in asked.definition.choice_lists if cl.id == list_id), None)
    return {ch.id: plain_e(ch.label.get(lang), lang) for ch in found.choices} if found else {}


def text_lines(value: Any) -> tuple[list[str], bool]:
    """A long answer as lines, and whether they are an enumerated list ("1. ...")."""
    lines = [" ".join(line.split()) for line in str(value).splitlines()]
    lines = [line for line in lines if line]
    enumerated = len(lines) > 1 and all(_ENUMERATED.match(line) for line in lines)
    if enumerated:
        lines = [_ENUMERATED.sub("", line) for line in lines]
    return lines, enumerated


def whole_money(value: Any, lang: str, currency: str) -> str:
    """An amount the client named, in the report's money format without false cents."""
    text = i18n.money(Decimal(str(value)).quantize(Decimal(1)), lang, currency)
    return re.sub(r"[.,]00(?=\D|$)", "", text)


def widths(header: list[str], rows: list[list[str]]) -> str:
    """Column widths in percent: each column fits its longest word (a body line holds about
    90 characters), the rest of the width goes to the columns with the longer texts."""
    words = [max((len(w) for text in [h, *(r[i] for r in rows)] for w in text.split()),
                 default=4) for i, h in enumerate(header)]
    minimum = [min(30, round(n * 1.15) + 3) for n in words]
    spare = max(0, 100 - sum(minimum))
    average = [sum(len(r[i]) for r in rows) / max(len(rows), 1) for i in range(len(header))]
    total = sum(average) or 1
    out = [m + round(spare * a / total) for m, a in zip(minimum, average, strict=True)]
    out[out.index(max(out))] += 100 - sum(out)
    return ",".join(str(w) for w in out)


def table_block(asked: Asked, value: Any, lang: str) -> dict[str, Any] | None:
    """A table answer as a table: its columns (those with data), formatted cells."""
    rows = [r for r in (value or []) if isinstance(r, dict)]
    if not rows:
        return None
    q = asked.question
    columns = [c for c in q.columns if any(r.get(c.id) not in (None, "") for r in rows)]
    header = [c.label.get(lang) for c in columns]
    # a cell in the client's first person («узнаём звонком») is quoted, not the report's voice
    body = [[_quoted_if_first_person(value_text(r.get(c.id), asked, lang, c.id), lang)
             for c in columns] for r in rows]
    align = ["--:" if c.type in NUMERIC else "---" for c in columns]
    if q.rows:  # a table with fixed rows: the row's own label comes first
        names = {r.id: r.label.get(lang) for r in q.rows}
        header.insert(0, i18n.word("survey_report", "table_row", lang))
        align.insert(0, "---")
        for row, cells in zip(rows, body, strict=True):
            cells.insert(0, names.get(str(row.get("row")), str(row.get("row", ""))))
    return {"label": caption(asked, lang), "header": header, "align": align, "rows": body,
            "widths": widths(header, body), "notes": []}


# ------------------------------------------------------------------ topics


def topic(answers: Answers | None, cat: dict[str, Asked], keys: tuple[str, ...], lang: str,
          *, skip: set[str] | None = None, audience: str | None = None,
          skip_keys: frozenset[str] = frozenset(),
          note: Callable[[Asked, Any], str] | None = None) -> dict[str, Any]:
    """Answers filed under ``keys``: facts (short), texts (long) and tables.

    Args:
        answers: Imported answers (None: nothing surveyed yet).
        cat: Questions by report key (see :func:`catalog`).
        keys: Report keys of the topic, in the order shown.
        lang: Report language.
        skip: Normalised texts the report already shows from the project (not repeated).
        audience: Only the answers of this department (questionnaires per department).
        skip_keys: Report keys whose answers the report shows from the project instead
            (an untranslated answer where the project's translation has the same data).
        note: What follows a short answer (the project leaves it out of this version).
    """
    facts: list[dict[str, Any]] = []
    sentences: list[str] = []
    texts: list[dict[str, Any]] = []
    tables: list[dict[str, Any]] = []
    skip = skip or set()
    shown: set[tuple[str, str | None, str | None]] = set()  # details shown in place
    for key in keys:
        asked = cat.get(key)
        items = answers.report_all(key) if answers is not None and key not in skip_keys \
            else []
        for item in items:
            if asked is None or item.value in (None, "", [], {}):
                continue
            if audience is not None and item.audience != audience:
                continue
            if (key, item.audience, item.respondent) in shown:
                continue
            detail = _detail(answers, asked, item)
            if detail:
                for found in ([asked.question.report_detail] if asked.question.report_detail
                              else []) + list(asked.question.report_details):
                    shown.add((found.key, item.audience, item.respondent))
                value = quote(detail, lang) if first_person(detail, lang) else detail
                if len(value.split()) >= DETAIL_AS_TEXT:
                    # the client's own account, a sentence or more: a captioned paragraph
                    # as a long answer is, not "Caption: Client data must be hosted…."
                    texts.append({"label": caption(asked, lang), "lines": [closed(value)],
                                  "enumerated": False, "listed": False})
                else:
                    facts.append({"label": caption(asked, lang), "value": value})
                continue
            label = caption(asked, lang)
            notes = comment_lines(item.comments, lang)
            if asked.question.type == "table":
                block = table_block(asked, item.value, lang)
                if block is not None:
                    tables.append({**block, "notes": notes})
            elif asked.question.type in LONG:
                if normalise(item.value) in skip:
                    continue
                lines, enumerated = text_lines(item.value)
                lines = [without_yes(lines[0], asked, lang), *lines[1:]] if lines else lines
                if any(first_person(line, lang) for line in lines):
                    # the client speaking ("we", «работаем»): a quotation said to be one,
                    # never the consultant's own text
                    lines = [quote(line, lang) for line in lines]
                    label = f"{label} ({i18n.word('survey_report', 'in_client_words', lang)})"
                if item.respondent and lines:  # one voice of several: say whose
                    lines = [f"{item.respondent}: {lines[0]}", *lines[1:]]
                # short lines read as a list (sites, names); long ones as paragraphs
                listed = enumerated or all(len(line) <= LIST_LINE for line in lines)
                if len(lines) == 1 or not listed:  # run on after the caption: sentences
                    lines = [closed(line) for line in lines]
                texts.append({"label": label, "lines": lines + notes, "enumerated": enumerated,
                              "listed": listed and not notes})
            elif _followed_up(answers, asked, item) and _sentence(asked, item.value, lang):
                continue  # the detail the yes led to says more than the yes
            elif (sentence := _sentence(asked, _named(answers, asked, item), lang)) \
                    and not item.respondent:
                if item.comments:  # the respondent's explanation of the answer
                    sentence += " " + " ".join(" ".join(c.split()) for c in item.comments)
                sentences.append(sentence)
            else:
                text = _fact_text(asked, _named(answers, asked, item), lang)
                if text and normalise(text) not in skip:
                    if asked.question.type not in CHOSEN and first_person(text, lang):
                        text = quote(text, lang)
                    if item.respondent:  # one voice of several: say whose
                        text = f"{item.respondent}: {text}"
                    if item.comments:  # the respondent's explanation of the answer
                        text += " (" + "; ".join(" ".join(c.split())
                                                 for c in item.comments) + ")"
                    if note is not None:
                        text += note(asked, item.value)
                    facts.append({"label": label, "value": text,
                                  "chosen": asked.question.type in CHOSEN})
    facts = _without_repeated_choices(facts)
    return {"facts": facts, "sentences": sentences, "texts": texts, "tables": tables,
            "fact_lines": fact_lines(facts, lang),
            "surveyed": bool(facts or sentences or texts or tables)}


_TERMINAL = (".", "!", "?", "…")
_CLOSERS = "»“”\"')"


def closed(text: str) -> str:
    """A paragraph that runs on after a caption ends as a sentence does: the sources
    listed for «Текущий учет клиентов и сделок» ("…; личные таблицы Excel") get their
    full stop; a quotation or a sentence already closed is left as it is."""
    text = text.rstrip()
    core = text.rstrip(_CLOSERS)
    if not text or core.endswith(_TERMINAL) or text.endswith(("»", "”", '"')):
        return text
    return text + "."


# «Есть ли …?», "Is demand seasonal?": a question a yes answers
_YES_NO_QUESTION = re.compile(r"(?:\sли\s|^(?:Is|Are|Do|Does|Has|Have|Can|Will)\s)")
_YES = {"ru": re.compile(r"^Да,\s+(?=\w)"), "en": re.compile(r"^Yes,\s+(?=\w)")}


def without_yes(text: str, asked: Asked, lang: str) -> str:
    """A written answer to a yes-or-no question («Есть ли сезонность спроса?») that opens
    with «Да, …»: under its caption («Сезонность спроса.») the yes says nothing, so the
    paragraph starts with what follows it («Ярко выраженная. Пик — …»). A «Нет, …» is
    kept: it carries the answer."""
    found = _YES.get(lang, _YES["en"]).match(text)
    rest = text[found.end():] if found else ""
    if not found or len(rest.split()) < 2 or not _YES_NO_QUESTION.search(
            asked.question.label.get(lang)):
        return text
    return rest[:1].upper() + rest[1:]


def _without_repeated_choices(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A chosen option that another answer of the topic names again, in full, is left
    out: «Учетная система — 1С:Управление торговлей» beside «Конфигурация и
    сопровождение — 1С:Управление торговлей, редакция 11.5, …» (northwind's "Accounting
    system: Xero" above "Xero (cloud, Established plan) …") said the system twice."""
    def said(f: dict[str, Any]) -> str:
        return " ".join(str(f["value"]).split()).lower()

    return [f for f in facts if not (
        f.get("chosen") and len(said(f)) >= 3 and any(
            g is not f and len(said(g)) > len(said(f)) and said(g).startswith(said(f))
            for g in facts))]


# a "Параметр — По данным обследования" table of this many rows or fewer reads as prose
FACTS_AS_PROSE = 2


def fact_lines(facts: list[dict[str, Any]], lang: str) -> list[str]:
    """A short list of facts as sentences («Активных клиентов — 424 000.») instead of a
    one- or two-row table (reviewers: "one-row key: value tables"); empty for a longer
    list, which stays a table. The options a client chose are vocabulary words and go
    in lower case after the dash; anything typed (a name, a product) is kept as written."""
    if not facts or len(facts) > FACTS_AS_PROSE or any(
            str(f["value"]).strip().lower() in ("да", "нет", "yes", "no") for f in facts):
        return []  # a bare yes or no reads as a table cell, never as «— Да.»
    out = []
    for f in facts:
        value = str(f["value"]).strip()
        if f.get("chosen") and len(value) > 1 and "А" <= value[0] <= "Я" \
                and value[1].islower():
            value = value[0].lower() + value[1:]
        end = "" if value.endswith((".", "!", "?")) else "."
        out.append(f"{f['label']} — {value}{end}" if lang == "ru"
                   else f"{f['label']}: {value}{end}")
    return out


def _detail(answers: Answers | None, asked: Asked, item: Any) -> str:
    """The answer naming a generic option the item chose (empty when there is none).

    A table answer names the option by the cells of one column (the client's sources
    listed in the data table stand for «spreadsheets»)."""
    q = asked.question
    if answers is None:
        return ""
    for found in ([q.report_detail] if q.report_detail else []) + list(q.report_details):
        if str(item.value) not in found.options:
            continue
        for other in answers.report_all(found.key):
            if (other.audience, other.respondent) != (item.audience, item.respondent) \
                    or other.value in (None, "", []):
                continue
            if isinstance(other.value, list):
                names = [" ".join(str(row.get(found.column) or "").split())
                         for row in other.value if isinstance(row, dict) and found.column]
                if names := [n for n in names if n]:
                    return "; ".join(names)
                continue
            return " ".join(str(other.value).split())
    return ""


def _named(answers: Answers | None, asked: Asked, item: Any) -> Any:
    """The answer with each generic option replaced by the products the same respondent
    names elsewhere (``Choice.names``): «BI system» gives way to «Power BI» when the
    client's answers say Power BI."""
    q = asked.question
    if answers is None or q.type not in CHOSEN or not q.choices:
        return item.value
    found = next((cl for cl in asked.definition.choice_lists if cl.id == q.choices), None)
    if found is None or not any(ch.names for ch in found.choices):
        return item.value
    said = " ".join(
        str(other.value) for key in answers.report_keys for other in answers.report_all(key)
        if (other.audience, other.respondent) == (item.audience, item.respondent)
        and isinstance(other.value, str) and key != asked.question.report_key)
    by_id = {ch.id: ch for ch in found.choices}
    chosen = item.value if isinstance(item.value, list) else [item.value]
    out: list[Any] = []
    for value in chosen:
        choice = by_id.get(str(value))
        named = [n for n in (choice.names if choice else [])
                 if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", said, re.IGNORECASE)]
        for name in named or [value]:
            if name not in out:
                out.append(name)
    return out if isinstance(item.value, list) else out[0]


def _followed_up(answers: Answers | None, asked: Asked, item: Any) -> bool:
    """Whether a yes has its detail answered: a question asked only after this one's yes
    (``relevant: "${id} = true"``: the SLA matrix after «SLA are agreed», the approval
    thresholds after «discounts are approved») holds the same respondent's answer. The
    detail says more than the yes, so the yes sentence is not set beside it."""
    if answers is None or item.value not in (True, "yes"):
        return False
    qid = asked.question.id
    follow = [q for q in asked.definition.questions()
              if q.relevant and re.search(r"\$\{" + re.escape(qid) + r"\}\s*=\s*(true|'?yes'?)",
                                          q.relevant)]
    return any(other.value not in (None, "", [], {})
               and (other.audience, other.respondent) == (item.audience, item.respondent)
               for q in follow if q.report_key
               for other in answers.report_all(q.report_key))


def _sentence(asked: Asked, value: Any, lang: str) -> str:
    """The answer as a consultant's sentence when its question has one (yes/no, a score)."""
    q = asked.question
    if isinstance(value, bool) or (q.type == "select_one" and value in ("yes", "no")
                                   and (q.report_yes or q.report_no)):
        # a yes/no question, or a yes/no/unknown one answered yes or no
        found = q.report_yes if value in (True, "yes") else q.report_no
        return plain_e(found.get(lang), lang) if found else ""
    if q.type == "select_one" and (chosen := _choice(asked, value)) is not None \
            and chosen.report is not None:
        return plain_e(chosen.report.get(lang), lang)
    if q.report_sentence is None or isinstance(value, dict) or (
            isinstance(value, list) and q.type != "select_multiple"):
        return ""
    if isinstance(value, list):
        # the chosen options run on in the sentence: «объем функциональности и срок запуска»
        items = value_text(value, asked, lang).split("; ")
        shown = run_on_list([run_on(t, lang) for t in items if t], lang)
    elif q.type in ("money", "percent"):  # with its currency or per cent sign
        shown = _fact_text(asked, value, lang)
    else:
        shown = value_text(value, asked, lang)
    text = plain_e(q.report_sentence.get(lang), lang)

    def counted(found: re.Match[str]) -> str:
        # {value|обращение|обращения|обращений} / {value|enquiry|enquiries}: the number
        # with its noun agreed (a sentence that counts says «421 обращение»)
        forms = found.group(1).split("|")
        if not isinstance(value, int | float) or isinstance(value, bool):
            return f"{shown} {forms[-1]}"
        n = int(value)
        word = (i18n.plural_ru(n, *forms[:3]) if len(forms) >= 3
                else forms[0] if n == 1 else forms[-1])
        return f"{shown}{i18n.NBSP}{word}"

    text = re.sub(r"\{value\|([^{}]+)\}", counted, text)
    return text.replace("{value}", shown)


# The client's first person in an answer: pronouns, and (ru) verbs of the first person plural
# («работаем», «узнаём», «просим»). Lower-case verbs only, so that names (Артём) do not count.
_FIRST_RU = re.compile(
    r"(?<![\w-])(?:(?i:мы|нас|нам|нами|наш[а-яё]*)"
    r"|[а-яё]{2,}(?:аем|яем|уем|юем|еем|ём)"
    r"|(?:про|по|за|пере|вы)?(?:сим|смотрим|звоним|храним|говорим|видим|платим|ходим|водим"
    r"|готовим|ставим|просим|делим|дим))(?![\w-])")
_NOT_FIRST_RU = frozenset({"объём", "подъём", "приём", "наём", "заём", "водоём", "остаём"})
_FIRST_EN = re.compile(r"\b(?:we|us|our|ours|ourselves|we're|we've|we'd|we'll)\b",
                       re.IGNORECASE)


def first_person(text: str, lang: str) -> bool:
    """Whether an answer speaks in the client's first person (to be quoted, not pasted)."""
    if re.search(r"[а-яё]", text, re.IGNORECASE):
        return any(m.lower() not in _NOT_FIRST_RU for m in _FIRST_RU.findall(text))
    return bool(_FIRST_EN.search(text))


_PRONOUN_RU = re.compile(r"(?<![\w-])(?i:мы|нас|нам|нами|наш[а-яё]*)(?![\w-])")
_WORD_RU = re.compile(r"(?<![\w-])([А-ЯЁа-яё]+)(?![\w-])")
_VOWELS_RU = "аеёиоуыэюя"


def _third_plural(verb: str) -> str:
    """A verb of the first person plural in the third (``узнаём`` → ``узнают``,
    ``разбираем`` → ``разбирают``, ``смотрим`` → ``смотрят``, ``ведём`` → ``ведут``)."""
    stem, ending = verb[:-2], verb[-2:]
    if ending == "им":
        return stem + ("ат" if stem[-1:] in "жшчщ" else "ят")
    return stem + ("ют" if stem[-1:] in _VOWELS_RU or ending == "ем" else "ут")


def third_person(text: str, lang: str) -> str | None:
    """An answer in the client's first person retold in the third, as the consultant
    writes the as-is («Заявки с сайта разбираем раз в полдня» → «… разбирают …»):
    Russian verbs of the first person plural become the third person plural. None when
    that is not enough (a pronoun «мы», «наш» stays; English «we»): the caller quotes."""
    if not first_person(text, lang):
        return text
    if lang != "ru" or _PRONOUN_RU.search(text) or not re.search("[а-яё]", text, re.I):
        return None

    def swap(m: re.Match[str]) -> str:
        word = m.group(1)
        # a capital only at a sentence start: names (Артём) are left alone
        start = m.start() == 0 or text[:m.start()].rstrip()[-1:] in ".!?:;"
        low = word.lower() if start else word
        if low != word.lower() or low in _NOT_FIRST_RU or not _FIRST_RU.fullmatch(low):
            return word
        out = _third_plural(low)
        return out[:1].upper() + out[1:] if word[:1].isupper() else out

    return _WORD_RU.sub(swap, text)


def _quoted_if_first_person(text: str, lang: str) -> str:
    return quote(text, lang) if text and first_person(text, lang) else text


def quote(text: str, lang: str) -> str:
    """A quotation in the report's typography: «…» with „…“ inside (ru), “…” (en)."""
    text = text.strip()
    if lang == "ru" or re.search(r"[а-яё]", text, re.IGNORECASE):
        inner = text.replace("«", "„").replace("»", "“")
        return f"«{inner}»"
    return "\u201c" + text.replace("\u201c", "\u2018").replace("\u201d", "\u2019") + "\u201d"


def comment_lines(comments: list[str], lang: str) -> list[str]:
    """The respondents' comments on an answer (the comment column of the workbook), one
    paragraph each, led by what they are."""
    lead = i18n.word("survey_report", "respondent_note", lang)
    return [f"{lead}: {line}" for text in comments for line in text.splitlines()
            if line.strip()]


def _fact_text(asked: Asked, value: Any, lang: str) -> str:
    q = asked.question
    unit = q.unit.get(lang) if q.unit else ""
    if q.type == "money" and isinstance(value, int | float | Decimal) and unit:
        return whole_money(value, lang, unit)
    text = value_text(value, asked, lang)
    if isinstance(value, bool):
        return text[:1].upper() + text[1:]  # a table cell starts with a capital
    if unit == "%" and lang == "en":
        return f"{text}%"
    if unit and q.type in NUMERIC - {"scale", "money"}:
        return f"{text}\u00a0{unit}"
    return text


def voices(answers: Answers | None, cat: dict[str, Asked], keys: tuple[str, ...], lang: str,
           audience: str) -> dict[str, Any]:
    """Many respondents' answers of one department (the employee survey), summarised.

    Choices are counted, yes/no tallied, scores averaged; every written answer is kept,
    without the respondent's name (the survey may be anonymous).
    """
    facts: list[dict[str, str]] = []
    texts: list[dict[str, Any]] = []
    people: set[str] = set()
    for key in keys:
        asked = cat.get(key)
        items = [i for i in (answers.report_all(key) if answers is not None else [])
                 if i.audience == audience and i.value not in (None, "", [], {})]
        if asked is None or not items:
            continue
        people.update(i.respondent or str(n) for n, i in enumerate(items))
        q = asked.question
        if q.type in LONG | {"text"}:
            lines = [line for i in items for line in text_lines(i.value)[0]]
            texts.append({"label": caption(asked, lang), "lines": lines, "enumerated": False,
                          "listed": True})
        else:
            facts.append({"label": caption(asked, lang),
                          "value": _tally(asked, [i.value for i in items], lang)})
    return {"facts": facts, "sentences": [], "texts": texts, "tables": [],
            "surveyed": bool(facts or texts),
            "respondents": i18n.number(len(people), lang) if people else ""}


def _tally(asked: Asked, values: list[Any], lang: str) -> str:
    if asked.question.type in NUMERIC:
        numbers = [Decimal(str(v)) for v in values if isinstance(v, int | float | Decimal)]
        average = sum(numbers, Decimal(0)) / len(numbers) if numbers else Decimal(0)
        return i18n.number(average, lang, decimals=1)
    counts: dict[str, int] = {}
    for value in values:
        for v in value if isinstance(value, list) else [value]:
            text = value_text(v, asked, lang)
            counts[text] = counts.get(text, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    parts = [f"{text} ({i18n.number(n, lang)})" for text, n in ranked]
    if lang == "ru":
        parts = parts[:1] + [_lower_first(p) for p in parts[1:]]
    return "; ".join(parts)


def normalise(value: Any) -> str:
    """Text compared without case, spacing and punctuation at the ends."""
    return " ".join(str(value).split()).strip(" .;").lower()


# ------------------------------------------------------------------ open questions


@dataclass(frozen=True)
class OpenQuestion:
    """A required question still without an answer."""

    questionnaire: str
    question: Question
    department: str | None  # department id of a questionnaire per department


def open_questions(answers: Answers | None, library: dict[str, Questionnaire],
                   project: Project) -> list[OpenQuestion]:
    """Required questions (given the other answers) that no respondent has answered.

    Only questionnaires that were returned count: one nobody has filled in yet is a
    whole interview to hold, listed by the report per department instead.
    """
    if answers is None:
        return []
    out: list[OpenQuestion] = []
    for qid, qa in sorted(answers.questionnaires.items()):
        definition = library.get(qid)
        if definition is None or qa.kind in ("employee", "audit"):
            continue
        for audience, data in sorted(qa.by_audience().items()):
            kind = _audience_kind(project, audience)
            for q in _unanswered_required(definition, data, kind):
                out.append(OpenQuestion(qid, q, audience or None))
            out += [OpenQuestion(qid, q, audience or None) for q in definition.questions(kind)
                    if to_be_clarified(data.get(q.id))]
    return out


_LATER = re.compile(r"^\W*(уточн|будет уточн|сообщим позже|to be (confirmed|clarified|agreed)"
                    r"|tbc\b|tbd\b|will confirm)", re.IGNORECASE)


def to_be_clarified(value: Any) -> bool:
    """An answer that only says it will be given later ("уточним", "TBC")."""
    return isinstance(value, str) and bool(_LATER.match(value.strip()))


def _audience_kind(project: Project, audience: str) -> str | None:
    dept = next((d for d in project.client.departments if d.id == audience), None)
    return dept.kind if dept else (audience or None)


def _unanswered_required(definition: Questionnaire, data: dict[str, Any],
                         kind: str | None) -> list[Question]:
    out = []
    for q in definition.questions(kind):
        if not q.answerable or data.get(q.id) not in (None, "", [], {}):
            continue
        if q.relevant and not evaluate(compiled_condition(q.relevant), data):
            continue
        required = q.required or (q.required_if is not None and evaluate(
            compiled_condition(q.required_if), data))
        if required:
            out.append(q)
    return out
