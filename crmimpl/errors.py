"""User-facing errors.

A :class:`CrmimplError` is a mistake in what a person gave the tool (a YAML file, a
workbook, an option). The CLI prints it without a traceback and exits with code 1.
Anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

# Plain classes, not dataclasses: every command imports this module, and building a
# dataclass runs generated code at import time (`crmimpl --help` is kept fast).


class Problem(NamedTuple):
    """One problem found in an input, with where it is (immutable, ordered by location).

    ``location`` is what precedes the message: ``file:line:col`` for text files or
    ``file.xlsx!Sheet!D14`` for workbooks. ``key_path`` is the dotted path of the value
    inside the document (``goals[1].kpi.target``), empty when not applicable.
    """

    location: str
    key_path: str = ""
    message: str = ""
    hint: str = ""
    hint_word: str = "hint"  # "подсказка" in Russian messages

    def line_col(self) -> tuple[int, int]:
        """(line, column) of a ``file:line:col`` location; (0, 0) for other locations."""
        parts = self.location.rsplit(":", 2)
        try:
            return int(parts[-2]), int(parts[-1])
        except (ValueError, IndexError):
            return 0, 0

    def render(self) -> str:
        """Render as ``location: key.path: message (hint)``."""
        parts = [self.location] if self.location else []
        if self.key_path:
            parts.append(self.key_path)
        text = ": ".join([*parts, self.message])
        if self.hint:
            text += f"\n    {self.hint_word}: {self.hint}"
        return text


def text_location(path: Path | str, line: int | None = None, col: int | None = None) -> str:
    """Format ``path:line:col`` (1-based line and column)."""
    loc = str(path)
    if line is not None:
        loc += f":{line}"
        if col is not None:
            loc += f":{col}"
    return loc


class CrmimplError(Exception):
    """A user error: one or more problems, rendered without a traceback (exit 1)."""

    def __init__(self, problems: list[Problem] | None = None, summary: str = "") -> None:
        self.problems: list[Problem] = problems if problems is not None else []
        self.summary = summary
        super().__init__(self.render())

    def __reduce__(self) -> tuple[type[CrmimplError], tuple[list[Problem], str]]:
        # an error crosses process boundaries whole (a portfolio build's workers)
        return type(self), (self.problems, self.summary)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(problems={self.problems!r}, summary={self.summary!r})"

    @classmethod
    def single(
        cls, location: str, message: str, *, key_path: str = "", hint: str = ""
    ) -> CrmimplError:
        """Build an error with exactly one problem."""
        return cls([Problem(location, key_path, message, hint)])

    def render(self) -> str:
        """All problems, one per line, then the summary if any."""
        lines = [p.render() for p in self.problems]
        if self.summary:
            lines.append(self.summary)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()


def count_problems(count: int) -> str:
    """``1 problem`` or ``3 problems``: the one summary line of an error."""
    return f"{count} problem" + ("" if count == 1 else "s")


class UsageError(CrmimplError):
    """A mistake in how the command was called (exit 2)."""


class ExistingFileError(CrmimplError):
    """The tool would overwrite a file a person owns."""
