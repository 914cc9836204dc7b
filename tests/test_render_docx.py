"""Blocks → DOCX: golden parts, structure python-docx cannot express, hostile text."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from crmimpl.errors import CrmimplError
from crmimpl.render.blocks import DocMeta
from crmimpl.render.docx import default_reference, write_docx
from crmimpl.render.markdown import parse_blocks, render_markdown

DATA = Path(__file__).resolve().parent / "data" / "render"
GOLDEN = DATA / "sample_docx"
ROOT = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}
PARTS = ["word/document.xml", "word/numbering.xml", "word/settings.xml", "word/header1.xml",
         "word/footer1.xml", "word/_rels/document.xml.rels", "docProps/core.xml",
         "docProps/app.xml"]
HOSTILE = ["**bold**", "{{ x }}", "<script>alert(1)</script>", "a | b | c", "д" * 5000]


def sample_meta(lang: str = "ru") -> DocMeta:
    data = json.loads((DATA / "meta.json").read_text(encoding="utf-8"))
    data["date"] = dt.date.fromisoformat(data["date"])
    data["lang"] = lang
    return DocMeta(**data)


def sample_docx(out: Path, lang: str = "ru", markdown_text: str | None = None) -> Path:
    if markdown_text is None:
        context = json.loads((DATA / "context.json").read_text(encoding="utf-8"))
        markdown_text = render_markdown("sample", "ru", context, user_dir=DATA)
    return write_docx(parse_blocks(markdown_text), out, meta=sample_meta(lang))


def pretty(xml: bytes) -> str:
    parser = etree.XMLParser(remove_blank_text=True)
    return etree.tostring(etree.fromstring(xml, parser), pretty_print=True, encoding="unicode")


def xml_part(path: Path, name: str) -> Any:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_docx(tmp_path_factory.mktemp("docx") / "sample.docx")


@pytest.mark.parametrize("part", PARTS)
def test_sample_parts_match_golden(sample: Path, part: str, update_testdata: bool) -> None:
    with zipfile.ZipFile(sample) as z:
        got = pretty(z.read(part))
    golden = GOLDEN / part
    if update_testdata:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


def test_output_is_deterministic(sample: Path, tmp_path: Path) -> None:
    again = sample_docx(tmp_path / "again.docx")
    with zipfile.ZipFile(sample) as a, zipfile.ZipFile(again) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name


def test_heading_numbering_comes_from_styles(sample: Path) -> None:
    styles = xml_part(sample, "word/styles.xml")
    for level in (1, 2, 3):
        ilvl = styles.xpath(f'w:style[@w:styleId="Heading{level}"]/w:pPr/w:numPr/w:ilvl/@w:val',
                            namespaces=NS)
        assert ilvl == [str(level - 1)]
    numbering = xml_part(sample, "word/numbering.xml")
    texts = numbering.xpath('w:abstractNum[@w:abstractNumId="0"]/w:lvl/w:lvlText/@w:val',
                            namespaces=NS)
    assert texts[:3] == ["%1", "%1.%2", "%1.%2.%3"]


def test_each_numbered_list_restarts(sample: Path) -> None:
    doc = xml_part(sample, "word/document.xml")
    numbered = doc.xpath('//w:p[w:pPr/w:pStyle[starts-with(@w:val, "ListNumber")]]',
                         namespaces=NS)
    num_ids = [p.xpath("w:pPr/w:numPr/w:numId/@w:val", namespaces=NS)[0] for p in numbered]
    assert len(set(num_ids)) == 4  # goals, works, nested works, acceptance
    numbering = xml_part(sample, "word/numbering.xml")
    for num_id in set(num_ids):
        starts = numbering.xpath(
            f'w:num[@w:numId="{num_id}"]/w:lvlOverride[@w:ilvl="0"]/w:startOverride/@w:val',
            namespaces=NS)
        assert starts == ["1"]


def test_table_header_repeats_and_widths_follow_content_and_directive(sample: Path) -> None:
    doc = xml_part(sample, "word/document.xml")
    tables = doc.xpath("//w:tbl", namespaces=NS)
    assert len(tables) == 2
    for tbl in tables:
        rows = tbl.xpath("w:tr", namespaces=NS)
        assert rows[0].xpath("w:trPr/w:tblHeader", namespaces=NS)
        assert not rows[1].xpath("w:trPr/w:tblHeader", namespaces=NS)
    widths = [int(w) for w in tables[0].xpath("w:tblGrid/w:gridCol/@w:w", namespaces=NS)]
    # Every cell fits on one line: each column has its widest line, and the room to
    # spare goes as the directive 15,55,30 says.
    assert sum(widths) == 9355
    assert widths[1] > widths[2] > widths[0]


def test_toc_is_written_out_and_word_asks_nothing(sample: Path) -> None:
    settings = xml_part(sample, "word/settings.xml")
    assert not settings.xpath("w:updateFields", namespaces=NS)
    doc = xml_part(sample, "word/document.xml")
    instr = "".join(doc.xpath("//w:instrText/text()", namespaces=NS))
    assert 'TOC \\o "1-3"' in instr
    assert not doc.xpath("//w:fldChar[@w:dirty]", namespaces=NS)
    entries = doc.xpath('//w:p[w:pPr/w:pStyle[starts-with(@w:val, "TOC") and '
                        '@w:val != "TOCHeading"]]', namespaces=NS)
    texts = ["".join(p.xpath(".//w:t/text()", namespaces=NS)) for p in entries]
    assert texts[:3] == ["1 Общие сведения", "1.1 Цели проекта", "1.2 Участники"]
    anchors = doc.xpath("//w:hyperlink/@w:anchor", namespaces=NS)
    marks = doc.xpath("//w:bookmarkStart/@w:name", namespaces=NS)
    assert anchors and set(anchors) <= set(marks)
    assert "F9" not in "".join(doc.itertext())


def test_toc_page_numbers_are_written_when_known(tmp_path: Path) -> None:
    from crmimpl.render.docx import toc_entries

    blocks = parse_blocks("<!-- toc -->\n# One\n\ntext\n\n## Two\n\n# Three\n")
    assert toc_entries(blocks) == ["1 One", "1.1 Two", "2 Three"]
    out = write_docx(blocks, tmp_path / "t.docx", meta=sample_meta(), toc_pages=["2", "2", "3"])
    doc = xml_part(out, "word/document.xml")
    lines = ["".join(p.xpath(".//w:t/text()|.//w:tab", namespaces=NS) and
                     [t if isinstance(t, str) else "\t" for t in
                      p.xpath(".//w:t/text()|.//w:tab", namespaces=NS)])
             for p in doc.xpath("//w:p[w:hyperlink]", namespaces=NS)]
    assert lines == ["1 One\t2", "1.1 Two\t2", "2 Three\t3"]


def page_sizes(path: Path) -> list[tuple[int, int, str]]:
    doc = xml_part(path, "word/document.xml")
    return [(int(s.get(f"{W}w")), int(s.get(f"{W}h")), s.get(f"{W}orient", "portrait"))
            for s in doc.xpath("//w:sectPr/w:pgSz", namespaces=NS)]


PORTRAIT, LANDSCAPE = (11906, 16838, "portrait"), (16838, 11906, "landscape")
WIDE_ROW = "| " + " | ".join(["Ответственность"] * 8) + " |\n"
WIDE_TABLE = WIDE_ROW + "|" + "---|" * 8 + "\n" + WIDE_ROW


def test_landscape_hint_for_a_table_that_fits_portrait_is_dropped(sample: Path) -> None:
    # The sample's landscape region holds a four-column table: no half-empty page for it.
    assert page_sizes(sample) == [PORTRAIT]
    first = xml_part(sample, "word/document.xml").xpath("//w:sectPr", namespaces=NS)[0]
    assert first.xpath("w:titlePg", namespaces=NS)  # the title page has no header


def test_wide_table_gets_a_landscape_section(tmp_path: Path) -> None:
    text = f"# A\n\ntext\n\n{WIDE_TABLE}\n# B\n\ntext\n"
    out = sample_docx(tmp_path / "w.docx", markdown_text=text)
    assert page_sizes(out) == [PORTRAIT, LANDSCAPE, PORTRAIT]
    # At the end of a document the landscape section is the last: no empty portrait page.
    out = sample_docx(tmp_path / "e.docx", markdown_text=f"# A\n\n<!-- landscape -->\n"
                                                        f"{WIDE_TABLE}\n<!-- /landscape -->\n")
    assert page_sizes(out) == [PORTRAIT, LANDSCAPE]


def test_landscape_pages_have_their_header_tab_at_their_margin(tmp_path: Path) -> None:
    import docx

    text = f"# A\n\ntext\n\n{WIDE_TABLE}\n# B\n\ntext\n"
    out = sample_docx(tmp_path / "t.docx", markdown_text=text)
    sections = docx.Document(str(out)).sections
    portrait, landscape, back = (s.header._element for s in sections)  # type: ignore[attr-defined]
    assert portrait is back  # portrait pages after the landscape ones: the first header
    stops = landscape.xpath(".//w:tabs/w:tab")
    assert [(t.get(f"{W}val"), t.get(f"{W}pos")) for t in stops] == [
        ("clear", "9355"), ("right", "14287")]
    assert "".join(landscape.itertext()) == "".join(portrait.itertext())


def test_heading_goes_with_its_table_into_the_landscape_section(tmp_path: Path) -> None:
    out = sample_docx(tmp_path / "h.docx", markdown_text=f"# A\n\ntext\n\n# Риски\n\n{WIDE_TABLE}")
    body = xml_part(out, "word/document.xml").find(f"{W}body")
    kinds = []
    for child in body:
        if child.xpath("w:pPr/w:sectPr", namespaces=NS):
            kinds.append("break")
        elif child.xpath("w:pPr/w:pStyle[@w:val='Heading1']", namespaces=NS):
            kinds.append("".join(child.itertext()))
        elif child.tag == f"{W}tbl":
            kinds.append("table")
    assert kinds == ["A", "break", "Риски", "table"]


def test_columns_are_never_narrower_than_their_longest_word(tmp_path: Path) -> None:
    from crmimpl.render.textwidth import text_width

    text = ("<!-- widths: 5,80,15 -->\n| Требование | Описание | Сумма |\n|---|---|---:|\n"
            "| R01 | длинный текст описания требования | 4\u00a0445\u00a0932\u00a0₽ |\n")
    out = sample_docx(tmp_path / "c.docx", markdown_text=text)
    doc = xml_part(out, "word/document.xml")
    widths = [int(w) for w in doc.xpath("//w:tblGrid/w:gridCol/@w:w", namespaces=NS)]
    assert sum(widths) == 9355
    assert widths[0] > text_width("Требование", 10, bold=True) + 170
    assert widths[2] > text_width("4\u00a0445\u00a0932\u00a0₽", 10) + 170
    assert widths[1] > widths[0]  # the hint still gives the description the room


def test_the_column_with_long_text_gets_the_room(tmp_path: Path) -> None:
    long = " ".join(["правило переноса записей"] * 12)
    text = ("<!-- widths: 30,40,30 -->\n| Источник | Формат | Правила |\n|---|---|---|\n"
            f"| таблицы Excel | CSV | {long} |\n")
    out = sample_docx(tmp_path / "l.docx", markdown_text=text)
    doc = xml_part(out, "word/document.xml")
    widths = [int(w) for w in doc.xpath("//w:tblGrid/w:gridCol/@w:w", namespaces=NS)]
    assert widths[2] > widths[0] + widths[1]  # the hint gives way to the content


def test_properties_language_and_header(sample: Path) -> None:
    import docx

    document = docx.Document(str(sample))
    props = document.core_properties
    assert (props.title, props.author) == ("Отчёт о предпроектном обследовании", "Петров П.П.")
    assert props.created == dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    app = xml_part(sample, "docProps/app.xml")
    assert app.findtext("{*}Company") == "ООО «Внедрение»"
    styles = xml_part(sample, "word/styles.xml")
    assert styles.xpath("w:docDefaults//w:lang/@w:val", namespaces=NS) == ["ru-RU"]
    header = document.sections[0].header.paragraphs[0].text
    assert header == "Отчёт о предпроектном обследовании\tCRM для «Ромашки»"
    footer = "".join(xml_part(sample, "word/footer1.xml").itertext())
    assert footer.startswith("стр. ") and " из " in footer


def test_english_document_says_page_of(tmp_path: Path) -> None:
    out = sample_docx(tmp_path / "en.docx", lang="en", markdown_text="<!-- toc -->\n# Intro\n")
    footer = "".join(xml_part(out, "word/footer1.xml").itertext())
    assert footer.startswith("page ") and " of " in footer
    styles = xml_part(out, "word/styles.xml")
    assert styles.xpath("w:docDefaults//w:lang/@w:val", namespaces=NS) == ["en-US"]
    assert "Contents" in "".join(xml_part(out, "word/document.xml").itertext())


def test_only_named_styles_and_emphasis_are_used(sample: Path) -> None:
    doc = xml_part(sample, "word/document.xml")
    run_props = {etree.QName(e).localname for e in doc.xpath("//w:rPr/*", namespaces=NS)}
    assert run_props <= {"rStyle", "b", "i"}


def test_hostile_values_appear_literally(tmp_path: Path) -> None:
    import docx

    template = tmp_path / "h.md.j2"
    template.write_text("# {{ v }}\n\n{{ v }}\n\n- {{ v }}\n\n| A |\n|---|\n| {{ v }} |\n")
    for number, value in enumerate(HOSTILE):
        text = render_markdown("h", "ru", {"v": value}, user_dir=tmp_path)
        out = sample_docx(tmp_path / f"h{number}.docx", markdown_text=text)
        document = docx.Document(str(out))
        paragraphs = [p.text for p in document.paragraphs]
        assert [p for p in paragraphs if p] == [value, value, value]
        assert [c.text for row in document.tables[0].rows for c in row.cells] == ["A", value]


def test_reference_without_our_styles_still_works(tmp_path: Path) -> None:
    """A firm's reference file may lack our custom styles: they are added, not fatal."""
    import docx

    plain = Path(docx.__file__).parent / "templates" / "default.docx"
    text = "# H\n\n`c` and **b**\n\n1. one\n\n| a |\n|---|\n| 1 |\n\n- [x] done\n"
    out = write_docx(parse_blocks(text), tmp_path / "p.docx", meta=sample_meta(),
                     reference=plain)
    names = {s.name for s in docx.Document(str(out)).styles}
    assert {"Code Char", "CRM Table", "Checklist", "Table Text"} <= names


def test_missing_reference_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(CrmimplError, match="reference DOCX not found"):
        write_docx([], tmp_path / "x.docx", meta=sample_meta(), reference=tmp_path / "no.docx")
    broken = tmp_path / "broken.docx"
    broken.write_text("not a zip")
    with pytest.raises(CrmimplError, match="not a usable DOCX"):
        write_docx([], tmp_path / "x.docx", meta=sample_meta(), reference=broken)
    assert not (tmp_path / "x.docx").exists()


def test_reference_docx_is_reproducible(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("mkref", ROOT / "tools/make_reference_docx.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = module.main(tmp_path / "reference.docx")
    with zipfile.ZipFile(fresh) as a, zipfile.ZipFile(default_reference()) as b:
        for name in ("word/styles.xml", "word/numbering.xml", "word/document.xml",
                     "word/footer1.xml", "word/header1.xml", "docProps/core.xml"):
            assert a.read(name) == b.read(name), f"{name}: run tools/make_reference_docx.py"


def test_toc_of_a_reference_without_heading_numbers_has_no_numbers(tmp_path: Path) -> None:
    import docx

    plain = Path(docx.__file__).parent / "templates" / "default.docx"
    out = write_docx(parse_blocks("<!-- toc -->\n# One\n\n## Two\n"), tmp_path / "p.docx",
                     meta=sample_meta(), reference=plain)
    doc = xml_part(out, "word/document.xml")
    links = ["".join(h.xpath(".//w:t/text()", namespaces=NS))
             for h in doc.xpath("//w:hyperlink", namespaces=NS)]
    assert links == ["One", "Two"]


def test_arrange_drops_breaks_that_would_make_empty_pages() -> None:
    from crmimpl.render.blocks import (
        Heading,
        LandscapeEnd,
        LandscapeStart,
        PageBreak,
        Run,
        Table,
        TitlePage,
    )
    from crmimpl.render.docx import arrange

    def kinds(blocks: list[Any]) -> list[str]:
        return [type(b).__name__ for b in blocks]

    h = Heading(1, [Run("H")])
    wide = Table([[Run("a")]], [[[Run("b")]]])
    narrow = Table([[Run("a")]], [[[Run("b")]]])

    def fits(table: Any, hinted: bool = False) -> bool:
        return table is narrow

    assert kinds(arrange([TitlePage(), PageBreak(), h, PageBreak()], fits)) == [
        "TitlePage", "Heading"]
    # Two landscape tables in a row share one landscape section; a region whose table
    # fits portrait is no section at all.
    blocks = [LandscapeStart(), wide, LandscapeEnd(), PageBreak(), LandscapeStart(), wide,
              LandscapeEnd(), h, LandscapeStart(), narrow, LandscapeEnd(), h]
    assert kinds(arrange(blocks, fits)) == [
        "LandscapeStart", "Table", "Table", "LandscapeEnd", "Heading", "Table", "Heading"]


def test_the_lead_in_sentence_goes_with_its_landscape_table() -> None:
    from crmimpl.render.blocks import LandscapeStart, Paragraph, Run, Table
    from crmimpl.render.docx import arrange

    lead = Paragraph([Run("Данные переносятся из следующих источников:")])
    other = Paragraph([Run("Обычный абзац.")])
    wide = Table([[Run("a")]], [[[Run("b")]]])
    out = arrange([other, lead, wide], lambda _t, _h=False: False)
    assert out[0] is other and isinstance(out[1], LandscapeStart) and out[2] is lead


def test_the_running_header_stays_on_one_line() -> None:
    """Title and project share the header line; a long project name is cut at a word with
    "…" rather than wrapping on every page, and a short one is left whole."""
    from crmimpl.render.docx import HEADER_PT, HEADER_TWIPS, _header_fit
    from crmimpl.render.textwidth import text_width

    title = "Техническое задание на подключение телефонии к CRM"
    project = "Подключение телефонии к CRM в сервисной компании «ТеплоСервис»"
    # a name that does not fit gives way to the client's quoted name, not «в сервисной…»
    assert _header_fit(title, project) == "«ТеплоСервис»"
    unquoted = "Подключение телефонии к CRM в сервисной компании ТеплоСервис города Тулы"
    fitted = _header_fit(title, unquoted)
    assert fitted.endswith("…") and unquoted.startswith(fitted[:-1])
    assert text_width(title, HEADER_PT) + text_width(fitted, HEADER_PT) <= HEADER_TWIPS
    assert _header_fit("Отчет", project) == project


def test_a_lead_in_keeps_with_what_it_introduces(tmp_path: Path) -> None:
    """A paragraph ending with a colon is never left alone at the foot of a page."""
    out = sample_docx(tmp_path / "k.docx",
                      markdown_text="# A\n\nПодтверждения:\n\n- one\n- two\n\nPlain text.\n")
    body = xml_part(out, "word/document.xml")
    kept = ["".join(p.itertext()) for p in body.xpath("//w:p[w:pPr/w:keepNext]", namespaces=NS)
            if not p.xpath("w:pPr/w:pStyle", namespaces=NS)]
    assert kept == ["Подтверждения:"]


def test_the_paragraph_before_a_table_keeps_with_it(tmp_path: Path) -> None:
    """LibreOffice moves a table with a repeated header row that starts at the foot of a
    page but keeps its first split (a page with two rows, then blank): the paragraph
    before every table keeps with it, so both move and the table is laid out afresh
    (tests/test_layout_lo.py checks the pages)."""
    text = ("# A\n\nВ графе указаны темы.\n\n| Дата | Тема |\n|---|---|\n| 1 | x |\n\n"
            "| Дата | Тема |\n|---|---|\n| 2 | y |\n\nПосле таблицы.\n")
    body = xml_part(sample_docx(tmp_path / "t.docx", markdown_text=text), "word/document.xml")
    for tbl in body.xpath("//w:body/w:tbl", namespaces=NS):
        before = tbl.getprevious()
        assert before.tag == f"{{{NS['w']}}}p"
        assert before.xpath("w:pPr/w:keepNext", namespaces=NS), "".join(before.itertext())
    after = body.xpath("//w:p[.//w:t='После таблицы.']", namespaces=NS)[0]
    assert not after.xpath("w:pPr/w:keepNext", namespaces=NS)


def test_a_short_body_row_is_never_split_over_two_pages(tmp_path: Path) -> None:
    tall = " ".join(["условие, которое клиент описал подробно"] * 60)
    text = ("| № | Описание |\n|---|---|\n| 1 | первая строка |\n| 2 | короткая строка |\n"
            f"| 3 | {tall} |\n")
    doc = xml_part(sample_docx(tmp_path / "r.docx", markdown_text=text), "word/document.xml")
    rows = doc.xpath("//w:tbl/w:tr", namespaces=NS)
    # header; the first body row may split (LibreOffice drops the rows after an unsplittable
    # first row under a repeated header at a page foot); a short row; a row taller than
    # the limit may break
    assert [bool(r.xpath("w:trPr/w:cantSplit", namespaces=NS)) for r in rows] == \
        [True, False, True, False]


def _register(rows: int, length: int = 200) -> str:
    text = ("Запрет выставления счета клиенту, превысившему кредитный лимит или имеющему "
            "просрочку, без согласования главного бухгалтера (свыше 3 млн руб. — также "
            "генерального директора)")[:length]
    head = "| № | Область | Требование | Приоритет | Источник | Покрытие |\n" + "|---" * 6 + "|\n"
    body = "".join(f"| R{n:02d} | Воронка продаж и сделки | {text} | обязательно (M) | "
                   f"Отдел продаж строительным организациям | типовая функция |\n"
                   for n in range(1, rows + 1))
    return f"# A\n\ntext\n\n<!-- landscape -->\n<!-- widths: 7,16,41,12,12,12 -->\n{head}{body}" \
           "<!-- /landscape -->\n\n# B\n\ntext\n"


def test_a_long_register_hinted_landscape_is_not_cramped_into_portrait(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every row of a long register would wrap to many lines in portrait: the template's
    landscape hint is taken; a few such rows stay portrait (no half-empty page)."""
    out = sample_docx(tmp_path / "r.docx", markdown_text=_register(14, 120))
    assert page_sizes(out) == [PORTRAIT, LANDSCAPE, PORTRAIT]
    import crmimpl.render.docx as writer

    monkeypatch.setattr(writer, "_LONG_HINTED", 10**6)  # judged as any other table
    out = sample_docx(tmp_path / "p.docx", markdown_text=_register(14, 120))
    assert page_sizes(out) == [PORTRAIT]
    out = sample_docx(tmp_path / "s.docx", markdown_text=_register(4, 110))
    assert page_sizes(out) == [PORTRAIT]


def test_a_short_section_lead_in_goes_with_its_landscape_table() -> None:
    """A section's heading, its short paragraph and summary list move onto the table's
    landscape page, instead of standing alone on a near-empty portrait page."""
    from crmimpl.render.blocks import (
        BulletList,
        Heading,
        LandscapeStart,
        ListItem,
        Paragraph,
        Run,
        Table,
    )
    from crmimpl.render.docx import arrange

    body = Paragraph([Run("Текст предыдущего раздела. " * 40)])
    heading = Heading(1, [Run("Реестр требований")])
    intro = Paragraph([Run("Каждое требование имеет идентификатор.")])
    summary = BulletList([ListItem([Run("По покрытию: настройка — 11")]),
                          ListItem([Run("По приоритету: обязательно — 13")])])
    wide = Table([[Run("a")]], [[[Run("b")]]])
    out = arrange([body, heading, intro, summary, wide], lambda _t, _h=False: False)
    assert out[0] is body and isinstance(out[1], LandscapeStart)
    assert out[2:6] == [heading, intro, summary, wide]
    # a long lead-in stays where it is: only the headings would move
    long = Paragraph([Run("Длинное вступление. " * 80)])
    out = arrange([heading, long, wide], lambda _t, _h=False: False)
    assert out[0] is heading and out[1] is long and isinstance(out[2], LandscapeStart)


def test_a_document_ending_in_a_table_has_no_paragraph_after_it(tmp_path: Path) -> None:
    """Even a 1-pt paragraph after a last table spilled onto a blank last page when the
    table filled its page (teplo's English training plan, round 22); a table in the
    middle keeps its normal paragraph after it."""
    import docx
    from docx.oxml.ns import qn

    blocks = parse_blocks("Text.\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\nMore.\n\n"
                          "| C | D |\n|---|---|\n| 3 | 4 |\n")
    out = write_docx(blocks, tmp_path / "end.docx", meta=DocMeta(title="T"))
    body = list(docx.Document(str(out)).element.body)
    assert [el.tag for el in body[-2:]] == [qn("w:tbl"), qn("w:sectPr")]
    first = next(i for i, el in enumerate(body) if el.tag == qn("w:tbl"))
    assert body[first + 1].tag == qn("w:p")
