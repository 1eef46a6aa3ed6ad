"""nbgrader preprocessors used by the course's ``nbgrader_config.py``.

- :class:`LimitOutputSize` caps outputs by lines (nbgrader's ``LimitOutput``)
  and by characters, so one ``print("x" * 10**7)`` cannot blow up feedback.
- :class:`ScrubHiddenTestOutputs` removes what a hidden-test cell printed and
  reduces its error to ``ename: evalue``: a traceback quotes the failing line,
  which would show the hidden test to the learner.
- :class:`StderrToStdout` moves stderr of graded cells to stdout, so a
  warning or a progress bar does not cost the points nbgrader takes for any
  stderr output; :class:`ExplainStderrZero` says so in the feedback where
  that rule still applied.
- :class:`DeduplicateGradeIds` lets nbgrader grade a notebook in which a
  graded cell was copied (same ``grade_id`` twice).
- :class:`ScrubInstructorSource` removes, from the outputs of every cell,
  lines of the instructor's source that the student was not given
  (solutions, hidden tests, mark schemes): what a submission prints is never
  a channel for them.
- :class:`ClearInstructorHiddenTests` is nbgrader's ``ClearHiddenTests`` for
  the instructor's test cells only: a student's text that contains the
  delimiters is left alone (nbgrader fails on it).
"""

import os
import re
from pathlib import Path

from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests, LimitOutput, NbGraderPreprocessor
from traitlets import Integer, Unicode, default

__all__ = ["ClearInstructorHiddenTests", "DeduplicateGradeIds", "ExplainStderrZero", "LimitOutputSize",
           "ScrubHiddenTestOutputs", "ScrubInstructorSource", "StderrToStdout", "choose_graded_copies",
           "duplicate_notes", "grading_notes", "instructor_secret_lines", "is_instructor_test_cell",
           "scrub_text", "stderr_zero_note"]

TRUNCATION_NOTE = "\n... Output truncated ...\n"


def _cap(text, max_chars):
    if max_chars < 0 or len(text) <= max_chars:
        return text
    return text[:max_chars] + TRUNCATION_NOTE


class LimitOutputSize(LimitOutput):
    r"""nbgrader's ``LimitOutput`` plus a limit on characters per output.

    ``LimitOutput.max_lines`` counts lines, so a single ten-megabyte line
    passes through it; ``max_chars`` cuts it.

    Parameters
    ----------
    max_chars : int, default=20000
        Most characters kept of one output (-1: no limit); a longer text is
        cut and marked, a longer image or JSON is dropped. Set it in
        ``nbgrader_config.py``: ``c.LimitOutputSize.max_chars = 20_000``.
    **kwargs
        ``LimitOutput``'s own settings (``max_lines``, ``max_traceback``).

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_output
    >>> cell = new_code_cell("print('x' * 50)")
    >>> cell.outputs = [new_output("stream", name="stdout", text="x" * 50)]
    >>> cell, _ = LimitOutputSize(max_chars=10).preprocess_cell(cell, {}, 0)
    >>> cell.outputs[0].text
    'xxxxxxxxxx\n... Output truncated ...\n'
    """

    max_chars = Integer(
        20_000, help="maximum number of characters of one output (-1 means no limit)"
    ).tag(config=True)

    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if cell.cell_type != "code":
            return cell, resources
        for output in cell.outputs:
            if output.output_type == "stream":
                output.text = _cap(output.text, self.max_chars)
            elif output.output_type in ("execute_result", "display_data"):
                data = output.get("data", {})
                for mime, value in list(data.items()):
                    if isinstance(value, str) and len(value) > self.max_chars:
                        if mime.startswith("text/"):
                            data[mime] = _cap(value, self.max_chars)
                        else:
                            # A huge image or JSON is dropped, not cut (a cut
                            # base64 string is not an image any more).
                            del data[mime]
                if not data:
                    data["text/plain"] = TRUNCATION_NOTE.strip()
            elif output.output_type == "error":
                output.evalue = _cap(output.evalue, self.max_chars)
        return cell, resources


class ScrubHiddenTestOutputs(NbGraderPreprocessor):
    r"""Keep only ``ename: evalue`` of the error of a cell holding hidden tests.

    Run it in ``GenerateFeedback.preprocessors`` *before* ``ClearHiddenTests``
    (it recognises hidden-test cells by their markers, in the instructor's
    test cells only: a student's text with the markers is not a test). Printed output of such
    a cell is dropped too: it could echo hidden test data.

    Parameters
    ----------
    begin_test_delimeter : str, optional
        The marker of a hidden-test cell (nbgrader's spelling of the name).
        Default: ``ClearHiddenTests.begin_test_delimeter`` of the same
        configuration (``"BEGIN HIDDEN TESTS"`` unless changed there), so one
        setting changes what nbgrader removes and what this scrubs.

    Examples
    --------
    A failing ``assert ratio > 1, "the ratio is majority / minority"`` shows
    as ``AssertionError: the ratio is majority / minority`` and nothing else:

    >>> from nbformat.v4 import new_code_cell, new_output
    >>> cell = new_code_cell("### BEGIN HIDDEN TESTS\nassert ratio > 1, 'majority / minority'",
    ...                      metadata={"nbgrader": {"grade": True, "solution": False}})
    >>> cell.outputs = [new_output("error", ename="AssertionError", evalue="majority / minority",
    ...                            traceback=["----> 2 assert ratio > 1, ..."])]
    >>> ScrubHiddenTestOutputs().preprocess_cell(cell, {}, 0)[0].outputs[0].traceback
    ['AssertionError: majority / minority']
    """

    begin_test_delimeter = Unicode(help="marker of a hidden-test cell (default: ClearHiddenTests')").tag(
        config=True)

    @default("begin_test_delimeter")
    def _begin_from_clear_hidden_tests(self):
        section = self.config.get("ClearHiddenTests") or {}
        return section.get("begin_test_delimeter", ClearHiddenTests.begin_test_delimeter.default_value)

    def preprocess_cell(self, cell, resources, cell_index):
        if (cell.cell_type != "code" or not is_instructor_test_cell(cell)
                or self.begin_test_delimeter not in cell.source):
            return cell, resources
        kept = []
        for output in cell.outputs:
            if output.output_type == "error":
                summary = f"{output.ename}: {output.evalue}" if output.evalue else output.ename
                output.traceback = [summary]
                kept.append(output)
        cell.outputs = kept
        return cell, resources


def _first_line(text):
    for line in str(text).splitlines():
        if line.strip():
            return line.strip()
    return ""


def _is_graded_code(cell):
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade"))


class StderrToStdout(NbGraderPreprocessor):
    r"""Move what a graded code cell wrote to stderr into its stdout.

    nbgrader gives 0 points to a graded cell with *any* stderr output, error
    or not. A correct answer that triggers a pandas or scikit-learn warning,
    NumPy's ``0/0`` warning or a tqdm progress bar would lose every point of
    the test cell that calls it, with no message. The course's policy: only a
    failing assert or an error costs points, so this preprocessor runs in
    ``Autograde.autograde_preprocessors`` right after ``Execute`` (self-grading
    and classroom autograding read the same configuration). The text is kept,
    so the learner still sees the warning.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_output
    >>> cell = new_code_cell("check()", metadata={"nbgrader": {"grade": True, "points": 1}})
    >>> cell.outputs = [new_output("stream", name="stderr", text="FutureWarning: ...\n")]
    >>> StderrToStdout().preprocess_cell(cell, {}, 0)[0].outputs[0].name
    'stdout'
    """

    def preprocess_cell(self, cell, resources, cell_index):
        if _is_graded_code(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    output["name"] = "stdout"
        return cell, resources


def stderr_zero_note(cell):
    """``"wrote to stderr: <first line>"`` when nbgrader scores ``cell`` 0 only for stderr, else ``""``.

    Parameters
    ----------
    cell : dict or nbformat.NotebookNode
        An executed code cell.

    Returns
    -------
    str

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_output
    >>> cell = new_code_cell("f()", metadata={"nbgrader": {"grade": True, "points": 1}})
    >>> cell.outputs = [new_output("stream", name="stderr", text="\\nUserWarning: careful\\n")]
    >>> stderr_zero_note(cell)
    'wrote to stderr: UserWarning: careful'
    """
    if not _is_graded_code(cell):
        return ""
    outputs = cell.get("outputs", [])
    if any(o.get("output_type") == "error" for o in outputs):
        return ""
    for output in outputs:
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            return f"wrote to stderr: {_first_line(output.get('text', '')) or '(blank line)'}"
    return ""


class ExplainStderrZero(NbGraderPreprocessor):
    r"""In the feedback, say why a graded cell without an error scored 0: it wrote to stderr.

    Only matters where :class:`StderrToStdout` did not run (an older grading
    folder, plain nbgrader settings): the learner reads
    ``wrote to stderr: <first line>`` instead of an unexplained 0. The note is
    added as an error output, so :class:`ScrubHiddenTestOutputs` (run after
    this one) keeps it in a hidden-test cell.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_output
    >>> cell = new_code_cell("f()", metadata={"nbgrader": {"grade": True, "points": 1}})
    >>> cell.outputs = [new_output("stream", name="stderr", text="RuntimeWarning: 0/0\n")]
    >>> ExplainStderrZero().preprocess_cell(cell, {}, 0)[0].outputs[-1].evalue
    'wrote to stderr: RuntimeWarning: 0/0 (nbgrader gives 0 points to a graded cell that writes to stderr)'
    """

    def preprocess_cell(self, cell, resources, cell_index):
        note = stderr_zero_note(cell)
        if note:
            from nbformat.v4 import new_output

            text = f"{note} (nbgrader gives 0 points to a graded cell that writes to stderr)"
            cell.outputs.append(new_output("error", ename="WroteToStderr", evalue=text, traceback=[text]))
        return cell, resources


def choose_graded_copies(cells, reference=None):
    """For each ``grade_id`` used by several cells, pick the copy that keeps the nbgrader metadata.

    A graded cell copied in JupyterLab keeps its ``grade_id``. The course's
    rule: the copy whose source is most like the instructor's cell of that
    ``grade_id`` keeps it (``difflib`` similarity of the text); on a tie, the
    first copy in notebook order (the original, since JupyterLab pastes
    below). The other copies become ordinary cells: they still run, they are
    not graded.

    Parameters
    ----------
    cells : list of dict
        The submitted notebook's cells.
    reference : dict of str to str, optional
        ``grade_id`` -> the instructor's source of that cell. Without it,
        the first copy wins.

    Returns
    -------
    dict of str to (int, list of int)
        ``grade_id`` -> (index kept, indices dropped), only for duplicated ids.

    Examples
    --------
    >>> meta = {"nbgrader": {"grade_id": "ex_answer", "solution": True}}
    >>> cells = [{"source": "x = 1", "metadata": meta}, {"source": "x = 2", "metadata": meta}]
    >>> choose_graded_copies(cells, {"ex_answer": "x = 2"})
    {'ex_answer': (1, [0])}
    >>> choose_graded_copies(cells)
    {'ex_answer': (0, [1])}
    """
    import difflib

    where = {}
    for i, cell in enumerate(cells):
        gid = (cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id")
        if gid:
            where.setdefault(gid, []).append(i)
    chosen = {}
    for gid, indices in where.items():
        if len(indices) < 2:
            continue
        kept = indices[0]
        if reference and gid in reference:
            target = reference[gid]

            def likeness(i):
                source = cells[i].get("source", "")
                source = "".join(source) if isinstance(source, list) else source
                return difflib.SequenceMatcher(None, source, target, autojunk=False).ratio()

            kept = max(indices, key=lambda i: (likeness(i), -i))
        chosen[gid] = (kept, [i for i in indices if i != kept])
    return chosen


def duplicate_notes(cells, reference=None):
    """One line per duplicated ``grade_id`` saying which copy was graded (1-based cell numbers).

    Parameters
    ----------
    cells : list of dict
    reference : dict of str to str, optional
        As for :func:`choose_graded_copies`.

    Returns
    -------
    list of str

    Examples
    --------
    >>> meta = {"nbgrader": {"grade_id": "ex_visible", "grade": True}}
    >>> duplicate_notes([{"source": "t()", "metadata": meta}, {"source": "t()", "metadata": meta}])
    ["grade_id 'ex_visible' is on 2 cells (a copied cell?): graded cell 1; cell 2 ran as an ordinary cell"]
    """
    notes = []
    for gid, (kept, dropped) in choose_graded_copies(cells, reference).items():
        others = ", ".join(str(i + 1) for i in dropped)
        notes.append(f"grade_id {gid!r} is on {len(dropped) + 1} cells (a copied cell?): graded cell "
                     f"{kept + 1}; cell{'s' if len(dropped) > 1 else ''} {others} ran as "
                     f"{'ordinary cells' if len(dropped) > 1 else 'an ordinary cell'}")
    return notes


def _unknown_ids(cells, reference):
    # grade_ids of the submission that the assignment does not have (an older copy of the notebook).
    if not reference:
        return []
    found = []
    for i, cell in enumerate(cells):
        gid = (cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id")
        if gid and gid not in reference:
            found.append((i, gid))
    return found


def grading_notes(cells, reference=None):
    """What :class:`DeduplicateGradeIds` will do to a submission, one line each (empty: nothing).

    Copied graded cells (see :func:`duplicate_notes`) and cells whose
    ``grade_id`` the assignment does not have (an older copy of the
    notebook): those run as ordinary cells.

    Parameters
    ----------
    cells : list of dict
    reference : dict of str to str, optional
        ``grade_id`` -> instructor source; without it unknown ids are not checked.

    Returns
    -------
    list of str

    Examples
    --------
    >>> cells = [{"source": "x", "metadata": {"nbgrader": {"grade_id": "old_answer"}}}]
    >>> grading_notes(cells, {"new_answer": "x"})
    ["cell 1 has grade_id 'old_answer', which this assignment does not have (an older copy?): it ran as an ordinary cell"]
    """
    notes = duplicate_notes(cells, reference)
    for i, gid in _unknown_ids(cells, reference):
        notes.append(f"cell {i + 1} has grade_id {gid!r}, which this assignment does not have "
                     "(an older copy?): it ran as an ordinary cell")
    return notes


class DeduplicateGradeIds(NbGraderPreprocessor):
    """Keep the nbgrader metadata of a copied graded cell on one copy (replaces nbgrader's ``DeduplicateIds``).

    nbgrader's ``DeduplicateIds`` leaves ``"nbgrader": {}`` on the other
    copies, and ``OverwriteCells`` with ``add_missing_cells`` then fails with
    ``KeyError: 'grade_id'``: the whole notebook cannot be graded. This one
    keeps the copy chosen by :func:`choose_graded_copies` (most like the
    instructor's cell, first on a tie) and removes the ``nbgrader`` key from
    the others, from any cell whose nbgrader metadata has no ``grade_id``,
    and from cells whose ``grade_id`` the assignment does not have (nbgrader
    would fail on those with the same ``KeyError``). Runs in
    ``Autograde.sanitize_preprocessors``.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> meta = {"nbgrader": {"grade_id": "ex_visible", "grade": True, "points": 1}}
    >>> nb = new_notebook(cells=[new_code_cell("t()", metadata=meta), new_code_cell("t()", metadata=meta)])
    >>> nb, _ = DeduplicateGradeIds().preprocess(nb, {})
    >>> ["nbgrader" in c.metadata for c in nb.cells]
    [True, False]
    """

    def _source_cells(self, resources):
        # [(grade_id, source, cell_type, answer_only)] in the instructor notebook's order, from the
        # gradebook (nbgrader's own add_missing_cells relies on the same order).
        info = resources.get("nbgrader") or {}
        if not all(info.get(k) for k in ("db_url", "notebook", "assignment")):
            return []
        from nbgrader.api import Gradebook

        with Gradebook(info["db_url"]) as gb:
            try:
                nb = gb.find_notebook(info["notebook"], info["assignment"])
            except Exception:  # an unknown notebook is nbgrader's to report
                return []
            graded = {cell.name for cell in nb.grade_cells}
            answers = {cell.name for cell in nb.solution_cells}
            return [(cell.name, cell.source, cell.cell_type, cell.name in answers and cell.name not in graded)
                    for cell in nb.source_cells]

    def preprocess(self, nb, resources):
        source_cells = self._source_cells(resources)
        reference = {name: source for name, source, _, _ in source_cells} or None
        chosen = choose_graded_copies(nb.cells, reference)
        for note in grading_notes(nb.cells, reference):
            self.log.warning(note)
        dropped = {i for _, others in chosen.values() for i in others}
        dropped |= {i for i, _ in _unknown_ids(nb.cells, reference)}
        for i, cell in enumerate(nb.cells):
            meta = cell.get("metadata", {})
            if "nbgrader" in meta and (i in dropped or not (meta["nbgrader"] or {}).get("grade_id")):
                del meta["nbgrader"]
        self._restore_deleted_answers(nb, source_cells)
        return nb, resources

    def _restore_deleted_answers(self, nb, source_cells):
        # nbgrader puts deleted test cells back after the cell that precedes them in the
        # source; when that cell is an answer cell the learner deleted too, it fails with
        # KeyError. An empty answer cell (no points: answers are not graded) is put back first.
        from nbformat.v4 import new_code_cell, new_markdown_cell

        def present():
            return {(c.get("metadata", {}).get("nbgrader") or {}).get("grade_id"): i
                    for i, c in enumerate(nb.cells)}

        for k, (name, _, cell_type, answer_only) in enumerate(source_cells):
            where = present()
            if not answer_only or name in where:
                continue
            before = [where[n] for n, *_ in source_cells[:k] if n in where]
            text = "# This answer cell was missing from the submission; the grader put back an empty one."
            make = new_code_cell if cell_type == "code" else new_markdown_cell
            cell = make(text, metadata={"nbgrader": {"grade": False, "solution": True, "locked": False,
                                                     "grade_id": name, "schema_version": 3}})
            nb.cells.insert(max(before) + 1 if before else 0, cell)
            self.log.warning("answer cell %r was missing from the submission: put back empty", name)


def is_instructor_test_cell(cell):
    """True for a test cell of the instructor (graded, not an answer): the only cells whose delimiters count.

    Autograding restores these cells from the gradebook, so their source is
    the instructor's; an answer cell or an ordinary cell is the student's.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell
    >>> is_instructor_test_cell(new_code_cell("assert f()", metadata={"nbgrader": {"grade": True, "solution": False}}))
    True
    >>> is_instructor_test_cell(new_code_cell("### BEGIN HIDDEN TESTS", metadata={"nbgrader": {"solution": True}}))
    False
    """
    return utils.is_grade(cell) and not utils.is_solution(cell)


class ClearInstructorHiddenTests(ClearHiddenTests):
    r"""nbgrader's ``ClearHiddenTests`` applied to the instructor's test cells only.

    nbgrader reads the delimiters in every cell, so a student's answer that
    contains ``BEGIN HIDDEN TESTS`` twice (or without an end) made feedback
    fail for that student. Delimiters have meaning only in the cells that
    came from the instructor (:func:`is_instructor_test_cell`).

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell
    >>> student = new_code_cell("# BEGIN HIDDEN TESTS\n# BEGIN HIDDEN TESTS", metadata={"nbgrader": {"solution": True}})
    >>> ClearInstructorHiddenTests().preprocess_cell(student, {}, 0)[0].source
    '# BEGIN HIDDEN TESTS\n# BEGIN HIDDEN TESTS'
    """

    def preprocess_cell(self, cell, resources, cell_index):
        if not is_instructor_test_cell(cell):
            return cell, resources
        return super().preprocess_cell(cell, resources, cell_index)


#: Secret lines shorter than this (after stripping) are not looked for: ``pass`` or ``return x``
#: in an honest output would be false alarms, and they reveal nothing.
MIN_SECRET_CHARS = 12
REMOVED_LINE = "[a line of the instructor's material was removed here]"
_BLOCKS = (("BEGIN SOLUTION", "END SOLUTION"), ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS"),
           ("BEGIN MARK SCHEME", "END MARK SCHEME"))
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def instructor_secret_lines(cells, min_chars=MIN_SECRET_CHARS):
    r"""Lines of the instructor's cells that the student release does not show.

    Lines inside ``BEGIN SOLUTION``/``END SOLUTION``, ``BEGIN HIDDEN
    TESTS``/``END HIDDEN TESTS`` and ``BEGIN MARK SCHEME``/``END MARK SCHEME``
    (a block without its end runs to the end of the cell) and every line of
    an answer cell without delimiters (nbgrader replaces it whole), minus the
    lines the release shows anywhere; stripped, at least ``min_chars`` long.

    Parameters
    ----------
    cells : list of dict
        Cells of the instructor's source notebook.
    min_chars : int, default=12

    Returns
    -------
    set of str

    Examples
    --------
    >>> cells = [{"cell_type": "code", "metadata": {"nbgrader": {"grade": True}},
    ...           "source": "check(f)\n### BEGIN HIDDEN TESTS\nassert f(3) == 9, 'f squares'\n### END HIDDEN TESTS"}]
    >>> sorted(instructor_secret_lines(cells))
    ["assert f(3) == 9, 'f squares'"]
    """
    secret, given = set(), set()
    for cell in cells:
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        lines = source.splitlines()
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        whole = meta.get("solution") and not any(begin in source for begin, _ in _BLOCKS)
        inside = None
        for line in lines:
            if inside is None:
                for begin, end in _BLOCKS:
                    if begin in line:
                        inside = end
                        break
                else:
                    (secret if whole else given).add(line.strip())
            elif inside in line:
                inside = None
            else:
                secret.add(line.strip())
    return {line for line in secret - given if len(line) >= min_chars}


def _secret_pattern(lines):
    if not lines:
        return None
    return re.compile("|".join(re.escape(line) for line in sorted(lines, key=len, reverse=True)))


def scrub_text(text, pattern):
    r"""``text`` with every line that contains a secret line replaced by a note; and how many were.

    Parameters
    ----------
    text : str
    pattern : re.Pattern or None
        Alternation of the secret lines (None: nothing to look for).

    Returns
    -------
    (str, int)

    Examples
    --------
    >>> import re
    >>> scrub_text("ok\nassert f(3) == 9\n", re.compile(re.escape("assert f(3) == 9")))
    ("ok\n[a line of the instructor's material was removed here]\n", 1)
    """
    if pattern is None or not text:
        return text, 0
    lines, removed = text.split("\n"), 0
    for i, line in enumerate(lines):
        if pattern.search(_ANSI.sub("", line) if "\x1b" in line else line):
            lines[i] = REMOVED_LINE
            removed += 1
    return "\n".join(lines), removed


_SECRETS_CACHE = {}


class ScrubInstructorSource(NbGraderPreprocessor):
    r"""Remove from every cell's outputs the lines of instructor source the student was not given.

    A submission could read the instructor's notebook (without the sandbox),
    the hidden tests that ran in its kernel (IPython keeps every executed
    cell's source) or the caller's frame, and print them: into its own
    output, an exception message, a traceback. Every output of every cell
    (stream text, text data, error messages and tracebacks) is checked
    against :func:`instructor_secret_lines` of the source notebook (and of
    the gradebook's copies of the test cells); a matching line is replaced
    by a note. Error outputs stay errors, so no score changes. Runs after
    ``Execute`` in autograding and again when feedback is generated.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_output
    >>> cell = new_code_cell("leak()")
    >>> cell.outputs = [new_output("stream", name="stdout", text="assert f(3) == 9, 'f squares'\n")]
    >>> scrub = ScrubInstructorSource()
    >>> scrub.secret_lines = {"assert f(3) == 9, 'f squares'"}
    >>> scrub.preprocess_cell(cell, {}, 0)[0].outputs[0].text
    "[a line of the instructor's material was removed here]\n"
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.secret_lines = None
        self.removed = 0

    def _source_cells(self, resources):
        import json

        info = resources.get("nbgrader") or {}
        assignment, notebook = info.get("assignment"), info.get("notebook")
        cells = []
        if assignment and notebook:
            section = self.config.get("CourseDirectory") or {}
            root = section.get("root") or os.getcwd()
            source = section.get("source_directory") or "source"
            path = Path(root, source, assignment, f"{notebook}.ipynb")
            try:
                stamp = (str(path), path.stat().st_mtime_ns)
                if stamp not in _SECRETS_CACHE:
                    _SECRETS_CACHE[stamp] = json.loads(path.read_text("utf-8"))["cells"]
                cells = list(_SECRETS_CACHE[stamp])
            except (OSError, ValueError, KeyError):
                cells = []
        if info.get("db_url") and assignment and notebook:
            from nbgrader.api import Gradebook

            try:
                with Gradebook(info["db_url"]) as gb:
                    nb = gb.find_notebook(notebook, assignment)
                    cells += [{"cell_type": c.cell_type, "source": c.source,
                               "metadata": {"nbgrader": {"grade": True}}} for c in nb.grade_cells]
            except Exception:  # no gradebook entry: the source file is enough
                pass
        return cells

    def preprocess(self, nb, resources):
        secrets = self.secret_lines
        if secrets is None:
            secrets = instructor_secret_lines(self._source_cells(resources))
        self._pattern = _secret_pattern(secrets)
        self.removed = 0
        nb, resources = super().preprocess(nb, resources)
        if self.removed:
            self.log.warning("removed %d line(s) of instructor material from the outputs", self.removed)
        return nb, resources

    def preprocess_cell(self, cell, resources, cell_index):
        pattern = getattr(self, "_pattern", None)
        if pattern is None and self.secret_lines:
            pattern = self._pattern = _secret_pattern(self.secret_lines)
        if cell.get("cell_type") != "code" or pattern is None:
            return cell, resources
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "stream":
                output["text"], n = scrub_text(output.get("text", ""), pattern)
                self.removed += n
            elif kind in ("execute_result", "display_data"):
                data = output.get("data", {})
                for mime, value in list(data.items()):
                    if isinstance(value, str) and not mime.startswith("image/"):
                        data[mime], n = scrub_text(value, pattern)
                        self.removed += n
            elif kind == "error":
                output["evalue"], n = scrub_text(output.get("evalue", ""), pattern)
                self.removed += n
                lines = []
                for line in output.get("traceback", []):
                    line, n = scrub_text(line, pattern)
                    self.removed += n
                    lines.append(line)
                output["traceback"] = lines
        return cell, resources
