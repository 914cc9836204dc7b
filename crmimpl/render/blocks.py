"""The block model shared by the DOCX and HTML writers.

Templates produce Markdown; :func:`crmimpl.render.markdown.parse_blocks` turns it into
the small set of blocks below. Writers only ever see these dataclasses, so a document
exists in every format from one template. The model is plain data: ``to_jsonable``
gives a stable JSON form for golden tests.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Align = Literal["left", "center", "right"] | None


@dataclass(frozen=True)
class Run:
    """A piece of inline text with its emphasis; ``link`` is a URL when it is a link.

    ``text`` may contain ``"\\n"`` for a hard line break.
    """

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str | None = None


@dataclass
class Heading:
    """A numbered section heading, level 1..6."""

    level: int
    runs: list[Run]


@dataclass
class Paragraph:
    """A body paragraph."""

    runs: list[Run]


@dataclass
class CodeBlock:
    """Preformatted text (fenced or indented code in Markdown)."""

    text: str


@dataclass
class Quote:
    """A block quote (a note or a citation), flattened to one paragraph per child."""

    paragraphs: list[list[Run]]


@dataclass
class ListItem:
    """One list item: its text, nested lists, and ``checked`` for checklist items.

    ``checked`` is ``None`` for an ordinary item, ``False`` for ``- [ ]`` and ``True``
    for ``- [x]``.
    """

    runs: list[Run]
    children: list[BulletList | OrderedList] = field(default_factory=list)
    checked: bool | None = None


@dataclass
class BulletList:
    """An unordered list (checklist items are bullet items with ``checked`` set)."""

    items: list[ListItem]


@dataclass
class OrderedList:
    """A numbered list; every list restarts at ``start``."""

    items: list[ListItem]
    start: int = 1


@dataclass
class Table:
    """A table with one header row.

    ``widths`` are relative column widths from a ``<!-- widths: 10,40,50 -->`` directive
    (any positive numbers; writers scale them to the text width). ``align`` has one entry
    per column from the Markdown delimiter row.
    """

    header: list[list[Run]]
    rows: list[list[list[Run]]]
    widths: list[float] | None = None
    align: list[Align] = field(default_factory=list)
    # the least width of each column in twips, for columns left empty to be written in by
    # hand (a sign-off table's signature and date); 0: as the content needs
    floors: list[int] | None = None


@dataclass
class PageBreak:
    """``<!-- pagebreak -->``: the next block starts a new page."""


@dataclass
class LandscapeStart:
    """``<!-- landscape -->``: a landscape section starts on a new page."""


@dataclass
class LandscapeEnd:
    """``<!-- /landscape -->``: back to portrait on a new page."""


@dataclass
class Toc:
    """``<!-- toc -->``: the table of contents (headings up to ``depth``)."""

    depth: int = 3


@dataclass
class TitlePage:
    """``<!-- titlepage -->``: a title page filled from :class:`DocMeta`, then a new page."""


Block = (
    Heading
    | Paragraph
    | CodeBlock
    | Quote
    | BulletList
    | OrderedList
    | Table
    | PageBreak
    | LandscapeStart
    | LandscapeEnd
    | Toc
    | TitlePage
)


@dataclass(frozen=True)
class Signatory:
    """A person who signs the document on its title page.

    ``kind`` is ``approve`` (УТВЕРЖДАЮ: the client's sponsor) or ``agree`` (СОГЛАСОВАНО:
    the project managers); ``role`` names the part the person plays in the project,
    ``short_name`` is the name as a signature line prints it (И. О. Фамилия in Russian).
    """

    kind: Literal["approve", "agree"]
    role: str
    name: str
    short_name: str
    position: str = ""
    company: str = ""


@dataclass(frozen=True)
class DocMeta:
    """What a document says about itself: title page, header, core properties.

    ``date`` fixes the core-property timestamps so output is deterministic; ``version``
    and ``status`` (already in words) come from the document register, ``approvals``
    from the team.
    """

    title: str
    lang: Literal["ru", "en"] = "ru"
    subtitle: str = ""
    project: str = ""
    client: str = ""
    author: str = ""
    author_position: str = ""
    company: str = ""
    date: dt.date = dt.date(2000, 1, 1)
    version: str = ""
    status: str = ""
    approvals: tuple[Signatory, ...] = ()


def author_line(label: str, meta: DocMeta) -> str:
    """Who prepared the document, with the position: «Составил: Карпов Сергей
    Александрович, руководитель проекта»."""
    if not meta.author:
        return ""
    from crmimpl.i18n import lower_position

    position = lower_position(meta.author_position, meta.lang)
    return f"{label}: {meta.author}" + (f", {position}" if position else "")


def signature_date(template: str, meta: DocMeta) -> str:
    """The date line under a signature: the year of the document printed («___» ______
    2026 г.), «20__» when the document has no date."""
    year = str(meta.date.year) if meta.date != dt.date(2000, 1, 1) else "20__"
    return template.replace("{year}", year)


def plain_text(runs: list[Run]) -> str:
    """The text of ``runs`` without formatting."""
    return "".join(run.text for run in runs)


def to_jsonable(blocks: list[Block]) -> list[dict[str, object]]:
    """A JSON-ready form of ``blocks``: each block is ``{"type": ..., fields...}``.

    Runs are compacted to only their non-default fields so golden files stay readable.
    """
    return [_jsonable(block) for block in blocks]  # type: ignore[misc]


def _jsonable(value: object) -> object:
    if isinstance(value, Run):
        return {k: v for k, v in dataclasses.asdict(value).items() if v or k == "text"}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, object] = {"type": type(value).__name__}
        for f in dataclasses.fields(value):
            out[f.name] = _jsonable(getattr(value, f.name))
        return out
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value
