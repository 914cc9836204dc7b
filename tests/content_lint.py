"""Content lint of client documents: what a senior consultant would strike out.

Each checker takes the document's text units (paragraphs, list items, table cells) and
returns the offending snippets; an empty list means clean. ``tests/test_content_lint.py``
runs them over every example × document × language.
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Iterable, Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

# ------------------------------------------------------------------ reading documents


def docx_units(path: Path) -> list[str]:
    """Paragraphs and table cells of a DOCX body, headers and footers, in order."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(path))
    units: list[str] = []
    parts = [document.element.body]
    for section in document.sections:
        parts += [section.header._element, section.footer._element]
    for part in parts:
        for p in part.iter(qn("w:p")):
            text = "".join(t.text or "" for t in p.iter(qn("w:t")))
            if text.strip():
                units.append(text)
    return units


_BLOCK_TAGS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "div", "caption",
               "title", "dt", "dd", "figcaption", "br", "tr"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.units: list[str] = []
        self._buffer: list[str] = []
        self._skip = 0

    def _flush(self) -> None:
        text = "".join(self._buffer)
        if text.strip():
            self.units.append(" ".join(text.split()))
        self._buffer = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._buffer.append(data)


def html_units(path: Path) -> list[str]:
    """Text of an HTML document split at block elements (no styles, no scripts)."""
    parser = _TextParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    parser._flush()
    return parser.units


def read_units(path: Path) -> list[str]:
    """Text units of a DOCX or HTML file."""
    return docx_units(path) if path.suffix == ".docx" else html_units(path)


# ------------------------------------------------------------------ placeholders

PLACEHOLDER = re.compile(r"\bTODO\b|\bTBD\b|\{\{|\}\}|\{%|%\}|\bXXX\b|Lorem|\bNone\b|\bnan\b"
                         r"|\bNaN\b|\bundefined\b"
                         # an empty list or name left in the text: «(), (0 групп), «»»
                         r"|\(\s*\)|«\s*»|\(0 (?:групп|groups?)\)")


NESTED_QUOTES = re.compile(r"«[^«»]*«[^«»]*»»")


def nested_quotes(units: Iterable[str]) -> list[str]:
    """Russian quotes inside quotes written «… «…»»: the inner pair is „…“."""
    return [_around(u, m) for u in units for m in NESTED_QUOTES.finditer(u)]


def placeholders(units: Iterable[str]) -> list[str]:
    """Template leftovers and empty values: ``TODO``, ``{{``, ``None``, ``nan``..."""
    return [_around(u, m) for u in units for m in PLACEHOLDER.finditer(u)]


# ------------------------------------------------------------------ raw identifiers

SNAKE = re.compile(r"(?<![\w./@:#-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@]|\.\w|/)")
LATIN_WORD = re.compile(r"(?<![\w./@:#-])[a-z][a-z0-9_]{2,}(?![\w@]|\.\w|/)")


def model_enum_values() -> set[str]:
    """Every string of a ``Literal`` type in the project model (modes, statuses...)."""
    from pydantic import BaseModel

    from crmimpl.model import project as model

    found: set[str] = set()
    seen: set[type] = set()

    def walk(tp: object) -> None:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp in seen:
                return
            seen.add(tp)
            for field in tp.model_fields.values():
                walk(field.annotation)
            return
        if typing.get_origin(tp) is typing.Literal:
            found.update(a for a in typing.get_args(tp) if isinstance(a, str))
            return
        for arg in typing.get_args(tp):
            walk(arg)

    walk(model.Project)
    # enum values that are ordinary words of the trade, written as they are in Russian
    # text too ("заявки с формы приходят веб-хуком (webhook)")
    return found - {"webhook", "connector"}


def raw_identifiers(units: Iterable[str], lang: str, ids: set[str]) -> list[str]:
    """snake_case identifiers anywhere; in a Russian document also any Latin lowercase
    word that is an id of the project or an enum value of the model (``typical``,
    ``onsite``, ``sales``): a client never reads those. Run it on :func:`without_given`
    units, so that an English project's own names in its Russian documents pass."""
    out = []
    for u in units:
        out += [_around(u, m) for m in SNAKE.finditer(u)]
        if lang == "ru":
            out += [_around(u, m) for m in LATIN_WORD.finditer(u)
                    if m.group() in ids and "_" not in m.group()]
    return out


def given_strings(folder: Path) -> list[str]:
    """Phrases the consultant or the client wrote (project.yaml, answers, audits): the
    documents quote them, so the lint judges only the text the tool writes around them."""
    from crmimpl.load import load_yaml

    files = [folder / "project.yaml", *sorted((folder / "answers").glob("*.yaml")),
             *sorted((folder / "audits").glob("*.yaml"))]
    found: set[str] = set()
    for f in files:
        if f.exists():
            # a note of several lines (an auditor's actions) is printed one line a bullet
            found |= {" ".join(part.split()) for s in _strings(load_yaml(f).data)
                      for part in (s, *s.splitlines())}
    # a name with its parenthesis is also printed short ("Northwind website" for
    # "Northwind website (WordPress, Gravity Forms)")
    found |= {s.split(" (", 1)[0] for s in found if " (" in s and not s.startswith("(")}
    # an auditor's action without the owner and date closing it («… [Claire Benson,
    # 2026-09-11]»): the report prints them in its own words
    found |= {re.sub(r"\s*\[[^\[\]]+\]\s*[.;]?$", "", s) for s in found
              if s.rstrip(".;").endswith("]")}
    # ... and a sentence in a table cell without its full stop
    found |= {s.rstrip(".") for s in found if s.endswith(".")}
    return sorted((s for s in found if " " in s and len(s) >= 8), key=len, reverse=True)


def _strings(data: object) -> list[str]:
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return [data] if isinstance(data, str) else []


def without_given(units: Iterable[str], given: list[str]) -> list[str]:
    """``units`` with every given phrase (:func:`given_strings`) blanked out.

    One alternation of every phrase (and every shortened form) over every unit took
    minutes per document (optima's answers make thousands of branches): each unit is
    matched only against the phrases it contains, in the same order (longest first)."""
    out = []
    for unit in units:
        text = " ".join(unit.split())
        alts = [re.escape(g) for g in given if g in text]
        if "…" in text:
            # a given phrase may be cut short with "…" (a running header that must fit
            # one line): its first two words at least are there
            for g in given:
                words = g.split()
                if len(words) > 2 and " ".join(words[:2]) in text:
                    alts += [rf"{re.escape(' '.join(words[:n]))}\S*…"
                             for n in range(len(words) - 1, 1, -1)]
        out.append(_alternation(tuple(alts)).sub(" \u2026 ", text) if alts else text)
    return out


@functools.lru_cache(maxsize=4096)
def _alternation(alts: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(alts))


def project_ids(data: object) -> set[str]:
    """Values of every ``id:`` key in a project's YAML data."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "id" and isinstance(value, str):
                found.add(value)
            found |= project_ids(value)
    elif isinstance(data, list):
        for item in data:
            found |= project_ids(item)
    return found


# ------------------------------------------------------------------ Cyrillic in English

CYRILLIC = re.compile(r"[А-Яа-яЁё][А-Яа-яЁё\w\s«»\"'.,:;()–—-]*")


def russian_only_strings(data: object) -> list[str]:
    """Strings of the project that contain Cyrillic (names the project gives only in
    Russian), longest first."""
    found: list[str] = []
    if isinstance(data, dict):
        for value in data.values():
            found += russian_only_strings(value)
    elif isinstance(data, list):
        for item in data:
            found += russian_only_strings(item)
    elif isinstance(data, str) and CYRILLIC.search(data):
        found.append(data)
    return sorted(set(found), key=len, reverse=True)


def cyrillic(units: Iterable[str], allowed: list[str]) -> list[str]:
    """Cyrillic text left after removing the project's own Russian-only strings."""
    out = []
    for u in units:
        text = u
        for name in allowed:
            text = text.replace(name, " ")
        out += [_around(text, m) for m in CYRILLIC.finditer(text)]
    return out


# ------------------------------------------------------------------ tool voice

# Advice the tool gives the consultant (plan, training and economics warnings); none of it
# belongs in a client document.
TOOL_PHRASES = (
    "Увеличьте длительность", "добавьте тренеров", "Сократите объём", "увеличьте бюджет",
    "cut scope or", "or add people", "or renegotiate", "fewer than the minimum group",
    "hours per CRM user is", "over the budget limit", "after the deadline",
    "no other department trained", "review notes", "crmimpl", "project.yaml",
)


def tool_voice(units: Iterable[str], warnings: Iterable[str] = ()) -> list[str]:
    """Tool warnings in the document: catalogue phrases and this build's own warnings."""
    phrases = [*TOOL_PHRASES, *(w for w in warnings if len(w) > 20)]
    out = []
    for u in units:
        low = u.lower()
        out += [f"{p!r} in {u[:120]!r}" for p in phrases if p.lower() in low]
    return out


# ------------------------------------------------------------------ agreement

COUNT = re.compile(
    r"(?<![\d.,:/№\w-])(\d{1,3}(?:[\u00a0 \u202f]\d{3})+|\d+)(?![.,]\d|[\d:-])"
    r"[\u00a0 \u202f]+([а-яё]+)(?:[\u00a0 \u202f]+([а-яё]+))?")
MONTHS = {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
          "сентября", "октября", "ноября", "декабря"}
# abbreviations a number may precede; pymorphy3 reads them as other words
ABBREVIATIONS = {"раб", "мин", "руб", "тыс", "млн", "млрд", "чел", "стр", "мес", "коп",
                 "сек", "час", "кв", "кбит", "мбит", "гбит"}
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")


@cache
def _morph() -> typing.Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


# words after which a count may stand in an oblique case («из 52 групп», «не менее 5 групп»)
GOVERNING = {"менее", "более", "больше", "меньше", "свыше", "около", "течение", "порядка",
             "кроме", "среди", "итогам"}


def _allowed(n: int, phrase: str, oblique: bool) -> set[str]:
    from crmimpl.i18n import agree_ru

    cases = CASES if oblique else ("nomn", "accs")
    return {agree_ru(n, phrase, c) for c in cases}  # type: ignore[arg-type]


def _oblique(before: str | None) -> bool:
    """Whether the word before a count lets it stand in any case: a preposition, a
    comparative, or an adjective in an oblique case («первых 21 рабочего дня»)."""
    if not before:
        return False
    if before in GOVERNING:
        return True
    if before in ("всего", "итого"):
        return False
    top = _morph().parse(before)[0]
    if top.tag.POS in ("PREP", "COMP"):
        return True
    return top.tag.POS in ("ADJF", "PRTF") and top.tag.case not in ("nomn", None)


def _noun(word: str) -> typing.Any:
    """The parse of ``word`` when it can only be a counted noun, else None."""
    parses = _morph().parse(word)
    top = parses[0]
    if top.tag.POS != "NOUN" or "Pltm" in top.tag or "Fixd" in top.tag or top.score < 0.5:
        return None
    return top


def _pair(adjective: str, noun: str) -> bool:
    """Whether ``adjective noun`` can be one phrase: a noun sharing a case with it."""
    if _noun(noun) is None:
        return False
    cases = {p.tag.case for p in _morph().parse(adjective) if p.tag.POS in ("ADJF", "PRTF")}
    return any(p.tag.case in cases for p in _morph().parse(noun) if p.tag.POS == "NOUN")


def _adjective(word: str) -> typing.Any:
    top = _morph().parse(word)[0]
    return top if top.tag.POS in ("ADJF", "PRTF") else None


def disagreements(units: Iterable[str]) -> list[str]:
    """A Russian noun (optionally after an adjective) after an integer in a form that no
    case of that number allows: «31 занятий», «52 групп», «21 рабочих дней»."""
    out = []
    for u in units:
        for m in COUNT.finditer(u):
            problem = _check_count(m)
            if problem:
                out.append(f"{problem} in {_around(u, m)!r}")
    return out


# "1 people", "1 groups": a count of one followed by an English plural (not "1.5 days",
# not "11 people", not "page 1 users"-like labels split over units).
_ONE_PLURAL = re.compile(
    r"(?<![\d.,/:])\b1\s+(?:[a-z]+\s+)?(people|users|employees|persons|groups|sessions|days|"
    r"hours|weeks|months|departments|requirements|records|goals|findings|checks|trainers|"
    r"participants|managers|courses|modules|tasks|iterations|waves)\b")


def english_plurals(units: Iterable[str]) -> list[str]:
    """A count of one with a plural noun: "(1 people, 6 h)"."""
    return [f"{m.group(0)!r} in {_around(u, m)!r}" for u in units
            for m in _ONE_PLURAL.finditer(u)]


def _check_count(m: re.Match[str]) -> str | None:
    digits, first, second = m.group(1), m.group(2), m.group(3)
    previous = re.search(r"([а-яё]+)[\u00a0 \u202f]+$", m.string[:m.start()])
    before = previous.group(1) if previous else None
    n = int(re.sub(r"\D", "", digits))
    if re.search(r"№[\u00a0 \u202f]*$", m.string[:m.start()]):
        return None  # «Аудит № 1 использования CRM»: a number, not a count
    oblique = _oblique(before)
    if first in MONTHS or first in ABBREVIATIONS or (first.startswith("год") and n > 1000):
        return None
    adjective = _adjective(first)
    if adjective is not None and second and _pair(first, second):
        noun = _noun(second)
        gender = next((g for g in ("masc", "femn", "neut") if g in noun.tag), None)
        base = adjective.inflect({"sing", "nomn", gender} - {None}) or adjective
        phrase = f"{base.word} {noun.normal_form}"
        if f"{first} {second}" not in _allowed(n, phrase, oblique):
            return f"{n} {first} {second}"
        return None
    noun = _noun(first)
    if noun is None:
        return None
    if first not in _allowed(n, noun.normal_form, oblique):
        return f"{n} {first}"
    return None


# ------------------------------------------------------------------ not surveyed

NOT_SURVEYED = re.compile(r"Не обследовано|Not surveyed", re.IGNORECASE)


def not_surveyed(units: Iterable[str], answered: Iterable[str]) -> list[str]:
    """«Не обследовано» in a passage naming a department that answered its questionnaire."""
    names = [a for a in answered if a]
    return [f"{name!r} answered, yet {u[:140]!r}" for u in units if NOT_SURVEYED.search(u)
            for name in names if name in u]


# ------------------------------------------------------------------ helpers


def _around(text: str, m: re.Match[str], width: int = 40) -> str:
    return text[max(0, m.start() - width):m.end() + width].replace("\n", " ")


def iter_problems(checks: dict[str, list[str]]) -> Iterator[str]:
    """``check: snippet`` lines for a failure message."""
    for name, found in checks.items():
        for item in found[:15]:
            yield f"{name}: {item}"
        if len(found) > 15:
            yield f"{name}: ... and {len(found) - 15} more"
