"""The nbgrader round trip for EVERY assignment found in solutions/ (discovered, not listed).

For each assignment, in a temporary grading folder: release -> submit the
solution and the blank release as two students -> autograde -> the solution
gets full marks and none of its cells raised, the blank release gets 0 on the
autograded cells -> feedback -> grades exported as CSV.

This is also the test that every notebook runs headless: the solution
executes once, the blank release once.
"""

import csv

import nbformat
import pytest

from imbalance_kit.grading import classroom
from imbalance_kit.grading.course import assignment_names

from .test_grading_helpers import ROOT, SANDBOX, html_text, secret_lines

ASSIGNMENTS = assignment_names(ROOT)


def _raised(notebook_path):
    nb = nbformat.read(notebook_path, as_version=4)
    out = []
    for i, cell in enumerate(nb.cells, start=1):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                label = cell.metadata.get("nbgrader", {}).get("grade_id") or cell.get("id")
                out.append(f"cell {i} ({label}): {output.ename}: {output.evalue}"[:300])
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_round_trip(name, tmp_path):
    course, inbox = tmp_path / "class", tmp_path / "inbox"
    (released,) = classroom.release([name], course=course, root=ROOT)
    assert released.is_file()
    submissions = {
        "solution": nbformat.read(ROOT / "solutions" / name / f"{name}.ipynb", as_version=4),
        "blank": nbformat.read(released, as_version=4),
    }
    for student, nb in submissions.items():
        path = inbox / student / name / f"{name}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(nb, path)
        # Data files next to the notebook travel with it.
        for extra in (ROOT / "solutions" / name).iterdir():
            if extra.is_file() and extra.suffix != ".ipynb":
                (path.parent / extra.name).write_bytes(extra.read_bytes())
    assert len(classroom.collect(inbox, [name], course=course)) == 2

    results = {r.student: r for r in classroom.autograde([name], course=course, workers=2, progress=False,
                                                                  sandbox=SANDBOX)}
    for student in submissions:
        assert results[student].ok, results[student].error

    solution = results["solution"].scores
    auto = [s for s in solution if s.kind == "autograded"]
    assert auto, f"{name} has no autograded tests"
    failed = [(s.grade_id, s.score, s.max_score, s.error) for s in auto if s.score != s.max_score]
    assert not failed, f"the solution of {name} does not get full marks: {failed}"
    raised = _raised(course / "autograded" / "solution" / name / f"{name}.ipynb")
    assert not raised, f"cells of the solution of {name} raised:\n" + "\n".join(raised)
    manual = [s for s in solution if s.kind == "manual"]
    assert all(s.needs_manual_grade for s in manual)

    blank = [s for s in results["blank"].scores if s.kind == "autograded"]
    earned = [(s.grade_id, s.score) for s in blank if s.score != 0]
    assert not earned, f"the blank release of {name} earns points: {earned}"

    feedback = classroom.feedback([name], course=course)
    assert {p.parts[-3] for p in feedback} == set(submissions)
    hidden = secret_lines(nbformat.read(ROOT / "solutions" / name / f"{name}.ipynb", as_version=4),
                          kinds=("hidden",))
    for path in feedback:
        text = html_text(path)
        shown = [line for line in hidden if line in text]
        assert not shown, f"{path} shows hidden tests: {shown[:3]}"

    out = tmp_path / "grades.csv"
    assert classroom.export_grades(out, course=course) == 2
    rows = {r["student_id"]: r for r in csv.DictReader(out.open())}
    total = sum(s.max_score for s in auto)
    assert float(rows["solution"]["auto_score"]) == total == float(rows["solution"]["auto_max_score"])
    assert float(rows["blank"]["auto_score"]) == 0
