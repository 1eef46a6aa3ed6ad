"""The prose's claims hold on the stand-in too, not only on the real credit-card file.

The round trip (tests/test_notebooks.py) runs every notebook on whatever data
the machine has: the real Kaggle file once `make test` has fetched it. Every
claim a notebook asserts must also hold on the stand-in that a learner without
the real file gets, so when the real file is cached the notebooks that load the
credit-card data run once more here, with an empty data cache. When the real
file is not cached, the round trip already ran them on the stand-in and this
test is skipped.
"""

import nbformat
import pytest
from nbclient import NotebookClient

from imbalance_kit.datasets import real_creditcard_path
from imbalance_kit.grading.course import assignment_names

from .test_grading_helpers import ROOT


def _loads_creditcard(name):
    nb = nbformat.read(ROOT / "solutions" / name / f"{name}.ipynb", as_version=4)
    return any("load_creditcard(" in cell.source for cell in nb.cells if cell.cell_type == "code")


CREDITCARD_NOTEBOOKS = [name for name in assignment_names(ROOT) if _loads_creditcard(name)]


@pytest.mark.slow
@pytest.mark.parametrize("name", CREDITCARD_NOTEBOOKS)
def test_solution_claims_hold_on_the_stand_in(name, tmp_path, monkeypatch):
    if not real_creditcard_path().is_file():
        pytest.skip("the real file is not cached: the round trip already ran on the stand-in")
    empty_cache = tmp_path / "empty-data-home"
    empty_cache.mkdir()
    # The kernel inherits this process's environment.
    monkeypatch.setenv("IMBALANCE_KIT_DATA", str(empty_cache))
    folder = ROOT / "solutions" / name
    nb = nbformat.read(folder / f"{name}.ipynb", as_version=4)
    # Data files next to the notebook (e.g. a results table) travel with it, as in a release.
    for extra in folder.iterdir():
        if extra.is_file() and extra.suffix != ".ipynb":
            (tmp_path / extra.name).write_bytes(extra.read_bytes())
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    sources = [out.get("text", "") for cell in nb.cells for out in cell.get("outputs", [])]
    assert any("synthetic" in text for text in sources), f"{name} did not say it ran on the stand-in"
