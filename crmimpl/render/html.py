"""Blocks to one self-contained HTML file (inline CSS, no scripts, prints on A4).

Headings are numbered by CSS counters; the table of contents is built here from the
same headings with the same numbers. Every piece of text goes through
:func:`html.escape`, so nothing from a project file can become markup.
"""

from __future__ import annotations

import html
from pathlib import Path

from crmimpl.i18n import format_date, no_widow, tie, words
from crmimpl.render.blocks import (
    Block,
    BulletList,
    CodeBlock,
    DocMeta,
    Heading,
    LandscapeEnd,
    LandscapeStart,
    ListItem,
    OrderedList,
    PageBreak,
    Paragraph,
    Quote,
    Run,
    Signatory,
    Table,
    TitlePage,
    Toc,
    author_line,
    plain_text,
    signature_date,
)
from crmimpl.resources import templates_dir
from crmimpl.store import atomic_write_text

CHECKBOX = {False: "☐", True: "☒"}


def default_css() -> str:
    """The built-in stylesheet (``templates/html/style.css``)."""
    return (templates_dir() / "html" / "style.css").read_text(encoding="utf-8")


def write_html(
    blocks: list[Block], out_path: Path | str, *, meta: DocMeta, css: str | None = None
) -> Path:
    """Write ``blocks`` as one self-contained HTML file (atomically).

    Args:
        blocks: The document, usually from :func:`crmimpl.render.markdown.parse_blocks`.
        out_path: Where to write.
        meta: Title page, ``<title>``, language and page footer labels.
        css: A stylesheet to embed instead of the built-in one.

    Returns:
        ``out_path`` as a :class:`~pathlib.Path`.
    """
    return atomic_write_text(out_path, render_html(blocks, meta=meta, css=css))


def render_html(blocks: list[Block], *, meta: DocMeta, css: str | None = None) -> str:
    """The HTML text of :func:`write_html`."""
    labels = words("document", meta.lang)
    numbers = _heading_numbers(blocks)
    body = _HtmlBody(meta, labels, numbers, blocks).render()
    footer = (f'@page {{ @bottom-right {{ content: "{labels["page"]} " counter(page) '
              f'" {labels["of"]} " counter(pages); font: 9pt "Liberation Sans", Arial, '
              f"sans-serif; color: #595959; }} }}")
    e = html.escape
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{e(meta.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{e(meta.title)}</title>",
        f'<meta name="author" content="{e(meta.author)}">',
        f"<style>\n{css if css is not None else default_css()}\n{footer}\n</style>",
        "</head>",
        "<body>",
        body,
        "</body>",
        "</html>",
        "",
    ])


def _heading_numbers(blocks: list[Block]) -> list[str]:
    """``1``, ``1.1``, ``1.1.1``... for each heading, as the CSS counters number them."""
    counters = [0] * 6
    numbers = []
    for block in blocks:
        if isinstance(block, Heading):
            level = min(block.level, 6)
            counters[level - 1] += 1
            counters[level:] = [0] * (6 - level)
            numbers.append(".".join(str(n) for n in counters[:level]))
    return numbers


def _runs(runs: list[Run]) -> str:
    out = []
    for run in runs:
        text = html.escape(run.text if run.code else tie(run.text)).replace("\n", "<br>")
        if run.code:
            text = f"<code>{text}</code>"
        if run.italic:
            text = f"<em>{text}</em>"
        if run.bold:
            text = f"<strong>{text}</strong>"
        if run.link:
            text = f'<a href="{html.escape(run.link, quote=True)}">{text}</a>'
        out.append(text)
    return "".join(out)


class _HtmlBody:
    def __init__(self, meta: DocMeta, labels: dict[str, str], numbers: list[str],
                 blocks: list[Block]) -> None:
        self.meta = meta
        self.labels = labels
        self.numbers = numbers
        self.blocks = blocks
        self.headings = [b for b in blocks if isinstance(b, Heading)]
        self.heading_index = 0

    def render(self) -> str:
        return "\n".join(self.block(block) for block in self.blocks)

    def block(self, block: Block) -> str:
        handler = getattr(self, f"_{type(block).__name__.lower()}")
        return str(handler(block))

    def _heading(self, block: Heading) -> str:
        index = self.heading_index
        self.heading_index += 1
        level = min(block.level, 6)
        return f'<h{level} id="sec-{index + 1}">{_runs(block.runs)}</h{level}>'

    def _paragraph(self, block: Paragraph) -> str:
        return f"<p>{_runs(block.runs)}</p>"

    def _codeblock(self, block: CodeBlock) -> str:
        return f"<pre><code>{html.escape(block.text)}</code></pre>"

    def _quote(self, block: Quote) -> str:
        inner = "".join(f"<p>{_runs(runs)}</p>" for runs in block.paragraphs)
        return f"<blockquote>{inner}</blockquote>"

    def _bulletlist(self, block: BulletList) -> str:
        checklist = all(item.checked is not None for item in block.items)
        cls = ' class="checklist"' if checklist else ""
        return f"<ul{cls}>{''.join(self._item(item) for item in block.items)}</ul>"

    def _orderedlist(self, block: OrderedList) -> str:
        start = f' start="{block.start}"' if block.start != 1 else ""
        return f"<ol{start}>{''.join(self._item(item) for item in block.items)}</ol>"

    def _item(self, item: ListItem) -> str:
        box = ""
        if item.checked is not None:
            box = f'<span class="box">{CHECKBOX[item.checked]}</span>'
        children = "".join(self.block(child) for child in item.children)
        return f"<li>{box}{_runs(item.runs)}{children}</li>"

    def _table(self, block: Table) -> str:
        cols = ""
        if block.widths:
            total = sum(block.widths)
            cols = "<colgroup>" + "".join(
                f'<col style="width:{w * 100 / total:.1f}%">' for w in block.widths
            ) + "</colgroup>"
        head = "".join(self._cell("th", cell, block, i) for i, cell in enumerate(block.header))
        rows = "".join(
            "<tr>" + "".join(self._cell("td", c, block, i) for i, c in enumerate(row)) + "</tr>"
            for row in block.rows
        )
        return f"<table>{cols}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"

    @staticmethod
    def _cell(tag: str, runs: list[Run], block: Table, col: int) -> str:
        align = block.align[col] if col < len(block.align) else None
        style = f' style="text-align:{align}"' if align else ""
        return f"<{tag}{style}>{_runs(runs)}</{tag}>"

    def _pagebreak(self, _block: PageBreak) -> str:
        return '<div class="page-break"></div>'

    def _landscapestart(self, _block: LandscapeStart) -> str:
        return '<section class="landscape">'

    def _landscapeend(self, _block: LandscapeEnd) -> str:
        return "</section>"

    def _toc(self, block: Toc) -> str:
        entries = [(h.level, n, plain_text(h.runs), i + 1)
                   for i, (h, n) in enumerate(zip(self.headings, self.numbers, strict=True))
                   if h.level <= block.depth]
        items: list[str] = []
        level = 0
        for entry_level, number, text, index in entries:
            while level < entry_level:
                items.append("<ol>")
                level += 1
            while level > entry_level:
                items.append("</ol>")
                level -= 1
            items.append(f'<li><a href="#sec-{index}">{number} {html.escape(text)}</a></li>')
        items.extend("</ol>" for _ in range(level))
        title = html.escape(self.labels["toc"])
        return f'<nav class="toc"><h2>{title}</h2>{"".join(items)}</nav>'

    def _titlepage(self, _block: TitlePage) -> str:
        m, e, labels = self.meta, html.escape, self.labels
        version = labels["version_line"].format(version=m.version, status=m.status) \
            if m.version and m.status else ""
        ru = m.lang == "ru"  # the firm at the foot of a Russian title page, as in the DOCX
        lines = [
            ("company", "" if ru else m.company), ("doc-title", no_widow(m.title)),
            ("doc-subtitle", no_widow(m.subtitle)),
            ("info", f"{labels['project']}: {m.project}" if m.project else ""),
            ("info", f"{labels['client']}: {m.client}" if m.client else ""),
            ("info", version),
            ("info", author_line(labels["prepared_by"], m)),
            ("info", m.company if ru else ""),
            ("info", format_date(m.date, m.lang, "date_title")),
        ]
        inner = "".join(f'<p class="{cls}">{e(text)}</p>' for cls, text in lines if text)
        if m.lang == "ru":
            inner = self._approval_blocks() + inner
        else:
            inner += self._signoff_table()
        return f'<section class="title-page">{inner}</section>'

    def _approval_blocks(self) -> str:
        """УТВЕРЖДАЮ (right) and СОГЛАСОВАНО (left) above the title."""
        if not self.meta.approvals:
            return ""
        cells = []
        for kind in ("agree", "approve"):
            blocks = [self._signature_block(s) for s in self.meta.approvals if s.kind == kind]
            cells.append(f"<td>{''.join(blocks)}</td>")
        return f'<table class="approvals"><tr>{"".join(cells)}</tr></table>'

    def _signature_block(self, signer: Signatory) -> str:
        e, labels = html.escape, self.labels
        lines = [f"<strong>{e(labels[signer.kind])}</strong>"]
        lines += [e(text) for text in (signer.position or signer.role, signer.company) if text]
        lines += [e(f"_____________ {signer.short_name}"),
                  e(signature_date(labels["signature_date"], self.meta))]
        return f'<p class="signature">{"<br>".join(lines)}</p>'

    def _signoff_table(self) -> str:
        """The English sign-off table: role, name, position, signature, date."""
        if not self.meta.approvals:
            return ""
        e = html.escape
        head = "".join(f"<th>{e(text)}</th>" for text in self.labels["signoff_cols"])
        rows = "".join(
            f"<tr><td>{e(s.role)}</td><td>{e(s.name)}</td>"
            f"<td>{e(', '.join(t for t in (s.position, s.company) if t))}</td>"
            "<td></td><td></td></tr>"
            for s in self.meta.approvals
        )
        return (f'<p class="info">{e(self.labels["signoff"])}</p>'
                f'<table class="signoff"><thead><tr>{head}</tr></thead>'
                f"<tbody>{rows}</tbody></table>")
