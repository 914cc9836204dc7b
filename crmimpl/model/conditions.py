"""A small, safe expression language for questionnaire conditions.

Conditions decide whether a question applies (``relevant``) or must be answered
(``required_if``). They are parsed by an own tokenizer and a recursive-descent parser
over an allow-list of constructs; nothing is ever passed to ``eval``::

    ${has_crm} = 'yes' and ${users} >= 10
    selected(${channels}, 'website') or not answered(${erp})
    ${kind} in ('b2b', 'mixed')

Grammar::

    expr    := and ('or' and)*
    and     := not ('and' not)*
    not     := 'not' not | compare
    compare := operand (OP operand | ['not'] 'in' '(' literal (',' literal)* ')')?
    operand := '${' ID '}' | literal | FUNC '(' args ')' | '(' expr ')'
    literal := NUMBER | 'text' | "text" | true | false
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

MAX_CONDITION_LENGTH = 1000
MAX_DEPTH = 30

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{\s*(?P<refid>[A-Za-z_][A-Za-z0-9_.\-]*)\s*\})
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<string>'[^'\\]*'|"[^"\\]*")
      | (?P<op>==|!=|<>|<=|>=|=|<|>)
      | (?P<punct>[(),\[\]])
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    )""",
    re.VERBOSE,
)

KEYWORDS = {"and", "or", "not", "in", "true", "false"}
FUNCTIONS = {"selected": 2, "answered": 1}


class ConditionError(ValueError):
    """A condition that does not parse; ``position`` is a 0-based offset."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.position = position


# ----------------------------------------------------------------------------- AST
@dataclass(frozen=True)
class Ref:
    """``${id}``: the answer to another question."""

    id: str


@dataclass(frozen=True)
class Lit:
    """A literal: text, number or boolean."""

    value: str | int | float | bool


@dataclass(frozen=True)
class Compare:
    """``left OP right`` with OP one of = != < <= > >=."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class In:
    """``operand [not] in (a, b, ...)``."""

    operand: Node
    options: tuple[Lit, ...]
    negated: bool = False


@dataclass(frozen=True)
class Call:
    """``selected(${id}, 'x')`` or ``answered(${id})``."""

    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class BoolOp:
    """``and`` / ``or`` over two or more operands."""

    op: str
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """``not operand``."""

    item: Node


Node = Ref | Lit | Compare | In | Call | BoolOp | Not


@dataclass(frozen=True)
class _Tok:
    kind: str
    value: str
    pos: int


# ------------------------------------------------------------------------ tokenizer
def tokenize(text: str) -> list[_Tok]:
    """Split a condition into tokens; unknown characters are errors."""
    if len(text) > MAX_CONDITION_LENGTH:
        raise ConditionError(f"condition is longer than {MAX_CONDITION_LENGTH} characters", 0)
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            start = len(text) - len(text[pos:].lstrip())
            raise ConditionError(f"unexpected character {text[start]!r}", start)
        kind = next(k for k in ("ref", "number", "string", "op", "punct", "word")
                    if match.group(k) is not None)
        value = match.group("refid") if kind == "ref" else match.group(kind)
        tokens.append(_Tok(kind, value, match.start(kind)))
        pos = match.end()
    tokens.append(_Tok("end", "", len(text)))
    return tokens


# --------------------------------------------------------------------------- parser
class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    @property
    def tok(self) -> _Tok:
        return self.tokens[self.i]

    def take(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def is_word(self, word: str) -> bool:
        return self.tok.kind == "word" and self.tok.value.lower() == word

    def expect(self, kind: str, value: str) -> _Tok:
        if self.tok.kind != kind or self.tok.value != value:
            raise ConditionError(f"expected '{value}', found {self._describe()}", self.tok.pos)
        return self.take()

    def _describe(self) -> str:
        return "end of condition" if self.tok.kind == "end" else f"'{self.tok.value}'"

    def parse(self) -> Node:
        node = self.expr()
        if self.tok.kind != "end":
            raise ConditionError(f"unexpected {self._describe()}", self.tok.pos)
        return node

    def expr(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError("condition is nested too deeply", self.tok.pos)
        items = [self.conj()]
        while self.is_word("or"):
            self.take()
            items.append(self.conj())
        self.depth -= 1
        return items[0] if len(items) == 1 else BoolOp("or", tuple(items))

    def conj(self) -> Node:
        items = [self.negation()]
        while self.is_word("and"):
            self.take()
            items.append(self.negation())
        return items[0] if len(items) == 1 else BoolOp("and", tuple(items))

    def negation(self) -> Node:
        if self.is_word("not"):
            self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ConditionError("condition is nested too deeply", self.tok.pos)
            node = Not(self.negation())
            self.depth -= 1
            return node
        return self.compare()

    def compare(self) -> Node:
        left = self.operand()
        if self.tok.kind == "op":
            op = self.take().value
            op = {"==": "=", "<>": "!="}.get(op, op)
            return Compare(op, left, self.operand())
        negated = False
        if self.is_word("not") and self.tokens[self.i + 1].value.lower() == "in":
            self.take()
            negated = True
        if self.is_word("in"):
            self.take()
            return In(left, self.options(), negated)
        if negated:
            raise ConditionError("expected 'in' after 'not'", self.tok.pos)
        return left

    def options(self) -> tuple[Lit, ...]:
        close = {"(": ")", "[": "]"}.get(self.tok.value)
        if self.tok.kind != "punct" or close is None:
            raise ConditionError("expected a list like ('a', 'b') after 'in'", self.tok.pos)
        self.take()
        items = [self.literal()]
        while self.tok.value == ",":
            self.take()
            items.append(self.literal())
        self.expect("punct", close)
        return tuple(items)

    def literal(self) -> Lit:
        tok = self.tok
        if tok.kind == "number":
            self.take()
            return Lit(float(tok.value) if "." in tok.value else int(tok.value))
        if tok.kind == "string":
            self.take()
            return Lit(tok.value[1:-1])
        if tok.kind == "word" and tok.value.lower() in ("true", "false"):
            self.take()
            return Lit(tok.value.lower() == "true")
        raise ConditionError(f"expected a value, found {self._describe()}", tok.pos)

    def operand(self) -> Node:
        tok = self.tok
        if tok.kind == "ref":
            self.take()
            return Ref(tok.value)
        if tok.kind == "punct" and tok.value == "(":
            self.take()
            node = self.expr()
            self.expect("punct", ")")
            return node
        if tok.kind == "word" and tok.value.lower() in FUNCTIONS:
            return self.call()
        if tok.kind == "word" and tok.value.lower() not in KEYWORDS | {"true", "false"}:
            raise ConditionError(
                f"unknown name '{tok.value}' (write answers as ${{id}}, text in quotes; "
                f"functions: {', '.join(sorted(FUNCTIONS))})", tok.pos)
        return self.literal()

    def call(self) -> Call:
        tok = self.take()
        name = tok.value.lower()
        self.expect("punct", "(")
        args: list[Node] = [self.operand()]
        while self.tok.value == ",":
            self.take()
            args.append(self.operand())
        self.expect("punct", ")")
        if len(args) != FUNCTIONS[name]:
            raise ConditionError(f"{name}() takes {FUNCTIONS[name]} argument(s)", tok.pos)
        if not isinstance(args[0], Ref):
            raise ConditionError(f"{name}() needs ${{id}} as its first argument", tok.pos)
        if name == "selected" and not (isinstance(args[1], Lit) and isinstance(args[1].value,
                                                                             str)):
            raise ConditionError("selected() needs a choice code in quotes", tok.pos)
        return Call(name, tuple(args))


def parse_condition(text: str) -> Node:
    """Parse a condition into its syntax tree.

    Raises:
        ConditionError: with the offset of the first problem.
    """
    return _Parser(text).parse()


# ------------------------------------------------------------------------- analysis
def walk(node: Node) -> list[Node]:
    """All nodes of the tree, depth first."""
    out: list[Node] = [node]
    children: tuple[Node, ...] = ()
    if isinstance(node, Compare):
        children = (node.left, node.right)
    elif isinstance(node, In):
        children = (node.operand, *node.options)
    elif isinstance(node, Call):
        children = node.args
    elif isinstance(node, BoolOp):
        children = node.items
    elif isinstance(node, Not):
        children = (node.item,)
    for child in children:
        out += walk(child)
    return out


def referenced_ids(node: Node) -> list[str]:
    """Question ids the condition reads, in order of appearance."""
    return [n.id for n in walk(node) if isinstance(n, Ref)]


# ------------------------------------------------------------------------ evaluation
def evaluate(node: Node, answers: Mapping[str, Any]) -> bool:
    """Evaluate a condition against typed answers (unanswered questions are missing)."""
    return bool(_value(node, answers))


def _value(node: Node, answers: Mapping[str, Any]) -> Any:
    if isinstance(node, Ref):
        return answers.get(node.id)
    if isinstance(node, Lit):
        return node.value
    if isinstance(node, BoolOp):
        results = (bool(_value(item, answers)) for item in node.items)
        return all(results) if node.op == "and" else any(results)
    if isinstance(node, Not):
        return not _value(node.item, answers)
    if isinstance(node, In):
        value = _value(node.operand, answers)
        found = value is not None and any(_equal(value, o.value) for o in node.options)
        return found != node.negated
    if isinstance(node, Call):
        return _call(node, answers)
    return _compare(node.op, _value(node.left, answers), _value(node.right, answers))


def _call(node: Call, answers: Mapping[str, Any]) -> bool:
    value = _value(node.args[0], answers)
    if node.name == "answered":
        return value not in (None, "", [], {})
    wanted = node.args[1].value if isinstance(node.args[1], Lit) else None
    if isinstance(value, list):
        return wanted in value
    return value == wanted


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, bool) and isinstance(right, str):
        return left == (right.lower() in ("yes", "true"))
    if isinstance(right, bool) and isinstance(left, str):
        return right == (left.lower() in ("yes", "true"))
    if isinstance(left, list):
        return right in left
    return bool(left == right)


_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "=":
        return left is not None and right is not None and _equal(left, right)
    if op == "!=":
        return not (left is not None and right is not None and _equal(left, right))
    if left is None or right is None:
        return False
    try:
        return _ORDER[op](left, right)
    except TypeError:
        return False


# ------------------------------------------------------------------------ countries
# Country groups a questionnaire may name besides ISO codes.
COUNTRY_GROUPS: dict[str, frozenset[str]] = {
    "EU": frozenset({
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}),
    # The EEA outside the EU applies the GDPR as well.
    "EEA": frozenset({"IS", "LI", "NO"}),
}
COUNTRY_CODE = r"^!?([A-Z]{2}|EU|EEA)$"


def _in_country(code: str, country: str) -> bool:
    members = COUNTRY_GROUPS.get(code)
    if code == "EEA":
        return country in COUNTRY_GROUPS["EU"] or country in COUNTRY_GROUPS["EEA"]
    return country in members if members is not None else country == code


def country_applies(codes: list[str] | tuple[str, ...], country: str | None) -> bool:
    """Whether an item limited to ``codes`` applies to a client in ``country``.

    ``codes`` are ISO 3166 codes or a group (``EU``, ``EEA``); ``!RU`` excludes a country.
    No codes, or no known country, means everywhere (a definition read without a project
    shows everything). An item applies when the country matches one of the positive codes
    (if there are any) and none of the excluded ones.
    """
    if not codes or not country:
        return True
    wanted = [c for c in codes if not c.startswith("!")]
    excluded = [c[1:] for c in codes if c.startswith("!")]
    if wanted and not any(_in_country(c, country) for c in wanted):
        return False
    return not any(_in_country(c, country) for c in excluded)
