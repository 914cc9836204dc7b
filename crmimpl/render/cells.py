"""The one rule every workbook writer shares: text is never a formula.

openpyxl turns any string starting with ``=`` into a formula. Client and project text
(names, answers, evidence) must reach the reader as typed, so every writer puts values
through :func:`put`.
"""

from __future__ import annotations

from typing import Any


def put(cell: Any, value: Any) -> Any:
    """Write ``value`` into ``cell``; text always as a string cell (never a formula)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell
