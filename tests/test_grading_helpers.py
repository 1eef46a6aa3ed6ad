"""Helpers shared by the grading tests (what counts as secret text, reading feedback); no tests here.

Named test_grading_* to stay among the grading test files; pytest collects nothing from it.
"""

import html
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
           "BEGIN MARK SCHEME", "END MARK SCHEME")
# Lines the release itself puts in place of solutions.
STUB_LINES = {"# YOUR CODE HERE", "raise NotImplementedError()", "YOUR ANSWER HERE"}
MIN_SECRET_LEN = 8  # shorter lines ("pass", "else:", ")") are not evidence of a leak


def _cells(nb):
    for cell in nb["cells"]:
        yield cell, "".join(cell.get("source", "")), cell.get("metadata", {}).get("nbgrader", {})


def split_source(nb):
    """Return (solution lines, hidden-test lines, public lines) of an instructor notebook, stripped."""
    solution, hidden, public = set(), set(), set()
    for cell, source, meta in _cells(nb):
        whole_cell_answer = (cell["cell_type"] == "markdown" and meta.get("solution")
                             and "BEGIN SOLUTION" not in source)
        where = None
        for line in source.splitlines():
            text = line.strip()
            if "BEGIN SOLUTION" in text:
                where = solution
            elif "BEGIN HIDDEN TESTS" in text:
                where = hidden
            elif "END SOLUTION" in text or "END HIDDEN TESTS" in text:
                where = None
            elif whole_cell_answer:
                solution.add(text)
            elif where is not None:
                where.add(text)
            else:
                public.add(text)
    return solution, hidden, public


def secret_lines(nb, kinds=("solution", "hidden")):
    """Lines of the source that must never reach a learner (and are not also public)."""
    solution, hidden, public = split_source(nb)
    chosen = set()
    if "solution" in kinds:
        chosen |= solution
    if "hidden" in kinds:
        # A hidden-test line that is also a solution line (``counts = class_counts(y)``)
        # may rightly show in the feedback of a learner who wrote that solution.
        chosen |= hidden if "solution" in kinds else hidden - solution
    return {t for t in chosen - public - STUB_LINES if len(t) >= MIN_SECRET_LEN}


def load(path):
    return json.loads(Path(path).read_text("utf-8"))


def html_text(path):
    """Visible text of an HTML file: tags removed, entities decoded."""
    raw = Path(path).read_text("utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", "", raw, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", "", raw))
