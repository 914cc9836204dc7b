"""The one derived state of a run: everything every product reads.

A :class:`Workspace` holds the validated project and what the tool derives from it and
from the files beside it: the plan (tasks, dates, people, costs, the critical set and the
training sessions), the imported answers and audits, and the economics. Each is computed
or read once, on first use; every product (documents, workbooks, Gantt, MSPDI, iCalendar,
the terminal tables) is a function of the workspace and a language, so the same figure is
the same in every output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crmimpl.model.project import Project
    from crmimpl.plan.builder import Plan
    from crmimpl.plan.economics import EconomicsResult
    from crmimpl.plan.training import TrainingPlan
    from crmimpl.questionnaire.answers import Answers
    from crmimpl.questionnaire.audit import AuditRecord


@dataclass
class Workspace:
    """The project and everything derived from it, computed once per run."""

    project: Project
    _training: dict[str, TrainingPlan] = field(default_factory=dict, repr=False)
    _translations: dict[str, tuple[Workspace, list[str]]] = field(default_factory=dict,
                                                                   repr=False)
    _answers: dict[str, tuple[Answers | None, list[str]]] = field(default_factory=dict,
                                                                   repr=False)
    _audits: dict[str, tuple[list[AuditRecord], list[str]]] = field(default_factory=dict,
                                                                     repr=False)

    @classmethod
    def open(cls, path: Path | str) -> Workspace:
        """Load and validate ``project.yaml`` (or the folder holding it)."""
        from crmimpl.model.project import load_project

        return cls(load_project(path))

    @property
    def id(self) -> str:
        """The project's id (the prefix of every output file)."""
        return self.project.project.id

    @property
    def folder(self) -> Path:
        """The folder holding project.yaml."""
        return self.project.folder

    @cached_property
    def plan(self) -> Plan:
        """The plan: WBS, schedule, people, costs, training sessions (read from the cache
        when built before from the same inputs, :mod:`crmimpl.plan.cache`)."""
        from crmimpl.plan.cache import cached_plan

        return cached_plan(self.project)

    @cached_property
    def answers(self) -> Answers | None:
        """Questionnaire answers imported into ``answers/`` (None for an unsaved project)."""
        from crmimpl.questionnaire.answers import load_answers

        if self.project.source is None:
            return None
        return load_answers(self.project.folder)

    @cached_property
    def audits(self) -> list[AuditRecord]:
        """Imported audits, oldest first."""
        from crmimpl.questionnaire.audit import load_audits

        return load_audits(self.project.folder)

    def answers_in(self, lang: str) -> Answers | None:
        """The imported answers with their free text in ``lang`` (``answers/<stem>.<lang>
        .yaml`` merged in, text only); the files themselves in the project's language."""
        from crmimpl.questionnaire.answers import load_answers

        return self._records_in(lang, self._answers, load_answers, self.answers)[0]

    def untranslated_answers(self, lang: str) -> list[str]:
        """Free-text answers an ``lang`` document still quotes in Russian."""
        from crmimpl.questionnaire.answers import load_answers

        return self._records_in(lang, self._answers, load_answers, None)[1]

    def audits_in(self, lang: str) -> list[AuditRecord]:
        """The imported audits with their text in ``lang`` (``audits/<date>.<lang>.yaml``
        merged in, text only); the records themselves in the project's language."""
        from crmimpl.questionnaire.audit import load_audits

        return self._records_in(lang, self._audits, load_audits, self.audits)[0]

    def untranslated_audits(self, lang: str) -> list[str]:
        """Text of the audit records an ``lang`` report still quotes in Russian."""
        from crmimpl.questionnaire.audit import load_audits

        return self._records_in(lang, self._audits, load_audits, [])[1]

    def _records_in(self, lang: str, cache: dict[str, Any], load: Any, own: Any
                    ) -> tuple[Any, list[str]]:
        """Records (answers or audits) read with their ``lang`` overlays, once per
        language, and the paths still in Russian; ``own`` in the project's language."""
        if lang == self.project.project.language or self.project.source is None:
            return own, []
        if lang not in cache:
            missing: list[str] = []
            words = self.in_language(lang).project.in_own_words  # people's names
            cache[lang] = (load(self.project.folder, lang, missing, words), missing)
        return cache[lang]

    @cached_property
    def economics(self) -> EconomicsResult | None:
        """Selection, TCO and ROI (None without an economics section)."""
        if self.project.economics is None:
            return None
        from crmimpl.plan.economics import analyse

        return analyse(self.project, self.plan)

    def in_language(self, lang: str) -> Workspace:
        """The workspace whose project text is in ``lang``: this one for the project's
        language, else one built from the translation overlay ``project.<lang>.yaml``
        (the same figures; its own plan, whose names come from the translated text)."""
        if lang not in self._translations:
            from crmimpl.model.project import translated_project

            project, missing = translated_project(self.project, lang)
            ws = self if project is self.project else Workspace(project)
            self._translations[lang] = (ws, missing)
        return self._translations[lang][0]

    def untranslated(self, lang: str) -> list[str]:
        """Paths of project text fields that an ``lang`` build shows still in Russian."""
        self.in_language(lang)
        return self._translations[lang][1]

    def training(self, lang: str) -> TrainingPlan | None:
        """The plan's training sessions with groups and topics in ``lang`` (None when the
        plan teaches nobody)."""
        if not self.plan.sessions:
            return None
        if lang not in self._training:
            from crmimpl.documents.training_plan import training_for

            self._training[lang] = training_for(self.project, lang, self.plan)
        return self._training[lang]
