"""The client's industry and the product being implemented, as keys of the content data.

A project names its industry in words (``client.industry``) and its system by vendor and
product (``system:``). Test scenarios, standard functions and audit checks are chosen by
the keys these map to: ``templates/industries.yaml`` and ``templates/products.yaml`` list
the stems that identify each one, so a consulting firm adds an industry or a product as
data.
"""

from __future__ import annotations

import re
from typing import Any

from crmimpl.vocabulary import template_data

GENERIC = "generic"


def _first_match(entries: list[dict[str, Any]], text: str) -> str:
    lowered = f" {text.lower()} "
    for entry in entries:
        if any(stem in lowered for stem in entry.get("match", [])):
            return str(entry["id"])
    return GENERIC


def industry_key(industry: str) -> str:
    """The industry key of a ``client.industry`` text (``banking``...), else ``generic``."""
    return _first_match(template_data("industries.yaml")["industries"], industry)


def product_key(vendor: str, product: str) -> str:
    """The product key of the system being implemented (``dynamics365``, ``1c_crm``,
    ``bitrix24``, ``amocrm``), else ``generic``."""
    return _first_match(template_data("products.yaml")["products"], f"{vendor} {product}")


def project_industry(project: Any) -> str:
    """The project's industry key."""
    return industry_key(project.client.industry)


def project_product(project: Any) -> str:
    """The key of the project's system (``generic`` without a ``system:`` block)."""
    system = getattr(project, "system", None)
    if system is None:
        return GENERIC
    return product_key(system.vendor or "", system.product or "")


def product_wording(project: Any, lang: str) -> list[tuple[str, str]]:
    """The phrases the project's system names in words of its own (``wording`` of
    ``templates/products.yaml``): amoCRM has no reference directories or assignments,
    which the generic course titles, written in 1C's terms, speak of."""
    entry = next((p for p in template_data("products.yaml")["products"]
                  if p["id"] == project_product(project)), None)
    return [(str(a), str(b)) for a, b in (entry or {}).get("wording", {}).get(lang, [])]


def reword(text: str, wording: list[tuple[str, str]]) -> str:
    """``text`` with each phrase of ``wording`` in the product's own words."""
    for phrase, own in wording:
        text = text.replace(phrase, own)
    return text


def standard_functions(project: Any, module: str, lang: str) -> list[str]:
    """What the project's system does out of the box in ``module``: the product's own
    list, else the industry's, else the neutral one (``templates/products.yaml``)."""
    from crmimpl.vocabulary import module_functions

    data = template_data("products.yaml")
    product = project_product(project)
    entry = next((p for p in data["products"] if p["id"] == product), None)
    found = (entry or {}).get("functions", {}).get(module)
    if found is None:
        found = data.get("industries", {}).get(project_industry(project), {}).get(module)
    if found is None:
        return module_functions(module, lang, project)
    listed = [str(x) for x in found.get(lang, [])] + [
        str(o[lang]) for o in found.get("optional", []) if _in_scope(project, module, o["needs"])]
    return _not_sold(project, listed)


# an abbreviation that names a function (ABC/XYZ, RFM): Latin capitals, parts joined by "/"
_ACRONYM = re.compile(r"(?<![\w/])[A-Z]{2,}(?:/[A-Z]{2,})*(?![\w/])")


def _not_sold(project: Any, functions: list[str]) -> list[str]:
    """The standard functions without those the project buys as a custom change: a
    function named by an abbreviation (ABC/XYZ analysis) that a change-fit requirement or
    a priced change also names is the change's, not a standard function used unchanged
    (the client would ask why it pays for it). Inside a list after a colon only that item
    goes («классификация клиентов: вид, отрасль, ABC/XYZ-классификация»)."""
    requirements = getattr(project, "requirements", [])
    texts = [c.title for c in getattr(project, "changes", None) or []]
    # an abbreviation the project also uses as standard or set up (SLA tiers configured on
    # standard entitlements), or the product's own name (1С:CRM), is not sold
    kept = [r.statement for r in requirements
            if getattr(r, "fit", None) in ("standard", "setting")]
    kept.append(str(project_product(project) or ""))
    system = getattr(project, "system", None)
    if system is not None:
        kept += [str(getattr(system, k, "") or "") for k in ("vendor", "product", "edition")]
    unsold = {a for t in kept for a in _ACRONYM.findall(t)} | {"CRM", "ERP"}
    # only a method named by its abbreviation (ABC/XYZ): a single one (SLA, KPI) is a
    # broad term a change refines rather than replaces (northwind's SLA tiers)
    sold = {a for t in texts for a in _ACRONYM.findall(t) if "/" in a} - unsold
    if not sold:
        return functions

    def names_sold(text: str) -> bool:
        return any(a in sold for a in _ACRONYM.findall(text))

    out = []
    for f in functions:
        if not names_sold(f):
            out.append(f)
            continue
        head, sep, rest = f.partition(": ")
        items = [i for i in rest.split(", ") if not names_sold(i)] if sep else []
        if sep and not names_sold(head) and items:
            out.append(f"{head}: {', '.join(items)}")
    return out


def _in_scope(project: Any, module: str, needs: list[str]) -> bool:
    """Whether a requirement of this version (not "won't") in ``module`` names one of
    ``needs``: a function resting on an out-of-scope requirement (a client portal) is not
    listed as used."""
    return any(stem in r.statement.lower() for r in getattr(project, "requirements", [])
               if r.module == module and r.priority != "wont" for stem in needs)


def module_label(project: Any, module: str, lang: str) -> str:
    """The name of a subsystem in the project's documents: the industry's own name where
    ``templates/industries.yaml`` gives one (a bank's «Жалобы клиентов»), else the
    vocabulary's."""
    from crmimpl.vocabulary import label

    industry = project_industry(project)
    entry: dict[str, Any] = next(
        (e for e in template_data("industries.yaml")["industries"] if e["id"] == industry), {})
    override = entry.get("modules", {}).get(module)
    if override:
        return str(override.get(lang) or override.get("en"))
    return label("module", module, lang)
