"""The support terms a specification may promise for the package the client buys.

A support package of a few hours a month pays for requests handled in the contractor's
working day; it cannot pay for a standby of thirteen hours every day with a two-hour
reaction (round 21: teplo's 6 h / 14 400 ₽ a month promised 08:00–21:00 daily, 2-hour
reaction, every change of groups and rules). When such a package states a window beyond
the working day, the specification keeps that window for the incidents that stop the
work (the line or the integration down) and handles every other request on working days
in business hours; it also says what the package's hours are spent on.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crmimpl.model.project import Project

# Below this many hours a month a package is "small": it buys working-day support only.
# A standby beyond the working day needs people on call; at market rates that costs more
# than 20 hours a month by itself.
SMALL_PACKAGE_HOURS = 20
BUSINESS_START, BUSINESS_END = "09:00", "18:00"
WORKING_DAY_MINUTES = 9 * 60
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})\s*[\u2013-]\s*(\d{1,2}):(\d{2})")
_EVERY_DAY = re.compile(r"ежедневн|без выходн|круглосуточн|24\s*/\s*7|выходн|daily|every day|"
                        r"7 days|seven days|weekend|round the clock", re.IGNORECASE)


def beyond_working_day(hours: str) -> bool:
    """Whether the stated support hours reach beyond one working day: a window longer
    than nine hours (09:00–18:00, or a shifted 10:00–19:00, is one), or days off
    ("ежедневно", "24/7", "weekends")."""
    if _EVERY_DAY.search(hours):
        return True
    found = _CLOCK.search(hours)
    if found is None:
        return False
    h1, m1, h2, m2 = (int(x) for x in found.groups())
    span = (h2 * 60 + m2 - h1 * 60 - m1) % (24 * 60) or 24 * 60
    return span > WORKING_DAY_MINUTES


def limited(project: Project) -> bool:
    """A small package with hours beyond the working day: only stopping incidents are
    taken outside business hours."""
    s = project.support
    return 0 < s.monthly_hours < SMALL_PACKAGE_HOURS and beyond_working_day(s.hours)


def business_hours(project: Project, lang: str) -> str:
    """Working days in business hours, in the client's time zone: «в рабочие дни с 09:00
    до 18:00 МСК» / "on working days, 09:00–18:00 Moscow time"."""
    from crmimpl.documents.common import zone_label

    zone = ""
    if project.timezone is not None:
        zone = " " + zone_label(project.timezone, project.project.start, lang)
    if lang == "ru":
        return f"в рабочие дни с {BUSINESS_START} до {BUSINESS_END}{zone}"
    return f"on working days, {BUSINESS_START}\u2013{BUSINESS_END}{zone}"


def support_terms(project: Project, lang: str) -> dict[str, Any]:
    """What the specification promises after acceptance beside the package's own terms:
    ``limited`` (see :func:`limited`), the business hours for ordinary requests, the
    reaction to them in working hours."""
    from crmimpl.documents.spec import working_hours

    return {
        "limited": limited(project),
        "business_hours": business_hours(project, lang),
        "reaction_working": working_hours(project.support.reaction_hours, lang),
    }
