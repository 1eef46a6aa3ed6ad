"""nbgrader configuration of the course *Learning from imbalanced data*.

Run nbgrader from this folder (it reads ``nbgrader_config.py`` from the
current directory). The course's own commands (``make release``,
``make grade NB=...``, ``python -m imbalance_kit.grading.classroom ...``)
copy this file into the temporary course folders they work in, so every
grading path uses the same settings.
"""

import os
import sys

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    GetGrades,
    IgnorePattern,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)

from imbalance_kit.grading.preprocessors import (
    ClearInstructorHiddenTests,
    DeduplicateGradeIds,
    ExplainStderrZero,
    LimitOutputSize,
    ScrubHiddenTestOutputs,
    ScrubInstructorSource,
    StderrToStdout,
)
from imbalance_kit.grading.sandbox import GuardedExecute

c = get_config()  # noqa: F821 (injected by traitlets when it loads this file)

c.CourseDirectory.course_id = "imbalanced-learning"
# Instructor source with solutions and hidden tests; student release.
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"



def cell_timeout(default=300):
    """Seconds one cell may run: ``IMBALANCE_KIT_CELL_TIMEOUT``, else ``default``.

    Never raises: nbgrader only logs an exception in this file and then
    ignores the whole file (hidden-test scrubbing included), so a bad value
    is reported on stderr and the default is kept.

    Examples
    --------
    >>> cell_timeout()  # doctest: +SKIP
    300
    """
    text = os.environ.get("IMBALANCE_KIT_CELL_TIMEOUT", "").strip()
    if not text:
        return default
    if text.isdecimal() and int(text) >= 1:  # isdecimal: what int() accepts
        return int(text)
    print(f"warning: IMBALANCE_KIT_CELL_TIMEOUT must be a whole number of seconds >= 1, "
          f"got {text!r}; using {default}", file=sys.stderr)
    return default


# Seconds one cell may run when autograding; a cell that runs longer is
# interrupted and scores 0, the rest of the notebook is still graded.
# IMBALANCE_KIT_CELL_TIMEOUT overrides it (the tests use a few seconds).
c.Execute.timeout = cell_timeout()
# nbgrader fails the WHOLE notebook when a cell's output arrives more than
# iopub_timeout seconds after the cell finished (nbclient's default: 4 s).
# On a busy machine (parallel classroom workers, a loaded laptop) that
# happens to correct notebooks; waiting longer costs nothing when output is prompt.
c.Execute.iopub_timeout = 60

# A learner who deletes or edits a test cell gets the original back.
c.OverwriteCells.add_missing_cells = True

# Keep a megabyte print from blowing up the autograded notebook and the
# feedback: at most 200 lines and 20,000 characters per output, 60 lines of
# traceback.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 60
c.LimitOutputSize.max_chars = 20_000

# A graded cell copied in JupyterLab (same grade_id twice) is graded once: the
# copy most like the instructor's cell keeps the nbgrader metadata (the first
# on a tie), the others run as ordinary cells. nbgrader's own DeduplicateIds
# leaves them half-marked and autograding fails with KeyError: 'grade_id'.
c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    DeduplicateGradeIds,
    OverwriteKernelspec,
    OverwriteCells,
    CheckCellMetadata,
]
# Course policy: only a failing assert or an error costs points. nbgrader
# gives 0 to a graded cell that writes anything to stderr (a pandas or
# scikit-learn warning, NumPy's 0/0 warning, a tqdm bar), so StderrToStdout
# moves that text to stdout right after execution.
#
# GuardedExecute is nbgrader's Execute made robust to hostile code: a kernel
# that dies (os._exit, a segfault, a limit) costs the cell it died in and the
# cells after it (0 on their tests), not the whole notebook; a cell's output
# is capped while it arrives. ScrubInstructorSource removes from every cell's
# outputs the lines of solutions and hidden tests a submission printed.
c.Autograde.autograde_preprocessors = [
    GuardedExecute,
    StderrToStdout,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutputSize,  # nbgrader's LimitOutput plus a cap on characters
    ScrubInstructorSource,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]

# Feedback never shows hidden tests: neither their source (ClearHiddenTests)
# nor the tracebacks and prints of a hidden-test cell (ScrubHiddenTestOutputs
# keeps only "AssertionError: <message>"). Order matters: the scrubber must
# see the hidden-test markers before ClearHiddenTests removes them. It reads
# the markers from c.ClearHiddenTests.begin_test_delimeter: set them there.
# ExplainStderrZero writes "wrote to stderr: <first line>" on a graded cell
# that lost its points only for stderr (where StderrToStdout did not run).
# ClearInstructorHiddenTests is ClearHiddenTests for the instructor's test
# cells only: a student's answer that contains the delimiters is graded and
# gets feedback like any other (nbgrader's own fails on it).
c.GenerateFeedback.preprocessors = [
    GetGrades,
    CSSHTMLHeaderPreprocessor,
    ExplainStderrZero,
    ScrubHiddenTestOutputs,
    ScrubInstructorSource,
    ClearInstructorHiddenTests,
]

# Output kept per cell while it arrives (the rest is dropped, with a note).
c.GuardedExecute.max_output_chars = 1_000_000
# The sandbox of classroom autograding (see docs/instructors.md, "Security
# model"): `classroom autograde` turns it on (`--no-sandbox` turns it off),
# `make grade` takes `--sandbox`. Limits of each sandboxed kernel:
c.SandboxKernelManager.memory_mb = 4096  # address space of one process, MiB
c.SandboxKernelManager.cpu_seconds = 1200  # CPU time of one process
c.SandboxKernelManager.max_processes = 256  # processes + threads of one sandbox
c.SandboxKernelManager.max_file_mb = 256  # largest file one process may write, MiB

# On a shared JupyterHub, releases and submissions go through nbgrader's
# exchange (see docs/instructors.md); uncomment and adapt:
# c.Exchange.root = "/srv/nbgrader/exchange"
