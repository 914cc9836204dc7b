"""Safe YAML loading with positions.

Only this module reads YAML. It returns plain Python data plus a map from each value's
key path to its position in the file, so that later validation errors can name
``file:line:col``. It refuses what PyYAML lets through silently: anchors and aliases
(alias bombs), duplicate keys, merge keys, binary and non-UTF-8 files, and huge files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from crmimpl.errors import CrmimplError, Problem, text_location
from crmimpl.store import regular_file_size

MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64

KeyPath = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """Data read from one YAML file, with the position of every value.

    ``positions`` maps a key path (``("goals", 0, "kpi")``) to the 1-based (line, column)
    of the value; ``key_positions`` to the position of the key itself; ``raw`` keeps the
    source text of plain scalars so messages can say how YAML read them.
    """

    path: Path
    data: Any
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    raw: dict[KeyPath, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def location(self, key_path: KeyPath) -> str:
        """``file:line:col`` of the deepest known prefix of ``key_path``."""
        for end in range(len(key_path), -1, -1):
            prefix = key_path[:end]
            pos = self.positions.get(prefix)
            if pos is None:
                pos = self.key_positions.get(prefix)
            if pos is not None:
                return text_location(self.path, *pos)
        return text_location(self.path, 1, 1)


    def key_location(self, key_path: KeyPath) -> str:
        """``file:line:col`` of the key of ``key_path`` itself (where the person wrote
        ``client:``), not of its value, which for a nested mapping is the next line."""
        pos = self.key_positions.get(key_path)
        if pos is not None:
            return text_location(self.path, *pos)
        return self.location(key_path)


def format_key_path(key_path: KeyPath) -> str:
    """``("goals", 0, "kpi")`` → ``goals[0].kpi``."""
    out = ""
    for part in key_path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases before they can expand, and deep nesting before
    PyYAML's recursive composer runs out of stack."""

    depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _AliasFound(event.start_mark)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH + 1:
                raise _TooDeep(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _AliasFound(Exception):
    def __init__(self, mark: Any) -> None:
        super().__init__("alias")
        self.mark = mark


class _TooDeep(Exception):
    def __init__(self, mark: Any) -> None:
        super().__init__("too deep")
        self.mark = mark


def read_text_safely(path: Path, *, max_bytes: int = MAX_YAML_BYTES) -> str:
    """Read a UTF-8 text file, refusing missing, huge, binary and non-UTF-8 files."""
    size = regular_file_size(path, "a YAML file")
    if size > max_bytes:
        raise CrmimplError.single(
            str(path),
            f"file is too large ({size:,} bytes; the limit is {max_bytes:,})",
            hint="a project or questionnaire definition is a few kilobytes; "
            "is this the right file?",
        )
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise CrmimplError.single(str(path), f"cannot read: {exc.strerror}") from None
    if b"\x00" in blob:
        raise CrmimplError.single(
            text_location(path, 1, 1), "binary file, expected UTF-8 text (YAML)"
        )
    try:
        text = blob.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = blob[: exc.start].count(b"\n") + 1
        col = exc.start - (blob.rfind(b"\n", 0, exc.start) + 1) + 1
        raise CrmimplError.single(
            text_location(path, line, col),
            f"not valid UTF-8 (byte 0x{blob[exc.start]:02x})",
            hint="save the file as UTF-8; Windows-1251 is not supported",
        ) from None
    return text


def load_yaml(
    path: Path | str, *, max_bytes: int = MAX_YAML_BYTES, defer_problems: bool = False
) -> YamlDocument:
    """Load one YAML file safely and return its data with positions.

    Problems that leave the document readable (a duplicate key, an impossible date) are
    raised at once, unless ``defer_problems`` is set: then they stay in
    ``doc.problems`` so that validation can report them together with its own.

    Raises:
        CrmimplError: with ``file:line:col`` for every problem found.
    """
    path = Path(path)
    text = read_text_safely(path, max_bytes=max_bytes)
    doc = _parse_cached(text, path)
    if doc.problems and not defer_problems:
        raise CrmimplError(doc.problems)
    return doc


def _parse_cached(text: str, path: Path) -> YamlDocument:
    """:func:`parse_yaml`, remembered in the cache folder by the file's path and content:
    a rebuild, ``plan show`` or a portfolio worker reads an unchanged file (the tool's
    own vocabularies and questionnaires above all) from the parsed copy, about fifteen
    times faster. One entry per path, replaced when the text or this loader changes;
    an unreadable entry is parsed again."""
    entry = _cache_entry(path)
    if entry is None:
        return parse_yaml(text, path)
    import hashlib
    import pickle

    stamp = hashlib.blake2b(_loader_stamp() + text.encode("utf-8"), digest_size=32).digest()
    try:
        blob = entry.read_bytes()
        if blob[:32] == stamp:
            doc = pickle.loads(blob[32:])
            if isinstance(doc, YamlDocument):
                os.utime(entry)  # recently used: pruned last
                return doc
    except Exception:
        pass
    doc = parse_yaml(text, path)
    try:
        from crmimpl.store import atomic_write_bytes, prune_cache

        entry.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(entry, stamp + pickle.dumps(doc, pickle.HIGHEST_PROTOCOL))
        prune_cache(entry.parent, YAML_CACHE_LIMIT)
    except (OSError, pickle.PicklingError):
        pass
    return doc


YAML_CACHE_LIMIT = 64 * 1024 * 1024
"""Bytes of parsed copies kept; the least recently used go first beyond it."""


def _cache_entry(path: Path) -> Path | None:
    """The cache file of ``path`` as given and as resolved (its messages name it as
    given), or None when caching is off."""
    from crmimpl.resources import cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    import hashlib

    key = hashlib.blake2b(f"{path}\0{path.resolve()}".encode(), digest_size=16).hexdigest()
    return folder / "yaml" / f"{key}.pickle"


_STAMP: list[bytes] = []


def _loader_stamp() -> bytes:
    """The source of this module and PyYAML's version: an entry parsed by another
    loader is never used."""
    if not _STAMP:
        _STAMP.append(Path(__file__).read_bytes() + yaml.__version__.encode())
    return _STAMP[0]


def parse_yaml(text: str, path: Path) -> YamlDocument:
    """Parse YAML text (already read) into a :class:`YamlDocument`.

    libyaml (about ten times faster) reads every ordinary file. Anything unusual (an
    alias, deep nesting, a syntax error) is read again by the pure-Python loader, whose
    checks and messages are the ones users see; both report the same positions.
    """
    node = _fast_node(text)
    if node is not None:
        return _document(path, node, yaml.constructor.SafeConstructor())
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except _AliasFound as exc:
        raise CrmimplError.single(
            text_location(path, exc.mark.line + 1, exc.mark.column + 1),
            "YAML aliases (*name) are not allowed",
            hint="repeat the value instead of referring to an anchor",
        ) from None
    except _TooDeep as exc:
        raise CrmimplError.single(
            text_location(path, exc.mark.line + 1, exc.mark.column + 1),
            f"nesting is too deep (more than {MAX_DEPTH} levels)",
            hint="a project or answers file needs a few levels; check the indentation "
            "and the brackets",
        ) from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(path, exc) from None
    except yaml.YAMLError as exc:
        raise CrmimplError.single(str(path), f"YAML error: {exc}") from None
    finally:
        loader.dispose()
    if node is None:
        raise CrmimplError.single(
            text_location(path, 1, 1), "file is empty", hint="start from `crmimpl new`"
        )
    return _document(path, node, loader)


def _document(path: Path, node: Node, loader: Any) -> YamlDocument:
    builder = _Builder(path, loader)
    data = builder.build(node, ())
    problems = sorted(builder.problems, key=_problem_order)
    return YamlDocument(
        path, data, builder.positions, builder.key_positions, builder.raw, problems
    )


_NESTING_START = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_NESTING_END = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _fast_node(text: str) -> Node | None:
    """The composed node of ``text`` read by libyaml, or None when libyaml is missing or
    the text needs the careful loader: aliases, nesting deeper than the limit (libyaml's
    composer recurses in C, so depth is checked on the flat event stream first), several
    documents, an empty file or any error."""
    c_loader = getattr(yaml, "CSafeLoader", None)
    if c_loader is None:
        return None
    scan = c_loader(text)
    try:
        depth = 0
        while scan.check_event():
            event = scan.get_event()
            if isinstance(event, _NESTING_START):
                depth += 1
                if depth > MAX_DEPTH:
                    return None
            elif isinstance(event, _NESTING_END):
                depth -= 1
            elif isinstance(event, AliasEvent) or getattr(event, "anchor", None):
                return None
        loader = c_loader(text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError:
        return None
    finally:
        scan.dispose()


def _problem_order(p: Problem) -> tuple[int, int, str]:
    return (*p.line_col(), p.message)


def _syntax_error(path: Path, exc: yaml.MarkedYAMLError) -> CrmimplError:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
    problem = exc.problem or "syntax error"
    hint = ""
    if "\\t" in problem or "tab" in problem.lower():
        problem = "tab character used for indentation"
        hint = "YAML indents with spaces only; replace tabs by spaces"
    elif "found character" in problem:
        hint = "quote the value if it contains special characters"
    elif "mapping values are not allowed" in problem:
        hint = "a value containing ': ' must be quoted"
    elif exc.context_mark is not None and mark is not exc.context_mark:
        hint = (f"{exc.context} that starts on line {exc.context_mark.line + 1}: "
                "check quotes and indentation there")
    return CrmimplError.single(
        text_location(path, line, col), f"YAML syntax error: {problem}", hint=hint
    )


_STR_TAG = "tag:yaml.org,2002:str"


class _Builder:
    """Turns composed nodes into Python data, recording positions and problems."""

    def __init__(self, path: Path, loader: _Loader) -> None:
        self.path = path
        self.loader = loader
        self.positions: dict[KeyPath, tuple[int, int]] = {}
        self.key_positions: dict[KeyPath, tuple[int, int]] = {}
        self.raw: dict[KeyPath, str] = {}
        self.problems: list[Problem] = []

    def _loc(self, node: Node) -> str:
        return text_location(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: Node, key_path: KeyPath) -> Any:
        self.positions[key_path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if len(key_path) > MAX_DEPTH:
            self.problems.append(Problem(self._loc(node), "", "nesting is too deep"))
            return None
        if isinstance(node, MappingNode):
            return self._mapping(node, key_path)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*key_path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        if not node.style:  # plain: None from PyYAML, '' from libyaml
            self.raw[key_path] = node.value
        if node.tag == _STR_TAG:  # what the safe constructor returns for a string
            return node.value
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            self.problems.append(
                Problem(self._loc(node), format_key_path(key_path), str(exc.problem))
            )
            return None
        except (ValueError, OverflowError) as exc:
            # e.g. 2026-13-01: PyYAML resolves it as a timestamp, then fails to build it
            self.problems.append(
                Problem(self._loc(node), format_key_path(key_path),
                        f"'{node.value}' is not a valid date ({exc})",
                        "write dates as YYYY-MM-DD, e.g. 2026-03-02")
            )
            return None

    def _mapping(self, node: MappingNode, key_path: KeyPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(
                    Problem(self._loc(key_node), format_key_path(key_path),
                            "merge keys (<<) are not allowed")
                )
                continue
            if not isinstance(key_node, ScalarNode):
                self.problems.append(
                    Problem(self._loc(key_node), format_key_path(key_path),
                            "keys must be plain words")
                )
                continue
            key = str(key_node.value)
            if key in seen:
                self.problems.append(
                    Problem(
                        self._loc(key_node),
                        format_key_path((*key_path, key)),
                        f"duplicate key '{key}' (first given on line {seen[key]})",
                        hint="YAML would silently keep only the last one; merge them",
                    )
                )
                continue
            seen[key] = key_node.start_mark.line + 1
            child = (*key_path, key)
            self.key_positions[child] = (key_node.start_mark.line + 1,
                                         key_node.start_mark.column + 1)
            result[key] = self.build(value_node, child)
        return result
