"""How wide a piece of table text is, so column widths can follow the content.

Advance widths (thousandths of an em) of Liberation Sans, the reference document's table
font, which is metric-compatible with Arial: a document laid out by LibreOffice with
Liberation Sans and by Word with Arial breaks lines at the same places. Characters not in
the table count as wide as the widest common letter, so an estimate errs on the wide side.
Generated from LiberationSans-Regular.ttf / -Bold.ttf (hmtx); ``₽`` is absent from
Liberation Sans and measured as LibreOffice's fallback font draws it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import repeat

_CHARS = (
    ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNO'
    'PQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~А'
    'БВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмно'
    'прстуфхцчшщъыьэюя₽№«»—–…’“”•\xa0×'
)
_REGULAR = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 667,
    656, 667, 542, 677, 667, 667, 923, 604, 719, 719, 583, 656, 833, 722, 778, 719,
    667, 722, 611, 635, 760, 667, 740, 667, 917, 938, 792, 885, 656, 719, 1010, 722,
    556, 573, 531, 365, 583, 556, 556, 669, 458, 559, 559, 438, 583, 688, 552, 556,
    542, 556, 500, 458, 500, 823, 500, 573, 521, 802, 823, 625, 719, 521, 510, 750,
    542, 640, 1073, 556, 556, 1000, 556, 1000, 222, 333, 333, 350, 278, 584,
)
_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 722,
    719, 722, 567, 712, 667, 669, 904, 626, 719, 719, 610, 702, 833, 722, 778, 719,
    667, 722, 611, 622, 854, 667, 730, 703, 1005, 1019, 870, 979, 719, 711, 1031, 719,
    556, 618, 615, 417, 635, 556, 556, 709, 497, 615, 615, 500, 635, 740, 604, 611,
    604, 611, 556, 490, 556, 875, 556, 615, 581, 833, 844, 729, 854, 615, 552, 854,
    583, 640, 1115, 556, 556, 1000, 556, 1000, 278, 500, 500, 350, 278, 584,
)

_UNKNOWN = 833
_WIDTHS = {False: dict(zip(_CHARS, _REGULAR, strict=True)),
           True: dict(zip(_CHARS, _BOLD, strict=True))}
for _bold in (False, True):  # a no-break hyphen (phone numbers) is as wide as a hyphen
    _WIDTHS[_bold]["\u2011"] = _WIDTHS[_bold]["-"]
# Where a line may break: after a space (not a no-break space) and after a hyphen or a
# dash between letters or digits («приемо-» / «сдаточные», «2024–» / «2025»).
_BREAKS = re.compile(r"[ \t\n]+|(?<=\w[-–—])(?=\w)")


@lru_cache(maxsize=1 << 16)  # tables repeat their words: measured once per run
def text_width(text: str, size_pt: float, bold: bool = False) -> float:
    """Width of ``text`` on one line, in twips (1/20 pt)."""
    ems = sum(map(_WIDTHS[bold].get, text, repeat(_UNKNOWN))) / 1000
    return ems * size_pt * 20


def words(text: str) -> list[str]:
    """The pieces of ``text`` no line break may split."""
    return [w for w in _BREAKS.split(text) if w]


@lru_cache(maxsize=1 << 16)
def longest_word(text: str, size_pt: float, bold: bool = False) -> float:
    """Width of the widest unbreakable piece of ``text``, in twips."""
    return max((text_width(w, size_pt, bold) for w in words(text)), default=0.0)


@lru_cache(maxsize=1 << 16)
def longest_line(text: str, size_pt: float, bold: bool = False) -> float:
    """Width of ``text`` unwrapped (its widest hard line), in twips."""
    return max((text_width(line, size_pt, bold) for line in text.split("\n")), default=0.0)


@lru_cache(maxsize=1 << 16)
def line_count(text: str, width: float, size_pt: float, bold: bool = False) -> int:
    """Lines ``text`` takes in a column ``width`` twips wide, wrapping at word breaks."""
    total = 0
    space = text_width(" ", size_pt, bold)
    for line in text.split("\n"):
        lines, used = 1, 0.0
        for word in words(line):
            w = text_width(word, size_pt, bold)
            if used and used + space + w > width:
                lines, used = lines + 1, w
            else:
                used += (space if used else 0) + w
        total += lines
    return total
