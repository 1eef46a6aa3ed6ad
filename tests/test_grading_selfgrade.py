"""`make grade NB=...`: a learner grades their own notebook; the notebook is never modified."""

import os
import shutil

import pytest

from imbalance_kit.grading.course import make_course, read_scores, run_nbgrader
from imbalance_kit.grading.selfgrade import main, self_grade

from .test_grading_helpers import ROOT, html_text, load, secret_lines

NAME = "00_start_here"


def _selfgrade_scores(out):
    rows = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[2] == "/" and not parts[0].endswith(":"):
            rows[parts[0]] = (float(parts[1]), float(parts[3]))
    return rows


def _nbgrader_scores(path, folder):
    # Plain nbgrader commands (separate processes), as an instructor would run them.
    course = make_course([NAME], root=ROOT, dest=folder)
    run_nbgrader(course, "generate_assignment", NAME, "--force")
    submitted = course / "submitted" / "learner" / NAME
    submitted.mkdir(parents=True)
    shutil.copy(path, submitted / f"{NAME}.ipynb")
    run_nbgrader(course, "autograde", NAME, "--force", timeout=60)
    return {s.grade_id: (s.score, s.max_score) for s in read_scores(course, NAME, "learner")}


@pytest.mark.slow
def test_selfgrade_prints_a_table_and_leaves_the_notebook_alone(tmp_path, capsys):
    # A learner's notebook with a plausible wrong answer (accuracy of the minority class).
    nb = load(ROOT / "solutions" / NAME / f"{NAME}.ipynb")
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "accuracy_answer":
            cell["source"] = ("def majority_accuracy(y):\n    counts = class_counts(y)\n"
                              "    return min(counts.values()) / sum(counts.values())")
    path = tmp_path / "work" / NAME / f"{NAME}.ipynb"
    path.parent.mkdir(parents=True)
    import json
    path.write_text(json.dumps(nb, indent=1))
    os.utime(path, (1_600_000_000, 1_600_000_000))
    before = path.read_bytes()

    feedback_dir = tmp_path / "feedback"
    assert main([str(path), "--timeout", "60", "--feedback-dir", str(feedback_dir)]) == 0
    out = capsys.readouterr().out
    # The same scores as nbgrader's own `nbgrader autograde` of the same notebook.
    assert _selfgrade_scores(out) == _nbgrader_scores(path, tmp_path / "nbgrader")

    assert path.read_bytes() == before and path.stat().st_mtime == 1_600_000_000
    assert sorted(p.name for p in path.parent.iterdir()) == [f"{NAME}.ipynb"], "no files beside the notebook"
    lines = out.splitlines()
    row = next(l for l in lines if l.startswith("accuracy_hidden_minority"))
    assert "0 / 1" in row and "failed" in row and "minority class" in row
    assert next(l for l in lines if l.startswith("counts_visible")).split()[1:4] == ["1", "/", "1"]
    assert "accuracy_written" in out and "to be graded by hand" in out
    assert "autograded: 4 / 6 points" in out
    feedback = feedback_dir / f"{NAME}.html"
    assert str(feedback) in out and feedback.is_file()
    text = html_text(feedback)
    hidden = secret_lines(load(ROOT / "solutions" / NAME / f"{NAME}.ipynb"), kinds=("hidden",))
    assert not [line for line in hidden if line in text]
    assert not (ROOT / "gradebook.db").exists()


@pytest.mark.slow
def test_selfgrade_writes_feedback_only_when_asked_and_refuses_a_notebook_outside_its_folder(tmp_path, capsys):
    path = tmp_path / "work" / NAME / f"{NAME}.ipynb"
    path.parent.mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / NAME / f"{NAME}.ipynb", path)
    result = self_grade(path, timeout=60)
    assert result.feedback_path is None and result.auto_score == 0 and result.auto_max_score == 6
    assert result.seconds > 0
    assert main([str(path), "--timeout", "60"]) == 0
    out = capsys.readouterr().out
    assert "feedback (HTML" not in out and "autograded: 0 / 6 points" in out
    # A renamed copy outside the assignment's folder cannot be matched to an assignment.
    stray = tmp_path / "elsewhere" / "my_work.ipynb"
    stray.parent.mkdir()
    shutil.copy(path, stray)
    assert main([str(stray)]) == 1
    err = capsys.readouterr().err
    assert "my_work.ipynb: not a known assignment" in err and "notebooks/NN_name/" in err
