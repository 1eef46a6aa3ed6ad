"""Helpers shared by the grading tests (what counts as secret text, reading feedback); no tests here.

Named test_grading_* to stay among the grading test files; pytest collects nothing from it.
"""

import html
import json
import re
from pathlib import Path

from imbalance_kit.grading.sandbox import sandbox_problem

ROOT = Path(__file__).resolve().parents[1]

# Grading tests sandbox the kernels where bubblewrap can run, and grade without the sandbox
# elsewhere, so that the grading itself is still tested; tests/test_sandbox.py and
# tests/test_redteam.py test the sandbox and skip, with the reason, where it cannot run.
SANDBOX = not sandbox_problem()
NO_SANDBOX_FLAG = [] if SANDBOX else ["--no-sandbox"]

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


# --- a tiny course (one small assignment) for grading tests that must run fast ---------------

TINY = "99_tiny"


def _nbg(**kw):
    return {"nbgrader": {"schema_version": 3, **kw}}


def tiny_notebook(answer_body="    return float(np.mean(np.asarray(y) == 1))", extra_test=""):
    """Instructor notebook of 99_tiny: one answer, a visible and a hidden test, a written answer."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    cells = [
        new_markdown_cell("# 99 tiny"),
        new_code_cell("import os\nimport warnings\n\nimport numpy as np\n\nSEED = 0"),
        new_code_cell(f'def positive_rate(y):\n    """Share of 1s."""\n    ### BEGIN SOLUTION\n{answer_body}\n'
                      "    ### END SOLUTION",
                      metadata=_nbg(solution=True, grade=False, locked=False, grade_id="rate_answer")),
        new_code_cell('assert positive_rate([0, 1]) == 0.5, "half of [0, 1] is positive"' + extra_test,
                      metadata=_nbg(solution=False, grade=True, locked=True, points=1, grade_id="rate_visible")),
        new_code_cell("# Hidden tests: checked when your work is graded.\n### BEGIN HIDDEN TESTS\n"
                      'assert positive_rate([1, 1, 1, 0]) == 0.75, "count the 1s, not the 0s"\n'
                      "### END HIDDEN TESTS",
                      metadata=_nbg(solution=False, grade=True, locked=True, points=2,
                                    grade_id="rate_hidden_count")),
        new_markdown_cell("**Model answer.** Because.\n\n**Rubric (1 point).** Says why.",
                          metadata=_nbg(solution=True, grade=True, locked=False, points=1, grade_id="why_written")),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nbformat.from_dict(nb)


def tiny_course(tmp_path, nb=None, config=None):
    """A course root with nbgrader_config.py (the course's, or ``config`` text) and solutions/99_tiny."""
    import nbformat

    root = tmp_path / "course"
    (root / "solutions" / TINY).mkdir(parents=True)
    (root / "nbgrader_config.py").write_text(config or (ROOT / "nbgrader_config.py").read_text())
    nbformat.write(nb if nb is not None else tiny_notebook(), root / "solutions" / TINY / f"{TINY}.ipynb")
    return root


def learner_copy(tmp_path, nb, folder="work"):
    """Write ``nb`` as a learner's notebook tmp_path/<folder>/99_tiny/99_tiny.ipynb; return its path."""
    import nbformat

    path = tmp_path / folder / TINY / f"{TINY}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def grade_cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
