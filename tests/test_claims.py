"""Honest claims (docs/authoring.md, "Honest claims"): what a machine can check in every solution.

A demo cell of a solution asserts the claims its prose makes. The rule: a comparison of two measured
things (two models' scores, two recipes' costs) is stated with its uncertainty and read as "better",
"worse" or "within noise" from an interval, never from a bare ``a > b`` on one split. Two checks
follow from it, over every code cell of every ``solutions/NN_name/NN_name.ipynb`` that is not a graded
cell (answers and tests are checked by the grading tests):

1. **No bare comparison of two measurements in an assert.** In ``assert a < b`` (``<``, ``<=``,
   ``>``, ``>=``, chained or inside ``and``/``or``/``not``) at least one side must be a constant
   (``assert recall >= 0.45``, ``assert abs(auc_a - auc_b) < 0.03``) or an interval bound
   (``cmp.low``, ``cmp.high``); verdicts are compared for equality (``cmp.verdict == "better"``).
   A comparison that needs no interval (a deterministic property such as "recall can only grow as the
   threshold falls", or "every fold of A beats every fold of B") says why on the assert line or in the
   comment lines right above it: ``# no interval needed: <reason>``.
2. **Printed verdict words come from the uncertainty module.** A code cell whose strings contain
   "better", "worse" or "within noise" belongs to a notebook that imports
   ``imbalance_kit.uncertainty`` (the words a learner reads are the module's verdicts).
"""

import ast
import re

import nbformat
import pytest

from imbalance_kit.grading.course import assignment_names

from .test_grading_helpers import ROOT

MARKER = re.compile(r"#\s*no interval needed:\s*\S")
VERDICT_WORDS = re.compile(r"\b(better|worse|within noise)\b", re.IGNORECASE)
ORDER_OPS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
BOUNDS = {"low", "high"}


def _python(source):
    """The cell's source with IPython magics and shell lines blanked (line numbers kept)."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def _measured(node):
    """Whether an expression depends on a variable (a name, attribute, subscript or call)."""
    return any(isinstance(n, (ast.Name, ast.Attribute, ast.Subscript, ast.Call)) for n in ast.walk(node))


def _bound(node):
    return any(isinstance(n, ast.Attribute) and n.attr in BOUNDS for n in ast.walk(node))


def _bare_comparisons(test):
    """The comparisons of an assert's test that put two measurements side by side with <, >, <=, >=."""
    out = []
    for node in ast.walk(test):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            for op, left, right in zip(node.ops, sides, sides[1:]):
                if (isinstance(op, ORDER_OPS) and _measured(left) and _measured(right)
                        and not _bound(left) and not _bound(right)):
                    out.append(ast.unparse(ast.Compare(left=left, ops=[op], comparators=[right])))
    return out


def _marked(lines, lineno):
    """The assert at 1-based ``lineno`` carries the marker on its line or in the comments right above."""
    if MARKER.search(lines[lineno - 1]):
        return True
    i = lineno - 2
    while i >= 0 and lines[i].lstrip().startswith("#"):
        if MARKER.search(lines[i]):
            return True
        i -= 1
    return False


def bare_claims(source):
    """``[(line, text)]``: the unmarked bare comparisons of the asserts in one cell's source."""
    code = _python(source)
    lines = code.splitlines()
    problems = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Assert):
            for text in _bare_comparisons(node.test):
                if not _marked(lines, node.lineno):
                    problems.append((node.lineno, text))
    return problems


def _strings(source):
    out = []
    for node in ast.walk(ast.parse(_python(source))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append(node.value)
    return out


def _demo_cells(nb):
    return [(i, c) for i, c in enumerate(nb.cells, start=1)
            if c.cell_type == "code" and not c.metadata.get("nbgrader", {}).get("grade")
            and not c.metadata.get("nbgrader", {}).get("solution")]


def claim_problems(nb):
    """Every violation of the two checks in a notebook, as readable lines."""
    problems = []
    imports_uncertainty = any("imbalance_kit.uncertainty" in c.source or "from imbalance_kit import uncertainty" in c.source
                              for c in nb.cells if c.cell_type == "code")
    for i, cell in _demo_cells(nb):
        for line, text in bare_claims(cell.source):
            problems.append(f"cell {i} line {line}: bare comparison `{text}`: read it from an interval "
                            "(imbalance_kit.uncertainty) or say '# no interval needed: <reason>'")
        words = sorted({m.group(1).lower() for s in _strings(cell.source) for m in VERDICT_WORDS.finditer(s)})
        if words and not imports_uncertainty:
            problems.append(f"cell {i}: prints the verdict word(s) {words} but the notebook does not use "
                            "imbalance_kit.uncertainty")
    return problems


@pytest.mark.parametrize("name", assignment_names(ROOT))
def test_solution_claims_are_read_from_intervals(name):
    nb = nbformat.read(ROOT / "solutions" / name / f"{name}.ipynb", as_version=4)
    problems = claim_problems(nb)
    assert not problems, f"solutions/{name}: " + "\n".join(problems)


def _notebook(*sources):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])


@pytest.mark.parametrize("source", [
    "assert ap_smote > ap_none",
    "assert results['SMOTE'].mean() >= results['none'].mean() and recall > 0.5",
    "assert not (cost_a < cost_b)",
    "assert 0 < ap_a < ap_b",
    "# SMOTE helps\nassert ap_smote > 1.0 * ap_none",
])
def test_a_planted_bare_claim_is_caught(source):
    assert claim_problems(_notebook("from imbalance_kit.uncertainty import compare_folds", source))


@pytest.mark.parametrize("source", [
    "assert cmp.verdict == 'better'",
    "assert comparisons[key].verdict == expected, str(comparisons[key])",
    "assert cmp.low > 0",
    "assert -0.03 < auc_cmp.low and auc_cmp.high < 0.03",
    "assert recall_model >= 0.45 and abs(acc_a - acc_b) < 0.002",
    "assert len(a) == len(b)",
    "# no interval needed: recall can only grow as the threshold falls\nassert rec[low] >= rec[high]",
    "assert ap_leaky.min() > ap_leak_free.max()  # no interval needed: every fold beats every fold",
    "%matplotlib inline\nassert x > 0",
])
def test_honest_forms_pass(source):
    assert not claim_problems(_notebook("from imbalance_kit.uncertainty import compare_folds", source))


def test_a_marker_needs_a_reason_and_must_be_adjacent():
    assert claim_problems(_notebook("# no interval needed:\nassert a > b"))
    assert claim_problems(_notebook("# no interval needed: a reason\nx = 1\nassert a > b"))


def test_verdict_words_need_the_uncertainty_module():
    assert claim_problems(_notebook("print('SMOTE did better')"))
    assert not claim_problems(_notebook("from imbalance_kit.uncertainty import compare_folds\nprint('within noise')"))
    # Graded cells are the grading tests' business.
    nb = _notebook("print('better')")
    nb.cells[0].metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t", "points": 1}
    assert not claim_problems(nb)
