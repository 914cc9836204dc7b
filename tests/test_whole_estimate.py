"""A whole-unit estimate adds up as printed (round 11: the survey printed GBP 81,769 +
GBP 16,354 = GBP 98,122, and custom changes of 4,128 + … + 2,753 under a total of 13,575),
and the English functional specification and the backlog quote whole pounds like it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from crmimpl.documents import backlog, spec, survey
from crmimpl.documents.common import whole_shares
from crmimpl.model.project import load_project
from tests.conftest import EXAMPLES


def _amount(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text.split(".")[0] if "." in text else text))


def test_whole_shares_add_up_to_the_rounded_total() -> None:
    parts = [Decimal("4127.50"), Decimal("3440"), Decimal("1990"), Decimal("1265"),
             Decimal("2752.50")]
    shares = whole_shares(parts, sum(parts, Decimal(0)))
    assert sum(shares) == 13575 and shares[0] == 4128 and shares[-1] == 2752
    assert all(abs(s - p) < 1 for s, p in zip(shares, parts, strict=True))
    assert whole_shares([Decimal("0.4"), Decimal("0.4"), Decimal("0.4")],
                        Decimal("1.2")) == [1, 0, 0]


@pytest.mark.parametrize("example", ["northwind-it", "optima-distribution", "volga-bank"])
def test_the_survey_estimate_adds_up_as_printed(example: str) -> None:
    project = load_project(EXAMPLES / example)
    lang = project.project.language
    est = survey.build_context(project, lang)["estimate"]
    phases = sum(_amount(ph["cost"]) for ph in est["phases"])
    assert phases == _amount(est["work"])
    if est["has_contingency"]:
        assert _amount(est["work"]) + _amount(est["contingency_amount"]) == _amount(est["net"])
    assert _amount(est["net"]) + _amount(est["vat_amount"]) == _amount(est["total"])
    # VAT is the rate of the net as printed, rounded (round 12: 16,353 for 20 % of 81,769)
    if not project.project.prices_include_vat:
        vat = Decimal(_amount(est["net"])) * project.project.vat_rate / 100
        assert _amount(est["vat_amount"]) == int(vat.quantize(Decimal(1), "ROUND_HALF_UP"))
    if est["changes"]:
        assert sum(_amount(ch["cost"]) for ch in est["changes"]) == _amount(
            est["changes_cost"])


def test_the_functional_spec_and_the_backlog_quote_whole_pounds() -> None:
    project = load_project(EXAMPLES / "northwind-it")
    context = spec.build_context(project, "en")
    survey_changes = {ch["id"]: ch["cost"] for ch in
                      survey.build_context(project, "en")["estimate"]["changes"]}
    assert {ch["id"]: ch["cost"] for ch in context["changes"]} == survey_changes
    items = [i["change"] for m in context["modules"] for i in m["reqs"] if i["change"]]
    assert items and all(i["cost"] == survey_changes[i["id"]] for i in items)
    pence = re.compile(r"GBP\s[\d,]+\.\d\d")
    for value in (context["estimate"]["total"], context["estimate"]["vat_amount"],
                  context["support"]["month_cost"],
                  *(ph["cost"] for ph in context["estimate"]["phases"])):
        assert not pence.search(value), value
    totals = backlog.build_context(project, "en")["totals"]
    assert not pence.search(totals["net"]) and not pence.search(totals["total"])
    assert totals["total"] == survey.build_context(project, "en")["estimate"]["total"]
