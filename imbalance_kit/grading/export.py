"""The course's grade export: nbgrader's own CSV export, plus the autograded share of each score.

:class:`CourseCsvExportPlugin` is an nbgrader ``ExportPlugin``: it runs
nbgrader's ``CsvExportPlugin`` and adds columns to each of its rows, so every
column nbgrader computes (``raw_score``, ``late_submission_penalty``, ``score``
after the late penalty, a row with 0 for a student who did not submit) is
nbgrader's value and the two exports cannot disagree. Use it from the course's
command (``classroom export``) or from nbgrader itself, in the grading folder::

    nbgrader export --exporter=imbalance_kit.grading.export.CourseCsvExportPlugin --to grades.csv
"""

import csv
import tempfile
from pathlib import Path

from nbgrader.plugins import CsvExportPlugin

__all__ = ["COLUMNS", "CourseCsvExportPlugin"]

#: Columns of the course's CSV, in order (nbgrader's, then the course's own).
COLUMNS = ["student_id", "assignment", "submitted", "timestamp", "duedate", "raw_score",
           "late_submission_penalty", "score", "max_score", "auto_score", "auto_max_score",
           "needs_manual_grade", "last_name", "first_name", "email"]


def _auto_max(assignment):
    # Points of the test cells (code grade cells); written answers are graded by hand.
    return sum(cell.max_score for nb in assignment.notebooks for cell in nb.grade_cells
               if cell.cell_type == "code")


class CourseCsvExportPlugin(CsvExportPlugin):
    """nbgrader's ``CsvExportPlugin`` with the course's columns added, rows sorted.

    One row per student per assignment, every student of the gradebook
    included (a student without a submission gets ``submitted=false`` and
    nbgrader's 0). Columns: :data:`COLUMNS`. ``score`` is nbgrader's: raw
    score minus the late penalty, never below 0; written answers count once a
    person has graded them. ``auto_score`` and ``auto_max_score`` are the
    points of the test cells only (before any late penalty);
    ``needs_manual_grade`` is ``true`` while a written answer waits for a person.

    Parameters
    ----------
    to : str
        CSV file to write (default ``grades.csv``).
    student, assignment : list of str
        Only these (nbgrader's options).

    Examples
    --------
    >>> from imbalance_kit.grading.course import open_gradebook  # doctest: +SKIP
    >>> with open_gradebook(".grading/classroom") as gb:  # doctest: +SKIP
    ...     CourseCsvExportPlugin(to="grades.csv").export(gb)
    """

    def export(self, gradebook):
        from nbgrader.api import MissingEntry

        dest = Path(self.to or "grades.csv")
        with tempfile.TemporaryDirectory() as tmp:
            theirs = Path(tmp) / "nbgrader.csv"
            CsvExportPlugin(to=str(theirs), student=self.student, assignment=self.assignment,
                            parent=self).export(gradebook)
            with theirs.open(newline="", encoding="utf-8") as f:
                rows = list(csv.DictReader(f))
        assignments = {a.name: a for a in gradebook.assignments}
        for row in rows:
            assignment = assignments[row["assignment"]]
            row["auto_max_score"] = f"{_auto_max(assignment):g}"
            try:
                submission = gradebook.find_submission(row["assignment"], row["student_id"])
            except MissingEntry:
                row.update(submitted="false", auto_score="0", needs_manual_grade="false")
                continue
            auto = sum(grade.score or 0 for nb in submission.notebooks for grade in nb.grades
                       if grade.cell_type == "code")
            row.update(submitted="true", auto_score=f"{auto:g}",
                       needs_manual_grade=str(bool(submission.needs_manual_grade)).lower())
        rows.sort(key=lambda r: (r["student_id"], r["assignment"]))
        dest.parent.mkdir(parents=True, exist_ok=True)
        with dest.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n", extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        self.rows_written = len(rows)
