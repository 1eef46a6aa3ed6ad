"""`make grade NB=...`: a learner grades their own notebook; the notebook is never modified."""

import os
import shutil

import pytest

from imbalance_kit.grading.selfgrade import main

from .test_grading_helpers import ROOT, html_text, load, secret_lines

NAME = "00_start_here"


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
