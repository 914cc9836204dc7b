"""Validate a :class:`YamlDocument` against a pydantic model, with positions.

Every pydantic error is mapped back to ``file:line:col`` and reworded for people; all
problems are reported at once. Models may add cross-reference checks by implementing
``reference_problems()`` returning ``(key_path, message, hint)`` tuples.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, Protocol, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError

from crmimpl.errors import CrmimplError, Problem
from crmimpl.load import KeyPath, YamlDocument, format_key_path

M = TypeVar("M", bound=BaseModel)

YAML_BOOLEAN_WORDS = {"yes", "no", "on", "off", "true", "false", "y", "n"}

RefProblem = tuple[KeyPath, str, str]


class HasReferences(Protocol):
    def reference_problems(self) -> list[RefProblem]: ...


def validate_document(model: type[M], doc: YamlDocument) -> M:
    """Validate ``doc.data`` as ``model``; raise :class:`CrmimplError` listing all problems."""
    if not isinstance(doc.data, dict):
        raise CrmimplError.single(
            doc.location(()), "expected a mapping of keys to values at the top level"
        )
    try:
        result = model.model_validate(doc.data)
    except ValidationError as exc:
        problems = [_problem(model, doc, err) for err in exc.errors()]
        raise CrmimplError(_merge(doc.problems, problems)) from None
    if doc.problems:
        raise CrmimplError(doc.problems)
    checker = getattr(result, "reference_problems", None)
    if checker is not None:
        refs: list[RefProblem] = checker()
        if refs:
            raise CrmimplError(
                _dedupe(
                    [Problem(doc.location(kp), format_key_path(kp), msg, hint)
                     for kp, msg, hint in refs]
                )
            )
    return result


def _merge(yaml_problems: list[Problem], problems: list[Problem]) -> list[Problem]:
    """YAML problems first; drop model problems about values YAML already reported."""
    reported = {p.key_path for p in yaml_problems}
    rest = [p for p in problems if p.key_path not in reported]
    return _dedupe(sorted(yaml_problems + rest, key=Problem.line_col))


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[Problem] = set()
    out = []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def _data_path(doc: YamlDocument, loc: tuple[Any, ...]) -> KeyPath:
    """Drop pydantic's union/tag segments that are not keys of the data."""
    path: list[str | int] = []
    node: Any = doc.data
    for part in loc:
        if _has(node, part):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str):
            # a missing or extra key below this mapping: keep it for the message
            path.append(part)
            node = None
    return tuple(path)


def _has(node: Any, part: Any) -> bool:
    if isinstance(node, dict):
        return isinstance(part, str) and part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _problem(model: type[BaseModel], doc: YamlDocument, err: Any) -> Problem:
    loc = tuple(err["loc"])
    path = _data_path(doc, loc)
    kind = err["type"]
    message = err["msg"]
    hint = ""
    if kind == "extra_forbidden":
        key = str(path[-1]) if path else "?"
        message = f"unknown key '{key}'"
        allowed = _allowed_keys(model, path[:-1])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        if close:
            hint = f"did you mean '{close[0]}'?"
        elif allowed:
            hint = "allowed keys: " + ", ".join(sorted(allowed))
        location = doc.key_location(path)
    elif kind == "missing":
        message = f"required key '{path[-1]}' is missing" if path else "required value missing"
        location = doc.key_location(path[:-1])
    else:
        location = doc.location(path)
        message, hint = _reword(kind, message, err, doc.raw.get(path))
    return Problem(location, format_key_path(path), message, hint)


def _reword(kind: str, message: str, err: Any, raw: str | None) -> tuple[str, str]:
    hint = ""
    value = err.get("input")
    if kind == "string_type" and isinstance(value, bool) and raw is not None:
        message = f"expected text, but YAML read `{raw}` as a boolean"
        hint = f"put it in quotes: \"{raw}\""
    elif kind == "string_type" and isinstance(value, int | float) and raw is not None:
        message = f"expected text, but YAML read `{raw}` as a number"
        hint = f"put it in quotes: \"{raw}\""
    elif kind in ("literal_error", "enum"):
        expected = err.get("ctx", {}).get("expected", "")
        message = f"'{value}' is not one of: {expected}"
        if isinstance(value, str):
            options = [o.strip(" '") for o in str(expected).replace(" or ", ", ").split(",")]
            close = difflib.get_close_matches(value, options, n=1, cutoff=0.5)
            if close:
                hint = f"did you mean '{close[0]}'?"
    elif kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        message = f"'{value}' is not a valid date"
        hint = "write dates as YYYY-MM-DD, e.g. 2026-03-02"
    elif kind.startswith("value_error"):
        message = message.removeprefix("Value error, ")
    elif kind in _REWORD and value is None:
        template = _REWORD[kind].replace("'{value}'", "{value}")
        message = template.format(**{**err.get("ctx", {}), "value": "an empty value"})
        hint = "write the value after the colon, or remove the key"
    elif kind in _REWORD:
        message = _REWORD[kind].format(value=value, **err.get("ctx", {}))
    return message, hint


_REWORD = {
    "int_parsing": "expected a whole number, got '{value}'",
    "int_type": "expected a whole number, got '{value}'",
    "int_from_float": "expected a whole number, got {value}",
    "float_parsing": "expected a number, got '{value}'",
    "float_type": "expected a number, got '{value}'",
    "decimal_parsing": "expected a number, got '{value}'",
    "decimal_type": "expected a number, got '{value}'",
    "bool_parsing": "expected true or false, got '{value}'",
    "bool_type": "expected true or false, got '{value}'",
    "greater_than_equal": "must be at least {ge}, got {value}",
    "greater_than": "must be greater than {gt}, got {value}",
    "less_than_equal": "must be at most {le}, got {value}",
    "less_than": "must be less than {lt}, got {value}",
    "string_too_short": "must not be empty",
    "string_too_long": "is too long (at most {max_length} characters)",
    "too_short": "needs at least {min_length} item(s)",
    "too_long": "takes at most {max_length} item(s)",
    "string_pattern_mismatch": "'{value}' has the wrong form (expected pattern {pattern})",
    "list_type": "expected a list (- item, or [a, b]), got '{value}'",
    "dict_type": "expected a mapping of keys to values, got '{value}'",
    "model_type": "expected a mapping of keys to values, got '{value}'",
    "model_attributes_type": "expected a mapping of keys to values, got '{value}'",
    "string_type": "expected text, got '{value}'",
    "decimal_max_places": "at most {decimal_places} decimal places",
}


def _unwrap(annotation: Any) -> list[Any]:
    """Model classes reachable from an annotation (through Optional, list, dict, Union)."""
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin in (list, tuple, set, frozenset):
        return [a for arg in get_args(annotation) for a in _unwrap(arg)]
    if origin is dict:
        return _unwrap(get_args(annotation)[1])
    if origin in (typing.Union, types.UnionType):
        return [a for arg in get_args(annotation) for a in _unwrap(arg)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _allowed_keys(model: type[BaseModel], path: KeyPath) -> list[str]:
    candidates: list[type[BaseModel]] = [model]
    for part in path:
        if isinstance(part, int):
            continue
        nxt: list[type[BaseModel]] = []
        for cls in candidates:
            fld = cls.model_fields.get(part)
            if fld is None:
                for f in cls.model_fields.values():
                    if f.alias == part:
                        fld = f
            if fld is not None:
                nxt.extend(_unwrap(fld.annotation))
        candidates = nxt
    keys: set[str] = set()
    for cls in candidates:
        for name, f in cls.model_fields.items():
            keys.add(f.alias or name)
    return sorted(keys)
