"""What the CLI says to the consultant about a client's workbook, in the project's language.

Messages come from one catalogue, ``templates/locale/messages.yaml`` (key → ``ru``/``en``
text with ``{names}``), never from scattered ``if lang == "ru"`` branches. The language is
chosen once per command with :func:`speaking` (the project's language, unless
``CRMIMPL_MESSAGES=en`` or ``ru`` forces one) and read by :func:`msg` wherever a message is
made, so the functions between need no language argument. Outside :func:`speaking`
messages are English. Counted nouns agree with their number (:func:`counted`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any

from crmimpl.i18n import LANGUAGES, count

ENV = "CRMIMPL_MESSAGES"
DEFAULT = "en"
_LANG: ContextVar[str] = ContextVar("crmimpl_messages", default=DEFAULT)


@cache
def catalogue() -> dict[str, Any]:
    """The whole catalogue (``nouns`` and ``messages``), read once."""
    from crmimpl.load import load_yaml
    from crmimpl.resources import templates_dir

    data = load_yaml(templates_dir() / "locale" / "messages.yaml").data
    assert isinstance(data, dict), "locale/messages.yaml must hold a mapping"
    return data


def message_language(project_language: str | None) -> str:
    """``CRMIMPL_MESSAGES`` when set to ru or en, else the project's language (en when
    unknown)."""
    forced = os.environ.get(ENV, "").strip().lower()
    if forced in LANGUAGES:
        return forced
    return project_language if project_language in LANGUAGES else DEFAULT


@contextmanager
def speaking(project_language: str | None) -> Iterator[str]:
    """Messages made inside the block are in the project's language (see
    :func:`message_language`); yields that language."""
    token = _LANG.set(message_language(project_language))
    try:
        yield _LANG.get()
    finally:
        _LANG.reset(token)


def current() -> str:
    """The language messages are made in now."""
    return _LANG.get()


def msg(key: str, /, **values: Any) -> str:
    """The message ``key`` in the current language, with ``values`` filled in."""
    text = catalogue()["messages"][key][current()]
    return str(text).format(**values) if values else str(text)


def words(key: str) -> Any:
    """A catalogue entry that is not a sentence (a list of column titles)."""
    return catalogue()["messages"][key][current()]


def counted(n: int, noun: str) -> str:
    """``n`` and the catalogue noun agreed: ``3 ошибки``, ``1 problem``."""
    forms = catalogue()["nouns"][noun]
    return count(n, current(), tuple(forms["ru"]), tuple(forms["en"]))


def problem(location: str, message: str, hint: str = "", key_path: str = "") -> Any:
    """A :class:`~crmimpl.errors.Problem` whose hint is headed in the current language."""
    from crmimpl.errors import Problem

    return Problem(location, key_path, message, hint, hint_word=msg("hint"))


def error(location: str, message: str, hint: str = "") -> Any:
    """A :class:`~crmimpl.errors.CrmimplError` with one problem (see :func:`problem`)."""
    from crmimpl.errors import CrmimplError

    return CrmimplError([problem(location, message, hint)])
