"""Authoring lint for the instructor notebooks in ``solutions/``.

Usage (from the course folder)::

    python -m imbalance_kit.grading.lint                  # every assignment
    python -m imbalance_kit.grading.lint solutions/01_metrics/01_metrics.ipynb

Each problem is reported as ``<notebook> cell <n> (<grade_id or id>): <what is wrong>``;
the command exits with status 1 when there is any. The rules (see
``docs/authoring.md``):

``name``         the notebook is ``solutions/NN_name/NN_name.ipynb``.
``kernelspec``   ``metadata.kernelspec.name == "python3"``.
``ids``          cell ids are unique; in an nbformat >= 4.5 notebook every cell has one
                 (the release copies them; a 4.4 notebook's cells are numbered).
``outputs``      no outputs and no execution counts are stored.
``metadata``     nbgrader metadata has ``schema_version: 3``, boolean
                 ``grade``/``solution``/``locked``, a ``grade_id`` of letters,
                 digits, ``_`` or ``-``; test cells (grade, not solution) are
                 locked code cells; answer cells are unlocked; graded cells have
                 ``points > 0``; grade_ids are unique.
``solution``     an autograded answer (code, ``solution=True, grade=False``)
                 holds ``### BEGIN SOLUTION`` ... ``### END SOLUTION``.
``hidden``       every autograded answer is followed (before the next answer)
                 by at least one test cell holding ``### BEGIN HIDDEN TESTS``;
                 hidden-test markers are balanced and appear only in test cells;
                 a line (the comment the learner sees) precedes the markers.
``written``      a manually graded answer (markdown, ``solution=True,
                 grade=True``) holds a model answer (the whole cell, or the
                 text between the solution markers) with a line starting
                 ``Rubric`` (``**Rubric`` counts).
``python``       every code cell parses as Python (IPython ``%`` magics and ``!`` lines aside).
``private``      a hidden-test cell binds only private names at its top level
                 (``from imbalance_kit.metrics import f as _ref_f``, ``_y = ...``,
                 ``def _helper``): it never overwrites a learner's global
                 (``import numpy as np`` and the like rebind the same module: allowed).
``message``      in a test cell, every ``assert`` that reads a public name (the
                 learner's code or data) has a message; asserts on the test's
                 own private data (sanity checks) may go without.
``seed``         the first code cell assigns ``SEED = <int literal>``; no code
                 cell calls ``np.random.seed()``/``random.seed()``/
                 ``torch.manual_seed()``/``np.random.default_rng()``/
                 ``np.random.RandomState()`` without an argument, passes
                 ``random_state=None`` or ``seed=None``, or uses the legacy
                 global ``np.random.<rand|randn|randint|choice|...>``; a
                 notebook that imports torch calls ``torch.manual_seed(...)``.
"""

import argparse
import ast
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from .course import (
    ASSIGNMENT_PATTERN, SOURCE_DIR, assignment_names, course_root, exit_status, select_assignments,
)

__all__ = ["LintError", "lint_notebook", "lint_course", "main"]

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"
GRADE_ID = re.compile(r"^[A-Za-z0-9_-]+$")
# Functions of numpy's legacy global generator: results depend on hidden global state.
LEGACY_NP_RANDOM = {
    "rand", "randn", "randint", "random", "random_sample", "choice", "shuffle",
    "permutation", "normal", "uniform", "binomial", "poisson", "exponential",
}
UNSEEDED_CALLS = {  # dotted call -> what to write instead
    "np.random.seed": "np.random.seed(SEED)",
    "numpy.random.seed": "numpy.random.seed(SEED)",
    "random.seed": "random.seed(SEED)",
    "torch.manual_seed": "torch.manual_seed(SEED)",
    "np.random.default_rng": "np.random.default_rng(SEED)",
    "numpy.random.default_rng": "numpy.random.default_rng(SEED)",
    "default_rng": "default_rng(SEED)",
    "np.random.RandomState": "np.random.RandomState(SEED)",
}


@dataclass(frozen=True)
class LintError:
    """One problem: which notebook, which cell, which rule, what is wrong.

    Parameters
    ----------
    notebook : str
        Path of the notebook.
    cell : int or None
        1-based cell number, None for the whole notebook.
    label : str
        The cell's grade_id or id.
    rule : str
        Rule name (see the module docstring), e.g. ``"hidden"``.
    message : str
        What is wrong and how to fix it.

    Examples
    --------
    >>> print(LintError("99_demo.ipynb", 3, "double_answer", "hidden", "no hidden tests"))
    99_demo.ipynb cell 3 (double_answer): [hidden] no hidden tests
    """

    notebook: str
    cell: int | None  # 1-based cell number, None for the whole notebook
    label: str  # grade_id or cell id
    rule: str
    message: str

    def __str__(self):
        where = f"cell {self.cell} ({self.label})" if self.cell is not None else "notebook"
        return f"{self.notebook} {where}: [{self.rule}] {self.message}"


def _dotted(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _python(source):
    # IPython magics and shell escapes are not Python: blank them out.
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    return ast.parse("\n".join(lines))


def _seed_problems(tree):
    problems, imports_torch, seeds_torch = [], False, False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports_torch |= any(a.name.split(".")[0] == "torch" for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            imports_torch |= (node.module or "").split(".")[0] == "torch"
        elif isinstance(node, ast.Call):
            name = _dotted(node.func) or ""
            if name == "torch.manual_seed" and node.args:
                seeds_torch = True
            if name in UNSEEDED_CALLS and not node.args and not node.keywords:
                problems.append(f"{name}() has no seed: write {UNSEEDED_CALLS[name]}")
            if name.startswith(("np.random.", "numpy.random.")) and \
                    name.rsplit(".", 1)[1] in LEGACY_NP_RANDOM:
                problems.append(f"{name}(...) uses numpy's hidden global generator: "
                                "use rng = np.random.default_rng(SEED) and rng.<method>(...)")
            for kw in node.keywords:
                if kw.arg in ("random_state", "seed") and isinstance(kw.value, ast.Constant) \
                        and kw.value.value is None:
                    problems.append(f"{kw.arg}=None in a call to {name or 'a function'}: "
                                    f"pass {kw.arg}=SEED")
    return problems, imports_torch, seeds_torch


def _defines_seed(tree):
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "SEED" for t in node.targets):
            value = node.value
            return isinstance(value, ast.Constant) and type(value.value) is int
    return False


#: Libraries whose functions hidden tests use as references (imported under private names).
REFERENCE_LIBRARIES = {"imbalance_kit", "sklearn", "imblearn", "numpy", "scipy", "pandas",
                       "statsmodels", "torch", "xgboost"}
#: ``import x as y`` that rebinds a learner's name to the very same module: harmless.
CONVENTIONAL_ALIASES = {("numpy", "np"), ("pandas", "pd"), ("matplotlib.pyplot", "plt")}


def _top_level_statements(body):
    # Statements that run at the cell's top level (so bind notebook globals), not inside a def/class.
    for node in body:
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for field in ("body", "orelse", "finalbody"):
            yield from _top_level_statements(getattr(node, field, []) or [])
        for handler in getattr(node, "handlers", []) or []:
            yield from _top_level_statements(handler.body)


def _names(target):
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]


def _public_bindings(tree):
    """(name, how) of every public (no leading underscore) global a cell binds."""
    found = []
    for node in _top_level_statements(tree.body):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                bound = alias.asname or alias.name
                if not bound.startswith("_") and bound != "*":
                    root = (node.module or "").split(".")[0]
                    hint = " (a reference: import it as _ref_...)" if root in REFERENCE_LIBRARIES else ""
                    found.append((bound, f"from {node.module} import {alias.name}"
                                         f"{' as ' + alias.asname if alias.asname else ''}{hint}"))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and not alias.asname.startswith("_") \
                        and (alias.name, alias.asname) not in CONVENTIONAL_ALIASES:
                    found.append((alias.asname, f"import {alias.name} as {alias.asname}"))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if not node.name.startswith("_"):
                found.append((node.name, f"def/class {node.name}"))
        else:
            targets = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor)):
                targets = [node.target]
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                targets = [item.optional_vars for item in node.items if item.optional_vars is not None]
            for target in targets:
                found.extend((name, "assignment") for name in _names(target) if not name.startswith("_"))
    return found


def _bare_asserts(tree):
    """Asserts without a message whose test reads a public name (the learner's code or data)."""
    return [node for node in ast.walk(tree) if isinstance(node, ast.Assert) and node.msg is None
            and any(not name.startswith("_") for name in _names(node.test))]


def lint_notebook(path, check_name=True):
    """Lint one instructor notebook; return the list of :class:`LintError` (empty when clean).

    Parameters
    ----------
    path : path-like
        ``solutions/NN_name/NN_name.ipynb``.
    check_name : bool
        Check the ``NN_name/NN_name.ipynb`` naming rule.

    Returns
    -------
    list of LintError
        In cell order; a file that is not a readable notebook gives one
        error of rule ``"json"``.

    Examples
    --------
    >>> lint_notebook("solutions/00_start_here/00_start_here.ipynb")  # doctest: +SKIP
    []
    """
    path = Path(path)
    label = str(path)
    errors = []

    def err(rule, message, index=None, cell=None):
        tag = ""
        if cell is not None:
            tag = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or cell.get("id") or "?"
        errors.append(LintError(label, None if index is None else index + 1, tag, rule, message))

    try:
        nb = json.loads(path.read_text("utf-8"))
        cells = nb["cells"]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        return [LintError(label, None, "", "json", f"not a readable notebook: {exc}")]
    # The rules below read cells as dicts; a hand-edited file can hold anything.
    if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells) \
            or not isinstance(nb.get("metadata", {}), dict) \
            or not isinstance(nb.get("nbformat_minor", 0), int):
        return [LintError(label, None, "", "json",
                          "not a readable notebook: 'cells' must be a list of cell objects, "
                          "'metadata' an object and 'nbformat_minor' an integer")]

    if check_name and not (ASSIGNMENT_PATTERN.match(path.parent.name) and path.stem == path.parent.name):
        err("name", f"the notebook must be NN_name/NN_name.ipynb (two digits, snake case), "
                    f"not {path.parent.name}/{path.name}")
    kernelspec = nb.get("metadata", {}).get("kernelspec") or {}
    if kernelspec.get("name") != "python3":
        err("kernelspec", "metadata.kernelspec.name must be 'python3' "
                          f"(found {kernelspec.get('name')!r}); nbgrader runs that kernel")

    # nbformat 4.5+ notebooks carry cell ids (the release keeps them); 4.4 ones
    # have none and the release numbers the cells.
    has_ids = nb.get("nbformat_minor", 0) >= 5 or any(c.get("id") for c in cells)
    seen_ids, seen_grade_ids = set(), {}
    first_code_seen = False
    any_torch, torch_seeded = False, False
    open_answer = None  # (index, cell) of the last autograded answer without hidden tests yet
    for i, cell in enumerate(cells):
        source = "".join(cell.get("source", ""))
        kind = cell.get("cell_type")
        cid = cell.get("id")
        if not cid:
            if has_ids:
                err("ids", "cell has no id (the other cells have one): give it a unique id", i, cell)
        elif cid in seen_ids:
            err("ids", f"cell id {cid!r} is used twice", i, cell)
        seen_ids.add(cid)
        if kind == "code":
            if cell.get("outputs"):
                err("outputs", "stored outputs: clear them (Edit > Clear Outputs of All Cells)", i, cell)
            if cell.get("execution_count") is not None:
                err("outputs", "stored execution count: clear outputs before saving", i, cell)

        meta = cell.get("metadata", {}).get("nbgrader")
        is_answer = is_test = is_written = False
        if meta is not None:
            errors_before = len(errors)
            if meta.get("schema_version") != 3:
                err("metadata", f"nbgrader schema_version must be 3 (found {meta.get('schema_version')!r})", i, cell)
            for key in ("grade", "solution", "locked"):
                if not isinstance(meta.get(key), bool):
                    err("metadata", f"nbgrader '{key}' must be true or false (found {meta.get(key)!r})", i, cell)
            grade, solution, locked = bool(meta.get("grade")), bool(meta.get("solution")), bool(meta.get("locked"))
            gid = meta.get("grade_id")
            if grade or solution or locked:
                if not isinstance(gid, str) or not GRADE_ID.match(gid):
                    err("metadata", f"grade_id must be letters, digits, '_' or '-' (found {gid!r})", i, cell)
                elif gid in seen_grade_ids:
                    err("metadata", f"grade_id {gid!r} is also used by cell {seen_grade_ids[gid]} "
                                    "(a cell copied in JupyterLab keeps its grade_id: give the copy "
                                    "a new one, or remove its nbgrader metadata)", i, cell)
                else:
                    seen_grade_ids[gid] = i + 1
            if grade:
                points = meta.get("points")
                if isinstance(points, bool) or not isinstance(points, (int, float)) or not points > 0:
                    err("metadata", f"a graded cell needs points > 0 (found {points!r})", i, cell)
            if grade and not solution:
                is_test = True
                if kind != "code":
                    err("metadata", "a test cell (grade, not solution) must be a code cell", i, cell)
                if not locked:
                    err("metadata", "a test cell must be locked (\"locked\": true)", i, cell)
            if solution and locked:
                err("metadata", "an answer cell (solution) must not be locked", i, cell)
            if solution and not grade:
                if kind == "code":
                    is_answer = True
                else:
                    err("metadata", "a markdown answer must be graded (grade: true, points) "
                                    "to be a written answer", i, cell)
            if solution and grade:
                if kind == "markdown":
                    is_written = True
                else:
                    err("metadata", "a code cell with solution and grade is not used in this course: "
                                    "put the answer and its tests in separate cells", i, cell)
            if len(errors) == errors_before:
                try:
                    from nbgrader.nbgraderformat import MetadataValidator
                    import nbformat
                    MetadataValidator().validate_cell(nbformat.from_dict(cell))
                except Exception as exc:  # nbgrader's own schema check, as a backstop
                    err("metadata", f"nbgrader rejects the metadata: {exc}", i, cell)

        has_begin_sol, has_end_sol = BEGIN_SOLUTION in source, END_SOLUTION in source
        if (has_begin_sol or has_end_sol) and not (is_answer or is_written):
            err("solution", "solution markers in a cell that is not an answer cell "
                            "(they would be released as they are)", i, cell)
        if is_answer and not (has_begin_sol and has_end_sol
                              and source.index(BEGIN_SOLUTION) < source.index(END_SOLUTION)):
            err("solution", f"an autograded answer needs '{BEGIN_SOLUTION}' ... '{END_SOLUTION}' "
                            "around the solution", i, cell)
        n_begin, n_end = source.count(BEGIN_HIDDEN), source.count(END_HIDDEN)
        if n_begin or n_end:
            if not is_test:
                err("hidden", "hidden tests in a cell that is not a test cell", i, cell)
            elif n_begin != n_end or source.index(BEGIN_HIDDEN) > source.index(END_HIDDEN):
                err("hidden", f"unbalanced '{BEGIN_HIDDEN}' / '{END_HIDDEN}' markers", i, cell)
            elif n_begin and not source.split(BEGIN_HIDDEN, 1)[0].strip():
                err("hidden", f"nothing before '{BEGIN_HIDDEN}': the release would show an empty "
                              "locked cell; start with a comment line saying what is checked", i, cell)
        if is_written:
            # With markers, the model answer is between them; without, nbgrader
            # releases the whole cell as "YOUR ANSWER HERE" and the cell is the model.
            model = source.split(BEGIN_SOLUTION, 1)[-1].split(END_SOLUTION, 1)[0] \
                if has_begin_sol and has_end_sol else source
            if has_begin_sol != has_end_sol:
                err("written", f"unbalanced '{BEGIN_SOLUTION}' / '{END_SOLUTION}' markers", i, cell)
            elif not model.strip():
                err("written", "a written answer needs a model answer (the cell's text, or the "
                               f"text between '{BEGIN_SOLUTION}' and '{END_SOLUTION}')", i, cell)
            elif not re.search(r"^\s*\**rubric", model, re.IGNORECASE | re.MULTILINE):
                err("written", "a written answer needs a rubric: a line starting 'Rubric' "
                               "(points and what earns them) inside the solution markers", i, cell)

        if is_answer:
            if open_answer is not None:
                err("hidden", "no hidden-test cell follows this answer before the next answer",
                    *open_answer)
            open_answer = (i, cell)
        if is_test and n_begin and open_answer is not None:
            open_answer = None

        if kind == "code":
            try:
                tree = _python(source)
            except SyntaxError as exc:
                err("python", f"not valid Python (line {exc.lineno}): {exc.msg}", i, cell)
                continue
            if not first_code_seen:
                first_code_seen = True
                if not _defines_seed(tree):
                    err("seed", "the first code cell must assign SEED = <int literal> "
                                "(e.g. SEED = 42) next to the imports", i, cell)
            if is_test:
                for node in _bare_asserts(tree):
                    err("message", f"line {node.lineno}: an assert on the learner's work without a "
                                   "message: the learner reads only the message (assert cond, \"what went "
                                   "wrong, in words\")", i, cell)
            if is_test and n_begin:
                for name, how in _public_bindings(tree):
                    err("private", f"the hidden test binds the public name {name!r} ({how}): it would "
                                   "overwrite a learner's variable of that name; use a private name "
                                   f"(_{name})", i, cell)
            problems, imports_torch, seeds_torch = _seed_problems(tree)
            for problem in problems:
                err("seed", problem, i, cell)
            any_torch |= imports_torch
            torch_seeded |= seeds_torch
    if open_answer is not None:
        err("hidden", "no hidden-test cell follows this answer", *open_answer)
    if not first_code_seen:
        err("seed", "the notebook has no code cell defining SEED = <int literal>")
    if any_torch and not torch_seeded:
        err("seed", "the notebook imports torch but never calls torch.manual_seed(SEED)")
    return errors


def lint_course(root=None, names=None):
    """Lint every notebook of ``solutions/`` (or the assignments ``names``).

    Parameters
    ----------
    root : path-like, optional
        Course root (default: found from the current folder).
    names : list of str, optional
        Assignments (default: all).

    Returns
    -------
    list of LintError

    Examples
    --------
    >>> lint_course()  # doctest: +SKIP
    []
    """
    root = course_root() if root is None else Path(root)
    names = select_assignments(names, root)
    errors = []
    for name in names:
        errors.extend(lint_notebook(root / SOURCE_DIR / name / f"{name}.ipynb"))
    return errors


def main(argv=None):
    """Run ``python -m imbalance_kit.grading.lint [NOTEBOOK ...]``; return the exit status.

    Parameters
    ----------
    argv : list of str, optional
        Notebooks to check; none means every ``solutions/NN_name/NN_name.ipynb``
        (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 when every notebook is clean, 1 when a problem was found (one line
        each) or the course root was not found.

    Examples
    --------
    >>> main(["solutions/00_start_here/00_start_here.ipynb"])  # doctest: +SKIP
    1 notebook(s) checked, 0 problem(s)
    0
    """
    parser = argparse.ArgumentParser(
        prog="python -m imbalance_kit.grading.lint",
        description="Check the instructor notebooks in solutions/ against the authoring rules "
                    "(docs/authoring.md).",
    )
    parser.add_argument("notebooks", nargs="*",
                        help="notebooks to check (default: every solutions/NN_name/NN_name.ipynb)")
    args = parser.parse_args(argv)

    def run():
        if args.notebooks:
            errors = [e for p in args.notebooks for e in lint_notebook(p)]
            count = len(args.notebooks)
        else:
            root = course_root()
            names = assignment_names(root)
            count = len(names)
            errors = lint_course(root, names)
        for error in errors:
            print(error)
        print(f"{count} notebook(s) checked, {len(errors)} problem(s)")
        return 1 if errors else 0

    return exit_status(run)


if __name__ == "__main__":
    sys.exit(main())
