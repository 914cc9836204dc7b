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


CACHE_ENV = "CRMIMPL_CACHE_DIR"


@cache
def cache_dir() -> Path | None:
    """A folder for data derived from the tool's own files (compiled templates), or None
    when no writable one exists; a missing cache only makes a run slower.

    ``$CRMIMPL_CACHE_DIR``, else ``$XDG_CACHE_HOME/crmimpl``, else ``~/.cache/crmimpl``;
    ``CRMIMPL_CACHE_DIR=`` (empty) turns caching off.
    """
    import os

    from crmimpl import __version__

    chosen = os.environ.get(CACHE_ENV)
    if chosen == "":
        return None
    if chosen is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(
            os.path.expanduser("~"), ".cache")
        chosen = os.path.join(base, "crmimpl")
    folder = Path(chosen) / __version__
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None
