"""The vendor selection and cost of ownership workbook.

Sheets: the selection matrix (criteria × candidates, SUMPRODUCT totals, RANK), the TCO
(inputs and cost lines per candidate and licensing, per year) and, when revenue figures
are given, the return on investment with a month-by-month cash flow. Every derived number
is a live formula that rounds where :mod:`crmimpl.plan.economics` rounds, so an office
application recalculates exactly the tool's figures. Text from the project is always
written as a string cell, never as a formula.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmimpl.plan.economics import (
    EconomicsResult,
    Offer,
    criterion_label,
    offer_label,
    text,
)
from crmimpl.render.cells import new_workbook, print_setup, put, save_workbook, shared
from crmimpl.store import atomic_write_with

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

MONEY = "#,##0.00"
HEADER_FILL = "DDE5F0"


@dataclass
class Anchors:
    """Where the key results are: ``key → 'Sheet'!A1``, for tests and cross-references."""

    cells: dict[str, str] = field(default_factory=dict)

    def put(self, key: str, ws: Worksheet, row: int, col: int) -> str:
        """Record a cell and return its absolute reference with the sheet name."""
        from openpyxl.utils import get_column_letter

        ref = f"{_quote(ws.title)}!${get_column_letter(col)}${row}"
        self.cells[key] = ref
        return ref


def write_selection_workbook(result: EconomicsResult, path: Path | str) -> Path:
    """Write the selection, TCO and ROI sheets to ``path`` (atomically)."""
    wb, _ = build_workbook(result)
    return atomic_write_with(Path(path), lambda tmp: save_workbook(wb, tmp))


def build_workbook(result: EconomicsResult) -> tuple[Workbook, Anchors]:
    """The workbook in memory, with the references of its key result cells.

    Anchor keys: ``score:<cand>``, ``score5:<cand>``, ``rank:<cand>``,
    ``tco:<cand>/<licensing>:<year>``, ``tco:<cand>/<licensing>:total``,
    ``benefit:<cand>/<licensing>``, ``roi:<cand>/<licensing>``,
    ``payback:<cand>/<licensing>``.
    """

    lang = result.language
    wb = new_workbook()
    anchors = Anchors()
    sel = wb.active
    assert sel is not None
    sel.title = text("text", "sheet_selection", lang)
    _selection_sheet(sel, result, anchors)
    tco = wb.create_sheet(text("text", "sheet_tco", lang))
    inputs = _tco_sheet(tco, result, anchors)
    if result.economics.revenue is not None:
        roi = wb.create_sheet(text("text", "sheet_roi", lang))
        _roi_sheet(roi, result, anchors, inputs)
    for ws in wb.worksheets:
        print_setup(ws)
    wb.properties.creator = "crmimpl"
    return wb, anchors


# ------------------------------------------------------------------ cell helpers
def _quote(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _text(ws: Worksheet, row: int, col: int, value: str, bold: bool = False) -> None:
    """A string cell, even when the text starts with '='."""
    cell = put(ws.cell(row=row, column=col), value)
    if bold:
        from openpyxl.styles import Font

        cell.font = shared(Font, bold=True)


def _num(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = MONEY) -> None:
    cell = ws.cell(row=row, column=col, value=value)
    if fmt:
        cell.number_format = fmt


def _header(ws: Worksheet, row: int, values: list[str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for col, value in enumerate(values, start=1):
        _text(ws, row, col, value)
        cell = ws.cell(row=row, column=col)
        cell.font = shared(Font, bold=True)
        cell.fill = shared(PatternFill, patternType="solid", fgColor=HEADER_FILL)
        cell.alignment = shared(Alignment, wrap_text=True, vertical="top")


def _widths(ws: Worksheet, first: int, rest: int, count: int) -> None:
    from openpyxl.utils import get_column_letter

    ws.column_dimensions["A"].width = first
    for col in range(2, count + 1):
        ws.column_dimensions[get_column_letter(col)].width = rest


def _col(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


# ------------------------------------------------------------------ selection
def _selection_sheet(ws: Worksheet, result: EconomicsResult, anchors: Anchors) -> None:
    lang = result.language
    econ = result.economics
    cands = econ.candidates
    _text(ws, 1, 1, text("text", "title_selection", lang), bold=True)
    _header(ws, 3, [text("text", "criterion", lang), text("text", "weight", lang),
                    *[c.name for c in cands]])
    first = 4
    for i, crit in enumerate(econ.criteria):
        row = first + i
        _text(ws, row, 1, criterion_label(crit, lang))
        _num(ws, row, 2, crit.weight, "0.##")
        for j, cand in enumerate(cands):
            _num(ws, row, 3 + j, crit.scores[cand.id], "0")
    last = first + len(econ.criteria) - 1
    row = last + 1
    if econ.criteria:
        _selection_totals(ws, result, anchors, first, last)
        row = last + 4
    _candidate_facts(ws, result, row + 1)
    _widths(ws, 42, 20, 2 + len(cands))
    ws.freeze_panes = "C4"


def _selection_totals(ws: Worksheet, result: EconomicsResult, anchors: Anchors,
                      first: int, last: int) -> None:
    lang = result.language
    cands = result.economics.candidates
    total, score5, rank = last + 1, last + 2, last + 3
    _text(ws, total, 1, text("text", "weighted_total", lang), bold=True)
    _text(ws, score5, 1, text("text", "score5", lang), bold=True)
    _text(ws, rank, 1, text("text", "rank", lang), bold=True)
    _num(ws, total, 2, f"=SUM(B{first}:B{last})", "0.##")
    # an excluded candidate is scored but not ranked: the rank counts the others only
    ranked = [_col(3 + j) for j, c in enumerate(cands) if c.excluded is None]
    for j, cand in enumerate(cands):
        col = _col(3 + j)
        _num(ws, total, 3 + j, f"=SUMPRODUCT($B${first}:$B${last},{col}{first}:{col}{last})",
             "0.##")
        _num(ws, score5, 3 + j, f"=ROUND({col}{total}/$B${total},2)", "0.00")
        if cand.excluded is None:
            higher = "".join(f"+({other}{total}>{col}{total})" for other in ranked
                             if other != col)
            _num(ws, rank, 3 + j, f"=1{higher}", "0")
        else:
            _text(ws, rank, 3 + j, text("text", "excluded", lang))
        anchors.put(f"score:{cand.id}", ws, total, 3 + j)
        anchors.put(f"score5:{cand.id}", ws, score5, 3 + j)
        anchors.put(f"rank:{cand.id}", ws, rank, 3 + j)


def _candidate_facts(ws: Worksheet, result: EconomicsResult, row: int) -> None:
    from crmimpl.vocabulary import label

    lang = result.language
    facts = [
        (text("criterion_kind", "delivery", lang),
         lambda c: text("delivery", c.delivery, lang)),
        (text("criterion_kind", "developer_country", lang), lambda c: c.developer_country),
        (text("criterion_kind", "support_language", lang),
         lambda c: ", ".join(c.support_languages)),
        (text("criterion_kind", "interfaces", lang),
         lambda c: ", ".join(label("protocol", i, lang) for i in c.interfaces)),
        (text("text", "licensing", lang),
         lambda c: ", ".join(text("licensing", k, lang) for k in ("saas", "perpetual")
                             if getattr(c, k) is not None)),
    ]
    if any(c.excluded is not None for c in result.economics.candidates):
        facts.append((text("text", "excluded", lang),
                      lambda c: str(c.excluded or "").strip()))
    for i, (name, get) in enumerate(facts):
        _text(ws, row + i, 1, name, bold=True)
        for j, cand in enumerate(result.economics.candidates):
            _text(ws, row + i, 3 + j, str(get(cand)))


# ------------------------------------------------------------------ TCO
@dataclass
class OfferCells:
    """References of an offer's input cells on the TCO sheet."""

    refs: dict[str, str]
    total: str


def _tco_sheet(ws: Worksheet, result: EconomicsResult,
               anchors: Anchors) -> dict[str, OfferCells]:
    lang = result.language
    years = result.years
    _text(ws, 1, 1, text("text", "title_tco", lang), bold=True)
    _text(ws, 2, 1, text("text", "users", lang))
    _num(ws, 2, 2, result.users, "0")
    _text(ws, 3, 1, text("text", "years", lang))
    _num(ws, 3, 2, years, "0")
    _text(ws, 4, 1, text("text", "currency", lang))
    _text(ws, 4, 2, result.project.project.currency)
    summary = 6
    _header(ws, summary, [text("text", "candidate", lang),
                          *[f"{text('text', 'year', lang)} {y}" for y in range(1, years + 1)],
                          text("text", "total", lang)])
    row = summary + len(result.offers) + 2
    cells: dict[str, OfferCells] = {}
    for i, offer in enumerate(result.offers):
        year_refs, block, row = _offer_block(ws, result, offer, row)
        cells[offer.key] = block
        _summary_row(ws, result, anchors, offer, summary + 1 + i, year_refs)
        row += 2
    _widths(ws, 44, 16, years + 2)
    return cells


def _summary_row(ws: Worksheet, result: EconomicsResult, anchors: Anchors, offer: Offer,
                 row: int, year_refs: list[str]) -> None:
    _text(ws, row, 1, offer_label(offer, result.language))
    for y, ref in enumerate(year_refs, start=1):
        _num(ws, row, 1 + y, f"={ref}")
        anchors.put(f"tco:{offer.key}:{y}", ws, row, 1 + y)
    end = 2 + len(year_refs)
    _num(ws, row, end, f"=SUM(B{row}:{_col(end - 1)}{row})")
    anchors.put(f"tco:{offer.key}:total", ws, row, end)
    if offer.candidate.excluded is not None:
        _text(ws, row, end + 1, f"{text('text', 'excluded', result.language)}: "
              f"{str(offer.candidate.excluded).strip()}")


def _offer_inputs(offer: Offer) -> list[tuple[str, Any, str | None]]:
    """Input rows of an offer: (label key, value, number format)."""
    inp = offer.inputs
    rows: list[tuple[str, Any, str | None]] = []
    if offer.licensing == "saas":
        rows.append(("per_user_month", inp["per_user_month"], MONEY))
    else:
        rows += [("first_licence", inp["first_licence"], MONEY),
                 ("further_licence", inp["further_licence"], MONEY),
                 *_server_row(offer),
                 ("update_price", _update_price_cell(offer), MONEY),
                 ("update_every_months", int(inp["update_every_months"]), "0")]
    rows += [("infrastructure_per_year", inp["infrastructure_per_year"], MONEY),
             ("connectors", inp["connectors"], MONEY),
             ("implementation", inp["implementation"], MONEY),
             ("support_per_year", inp["support_per_year"], MONEY)]
    if inp["package_months"]:
        rows += [("package_month", inp["package_month"], MONEY),
                 ("package_from", int(inp["package_from"]), "0"),
                 ("package_months", int(inp["package_months"]), "0")]
    return rows


def _server_row(offer: Offer) -> list[tuple[str, Any, str | None]]:
    """The server licences' row of a perpetual offer that has them (none otherwise)."""
    lic = offer.candidate.perpetual
    if lic is None:
        return []
    rows: list[tuple[str, Any, str | None]] = []
    if lic.platform_licence:
        rows.append(("platform_licence", lic.platform_licence, MONEY))
    if lic.server_licences:
        rows.append(("server_licences", lic.server_licences, MONEY))
    return rows


def _update_price_cell(offer: Offer) -> Any:
    """The update price, as a formula of the licences when it is a share of them."""
    lic = offer.candidate.perpetual
    assert lic is not None
    if lic.major_update_price is not None:
        return lic.major_update_price
    return f"=ROUND({lic.major_update_share}*({{first_licence}}+($B$2-1)*{{further_licence}}),2)"


def _offer_block(ws: Worksheet, result: EconomicsResult, offer: Offer,
                 top: int) -> tuple[list[str], OfferCells, int]:
    """Inputs and cost lines of one offer from row ``top``; returns the row after it."""
    lang = result.language
    _text(ws, top, 1, offer_label(offer, lang), bold=True)
    refs: dict[str, str] = {}
    row = top + 1
    for key, value, fmt in _offer_inputs(offer):
        _text(ws, row, 1, text("text", key, lang))
        refs[key] = f"$B${row}"
        if isinstance(value, str):
            value = value.format(**refs)
        _num(ws, row, 2, value, fmt)
        row += 1
    year_refs, total, end = _cost_lines(ws, result, offer, row + 1, refs)
    return year_refs, OfferCells(refs, total), end


def _line_formulas(offer: Offer, year: int, r: dict[str, str]) -> dict[str, str]:
    first = year == 1
    out = {"infrastructure": f"={r['infrastructure_per_year']}",
           "connectors": f"={r['connectors']}" if first else "=0",
           "implementation": f"={r['implementation']}" if first else "=0",
           "support": f"={r['support_per_year']}" + _package_in_year(year, r)}
    if offer.licensing == "saas":
        return {"subscription": f"=$B$2*{r['per_user_month']}*12", **out}
    period = r["update_every_months"]
    updates = (f"=IF({period}=0,0,(INT((12*{year}-1)/{period})"
               f"-MAX(0,INT((12*{year}-13)/{period})))*{r['update_price']})")
    server = f"+{r['server_licences']}" if "server_licences" in r else ""
    if "platform_licence" in r:
        server = f"+$B$2*{r['platform_licence']}{server}"
    licences = (f"={r['first_licence']}+($B$2-1)*{r['further_licence']}{server}"
                if first else "=0")
    return {"licences": licences, "updates": updates, **out}


def _package_in_year(year: int, r: dict[str, str]) -> str:
    """``+package month × months of the package in year`` (empty without a package)."""
    if "package_months" not in r:
        return ""
    first, count = r["package_from"], r["package_months"]
    overlap = (f"MAX(0,MIN({12 * year},{first}+{count}-1)"
               f"-MAX({12 * (year - 1) + 1},{first})+1)")
    return f"+{r['package_month']}*{overlap}"


def _cost_lines(ws: Worksheet, result: EconomicsResult, offer: Offer, top: int,
                refs: dict[str, str]) -> tuple[list[str], str, int]:
    lang = result.language
    years = result.years
    _header(ws, top, [text("text", "cost", lang),
                      *[f"{text('text', 'year', lang)} {y}" for y in range(1, years + 1)],
                      text("text", "total", lang)])
    names = list(_line_formulas(offer, 1, refs))
    for i, name in enumerate(names):
        row = top + 1 + i
        _text(ws, row, 1, text("cost_line", name, lang))
        for y in range(1, years + 1):
            _num(ws, row, 1 + y, _line_formulas(offer, y, refs)[name])
        _num(ws, row, 2 + years, f"=SUM(B{row}:{_col(1 + years)}{row})")
    total = top + 1 + len(names)
    _text(ws, total, 1, text("text", "total", lang), bold=True)
    year_refs = []
    for col in range(2, 3 + years):
        letter = _col(col)
        _num(ws, total, col, f"=SUM({letter}{top + 1}:{letter}{total - 1})")
        year_refs.append(f"${letter}${total}")
    return year_refs[:-1], year_refs[-1], total + 1


# ------------------------------------------------------------------ ROI
def _roi_sheet(ws: Worksheet, result: EconomicsResult, anchors: Anchors,
               inputs: dict[str, OfferCells]) -> None:
    lang = result.language
    revenue = result.economics.revenue
    assert revenue is not None
    _text(ws, 1, 1, text("text", "title_roi", lang), bold=True)
    _text(ws, 2, 1, text("text", "formula_note", lang))
    _text(ws, 3, 1, text("text", "annual_revenue", lang))
    _num(ws, 3, 2, revenue.annual_revenue or Decimal(0))
    _text(ws, 4, 1, text("text", "margin_percent", lang))
    _num(ws, 4, 2, revenue.margin_percent, "0.##")
    _text(ws, 5, 1, text("text", "benefit_from_month", lang))
    _num(ws, 5, 2, result.benefit_from_month, "0")
    monthly_ref = _benefit_table(ws, result, 7)
    summary = 7 + len(result.benefits) + 3
    table = summary + len(result.ranked_offers) + 3
    _monthly_table(ws, result, table, monthly_ref, inputs)
    _roi_summary(ws, result, anchors, summary, table, inputs)
    _widths(ws, 44, 16, 3 + 3 * len(result.ranked_offers))


def _benefit_table(ws: Worksheet, result: EconomicsResult, top: int) -> str:
    lang = result.language
    _header(ws, top, [text("text", "benefit", lang), text("text", "goal", lang),
                      text("text", "uplift_percent", lang), text("text", "annual_saving", lang),
                      text("text", "attribution_percent", lang),
                      text("text", "monthly_benefit", lang)])
    from openpyxl.styles import Alignment

    from crmimpl.plan.economics import benefit_name

    for i, line in enumerate(result.benefits):
        row = top + 1 + i
        _text(ws, row, 1, benefit_name(result.project, line, lang))
        ws.cell(row=row, column=1).alignment = shared(Alignment, wrap_text=True,
                                                      vertical="top")
        _text(ws, row, 2, line.goal or "")
        _num(ws, row, 5, line.attribution_percent, "0.##")
        if line.annual_saving is not None:
            _num(ws, row, 4, line.annual_saving)
            formula = f"=ROUND(D{row}*E{row}/100/12,2)"
        else:
            _num(ws, row, 3, line.uplift_percent, "0.##")
            formula = f"=ROUND($B$3*C{row}*$B$4*E{row}/1000000/12,2)"
        _num(ws, row, 6, formula)
    total = top + 1 + len(result.benefits)
    _text(ws, total, 1, text("text", "total", lang), bold=True)
    _num(ws, total, 6, f"=SUM(F{top + 1}:F{total - 1})")
    return f"$F${total}"


def _month_cost(offer: Offer, m: str, r: dict[str, str], users: str) -> str:
    """Cost of an offer in month ``m`` (a cell reference), from the TCO sheet's inputs."""
    one_off = f"{r['connectors']}+{r['implementation']}"
    parts = [f"IF(MOD({m}-1,12)=0,{r['infrastructure_per_year']}+{r['support_per_year']},0)"]
    if offer.licensing == "saas":
        parts.append(f"{users}*{r['per_user_month']}")
    else:
        one_off += f"+{r['first_licence']}+({users}-1)*{r['further_licence']}"
        if "platform_licence" in r:
            one_off += f"+{users}*{r['platform_licence']}"
        if "server_licences" in r:
            one_off += f"+{r['server_licences']}"
        period = r["update_every_months"]
        parts.append(f"IF({period}>0,IF(AND({m}>1,MOD({m}-1,{period})=0),"
                     f"{r['update_price']},0),0)")
    if "package_months" in r:
        first, count = r["package_from"], r["package_months"]
        parts.append(f"IF(AND({m}>={first},{m}<{first}+{count}),{r['package_month']},0)")
    parts.insert(0, f"IF({m}=1,{one_off},0)")
    return "=" + "+".join(parts)


def _monthly_table(ws: Worksheet, result: EconomicsResult, top: int, monthly_ref: str,
                   inputs: dict[str, OfferCells]) -> None:
    lang = result.language
    heads = [text("text", "month", lang), text("text", "benefit", lang)]
    for offer in result.ranked_offers:
        name = offer_label(offer, lang)
        heads += [f"{name}: {text('text', 'cost', lang)}",
                  f"{name}: {text('text', 'cumulative_net', lang)}",
                  f"{name}: {text('text', 'paid_back', lang)}"]
    _header(ws, top, heads)
    tco_title = _quote(text("text", "sheet_tco", lang))
    for m in range(1, 12 * result.years + 1):
        row = top + m
        _num(ws, row, 1, m, "0")
        _num(ws, row, 2, f"=IF(A{row}>=$B$5,{monthly_ref},0)")
        for k, offer in enumerate(result.ranked_offers):
            refs = {key: f"{tco_title}!{ref}" for key, ref in inputs[offer.key].refs.items()}
            col = 3 + 3 * k
            _num(ws, row, col, _month_cost(offer, f"$A{row}", refs, f"{tco_title}!$B$2"))
            prev = f"{_col(col + 1)}{row - 1}" if m > 1 else "0"
            _num(ws, row, col + 1, f"=ROUND({prev}+B{row}-{_col(col)}{row},2)")
            _num(ws, row, col + 2, f'=IF({_col(col + 1)}{row}>=0,A{row},"")', "0")


def _roi_summary(ws: Worksheet, result: EconomicsResult, anchors: Anchors, top: int,
                 table: int, inputs: dict[str, OfferCells]) -> None:
    lang = result.language
    _header(ws, top, [text("text", "candidate", lang), text("text", "tco", lang),
                      text("text", "benefit_total", lang), text("text", "roi", lang),
                      text("text", "payback_month", lang)])
    first, last = table + 1, table + 12 * result.years
    tco_title = _quote(text("text", "sheet_tco", lang))
    for k, offer in enumerate(result.ranked_offers):
        row = top + 1 + k
        flags = f"{_col(5 + 3 * k)}{first}:{_col(5 + 3 * k)}{last}"
        _text(ws, row, 1, offer_label(offer, lang))
        _num(ws, row, 2, f"={tco_title}!{inputs[offer.key].total}")
        _num(ws, row, 3, f"=SUM(B{first}:B{last})")
        _num(ws, row, 4, f'=IF(B{row}=0,"",ROUND((C{row}-B{row})/B{row},4))', "0.00%")
        never = text("text", "never", lang).replace('"', "'")
        _num(ws, row, 5, f'=IF(COUNT({flags})=0,"{never}",MIN({flags}))', "0")
        anchors.put(f"benefit:{offer.key}", ws, row, 3)
        anchors.put(f"roi:{offer.key}", ws, row, 4)
        anchors.put(f"payback:{offer.key}", ws, row, 5)
