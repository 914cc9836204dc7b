"""Benchmark: import a filled 500-question workbook (target < 0.5 s).

Builds a 500-question definition in a temporary project, exports it, fills every answer
with openpyxl, then times :func:`import_workbooks` (safety checks, reading, validation,
writing answers/). Not a test: run `python bench/bench_import.py`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = 500
RUNS = 5
TYPES = ["text", "integer", "decimal", "date", "yes_no", "select_one", "long_text", "email"]


def definition() -> dict[str, Any]:
    """A definition of ``QUESTIONS`` questions over 10 sections, with conditions."""
    sections = []
    for s in range(10):
        questions = []
        for i in range(QUESTIONS // 10):
            n = s * (QUESTIONS // 10) + i
            q: dict[str, Any] = {"id": f"q{n}", "type": TYPES[n % len(TYPES)],
                                 "label": {"ru": f"Вопрос {n}", "en": f"Question {n}"},
                                 "required": n % 3 == 0}
            if q["type"] == "select_one":
                q["choices"] = "levels"
            if n % 7 == 1 and n > 10:
                q["relevant"] = f"${{q{n - 1}}} != 'l4' or answered(${{q{n - 2}}})"
            questions.append(q)
        sections.append({"id": f"s{s}", "title": {"ru": f"Раздел {s}", "en": f"Section {s}"},
                         "questions": questions})
    levels = [{"id": f"l{i}", "label": {"ru": f"Уровень {i}", "en": f"Level {i}"}}
              for i in range(5)]
    return {"id": "bench", "version": 1, "kind": "survey",
            "title": {"ru": "Тест", "en": "Bench"}, "introduction": {"ru": "Т", "en": "B"},
            "choice_lists": [{"id": "levels", "choices": levels}], "sections": sections}


def value(kind: str, n: int) -> Any:
    """A valid answer of a type, as a client would type it."""
    import datetime as dt

    return {"text": f"Answer {n}", "integer": n, "decimal": n + 0.5,
            "date": dt.datetime(2026, 1, 1 + n % 28), "yes_no": "Yes",
            "select_one": f"Level {n % 5}", "long_text": f"Long answer {n}\nsecond line",
            "email": f"user{n}@example.com"}[kind]


def main() -> None:
    """Print the import time of a filled 500-question workbook."""
    from crmimpl.questionnaire.export import ExportContext, export_questionnaire
    from crmimpl.questionnaire.importer import import_workbooks
    from crmimpl.questionnaire.library import get_questionnaire
    from tests.filler import fill_workbook

    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "questionnaires").mkdir()
        data = definition()
        (project / "questionnaires" / "bench.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        start = time.perf_counter()
        bench = get_questionnaire("bench", project)
        load_time = time.perf_counter() - start
        blank = export_questionnaire(bench, ExportContext("p", "C", "en"), project / "b.xlsx")
        answers = {q.id: value(q.type, int(q.id[1:])) for q in bench.questions()}
        filled = fill_workbook(blank, answers, out=project / "filled.xlsx")
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            result = import_workbooks(project, [filled], force=True)
            times.append(time.perf_counter() - start)
        assert result.written
    median = statistics.median(times)
    print(f"definition load (500 questions, once per process): {load_time:.3f} s")
    print(f"import of a filled {QUESTIONS}-question workbook: median {median:.3f} s "
          f"over {RUNS} runs (target < 0.5 s) {'OK' if median < 0.5 else 'SLOW'}")


if __name__ == "__main__":
    main()
