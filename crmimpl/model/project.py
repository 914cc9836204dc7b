"""The project definition: what a consultant writes in ``project.yaml``.

This is the schema layer (STYLE.md, "two model layers"): it validates what a person wrote
and nothing more. The plan, documents and workbooks are derived from it elsewhere.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from crmimpl.load import KeyPath, YamlDocument
from crmimpl.model.base import Language, Strict
from crmimpl.model.checks import project_problems

Id = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z][A-Za-z0-9_.\-]{0,63}$",
        description="Identifier: a letter, then letters, digits, '_', '.', '-'.",
    ),
]
Text = Annotated[str, Field(min_length=1, max_length=4000)]


def _one_line(value: str) -> str:
    # Names and titles go into file names, calendar entries and table cells: a line
    # break there breaks the iCalendar format and the layout of every document.
    if "\n" in value or "\r" in value:
        raise ValueError("must be one line (a name or title cannot hold a line break); "
                         "write it on one line, without `|`")
    return value


ShortText = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_one_line)]
Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]

Mode = Literal["express", "typical", "project", "cti", "iterative"]
DepartmentKind = Literal["sales", "service", "marketing", "management", "accounting", "other"]
Role = Literal[
    "sponsor",
    "project_manager",
    "consultant",
    "analyst",
    "developer",
    "trainer",
    "support",
    "sysadmin",
    "key_user",
]
Side = Literal["client", "contractor"]
Corner = Literal["scope", "time", "budget"]
Module = Literal[
    "client_base",
    "contacts",
    "sales_pipeline",
    "telemarketing",
    "planning",
    "service",
    "complaints",
    "marketing_campaigns",
    "mailings",
    "surveys",
    "knowledge_base",
    "kpi_dashboards",
    "reports",
    "business_processes",
    "telephony",
    "email",
    "messengers",
    "mobile",
]
IntegrationKind = Literal[
    "telephony", "email", "messengers", "sms", "accounting", "core_system", "website", "eshop",
    "sso", "bi", "other",
]
Protocol = Literal[
    "rest", "soap", "xml", "json", "odata", "file", "imap", "smtp", "ldap", "saml", "oidc",
    "kerberos", "sip", "webhook", "connector", "syslog", "other",
]
Direction = Literal["to_crm", "from_crm", "both"]
DataFormat = Literal["xlsx", "gsheet", "csv", "docx", "crm", "1c", "database", "paper",
                     "other"]
Access = Literal["none", "read", "own", "read_all_edit_own", "department", "all"]
Priority = Literal["must", "should", "could", "wont"]
Fit = Literal["standard", "setting", "change", "gap"]
Level = Literal["low", "medium", "high"]
LinkType = Literal["FS", "SS", "FF", "SF"]
TrainingFormat = Literal["onsite", "online", "mixed"]
ClockSpan = Annotated[
    str,
    Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-4]):[0-5][0-9]$",
          description="A span of the day, HH:MM-HH:MM."),
]
Clock = Annotated[
    str,
    Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", description="Time of day, HH:MM."),
]


class ContractorSignatory(Strict):
    """The contractor's authorised signatory (its director, say), who is not in the team."""

    name: ShortText
    position: ShortText


class ProjectInfo(Strict):
    """Identity and frame of the project."""

    id: Id
    title: ShortText
    language: Language = "ru"
    mode: Mode
    start: date
    deadline: date | None = None
    calendar: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "RU"
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "RUB"
    vat_rate: Annotated[Decimal, Field(
        ge=0, le=100, description="VAT in percent; 0 when the contractor charges none "
        "(the documents then quote prices without VAT rows)")] = Decimal("22")
    prices_include_vat: bool = False
    holidays: list[date] = Field(default_factory=list, description="Extra project days off.")
    contractor: ShortText | None = Field(None, description="The implementing company.")
    contractor_signatory: ContractorSignatory | None = Field(
        None, description="Who signs for the contractor a document that binds it to a price "
        "and payment terms (the express package passport): name and position.")
    document_date: date | None = Field(
        None, description="Date printed on documents; defaults to the start date."
    )

    @field_validator("deadline")
    @classmethod
    def _deadline_after_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("start")
        if value is not None and start is not None and value <= start:
            raise ValueError(f"deadline {value} is not after the start {start}")
        return value


class Shift(Strict):
    """A work shift of a department: its people are trained in groups of their own shift,
    at a time inside it."""

    name: ShortText = Field(description="Shift name as group names show it, e.g. 'day shift'.")
    start: Clock = Field(description="Start of the shift, HH:MM (a night shift may cross "
                         "midnight).")
    hours: Annotated[float, Field(gt=0, le=24)] = Field(
        8, description="Length of the shift in hours.")
    users: Annotated[int, Field(ge=0, le=100_000)] | None = Field(
        None, description="CRM users working this shift; default: the department's users "
        "not given to another shift, split evenly.")


def _iana_zone(value: str | None) -> str | None:
    """``value`` if it is a known IANA time zone (None passes)."""
    if value is None:
        return value
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone '{value}': write an IANA name such as "
                         "'Europe/Moscow' or 'Europe/Samara'") from None
    return value


class SitePart(Strict):
    """Part of a department that works at another site (a regional office)."""

    site: ShortText = Field(description="One of client.locations.")
    users: Annotated[int, Field(ge=1, le=100_000)] = Field(
        description="CRM users of the department who work there.")
    name: ShortText | None = Field(
        None, description="How training group names show this part, e.g. 'Tula office'; "
        "default: the site.")
    timezone: ShortText | None = Field(
        None, description="IANA time zone of the site when it differs from the client's "
        "(e.g. 'Europe/Moscow' for offices an hour behind a head office in Samara): its "
        "online sessions are placed in its office hours, and the schedule gives its local "
        "time too.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        return _iana_zone(value)


class ProcessStep(Strict):
    """A step of a department's work "as is", as the survey found it."""

    step: ShortText = Field(description="What happens, e.g. 'the call rings on the Mango group'.")
    who: ShortText | None = Field(None, description="Who does it.")
    record: ShortText | None = Field(None, description="Where it is recorded today, if at all.")
    problem: ShortText | None = Field(
        None, description="What goes wrong or is lost at this step (a goal's problem).")
    requirements: list[Id] = Field(
        default_factory=list, description="Requirements that answer the problem; the "
        "specification traces each problem the survey names to them.")
    out_of_scope: Text | None = Field(
        None, description="Why the problem is not answered in this project (who handles "
        "it, or when), when no requirement answers it.")
    task: Id | None = Field(
        None, description="The goal task that removes this problem (e.g. 'G1.1'): the "
        "survey report names it beside the problem and counts the two as one problem.")
    to_be: ShortText | None = Field(
        None, description="How the step works once the CRM is in place (\"to be\"), e.g. "
        "'the card opens on the call; R01': the survey report's \"to be\" table.")


class Department(Strict):
    """A department of the client affected by the CRM."""

    id: Id
    kind: DepartmentKind
    name: ShortText
    headcount: Annotated[int, Field(ge=1, le=100_000)]
    crm_users: Annotated[int, Field(ge=0, le=100_000)] | None = Field(
        None, description="CRM users in this department; defaults to the headcount."
    )
    area: ShortText | None = Field(
        None, description="The business line or function the documents show beside the "
        "department, e.g. 'Collection', 'IT and security'; default: its kind's label (for "
        "kind 'other', its first function).")
    head: ShortText | None = None
    head_position: ShortText | None = Field(
        None, description="The head's position as the client titles it (documents name it "
        "for a head outside the project team).")
    functions: list[ShortText] = Field(default_factory=list)
    process: list[ProcessStep] = Field(
        default_factory=list, description="Its work \"as is\" step by step, as the survey "
        "found it: the survey report's process table (instead of the function list).")
    site: ShortText | None = Field(
        None, description="Where the department works, one of client.locations; default: "
        "the training site. A department at another site is trained online when "
        "training.format is 'mixed'.")
    sites: list[SitePart] = Field(
        default_factory=list, description="Parts of the department at other sites: each "
        "is trained in groups of its own, online when training.format is 'mixed' and the "
        "site is not the training site; the rest of its users work at `site`.")
    shifts: list[Shift] = Field(
        default_factory=list, description="Work shifts; none: an ordinary office day "
        "(sessions at 10:00 or 14:30). With shifts, each shift is trained separately, "
        "inside its own hours.")
    hours: ShortText | None = Field(
        None, description="Working days and hours of a department without shifts, as the "
        "client states them (e.g. 'пн–пт 09:00–18:00'): a telephony specification counts "
        "callback deadlines in them; unknown, they are an open question.")
    iteration: Annotated[int, Field(ge=1, le=24)] | None = Field(
        None, description="Iterative mode: the iteration that takes it (default: spread "
        "over the iterations, see the README).")
    busy: list[ClockSpan] = Field(
        default_factory=list, description="Peak hours when its people cannot leave work, "
        "'HH:MM-HH:MM' (e.g. '10:00-13:00'): no training session overlaps them; sessions "
        "fit the free hours of the day or shift and are shorter where those are short.")
    busy_days: list[Annotated[int, Field(ge=1, le=31)]] = Field(
        default_factory=list, max_length=31, description="Days of each month when its "
        "people cannot leave work (e.g. a bank's salary and pension days: [5, 6, 7, 20, "
        "21, 22]; an accounts team's month-end close): no training session of its groups "
        "falls on them.")

    on_duty: Annotated[int, Field(ge=1, le=10_000)] | None = Field(
        None, description="People who keep working while their colleagues train (taking "
        "calls, serving clients): at least this many of each shift (without shifts, of "
        "its users at its own site) stay at work during every session, so its groups take "
        "fewer people at once and never meet at the same time; the training plan says so.")

    @property
    def users(self) -> int:
        """CRM users of the department."""
        return self.headcount if self.crm_users is None else self.crm_users

    def rosters(self) -> list[int]:
        """Users of each shift: as written, the rest split evenly among the shifts that
        do not say (the first ones take the remainder); [] without shifts."""
        given = [s.users for s in self.shifts]
        free = [i for i, g in enumerate(given) if g is None]
        rest = max(self.users - sum(g or 0 for g in given), 0)
        counts = [g or 0 for g in given]
        if free:
            base, extra = divmod(rest, len(free))
            for k, i in enumerate(free):
                counts[i] = base + (1 if k < extra else 0)
        return counts

    @model_validator(mode="after")
    def _someone_to_train(self) -> Department:
        if self.on_duty is None:
            return self
        here = self.users - sum(part.users for part in self.sites)
        rosters = ([(f"shift '{s.name}'", n) for s, n in zip(
            self.shifts, self.rosters(), strict=True)]
            if self.shifts else [("its own site", here)])
        for where, n in rosters:
            if n <= self.on_duty:
                raise ValueError(
                    f"on_duty {self.on_duty} leaves nobody of {where} ({n} users) to "
                    "train: make it smaller than the users of every shift")
        return self


class Licence(Strict):
    """Licences (or subscriptions) of one kind for the system being implemented."""

    kind: ShortText = Field(description="As the vendor sells it, e.g. 'named user', "
                            "'competitive user', 'server'.")
    count: Annotated[int, Field(ge=1, le=100_000)]
    price_year: Money | None = Field(
        None, description="The client's price of one licence for a year (a subscription "
        "seat, at the vendor's list price), which the express passport states.")
    user_classes: list[Id] = Field(
        default_factory=list, description="The user classes (`user_classes[].id`) whose "
        "users get a licence of this kind; the documents' licence tables then say who "
        "each kind is for, and validation warns when their users and the count differ.")


SystemDeployment = Literal["cloud", "on_premise", "hosted"]


class Server(Strict):
    """A server the on-premise system runs on, as its sizing was agreed with the client's
    IT staff (the specification's hardware section)."""

    role: ShortText = Field(description="e.g. 'сервер приложений 1С', 'сервер СУБД'.")
    count: Annotated[int, Field(ge=1, le=100)] = 1
    cpu_cores: Annotated[int, Field(ge=1, le=1024)]
    memory_gb: Annotated[int, Field(ge=1, le=65_536)]
    disk_gb: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    notes: ShortText | None = Field(None, description="e.g. 'SSD, RAID 1'.")


class SystemInfo(Strict):
    """The CRM system being implemented (or, in CTI mode, the one already in use)."""

    vendor: ShortText | None = Field(None, description="e.g. 1С, Bitrix24, Microsoft.")
    product: ShortText = Field(description="e.g. '1С:CRM КОРП', 'Bitrix24', "
                               "'Dynamics 365 Sales'.")
    edition: ShortText | None = Field(None, description="Edition or plan, e.g. 'ПРОФ', "
                                      "'Enterprise'.")
    version: ShortText | None = None
    platform: ShortText | None = Field(None, description="e.g. '1С:Предприятие 8.3'.")
    deployment: SystemDeployment = "on_premise"
    dbms: ShortText | None = Field(None, description="e.g. 'PostgreSQL 16', 'MS SQL Server "
                                   "2022'; none for a cloud service.")
    embedded_in: ShortText | None = Field(
        None, description="The accounting or ERP system the CRM is built into (e.g. "
        "'1С:Управление торговлей 11.5'); none for a standalone CRM.")
    in_use: bool = Field(False, description="The system already works at the client "
                         "(CTI mode: telephony is added to it).")
    holds: Text | None = Field(None, description="What the system in use already holds "
                               "(clients, deals, history), for a CTI or add-on project.")
    licences: list[Licence] = Field(default_factory=list)
    code_hosting: Text | None = Field(
        None, description="Where the code of the custom changes runs, who watches that it "
        "is up and who pays for it (a cloud CRM's REST event handlers and embedded apps "
        "run on a server outside it); the CTI specification states it, and asks it as an "
        "open question when changes exist and this is not given.")
    rpo_hours: Annotated[float, Field(gt=0, le=720)] = Field(
        1, description="Recovery point objective: the data a failure may lose, in hours "
        "(the ТЗ's reliability section, project mode).")
    rto_hours: Annotated[float, Field(gt=0, le=720)] = Field(
        4, description="Recovery time objective: how soon work resumes after a failure, "
        "in hours.")
    standby: ShortText | None = Field(
        None, description="Where the standby copy runs and how it takes over (a reserve "
        "data centre), for the ТЗ's section on data safety in emergencies.")
    registry: ShortText | None = Field(
        None, description="The system's entries in the register of domestic software the "
        "client requires (Russia: the Ministry of Digital Development's unified register), "
        "e.g. '№ 1234 (Вектор CRM), № 5678 (Postgres Pro)'; the specification states them "
        "(without them it asks the vendor for them before the licence contract).")
    servers: list[Server] = Field(
        default_factory=list, description="On premise: the server sizing agreed with the "
        "client's IT staff (role, cores, memory, disk); without it the specification gives "
        "the load the sizing is calculated for, never figures of its own.")


class Client(Strict):
    """The client company."""

    name: ShortText
    legal_name: ShortText | None = None
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = Field(
        None, description="ISO 3166 code of the client's country (legal basis, examples); "
        "default: project.calendar.")
    industry: ShortText
    description: Text | None = None
    locations: list[ShortText] = Field(default_factory=list)
    timezone: ShortText | None = Field(
        None, description="IANA time zone of the client's head office, e.g. 'Europe/Samara'; "
        "default: the country's usual zone. Support hours are stated in it.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        return _iana_zone(value)
    employees: Annotated[int, Field(ge=1)] | None = None
    crm_users: Annotated[int, Field(ge=1, le=100_000)]
    products: list[ShortText] = Field(default_factory=list)
    departments: list[Department] = Field(min_length=1)


class Kpi(Strict):
    """A measurable indicator of a goal."""

    metric: ShortText
    baseline: float
    target: float
    unit: Annotated[str, Field(max_length=40)] = ""
    deadline: date
    higher_is_better: bool | None = Field(
        None, description="Direction of improvement; inferred from baseline and target."
    )
    baseline_period: ShortText | None = Field(
        None, description="What the baseline covers, e.g. 'monthly average of 2025'.")
    baseline_source: Text | None = Field(
        None, description="Where the baseline comes from: the same measure as the metric, "
        "e.g. 'the PBX call log of the 2025/26 season'.")
    baseline_estimate: bool = Field(
        False, description="The baseline is an estimate still to be confirmed by a "
        "measurement (baseline_source says which) before the pilot operation.")
    measurement: Text | None = Field(
        None, description="How the KPI is measured after launch: the report or export and "
        "the period, so the audit measures the same thing the baseline did.")
    seasonal: bool = Field(
        False, description="The indicator follows the season: a part-year actual is "
        "compared with the same months before the CRM, not with an annual baseline.")

    @field_validator("target")
    @classmethod
    def _target_differs(cls, value: float, info: ValidationInfo) -> float:
        if value == info.data.get("baseline"):
            raise ValueError("target equals baseline: a goal must change something")
        return value

    @property
    def better_is_higher(self) -> bool:
        """Whether a higher value is an improvement."""
        if self.higher_is_better is not None:
            return self.higher_is_better
        return self.target > self.baseline


class GoalTask(Strict):
    """A problem to solve that a goal decomposes into."""

    id: Id
    statement: Text
    requirements: list[Id] = Field(
        default_factory=list, description="Requirements that solve it, when no process "
        "step names the task (a step's own `requirements` trace it otherwise): the "
        "specification's traceability appendix traces every problem.")
    out_of_scope: Text | None = Field(
        None, description="Why no requirement of this project solves it (who handles it, "
        "or when), when none does.")
    department: Id | None = Field(
        None, description="The department that has the problem, for the traceability "
        "appendix; default: the department its first requirement came from.")


class Goal(Strict):
    """A business goal with its KPI; the audit measures it."""

    id: Id
    statement: Text
    owner: Id | None = Field(None, description="Person id responsible for the goal.")
    kpi: Kpi
    tasks: list[GoalTask] = Field(min_length=1)


class Vacation(Strict):
    """A period a person is away (inclusive)."""

    start: date
    end: date

    @field_validator("end")
    @classmethod
    def _ordered(cls, value: date, info: ValidationInfo) -> date:
        start = info.data.get("start")
        if start is not None and value < start:
            raise ValueError(f"vacation ends ({value}) before it starts ({start})")
        return value


class Rate(Strict):
    """What an hour or a day of a person costs."""

    amount: Money
    per: Literal["hour", "day"] = "hour"


class Person(Strict):
    """A member of the project team, on the client's or the contractor's side."""

    id: Id
    name: ShortText
    position: ShortText | None = None
    roles: list[Role] = Field(min_length=1)
    side: Side
    rate: Rate | None = None
    availability: Annotated[float, Field(gt=0, le=1)] = 1.0
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    phone: Annotated[str, Field(pattern=r"^\+?[0-9 ()\-]{5,20}$")] | None = None
    department: Id | None = None
    user_class: Id | None = Field(
        None, description="The user class this client person works in (`user_classes`): "
        "a key user from a class of heads (a supervisor, an office head) leaves the heads' "
        "training groups, not the staff's. Without it a key user counts among the "
        "department's main class.")
    vacations: list[Vacation] = Field(default_factory=list)

    def hourly_rate(self, hours_per_day: int = 8) -> Decimal:
        """Rate per hour (zero when none is given, e.g. for client staff)."""
        if self.rate is None:
            return Decimal(0)
        if self.rate.per == "day":
            return self.rate.amount / hours_per_day
        return self.rate.amount


class Budget(Strict):
    """The budget limit and the two fixed corners of the project triangle."""

    limit: Money
    fixed: list[Corner] = Field(min_length=2, max_length=2)
    contingency_percent: Annotated[Decimal, Field(ge=0, le=100)] = Decimal(0)
    package_price: Money | None = Field(
        None, description="Express mode: the package's fixed price (net of VAT unless "
        "prices_include_vat). The documents and the plan workbook quote it instead of "
        "hours × rates; work beyond the package is billed at the contractor's rates.")
    advance_percent: Annotated[Decimal, Field(ge=0, lt=100)] = Field(
        Decimal(0), description="Express mode: the share of the package price paid in "
        "advance once the passport is signed; the rest is paid after the acceptance act "
        "(0: all of it after the act).")

    @field_validator("fixed")
    @classmethod
    def _two_distinct(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("choose two different corners of scope, time and budget")
        return value


class RuleCheck(Strict):
    """One check of a requirement's own rule in its test case: an action with concrete
    data and what must happen (e.g. a quote at 28 % margin goes to the Sales Director)."""

    do: Text = Field(description="What the tester does, with the data that probe the rule.")
    expect: Text = Field(description="What the system must do.")


class ExchangeObject(Strict):
    """One object of an integration's exchange, as the specification designs it."""

    object: ShortText = Field(description="The object in the other system.")
    crm: ShortText | None = Field(None, description="The CRM object it becomes or comes from.")
    master: Literal["crm", "external"] = Field(
        description="The system that owns the object (its master copy).")
    direction: Direction
    key: ShortText | None = Field(None, description="How records are matched (ИНН + КПП).")
    when: ShortText | None = Field(None, description="When it is sent (event or period).")
    conflict: Text | None = Field(
        None, description="What happens when both copies differ (default: the master's "
        "copy wins, a change of the other copy is refused or overwritten).")


class Integration(Strict):
    """An exchange between the CRM and another system."""

    id: Id
    system: ShortText
    kind: IntegrationKind
    purpose: ShortText | None = Field(
        None, description="What the connected system is for, in the client's words (e.g. "
        "'Remote monitoring of client devices'): the integration tables show it in place "
        "of the kind's general label ('Other', 'Accounting / ERP').")
    protocol: Protocol
    direction: Direction
    objects: list[ShortText] = Field(min_length=1)
    frequency: ShortText | None = None
    departments: list[Id] = Field(default_factory=list)
    notes: Text | None = None
    exchange: list[ExchangeObject] = Field(
        default_factory=list, max_length=30,
        description="The exchange object by object (master system, direction, key, when, "
        "conflict rule): the specification designs it instead of leaving it to "
        "development.")
    on_error: Text | None = Field(
        None, description="What the exchange does when the other system is down or "
        "refuses a record (default: logged, retried, the administrator told).")
    effort_hours: Annotated[float, Field(gt=0, le=10_000)] | None = None
    iteration: Annotated[int, Field(ge=1, le=24)] | None = Field(
        None, description="Iterative mode: the iteration that takes it (default: spread "
        "over the iterations, see the README).")
    subscription_year: Money | None = Field(
        None, description="What the client pays a year for the connector or service this "
        "exchange runs through (at the provider's list price).")
    checks: list[RuleCheck] = Field(
        default_factory=list, description="How the client checks the exchange at "
        "acceptance: an action with test data and what must arrive where (the express "
        "passport lists them instead of 'the exchange works').")


class MigrationSource(Strict):
    """A legacy data source to transfer into the CRM."""

    id: Id
    name: ShortText
    format: DataFormat
    records: Annotated[int, Field(ge=0, le=100_000_000)]
    objects: list[ShortText] = Field(min_length=1)
    owner: Id | None = Field(None, description="Person id who owns the data.")
    rules: Text | None = Field(None, description="Cleaning and matching rules.")
    at_cutover: Text | None = Field(
        None, description="What changes for users or the client's own customers when the "
        "source is retired (e.g. a customer portal that closes with it); the cut-over of "
        "its stage states it.")
    effort_hours: Annotated[float, Field(gt=0, le=10_000)] | None = Field(
        None, description="Hours to migrate this source; wins over the plan's sizing.")


class UserClass(Strict):
    """A class of users with its access rights per module."""

    id: Id
    name: ShortText
    departments: list[Id] = Field(default_factory=list)
    users: Annotated[int, Field(ge=0)] | None = None
    rights: dict[Module, Access] = Field(default_factory=dict)
    head_rights: dict[Module, Access] = Field(
        default_factory=dict,
        description="Rights the heads of the class's departments hold beyond the class's "
        "own (a role added to the heads' accounts): e.g. call recordings that only "
        "department heads may play, while their staff see the calls.")
    record_rights: dict[Id, Access] = Field(
        default_factory=dict,
        description="Rights on a record of the data model (``records[].id``, a custom "
        "table a requirement creates) that differ from the class's rights in its module: "
        "e.g. an hours bank only Finance tops up while the service desk reads it. Stated "
        "for any class, the access matrix gets a row for the record; a class that does "
        "not state it has no access to it.")
    description: Text | None = None
    export: bool | None = Field(
        None, description="Whether the class may export lists and reports to Excel or "
        "other files (a right clients often restrict: 'no one but the management exports "
        "the client base'). Stated for any class, the access matrix gets an export row.")
    device: Literal["desktop", "mobile"] = Field(
        "desktop", description="Where the class works in the system: 'mobile' for field "
        "staff on phones or tablets (trained on the mobile client, on their own devices, "
        "in short sessions before they leave for the day's work).")


class ConfigStaged(Strict):
    """A row of a configuration table that rests on a requirement a later stage delivers
    (iterative mode): the row applies from that stage's go-live, and ``until`` says how
    the business works meanwhile (an MVP's stage gate that needs an approval flow of
    iteration 2)."""

    row: ShortText = Field(description="The row's first cell, as written in the table.")
    requires: list[Id] = Field(min_length=1, description="The requirements the row rests on.")
    until: Text = Field(description="How it is done until the stage that delivers them "
                        "goes live (a row whose whole business arrives with that stage "
                        "needs no entry).")


class ConfigTable(Strict):
    """One table of the system's configuration the specification fixes (stages and their
    exit criteria, service levels, approval limits): the consultant's own columns and
    rows, printed in the specification's configuration appendix."""

    title: ShortText
    requirements: list[Id] = Field(
        default_factory=list, description="The requirements the table configures.")
    note: Text | None = Field(None, description="A sentence printed before the table.")
    columns: list[ShortText] = Field(min_length=2, max_length=6)
    rows: list[list[ShortText]] = Field(min_length=1, max_length=60)
    staged: list[ConfigStaged] = Field(
        default_factory=list, description="Rows that rest on a requirement of a later "
        "stage, with how the business works until it goes live.")

    @model_validator(mode="after")
    def _rows_fit_columns(self) -> ConfigTable:
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(f"row {number} has {len(row)} cells for "
                                 f"{len(self.columns)} columns")
        firsts = [row[0] for row in self.rows]
        for item in self.staged:
            if item.row not in firsts:
                raise ValueError(f"staged row {item.row!r} is not a row of the table "
                                 f"(first cells: {', '.join(firsts)})")
        return self


class DataRecord(Strict):
    """A record the solution keeps (the data model of the specification): the system's
    table that holds it, its key fields, its links to other records, the requirements that
    rest on it and the migration source that fills it."""

    id: Id
    name: ShortText = Field(description="What the users call it, e.g. 'Contract'.")
    table: ShortText = Field(description="The system's table that holds it, e.g. "
                             "'Entitlement (standard)' or 'Custom table'.")
    holds: Text = Field(description="What one record is and what it is for.")
    fields: list[ShortText] = Field(default_factory=list, description="Key fields.")
    relations: list[ShortText] = Field(default_factory=list, description="Links to other "
                                       "records, e.g. 'Account: many contracts to one'.")
    requirements: list[Id] = Field(default_factory=list)
    migration: Id | None = Field(None, description="The migration source that fills it.")


class Change(Strict):
    """A custom change (доработка) to standard functionality, with its estimate."""

    id: Id
    title: ShortText
    description: Text
    module: Module
    estimate_hours: Annotated[float, Field(gt=0, le=10_000)]
    priority: Priority = "must"
    requirement: Id | None = None
    iteration: Annotated[int, Field(ge=1, le=24)] | None = Field(
        None, description="Iterative mode: the iteration that takes it (default: spread "
        "over the iterations, see the README).")
    departments: list[Id] = Field(
        default_factory=list, description="Departments whose work it changes beyond the "
        "one that asked for it (a credit-limit check accounting asked for holds the sales "
        "managers' invoices): each is taught it.")


class RequirementTest(Strict):
    """The consultant's own test case of a requirement (over the scenario library's)."""

    steps: list[Text] = Field(min_length=1, max_length=20)
    expect: Text = Field(description="The expected result.")


WishKey = Annotated[str, Field(pattern=r"^([a-z][a-z0-9_]*:)?[a-z][a-z0-9_]*(\.[a-z0-9_]+)?$")]


class Route(Strict):
    """A unit a requirement hands work to: an approval, a handover, a review."""

    unit: ShortText = Field(description="A department id, or the name of a unit that is "
                            "not among the departments (e.g. 'Кредитное управление').")
    via: Text | None = Field(
        None, description="How a unit without CRM users takes the work and returns its "
        "decision (e.g. a task by e-mail, answered by reply): the specification states it. "
        "`validate` warns about a unit with no CRM users and no `via`.")
    step: ShortText | None = Field(
        None, description="The unit's own step as its people practise it in training "
        "(e.g. 'проверка рекламации складом за 2 рабочих дня с отметкой результата'); "
        "default: the requirement's step assigned to the unit.")


class Requirement(Strict):
    """A line of the requirements register."""

    id: Id
    module: Module
    statement: Text
    priority: Priority = "must"
    source: ShortText = Field(description="Department id, person or document it came from.")
    fit: Fit = "standard"
    goals: list[Id] = Field(default_factory=list)
    change: Id | None = Field(None, description="Custom change that implements it.")
    solution: Text | None = Field(None, description="How it is met, for the specification.")
    integrations: list[Id] = Field(
        default_factory=list, description="Integrations it cannot work without (ids in "
        "integrations); iterative mode delivers it, and its change, no earlier than they "
        "are.")
    design: list[Text] = Field(
        default_factory=list, max_length=30,
        description="How it is built, one item a line (stages, rules, fields, deadlines, "
        "who approves): the specification states them under the requirement.")
    taught_to: list[Id] = Field(
        default_factory=list, description="Departments besides its source whose users "
        "learn its topic (both sales departments apply the discount approvals one of "
        "them asked for; the sales managers work the leads the directorate's routing "
        "rule hands them).")
    settles: list[ShortText] = Field(
        default_factory=list, description="Questionnaire answers (keys, e.g. "
        "requirements.sales.discount_rules) its design settles: the specification states "
        "the design and names the answers as its source, and does not restate them as "
        "rules of their own.")
    test: RequirementTest | None = Field(
        None, description="Its test case when the scenario library has none that fits "
        "(steps and expected result, as the specification prints them).")
    checks: list[RuleCheck] = Field(
        default_factory=list, description="Checks of the requirement's own rules (limits, "
        "thresholds, approvals) that its test case runs after the standard scenario.")
    answers: list[WishKey] = Field(
        default_factory=list, description="The questionnaire answers that asked for it, as "
        "`<question>.<choice>` or `<question>` (a yes), optionally after the department's "
        "audience and a colon (`account_mgmt:discount_approval`): each wish the client "
        "expressed is taken by a requirement (of any priority: 'wont' with its reason is an "
        "explicit out of scope), else `validate` warns.")
    topic: ShortText | None = Field(
        None, description="A training topic of its own for its source department's users "
        "when the module's general topic does not cover it (rate approvals in a deal): "
        "taught with the requirement's rules to the department's groups that may open the "
        "module, and to the key users.")
    routes_to: list[Route] = Field(
        default_factory=list, description="Units it hands work to (approvals, handovers, "
        "reviews): a unit with no CRM users gets its channel stated in the specification.")


class Risk(Strict):
    """A project risk with its response."""

    id: Id
    statement: Text
    probability: Level
    impact: Level
    mitigation: Text
    owner: Id | None = None


class OpenQuestion(Strict):
    """A question the survey left open that the consultant records: it joins the survey
    report's open questions with its owner and due date."""

    question: Text
    owner: Id | None = Field(None, description="Team member who answers it; default: the "
                             "department head, else the client's project manager.")
    department: Id | None = Field(None, description="Department concerned; none: the company.")
    due: dt.date | None = Field(None, description="Default: the report's date for answers.")


CtiTopic = Literal["routing", "volumes", "extensions", "night", "recording", "network"]


class SurveySettings(Strict):
    """What the survey established beyond the questionnaires' answers."""

    settled: list[CtiTopic] = Field(
        default_factory=list,
        description="Telephony topics a CTI survey settled at the interviews (the project "
        "states them, e.g. in the telephony integration's notes): no open question is "
        "asked about them.")
    open_questions: list[OpenQuestion] = Field(
        default_factory=list,
        description="Questions the consultant records as open, added to the report's table.")
    decisions: list[Text] = Field(
        default_factory=list,
        description="Decisions the working group took during the survey that shape the "
        "scope (e.g. a source not migrated), listed in the report's summary.")


class Scope(Strict):
    """What the implementation covers."""

    modules: list[Module] = Field(min_length=1)
    approach: Literal["as_is", "to_be"] = "to_be"
    notes: Text | None = None
    # the client's values of the package's list settings, by the list's key
    # (`setting_lists` in templates/mode_documents.yaml: client_types, task_types, ...):
    # the express passport names them, since it replaces the specification
    settings: dict[str, list[ShortText]] = Field(default_factory=dict)

    @field_validator("modules")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        dup = [m for m, n in Counter(value).items() if n > 1]
        if dup:
            raise ValueError(f"module listed twice: {', '.join(dup)}")
        return value


class LinkSpec(Strict):
    """A dependency added by the consultant."""

    task: Id
    type: LinkType = "FS"
    lag: Annotated[int, Field(ge=-250, le=250)] = 0


class TaskOverride(Strict):
    """Changes the consultant makes to a generated plan task (by its id)."""

    id: Id
    name: ShortText | None = None
    effort_hours: Annotated[float, Field(ge=0, le=100_000)] | None = None
    duration_days: Annotated[float, Field(ge=0, le=2_000)] | None = None
    assign: list[Id] | None = None
    depends_on: list[LinkSpec] = Field(
        default_factory=list, description="Links added to the template's links.")
    replace_depends_on: bool = Field(
        False, description="The links in depends_on replace the template's links.")
    not_earlier_than: date | None = None
    drop: bool = False
    percent_complete: Annotated[float, Field(ge=0, le=100)] | None = None
    actual_start: date | None = None
    actual_finish: date | None = None


class ExtraTask(Strict):
    """A task the consultant adds to the generated plan."""

    id: Id
    name: ShortText
    phase: Id
    effort_hours: Annotated[float, Field(ge=0, le=100_000)] = 0
    duration_days: Annotated[float, Field(ge=0, le=2_000)] | None = None
    roles: list[Role] = Field(default_factory=list)
    assign: list[Id] = Field(default_factory=list)
    depends_on: list[LinkSpec] = Field(default_factory=list)
    milestone: bool = False


class PlanSettings(Strict):
    """Consultant's adjustments of the generated plan, and progress."""

    leveling: bool = Field(
        True, description="Level resources: nobody is booked over their availability "
        "(false: pure critical-path dates).")
    status_date: date | None = None
    hours_per_day: Annotated[int, Field(ge=1, le=24)] = 8
    mvp_department: Id | None = Field(None, description="Iterative mode: MVP department.")
    iterations: Annotated[int, Field(ge=1, le=24)] = 3
    tasks: list[TaskOverride] = Field(default_factory=list)
    add: list[ExtraTask] = Field(default_factory=list)


class TrainingSettings(Strict):
    """How users are trained during rollout."""

    group_size: Annotated[int, Field(ge=3, le=15)] = Field(
        10, description="Largest group (people). Big departments are split evenly.")
    group_min: Annotated[int, Field(ge=1, le=15)] = Field(
        7, description="Smallest group (people; at most group_size). Departments with "
        "fewer people left are merged into mixed groups; a plan warning names any group "
        "that stays smaller.")
    hours_per_day: Annotated[float, Field(gt=0, le=8)] = Field(
        4, description="Longest session (hours); a group has at most one session a day.")
    trainers: list[Id] = Field(default_factory=list)
    crm_expert: Id | None = Field(None, description="Internal CRM expert, trained first.")
    adoption_days: Annotated[int, Field(ge=0, le=120)] = 21
    format: TrainingFormat = Field(
        "mixed", description="onsite: every group in a classroom at the training site; "
        "online: every group online; mixed: onsite at the training site, online for "
        "departments at another site.")
    site: ShortText | None = Field(
        None, description="Where onsite sessions are held, one of client.locations; "
        "default: the client's first location.")
    sites: list[ShortText] = Field(
        default_factory=list, description="Further onsite venues, each one of "
        "client.locations: departments working there are trained in person there (the "
        "trainer travels; one venue a day), not online.")
    rooms: Annotated[int, Field(ge=1, le=50)] = Field(
        1, description="Classrooms at each onsite venue: no more onsite sessions than this "
        "run at one venue at the same time.")
    record: bool = Field(
        False, description="Every session is recorded; the recordings are kept with the "
        "user guides for those who miss a session and for new staff.")
    time_of_day: Literal["morning", "afternoon", "any"] = Field(
        "any", description="When sessions are held: morning (10:00, or early in a shift), "
        "afternoon (14:30, or late in a shift) or any (both; the shortest training "
        "window).")

    @field_validator("group_min")
    @classmethod
    def _min_below_max(cls, value: int, info: ValidationInfo) -> int:
        top = info.data.get("group_size")
        if top is not None and value > top:
            raise ValueError(f"group_min {value} is larger than group_size {top}")
        return value

    @property
    def min_size(self) -> int:
        """The smallest group: ``group_min``, or ``group_size`` when only a smaller
        maximum is written (``group_size: 5`` alone means groups of up to 5)."""
        return min(self.group_min, self.group_size)


class PilotWave(Strict):
    """Departments that start pilot operation together."""

    departments: list[Id] = Field(min_length=1)
    name: ShortText | None = Field(
        None, description="How documents name the wave, e.g. 'Moscow dealer sales group'; "
        "default: its departments.")
    days: Annotated[int, Field(ge=1, le=120)] = Field(
        10, description="Working days the wave works in the system before the next one "
        "joins (the last wave runs the plan's pilot operation to acceptance).")
    users: Annotated[int, Field(ge=1)] | None = Field(
        None, description="Users who start work in this wave when only part of its "
        "departments' users start (e.g. one supervisor group per shift); the others join "
        "with the next wave. Default: all its departments' CRM users.")


class OnSiteSupport(Strict):
    """Consultants on duty at the client's site while the users of some departments start
    work in the system (e.g. in the contact centre for the first two weeks): the plan
    schedules it as tasks from the start of each pilot wave that brings these departments'
    users (or of the pilot without waves), so its hours are in the plan's totals."""

    departments: list[Id] = Field(min_length=1)
    days: Annotated[int, Field(ge=1, le=60)] = Field(
        10, description="Working days on duty from the day the users start.")
    consultants: Annotated[int, Field(ge=1, le=20)] = Field(
        1, description="Consultants on duty at once (e.g. one per shift); name them with a "
        "plan.tasks override of rollout.on_site (assign).")
    hours_per_day: Annotated[float, Field(gt=0, le=24)] | None = Field(
        None, description="Hours a consultant is on duty a day; default: the plan's "
        "hours_per_day.")
    site: ShortText | None = Field(
        None, description="Where the consultants sit, e.g. 'the contact centre in "
        "Togliatti'; default: the departments' own premises.")


class RolloutSettings(Strict):
    """How the system is put into operation (typical and project modes)."""

    on_site_support: list[OnSiteSupport] = Field(
        default_factory=list, description="Consultants on duty at the client's site while "
        "the users of some departments start work (the client asked for it): planned "
        "from the start of each wave that brings those users.")

    pilot: list[PilotWave] = Field(
        default_factory=list, description="A phased pilot: waves of departments that "
        "start pilot operation one after another; departments in no wave join with the "
        "last. Training follows the order of the waves. Empty: everyone at once.")
    decision: Text | None = Field(
        None, description="When the waves depart from what the client asked in the "
        "questionnaire (e.g. offices the client wanted in the first wave): what was asked, "
        "what was decided and why, in one or two sentences; the survey report states it "
        "with the summary of waves instead of staying silent.")


class AuditSettings(Strict):
    """When and how the system's use is audited after launch."""

    first_after_days: Annotated[int, Field(ge=1, le=365)] = 30
    every_months: Annotated[int, Field(ge=1, le=24)] = 3
    count: Annotated[int, Field(ge=1, le=20)] = 2
    auditor: Id | None = None


class Support(Strict):
    """Technical support terms after launch."""

    hours: ShortText = "09:00-18:00"
    reaction_hours: Annotated[float, Field(gt=0, le=240)] = 4
    fix_days: Annotated[int, Field(ge=1, le=90)] = 5
    monthly_hours: Annotated[float, Field(ge=0, le=2_000)] = 0
    months: Annotated[int, Field(ge=1, le=120)] | None = Field(
        None, description="How many months after launch the support package runs "
        "(e.g. 6 for 'the first half-year'); none: for as long as the CRM is used.")
    warranty_months: Annotated[int, Field(ge=0, le=60)] = Field(
        6, description="How long after acceptance the contractor fixes at its own cost any "
        "deviation of the system from the approved specification and any error in its own "
        "settings (the specifications state it; an audit bills such fixes as warranty "
        "work); 0: no warranty.")
    outside_hours: Text | None = Field(
        None, description="What is covered while the client's shifts run outside the "
        "support hours (e.g. a P1 phone contact in the weeks after a cut-over); the "
        "functional specification states it, or says that such requests wait for the next "
        "support day.")


class DocumentEntry(Strict):
    """An entry of the document register: what the title page and header say."""

    version: Annotated[str, Field(pattern=r"^[0-9]+(\.[0-9]+){0,2}$")] = "1.0"
    status: Literal["draft", "review", "approved"] = Field(
        "review", description="Status on the title page: a document the tool issues goes out "
        "for approval (its sign-off blocks are still empty); set approved once it is signed.")
    date: dt.date | None = Field(
        None, description="Date on the document; default: the plan's milestone approving it."
    )


# "spec" is also the register entry of the documents that take the specification's place
# (the express passport, the CTI specification); "backlog" is the iterative mode's plan.
DocumentName = Literal["survey", "spec", "backlog", "training"]


# ------------------------------------------------------------------ economics
# Vendor selection and total cost of ownership (METHODOLOGY.md, "Before the project").
# The arithmetic lives in crmimpl.plan.economics; these classes only check what was written.

Delivery = Literal["cloud", "on_premise", "both"]
Interface = Literal["rest", "soap", "xml", "json", "odata"]
CriterionKind = Literal[
    "functional_fit",
    "popularity",
    "ratings",
    "interfaces",
    "delivery",
    "developer_country",
    "support_language",
    "business_size",
    "price",
    "other",
]
Percent = Annotated[Decimal, Field(gt=0, le=100, decimal_places=2)]


class SaasLicensing(Strict):
    """A subscription: paid per user per month for as long as the CRM is used."""

    per_user_month: Money
    infrastructure_per_year: Money | None = Field(
        None, description="Overrides the candidate's infrastructure cost for this licensing."
    )


class PerpetualLicensing(Strict):
    """A licence bought once (the first seat dearer), plus paid major updates."""

    first_licence: Money
    further_licence: Money = Field(description="Price of each seat after the first.")
    server_licences: Money | None = Field(
        None, description="Licences bought once for the whole installation, not per seat "
        "(e.g. the 1С:Предприятие 8.3 КОРП server licence); counted with the seats so that "
        "the TCO holds every licence the system needs."
    )
    platform_licence: Money | None = Field(
        None, description="Price per seat of the platform the product runs on, bought with "
        "each seat (e.g. a 1С:Предприятие 8 client licence): the TCO counts one per user."
    )
    major_update_share: Annotated[Decimal, Field(ge=0, le=1, decimal_places=4)] | None = Field(
        None, description="An update costs this share of all licences (0.3 = 30%)."
    )
    major_update_price: Money | None = Field(
        None, description="An update costs this amount for all seats."
    )
    update_every_years: Annotated[Decimal, Field(ge=1, le=5, decimal_places=2)] = Decimal(2)
    infrastructure_per_year: Money | None = Field(
        None, description="Overrides the candidate's infrastructure cost for this licensing."
    )

    @field_validator("update_every_years")
    @classmethod
    def _whole_months(cls, value: Decimal) -> Decimal:
        if (value * 12) % 1:
            raise ValueError(f"{value} years is not a whole number of months (use 1.5, 1.75, 2)")
        return value

    @property
    def update_every_months(self) -> int:
        """The update period in months."""
        return int(self.update_every_years * 12)


class Candidate(Strict):
    """A CRM considered for the client, with what owning it costs."""

    id: Id
    name: ShortText
    short_name: ShortText | None = Field(
        None, description="How running text names it after the first mention, e.g. 'Вектор "
        "CRM' for 'Вектор CRM (отраслевое решение для банков)'; default: the name without a "
        "trailing parenthesis.")
    delivery: Delivery
    developer_country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    support_languages: list[Annotated[str, Field(pattern=r"^[a-z]{2}$")]] = Field(
        min_length=1, description="ISO 639-1 codes of the languages support answers in."
    )
    interfaces: list[Interface] = Field(default_factory=list)
    saas: SaasLicensing | None = None
    perpetual: PerpetualLicensing | None = None
    infrastructure_per_year: Money = Field(Decimal(0), description="Servers or cloud, per year.")
    connectors: Money = Field(Decimal(0), description="One-off: telephony, accounting, etc.")
    implementation: Money | None = Field(
        None, description="One-off; defaults to economics.implementation or the plan's cost."
    )
    support_per_year: Money = Decimal(0)
    notes: Text | None = None
    excluded: Text | None = Field(
        None, description="Why the candidate cannot be chosen (a hard requirement it fails, "
        "in the client's words): its costs are still shown, marked excluded with this reason, "
        "but it is left out of the ranking, the ROI comparison and the recommendation.")


class Criterion(Strict):
    """A weighted selection criterion with a 1–5 score per candidate."""

    id: Id
    kind: CriterionKind
    module: Module | None = Field(None, description="For functional_fit: the module rated.")
    name: ShortText | None = Field(None, description="Label; defaults to the kind's label.")
    weight: Annotated[Decimal, Field(gt=0, le=1000, decimal_places=2)]
    scores: dict[str, Annotated[int, Field(ge=1, le=5)]] = Field(
        description="Candidate id → score from 1 (poor) to 5 (excellent)."
    )


class BenefitLine(Strict):
    """An expected yearly benefit: a revenue uplift (from a goal) or a direct saving."""

    id: Id
    goal: Id | None = Field(None, description="Goal whose KPI gives the uplift.")
    uplift_percent: Annotated[Decimal, Field(gt=0, le=1000, decimal_places=2)] | None = Field(
        None, description="Relative revenue uplift; defaults to the goal's KPI change."
    )
    annual_saving: Money | None = Field(
        None, description="A direct yearly saving instead of an uplift (not times margin)."
    )
    attribution_percent: Percent = Field(
        Decimal(50), description="Share of the effect credited to the CRM (conservative)."
    )
    note: Text | None = None


class Revenue(Strict):
    """Figures to turn the goals into money for the return on investment."""

    annual_revenue: Money | None = Field(None, description="Baseline revenue per year.")
    margin_percent: Percent = Field(description="Margin earned on extra revenue.")
    benefit_from_month: Annotated[int, Field(ge=1, le=120)] | None = Field(
        None, description="Horizon month benefits start; defaults to after the deadline."
    )
    benefits: list[BenefitLine] = Field(min_length=1)


class Economics(Strict):
    """Vendor selection and total cost of ownership over a horizon of years."""

    years: Annotated[int, Field(ge=1, le=10)] = 3
    users: Annotated[int, Field(ge=1, le=100_000)] | None = Field(
        None, description="Licensed users; defaults to client.crm_users."
    )
    implementation: Money | None = Field(
        None, description="Default one-off implementation cost for every candidate."
    )
    proposed: Id | None = Field(
        None, description="The candidate the consultant proposes: its implementation cost is "
        "the plan's and its support includes the support package of `support`."
    )
    candidates: list[Candidate] = Field(min_length=1)
    criteria: list[Criterion] = Field(default_factory=list)
    revenue: Revenue | None = None
    rationale: Text | None = Field(
        None, description="Why the proposed system, in the consultant's words: shown when it "
        "costs more to own than a candidate (the trade-off the client is asked to accept).")


class PrintForm(Strict):
    """A document the system prints (or one a neighbouring system prints instead)."""

    name: ShortText = Field(description="As the client calls it, e.g. 'Уведомление о "
                            "регистрации жалобы'.")
    content: ShortText | None = Field(None, description="What it holds and when it is "
                                      "printed or sent.")
    requirements: list[Id] = Field(default_factory=list, description="Requirements it "
                                   "serves.")
    system: ShortText | None = Field(
        None, description="The system that prints it when it is not the CRM (a bank's "
        "contracts come from its core banking system): the ТЗ says so.")


class Contract(Strict):
    """The contract the implementation is done under: the specification is its annex and
    cites its number and date (GOST 34.602-2020, 1.2 and 1.4)."""

    number: ShortText = Field(description="The contract's number as signed, e.g. '47/2026-ВН'.")
    date: dt.date = Field(description="The date the contract was signed.")
    title: ShortText | None = Field(
        None, description="The contract's subject as its title page words it, e.g. "
        "'на выполнение работ по внедрению CRM-системы'.")

    @field_validator("number")
    @classmethod
    def _number_not_blank(cls, value: str) -> str:
        if not value.strip() or value.strip() in ("№", "N", "No", "-", "—"):
            raise ValueError("the contract number is empty: write it as signed, e.g. '47/2026'")
        return value.strip()


class Project(Strict):
    """A CRM implementation project: the whole ``project.yaml``."""

    project: ProjectInfo
    client: Client
    goals: list[Goal] = Field(min_length=1)
    team: list[Person] = Field(min_length=1)
    budget: Budget
    scope: Scope
    system: SystemInfo | None = Field(None, description="The CRM system being implemented.")
    contract: Contract | None = Field(
        None, description="The contract the work is done under (number, date, subject); "
        "the specification cites it as the document it is an annex to.")
    integrations: list[Integration] = Field(default_factory=list)
    migration: list[MigrationSource] = Field(default_factory=list)
    user_classes: list[UserClass] = Field(default_factory=list)
    requirements: list[Requirement] = Field(default_factory=list)
    changes: list[Change] = Field(default_factory=list)
    print_forms: list[PrintForm] = Field(
        default_factory=list, description="Print forms and notices the specification "
        "lists (4.2, reports and print forms), with the system that prints each.")
    records: list[DataRecord] = Field(
        default_factory=list, description="The data model: the records the requirements "
        "rest on (the specification's data model section).")
    configuration: list[ConfigTable] = Field(
        default_factory=list, max_length=20,
        description="Tables of the system's configuration (stages with exit criteria, "
        "service levels, approval limits) the specification prints as an appendix.")
    risks: list[Risk] = Field(default_factory=list)
    plan: PlanSettings = Field(default_factory=PlanSettings)
    training: TrainingSettings = Field(default_factory=TrainingSettings)
    rollout: RolloutSettings = Field(default_factory=RolloutSettings)
    audit: AuditSettings = Field(default_factory=AuditSettings)
    support: Support = Field(default_factory=Support)
    survey: SurveySettings = Field(default_factory=SurveySettings)
    economics: Economics | None = None
    documents: dict[DocumentName, DocumentEntry] = Field(
        default_factory=dict,
        description="Document register: version, status and date per document "
        "(survey, spec, backlog, training); dates default to the plan's approval milestones.",
    )

    _source: Path | None = PrivateAttr(None)
    # where each value stands in the file, so later stages (plan overrides) can point at
    # it without reading the file again; set by load_project
    _positions: YamlDocument | None = PrivateAttr(None)
    # names as project.yaml writes them → as this translation does (see translated_project)
    _names: dict[str, str] = PrivateAttr(default_factory=dict)

    @property
    def source(self) -> Path | None:
        """The file the project was loaded from."""
        return self._source

    def location(self, key_path: KeyPath) -> str:
        """``file:line:col`` of a value in the project file, e.g.
        ``location(("plan", "tasks", 0, "id"))``.

        The deepest key of ``key_path`` the file holds gives the position; a project not
        read by :func:`load_project` has only its file name (``project.yaml`` when none).
        """
        if self._positions is not None:
            return self._positions.location(key_path)
        return str(self._source or "project.yaml")

    # ------------------------------------------------------------------ lookups
    @property
    def country(self) -> str:
        """ISO code of the client's country: ``client.country``, else the calendar's."""
        return self.client.country or self.project.calendar

    @property
    def timezone(self) -> str | None:
        """IANA time zone of the client: ``client.timezone``, else its country's usual one
        (None when the country has several and none is given)."""
        from crmimpl.countries import country_timezone

        return self.client.timezone or country_timezone(self.country)

    def person(self, person_id: str) -> Person:
        """The team member with this id."""
        return next(p for p in self.team if p.id == person_id)

    @property
    def planned_changes(self) -> list[Change]:
        """The custom changes this version builds and prices: not one marked ``wont``
        (not in this version), nor one whose requirement is; those wait for a later
        stage and appear only where the documents list later wishes."""
        wont = {r.id for r in self.requirements if r.priority == "wont"}
        return [c for c in self.changes if c.priority != "wont" and c.requirement not in wont]

    def requirement_counts(self) -> dict[str, int]:
        """How the register's requirements are met, the one count every document states:
        in this version by fit (``standard``, ``setting``, ``change``, ``gap``), and those
        deferred to a later stage (``deferred``: priority 'wont', whatever their fit; of
        them ``deferred_change``: a custom change that is deferred, not built)."""
        out = {k: 0 for k in ("standard", "setting", "change", "gap", "deferred",
                              "deferred_change")}
        for r in self.requirements:
            if r.priority == "wont":
                out["deferred"] += 1
                out["deferred_change"] += r.fit == "change"
            elif r.fit in out:
                out[r.fit] += 1
        return out

    def people_with(self, role: str) -> list[Person]:
        """Team members holding a role."""
        return [p for p in self.team if role in p.roles]

    def department(self, dept_id: str) -> Department:
        """The department with this id."""
        return next(d for d in self.client.departments if d.id == dept_id)

    @property
    def folder(self) -> Path:
        """Folder the project file lives in (answers/, audits/, out/ go there)."""
        return self.source.parent if self.source else Path.cwd()

    # ------------------------------------------------------------ cross-checks
    def in_own_words(self, text: str | None) -> str | None:
        """``text`` (a person's name or position written elsewhere in project.yaml's
        language, e.g. in an audit record) as this project's translation writes it."""
        if not text or not self._names:
            return text
        exact = self._names.get(text.strip())
        if exact is not None:
            return exact
        for before in sorted(self._names, key=len, reverse=True):
            text = text.replace(before, self._names[before])
        return text

    def reference_problems(self) -> list[tuple[KeyPath, str, str]]:
        """Cross-references and rules that span sections, as (key path, message, hint);
        the checks live in :mod:`crmimpl.model.checks`."""
        return project_problems(self)


def load_project(path: Path | str) -> Project:
    """Load and validate a project from a file or a folder holding ``project.yaml``.

    Raises:
        CrmimplError: every problem found, each with ``file:line:col``.
    """
    from crmimpl.load import load_yaml
    from crmimpl.model.validate import validate_document

    path = find_project_file(Path(path))
    doc = load_yaml(path, defer_problems=True)
    project = validate_document(Project, doc)
    project._source = path
    # positions only: the data now lives in the model
    project._positions = replace(doc, data=None, raw={}, problems=[])
    return project


def translated_project(project: Project, lang: str) -> tuple[Project, list[str]]:
    """``project`` with its text in ``lang`` from the overlay ``project.<lang>.yaml``
    (see :mod:`crmimpl.overlay`), and the paths of the text fields still in Russian.

    The project's own language, or a project without a file, is returned as it is.
    Figures are project.yaml's: the overlay holds text only.

    Raises:
        CrmimplError: the overlay's problems with its file and line, or a translation
            that breaks a cross-reference (a site named differently in two places).
    """
    from crmimpl.errors import CrmimplError
    from crmimpl.load import load_yaml
    from crmimpl.model.validate import validate_document
    from crmimpl.overlay import Overlay, load_overlay

    if lang == project.project.language or project.source is None:
        return project, []
    doc = load_yaml(project.source, defer_problems=True)
    overlay = load_overlay(project.source, lang, doc.data)
    if overlay is None:
        overlay = Overlay(doc.data, None)
        return project, overlay.untranslated() if lang != "ru" else []
    try:
        translated = validate_document(Project, replace(doc, data=overlay.data))
    except CrmimplError as exc:  # a name translated in one place and not in another
        name = overlay.source.name if overlay.source else f"project.{lang}.yaml"
        raise CrmimplError([p._replace(
            message=f"{p.message} (with {name} applied)",
            hint=p.hint or f"a name referred to elsewhere must be translated the same way "
            f"in {name} (a location and a site, a person and a department head)")
            for p in exc.problems]) from None
    translated._source = project.source
    translated._positions = project._positions
    translated._names = _name_map(project, translated)
    return translated, overlay.untranslated() if lang != "ru" else []


def _name_map(original: Project, translated: Project) -> dict[str, str]:
    """People's names and positions as project.yaml writes them (in full and as
    ``Сергеева М. О.``) → as the translation does, for text the overlay does not cover
    (an audit record's auditor and participants, a respondent, a department head)."""
    out: dict[str, str] = {}
    for before, after in zip(original.team, translated.team, strict=True):
        if before.name != after.name:
            out[before.name] = after.name
            parts = before.name.split()
            if len(parts) == 3:  # Фамилия Имя Отчество → Фамилия И. О.
                out[f"{parts[0]} {parts[1][0]}. {parts[2][0]}."] = after.name
        if before.position and after.position and before.position != after.position:
            out[before.position] = after.position
    # a department head outside the project team (the head of logistics) is named too
    for before_d, after_d in zip(original.client.departments, translated.client.departments,
                                 strict=True):
        if before_d.head and after_d.head and before_d.head != after_d.head:
            out.setdefault(before_d.head, after_d.head)
            parts = before_d.head.split()
            if len(parts) == 3:
                out.setdefault(f"{parts[0]} {parts[1][0]}. {parts[2][0]}.", after_d.head)
    return out


def find_project_file(path: Path) -> Path:
    """``path`` itself, or ``path/project.yaml`` when a folder is given."""
    from crmimpl.errors import CrmimplError

    if path.is_dir():
        candidate = path / "project.yaml"
        if not candidate.exists():
            raise CrmimplError.single(
                str(path), "no project.yaml in this folder",
                hint="create one with `crmimpl new DIR`",
            )
        return candidate
    return path
