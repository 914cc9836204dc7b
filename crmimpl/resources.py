"""Find the bundled ``templates/`` and ``questionnaires/`` folders.

In a wheel they are force-included inside the package (``crmimpl/_data/``); in a
checkout or an editable install they sit at the top of the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Folder of bundled data: ``templates`` or ``questionnaires``."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"crmimpl is installed without its {name}/ folder")


def templates_dir() -> Path:
    """The built-in document and plan templates."""
    return data_dir("templates")


def questionnaires_dir() -> Path:
    """The built-in questionnaire definitions."""
    return data_dir("questionnaires")
