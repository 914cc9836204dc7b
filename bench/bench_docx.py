"""Time Markdown → DOCX for a large document: crmimpl's writer against pandoc.

Usage: ``python bench/bench_docx.py [--headings 200] [--tables 50] [--repeat 3]``.
Needs pandoc on PATH for the comparison (Debian: ``apt-get install pandoc``). Not a test.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from crmimpl.render.blocks import DocMeta
from crmimpl.render.docx import default_reference, write_docx
from crmimpl.render.markdown import parse_blocks


def large_markdown(headings: int, tables: int, rows: int = 20) -> str:
    """A document with ``headings`` headings (levels 1–3), lists, and ``tables`` tables."""
    parts = ["<!-- toc -->\n"]
    every = max(headings // max(tables, 1), 1)
    made = 0
    for n in range(headings):
        level = 1 if n % 10 == 0 else (2 if n % 3 else 3)
        parts.append(f"{'#' * level} Раздел {n}: требования к модулю продаж\n")
        parts.append("Текст раздела с **полужирным**, *курсивом* и `кодом`. " * 5 + "\n")
        parts.append("1. Первый пункт\n2. Второй пункт\n   - вложенный\n3. Третий\n")
        if n % every == 0 and made < tables:
            made += 1
            parts.append("<!-- widths: 10,50,20,20 -->\n| Код | Требование | Приоритет | Оценка |")
            parts.append("|---|---|:-:|--:|")
            parts += [f"| FR-{n}-{r} | Описание требования номер {r} | высокий | {r * 4} |"
                      for r in range(rows)]
            parts.append("")
    return "\n".join(parts)


def best_of(repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--headings", type=int, default=200)
    parser.add_argument("--tables", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    text = large_markdown(args.headings, args.tables)
    meta = DocMeta(title="Benchmark", project="bench", lang="ru")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = work / "large.md"
        source.write_text(text, encoding="utf-8")
        ours = best_of(args.repeat, lambda: write_docx(
            parse_blocks(text), work / "crmimpl.docx", meta=meta))
        print(f"{len(text):,} characters, {args.headings} headings, {args.tables} tables")
        print(f"crmimpl (parse + write): {ours:.3f} s")
        pandoc = shutil.which("pandoc")
        if not pandoc:
            print("pandoc not installed: no comparison")
            return
        theirs = best_of(args.repeat, lambda: subprocess.run(
            [pandoc, "-f", "commonmark+pipe_tables", str(source), "-o",
             str(work / "pandoc.docx"), "--reference-doc", str(default_reference())],
            check=True))
        print(f"pandoc:                  {theirs:.3f} s")
        print(f"ratio crmimpl / pandoc:  {ours / theirs:.2f}")


if __name__ == "__main__":
    main()
