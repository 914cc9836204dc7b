"""Templates to Markdown (Jinja2) and Markdown to blocks (markdown-it-py).

Every ``{{ value }}`` is escaped for Markdown by the environment's ``finalize``, so text
from YAML can never become formatting, HTML or a table cell boundary; a template marks a
string it composed on purpose with ``|raw``. Extensions are HTML comments on a line of
their own, so the Markdown stays valid CommonMark::

    <!-- titlepage -->   <!-- toc -->   <!-- pagebreak -->
    <!-- landscape --> ... <!-- /landscape -->
    <!-- widths: 10,40,50 -->   (just before a table)

and ``- [ ]`` / ``- [x]`` list items are checklist items.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import re
import traceback
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from crmimpl.errors import CrmimplError, text_location
from crmimpl.render.blocks import (
    Align,
    Block,
    BulletList,
    CodeBlock,
    Heading,
    LandscapeEnd,
    LandscapeStart,
    ListItem,
    OrderedList,
    PageBreak,
    Paragraph,
    Quote,
    Run,
    Table,
    TitlePage,
    Toc,
)
from crmimpl.resources import templates_dir

if TYPE_CHECKING:
    from collections.abc import Callable

    from jinja2 import Environment, FileSystemLoader
    from jinja2.nodes import Node
    from jinja2.sandbox import SandboxedEnvironment
    from markdown_it.tree import SyntaxTreeNode

TEMPLATE_SUFFIX = ".md.j2"

# All ASCII punctuation may be backslash-escaped in CommonMark and then means itself.
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
_NEWLINES = re.compile(r"\s*[\r\n]\s*")
_DIRECTIVE = re.compile(r"^<!--\s*(/?[a-z]+)\s*(?::\s*(.*?))?\s*-->\s*$", re.DOTALL)
_CHECKBOX = re.compile(r"^\[( |x|X)\]\s")


# ---------------------------------------------------------------- escaping


def escape_md(value: object) -> Markup:
    """Escape ``value`` so Markdown shows it literally, on one line.

    Every ASCII punctuation character gets a backslash (this covers ``* _ # | [ ] < > &``
    and ``{ }``), line breaks become spaces and leading blanks are dropped so a value can
    never start a code block, a list or a new table row.
    """
    if value is None:
        return Markup("")
    if hasattr(value, "__html__"):
        return Markup(value)
    text = _NEWLINES.sub(" ", str(value)).replace("\t", " ").strip()
    return Markup(_MD_SPECIAL.sub(r"\\\1", text))


def escape_md_block(value: object) -> Markup:
    """Like :func:`escape_md` but keeps paragraph breaks (blank lines) of ``value``."""
    if value is None:
        return Markup("")
    paragraphs = re.split(r"\n\s*\n", str(value).replace("\r\n", "\n"))
    return Markup("\n\n".join(escape_md(p) for p in paragraphs if p.strip()))


def raw(value: object) -> Markup:
    """Mark a string as Markdown the template composed on purpose (not escaped)."""
    return Markup(str(value))


def markdown_text(text: str, **values: object) -> Markup:
    """Markdown wording from a data file under ``templates/`` (trusted like a template),
    each ``{name}`` in it replaced by ``values[name]`` escaped with :func:`escape_md`."""
    for name, value in values.items():
        text = text.replace("{" + name + "}", escape_md(value))
    return Markup(text)


# ---------------------------------------------------------------- Jinja2


def _finalize(value: object) -> object:
    return escape_md(value)


@cache
def _environment_class() -> type[SandboxedEnvironment]:
    from jinja2.runtime import Macro
    from jinja2.sandbox import SandboxedEnvironment

    class MarkdownEnvironment(SandboxedEnvironment):
        """A sandbox whose macros (and ``caller()``) return Markdown, not plain text.

        With autoescape off a macro returns ``str``, which ``finalize`` would escape a
        second time; marking macro output as :class:`Markup` keeps it as written.
        """

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            result = SandboxedEnvironment.call(__self, __context, __obj, *args, **kwargs)
            if isinstance(__obj, Macro) and isinstance(result, str):
                return Markup(result)
            return result

    return MarkdownEnvironment


@cache
def _loader_class() -> type[FileSystemLoader]:
    from jinja2 import FileSystemLoader

    class SkeletonCheckingLoader(FileSystemLoader):
        """Loads templates and rejects a language file that would silently lose text.

        Jinja ignores whatever a child template has outside its ``{% block %}``s and any
        block its parent does not declare, so a section added to one language only would
        vanish without a trace; here it stops the build instead (:func:`check_language_file`).
        """

        def get_source(
            self, environment: Environment, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            source, filename, uptodate = super().get_source(environment, template)
            check_language_file(environment, source, template, filename)
            return source, filename, uptodate

    return SkeletonCheckingLoader


def _reword(text: str, wording: list[list[str]]) -> str:
    """``{% filter reword(wording) %}``: the text in the system's own words (the
    context's ``wording``, :func:`crmimpl.industry.product_wording`)."""
    from crmimpl.industry import reword

    return reword(text, [(a, b) for a, b in wording])


@cache
def _environment(lang: str, user_dir: str | None) -> SandboxedEnvironment:
    from jinja2 import StrictUndefined

    # DIR/<lang>/, DIR/ (flat names and DIR/skeleton/), then the built-in ones.
    paths: list[Path] = []
    if user_dir is not None:
        paths += [Path(user_dir) / lang, Path(user_dir)]
    paths += [templates_dir() / lang, templates_dir()]
    env = _environment_class()(
        loader=_loader_class()([str(p) for p in paths if p.is_dir()]),
        bytecode_cache=_bytecode_cache(),
        undefined=StrictUndefined,
        autoescape=False,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=escape_md, md_block=escape_md_block, raw=raw, reword=_reword)
    env.filters.update(_language_filters(lang))
    return env


@cache
def _bytecode_cache() -> Any:
    """Compiled templates kept between runs (Jinja checks each one against its source)."""
    from jinja2 import FileSystemBytecodeCache

    from crmimpl.resources import cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    try:
        (folder / "jinja").mkdir(exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder / "jinja"))


def _language_filters(lang: str) -> dict[str, Callable[..., str]]:
    """Filters that write counts and names in the language of the output:
    ``{{ n|count("группа") }}`` → ``52 группы``, ``{{ n|count("person", "people") }}``,
    ``{{ client|org("gent") }}`` → ``рекламного агентства «Креатив»``,
    ``{{ title|q }}`` → ``«…„…“…»``."""
    from crmimpl import i18n

    def count(n: int, phrase: str, plural: str | None = None, case: str = "nomn") -> str:
        return i18n.count_of(int(n), phrase, lang, plural, case)  # type: ignore[arg-type]

    def org(name: str, case: str = "nomn") -> str:
        return i18n.organisation(name, lang, case)  # type: ignore[arg-type]

    def agree(n: int, phrase: str, case: str = "nomn") -> str:
        return (i18n.agree_ru(int(n), phrase, case) if lang == "ru"  # type: ignore[arg-type]
                else i18n.plural_en(n, phrase))

    return {"count": count, "org": org, "agree": agree,
            "q": lambda text: i18n.quoted(str(text), lang)}


def check_language_file(env: Environment, source: str, name: str, filename: str | None) -> None:
    """Check a template that ``{% extends %}`` a skeleton fills it and nothing else.

    A template without ``{% extends "..." %}`` (a firm's stand-alone template, a skeleton)
    is not checked.

    Raises:
        CrmimplError: The file has text or tags outside its blocks, defines a block the
            skeleton does not declare, or lacks a block the skeleton declares ``required``;
            the location names the file and line.
    """
    from jinja2 import nodes

    if "extends" not in source:
        return
    marker = _checked_marker(env, source, name)
    if marker is not None and marker.exists():
        return
    tree = env.parse(source, name, filename)
    parent = next((n.template for n in tree.body if isinstance(n, nodes.Extends)), None)
    if not isinstance(parent, nodes.Const) or not isinstance(parent.value, str):
        return
    skeleton = parent.value
    where = _display_path(filename or name)
    for node in tree.body:
        if isinstance(node, (nodes.Extends, nodes.Block)) or _blank(node):
            continue
        raise CrmimplError.single(
            text_location(where, _first_line(node)),
            "text outside {% block %} is never shown",
            hint=f"put it inside a block that {skeleton} declares",
        )
    declared = _declared_blocks(env, skeleton)
    defined = set()
    for block in tree.find_all(nodes.Block):
        if block.name not in declared:
            raise CrmimplError.single(
                text_location(where, block.lineno),
                f"block '{block.name}' is not declared in {skeleton}",
                hint="a section added to one language must be added to the skeleton and to "
                     "every language's template",
            )
        defined.add(block.name)
    missing = [n for n, required in declared.items() if required and n not in defined]
    if missing:
        raise CrmimplError.single(
            where, f"required block '{missing[0]}' of {skeleton} is missing"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""),
            hint="every language's template fills every required block of its skeleton",
        )
    if marker is not None:
        with contextlib.suppress(OSError):
            marker.touch()


_EXTENDS = re.compile(r"""\{%-?\s*extends\s+["']([^"']+)["']""")


def _checked_marker(env: Environment, source: str, name: str) -> Path | None:
    """The cache file that says this template, with this skeleton, passed the check."""
    from crmimpl.resources import cache_dir

    folder = cache_dir()
    found = _EXTENDS.search(source)
    if folder is None or found is None or env.loader is None:
        return None
    try:
        skeleton, _, _ = env.loader.get_source(env, found.group(1))
        (folder / "checked").mkdir(exist_ok=True)
    except Exception:
        return None
    digest = hashlib.sha256("\0".join((name, source, skeleton)).encode()).hexdigest()
    return folder / "checked" / digest[:40]


def _declared_blocks(env: Environment, skeleton: str) -> dict[str, bool]:
    """Blocks of ``skeleton`` by name, with whether each is ``required``."""
    from jinja2 import nodes

    assert env.loader is not None
    source, filename, _ = env.loader.get_source(env, skeleton)
    tree = env.parse(source, skeleton, filename)
    return {b.name: b.required for b in tree.find_all(nodes.Block)}


def _blank(node: Node) -> bool:
    from jinja2 import nodes

    return isinstance(node, nodes.Output) and all(
        isinstance(n, nodes.TemplateData) and not n.data.strip() for n in node.nodes)


def _first_line(node: Node) -> int:
    """Line of the first visible character of ``node`` (text may start with blank lines)."""
    from jinja2 import nodes

    first = node.nodes[0] if isinstance(node, nodes.Output) and node.nodes else node
    if isinstance(first, nodes.TemplateData):
        data = first.data
        return first.lineno + data[: len(data) - len(data.lstrip())].count("\n")
    return int(first.lineno)


def _display_path(filename: str | None) -> str:
    if not filename:
        return "<template>"
    path = Path(filename).resolve()
    builtin = templates_dir().resolve()
    if path.is_relative_to(builtin):
        return str(Path("templates") / path.relative_to(builtin))
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line in ``exc``'s traceback (Jinja rewrites it)."""
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(".j2"):
            found = (frame.filename, frame.lineno)
    return found


def render_markdown(
    name: str, lang: str, context: dict[str, Any], user_dir: Path | str | None = None
) -> str:
    """Render the template ``name`` (``survey`` or ``survey.md.j2``) to Markdown.

    Args:
        name: Template name, with or without the ``.md.j2`` suffix.
        lang: Language folder of the built-in templates (``ru`` or ``en``).
        context: Plain data for the template.
        user_dir: A folder of the user's templates; a file there (``DIR/<lang>/name`` or
            ``DIR/name``) overrides the built-in one of the same name.

    Returns:
        The Markdown text.

    Raises:
        CrmimplError: The template is missing, has a syntax error, uses an undefined
            variable or an unsafe attribute; the location names the file and line.
    """
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

    if not name.endswith(TEMPLATE_SUFFIX):
        name += TEMPLATE_SUFFIX
    env = _environment(lang, None if user_dir is None else str(user_dir))
    try:
        return env.get_template(name).render(context)
    except TemplateNotFound as exc:
        raise CrmimplError.single(name, f"template not found: {exc.name}") from None
    except TemplateSyntaxError as exc:
        location = text_location(_display_path(exc.filename), exc.lineno)
        raise CrmimplError.single(location, f"template syntax error: {exc.message}") from None
    except TemplateError as exc:
        filename, line = _template_frame(exc)
        location = text_location(_display_path(filename or name), line)
        raise CrmimplError.single(location, str(exc.message or exc)) from None


# ---------------------------------------------------------------- Markdown → blocks


def parse_blocks(markdown_text: str, source: str = "<markdown>") -> list[Block]:
    """Parse Markdown (CommonMark + tables + crmimpl directives) into blocks.

    Args:
        markdown_text: The Markdown, usually from :func:`render_markdown`.
        source: Name used in error locations.

    Raises:
        CrmimplError: A directive is misused (unknown widths, unbalanced landscape).
    """
    entry = _parsed_entry(markdown_text, source)
    if entry is not None:
        found = _read_parsed(entry)
        if found is not None:
            return found
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable("table")
    root = syntax_tree(parser.parse(markdown_text))
    blocks = _BlockBuilder(source).build(root.children)
    if entry is not None:
        _keep_parsed(entry, blocks)
    return blocks


PARSED_CACHE_LIMIT = 64 * 1024 * 1024
"""Bytes of parsed documents kept in the cache folder; the least recently used go first."""

_PARSER_STAMP: list[bytes] = []


def _parser_stamp() -> bytes:
    """The source of this module and of the blocks, and markdown-it's version: blocks
    parsed by another parser are never used."""
    if not _PARSER_STAMP:
        from importlib.metadata import version

        here = Path(__file__)
        _PARSER_STAMP.append(here.read_bytes() + (here.parent / "blocks.py").read_bytes()
                             + version("markdown-it-py").encode())
    return _PARSER_STAMP[0]


def _parsed_entry(markdown_text: str, source: str) -> Path | None:
    """The cache file of this Markdown's blocks (by its content, the source name its
    errors give and the parser), or None when caching is off. A rebuild, a document
    built again in a portfolio or by ``--watch`` whose text did not change is not
    parsed again (the parse is most of a document's Python time)."""
    from crmimpl.resources import cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.blake2b(_parser_stamp(), digest_size=20)
    digest.update(source.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(markdown_text.encode("utf-8", "surrogatepass"))
    return folder / "markdown" / f"{digest.hexdigest()}.pickle"


def _read_parsed(entry: Path) -> list[Block] | None:
    import os
    import pickle

    try:
        blocks = pickle.loads(entry.read_bytes())
    except Exception:  # missing, partly written or from another Python: parse again
        return None
    if not isinstance(blocks, list):
        return None
    with contextlib.suppress(OSError):
        os.utime(entry)  # recently used: pruned last
    return blocks


def _keep_parsed(entry: Path, blocks: list[Block]) -> None:
    import pickle

    from crmimpl.store import atomic_write_bytes, prune_cache

    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(entry, pickle.dumps(blocks, pickle.HIGHEST_PROTOCOL))
        prune_cache(entry.parent, PARSED_CACHE_LIMIT)
    except (OSError, pickle.PicklingError, RecursionError):
        pass


def syntax_tree(tokens: list[Any]) -> SyntaxTreeNode:
    """``markdown_it.tree.SyntaxTreeNode(tokens)``, built in one pass.

    markdown-it's own constructor copies the tokens of every container once per level
    it is nested in (a fifth of a long document's parse); this builds the same nodes
    (token or opening and closing tokens, parent, children) with a stack.
    """
    from markdown_it.tree import SyntaxTreeNode, _NesterTokens

    def node(parent: SyntaxTreeNode) -> SyntaxTreeNode:
        made = SyntaxTreeNode.__new__(SyntaxTreeNode)
        made.token, made.nester_tokens, made._parent, made._children = None, None, parent, []
        parent._children.append(made)
        return made

    def fill(parent: SyntaxTreeNode, stream: list[Any]) -> None:
        stack: list[tuple[SyntaxTreeNode, Any]] = []
        current = parent
        for token in stream:
            if token.nesting == 1:
                stack.append((current, token))
                current = node(current)
            elif token.nesting == -1:
                if not stack:
                    raise ValueError("Invalid token nesting")
                container = current
                current, opening = stack.pop()
                container.nester_tokens = _NesterTokens(opening, token)
            else:
                leaf = node(current)
                leaf.token = token
                if token.children:
                    fill(leaf, token.children)
        if stack:
            raise ValueError(f"unclosed tokens starting {stack[0][1]}")

    root = SyntaxTreeNode()
    fill(root, tokens)
    return root


def _line(node: SyntaxTreeNode) -> int | None:
    return node.map[0] + 1 if node.map else None


class _BlockBuilder:
    """Walks the top level of the syntax tree, applying directives as it goes."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.blocks: list[Block] = []
        self.widths: list[float] | None = None
        self.landscape_line: int | None = None

    def error(self, node: SyntaxTreeNode, message: str) -> CrmimplError:
        return CrmimplError.single(text_location(self.source, _line(node)), message)

    def build(self, nodes: list[SyntaxTreeNode]) -> list[Block]:
        for node in nodes:
            pending = self.widths
            self.add(node)
            if pending is not None and self.widths is pending:
                raise self.error(node, "a widths directive must come just before a table")
        if self.landscape_line is not None:
            location = text_location(self.source, self.landscape_line)
            raise CrmimplError.single(location, "<!-- landscape --> is never closed")
        return self.blocks

    def add(self, node: SyntaxTreeNode) -> None:
        kind = node.type
        if kind == "html_block":
            self.directive(node)
        elif kind == "heading":
            self.blocks.append(Heading(int(node.tag[1]), _inline(node.children[0])))
        elif kind == "table":
            self.blocks.append(_table(node, self.widths, self.source))
            self.widths = None
        elif kind == "hr":
            return
        else:
            self.blocks.append(_flow_block(node))

    def directive(self, node: SyntaxTreeNode) -> None:
        match = _DIRECTIVE.match(node.content.strip())
        if not match:
            if not node.content.lstrip().startswith("<!--"):
                self.blocks.append(Paragraph([Run(node.content.strip())]))
            return  # an ordinary comment
        name, arg = match.group(1), match.group(2)
        simple: dict[str, Block] = {"pagebreak": PageBreak(), "titlepage": TitlePage()}
        if name in simple:
            self.blocks.append(simple[name])
        elif name == "toc":
            self.blocks.append(Toc(int(arg)) if arg and arg.isdigit() else Toc())
        elif name == "widths":
            self.widths = _widths(arg, lambda msg: self.error(node, msg))
        elif name in ("landscape", "/landscape"):
            self.landscape(node, name == "landscape")

    def landscape(self, node: SyntaxTreeNode, start: bool) -> None:
        if start == (self.landscape_line is not None):
            raise self.error(node, "landscape sections cannot nest or close twice")
        self.landscape_line = _line(node) if start else None
        self.blocks.append(LandscapeStart() if start else LandscapeEnd())


def _widths(arg: str | None, error: Any) -> list[float]:
    try:
        widths = [float(part) for part in (arg or "").split(",")]
    except ValueError:
        raise error(f"widths must be numbers separated by commas, not {arg!r}") from None
    if not widths or any(w <= 0 for w in widths):
        raise error("widths must be positive numbers")
    return widths


def _flow_block(node: SyntaxTreeNode) -> Block:
    kind = node.type
    if kind == "paragraph":
        return Paragraph(_inline(node.children[0]))
    if kind in ("bullet_list", "ordered_list"):
        return _list(node)
    if kind in ("fence", "code_block"):
        return CodeBlock(node.content.rstrip("\n"))
    if kind == "blockquote":
        return Quote([_item_runs(child) for child in node.children])
    return Paragraph([Run(node.content.strip())])


def _list(node: SyntaxTreeNode) -> BulletList | OrderedList:
    items = [_list_item(child) for child in node.children]
    if node.type == "ordered_list":
        return OrderedList(items, int(node.attrs.get("start", 1)))
    return BulletList(items)


def _list_item(node: SyntaxTreeNode) -> ListItem:
    runs: list[Run] = []
    children: list[BulletList | OrderedList] = []
    for child in node.children:
        if child.type in ("bullet_list", "ordered_list"):
            children.append(_list(child))
        else:
            if runs:
                runs.append(Run("\n"))
            runs += _item_runs(child)
    item = ListItem(runs, children)
    first = node.children[0] if node.children else None
    if first is not None and first.type == "paragraph":
        _mark_checkbox(item, first.children[0].content)
    return item


def _mark_checkbox(item: ListItem, source: str) -> None:
    """Turn ``[ ] text`` / ``[x] text`` (unescaped in the source) into a checklist item."""
    match = _CHECKBOX.match(source)
    if not match or not item.runs:
        return
    item.checked = match.group(1) != " "
    first = item.runs[0]
    stripped = first.text[len(match.group(0)) :] if not first.code else first.text
    item.runs[0] = Run(stripped, first.bold, first.italic, first.code, first.link)
    if not item.runs[0].text:
        item.runs.pop(0)


def _item_runs(node: SyntaxTreeNode) -> list[Run]:
    if node.type in ("paragraph", "heading") and node.children:
        return _inline(node.children[0])
    if node.type in ("fence", "code_block"):
        return [Run(node.content.rstrip("\n"), code=True)]
    runs: list[Run] = []
    for child in node.children:
        runs += _item_runs(child)
    if not runs and node.content.strip():
        runs.append(Run(node.content.strip()))
    return runs


def _table(node: SyntaxTreeNode, widths: list[float] | None, source: str) -> Table:
    head, *body = node.children
    header_row = head.children[0]
    header = [_inline(cell.children[0]) if cell.children else [] for cell in header_row.children]
    align = [_align(cell) for cell in header_row.children]
    rows = []
    for section in body:
        for row in section.children:
            rows.append([_inline(c.children[0]) if c.children else [] for c in row.children])
    if widths is not None and len(widths) != len(header):
        line = _line(node)
        raise CrmimplError.single(
            text_location(source, line),
            f"widths lists {len(widths)} columns but the table has {len(header)}",
        )
    return Table(header, rows, widths, align)


def _align(cell: SyntaxTreeNode) -> Align:
    style = str(cell.attrs.get("style", ""))
    for value in ("left", "center", "right"):
        if f"text-align:{value}" in style:
            return value
    return None


# ---------------------------------------------------------------- inline


def _inline(node: SyntaxTreeNode) -> list[Run]:
    runs: list[Run] = []
    _collect(node.children, Run(""), runs)
    return _merge(runs)


def _collect(nodes: list[SyntaxTreeNode], style: Run, out: list[Run]) -> None:
    for node in nodes:
        kind = node.type
        if kind == "text" or kind == "text_special":
            out.append(_styled(style, node.content))
        elif kind == "softbreak":
            out.append(_styled(style, " "))
        elif kind == "hardbreak":
            out.append(_styled(style, "\n"))
        elif kind == "code_inline":
            out.append(_styled(style, node.content, code=True))
        elif kind == "strong":
            _collect(node.children, _styled(style, "", bold=True), out)
        elif kind == "em":
            _collect(node.children, _styled(style, "", italic=True), out)
        elif kind == "link":
            href = str(node.attrs.get("href", ""))
            _collect(node.children, _styled(style, "", link=href), out)
        elif kind == "image":
            _collect(node.children, style, out)
        else:  # html_inline and anything unknown: show the source literally
            out.append(_styled(style, node.content))


def _styled(base: Run, text: str, **changes: Any) -> Run:
    return dataclasses.replace(base, text=text, **changes)


def _merge(runs: list[Run]) -> list[Run]:
    """Join neighbouring runs of the same style (markdown-it splits text at escapes)."""
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        prev = merged[-1] if merged else None
        if prev and (prev.bold, prev.italic, prev.code, prev.link) == (
            run.bold, run.italic, run.code, run.link
        ):
            merged[-1] = _styled(prev, prev.text + run.text)
        else:
            merged.append(run)
    return merged
