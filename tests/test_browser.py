"""A real browser on the course (issue 14, part 2): Chromium driven by Playwright, no browser download.

- JupyterLab on a learner's copy of ``notebooks/00_start_here/00_start_here.ipynb``
  (answers typed in): Run All Cells, every visible test cell runs without an
  error (and what it prints is on the page), nbgrader's **Validate** button says
  the notebook passes; the untouched release, validated the same way, fails.
- The HTML feedback of a blank submission (``make grade ... FEEDBACK=1``),
  rendered by the browser: no line of a hidden test is visible on the page.

The hub's Assignments panel (as a student) and Formgrader (as the instructor)
are opened by tests/test_hub.py, which has the hub running.

Skipped, with what to install, when Playwright or a system Chromium is missing
(``make test`` installs Debian's ``chromium`` when run as root). Screenshots of
each step go to ``$TMPDIR/imbalance_kit_screenshots/lab`` (printed);
``IMBALANCE_KIT_UPDATE_SCREENSHOTS=1`` also copies the Validate one to
``docs/images/`` (the README shows it).
"""

import json
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from .hubsupport import (
    ROOT, VENV, Browser, answered, descendants, free_port, kill_pids, leftover_processes, require_browser, visible_text,
    wait_for,
)
from .test_grading_helpers import secret_lines

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

NAME = "00_start_here"
SHOTS = Path(tempfile.gettempdir()) / "imbalance_kit_screenshots" / "lab"
DOC_IMAGE = ROOT / "docs" / "images" / "jupyterlab_validate.png"


@pytest.fixture(scope="module")
def chromium():
    return require_browser()


@pytest.fixture(scope="module")
def browser(chromium):
    shutil.rmtree(SHOTS, ignore_errors=True)
    print(f"screenshots: {SHOTS}")
    b = Browser(chromium, SHOTS)
    yield b
    b.close()
    left = [p for p in descendants() if "playwright" in p["cmd"] or "chrom" in p["cmd"]]
    assert not left, f"browser processes left behind: {left}"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 over a learner's folder: the answered notebook and the blank release."""
    require_browser()
    work = tmp_path_factory.mktemp("lab")
    release = json.loads((ROOT / "notebooks" / NAME / f"{NAME}.ipynb").read_text("utf-8"))
    solution = json.loads((ROOT / "solutions" / NAME / f"{NAME}.ipynb").read_text("utf-8"))
    for folder, nb in (("done", answered(release, solution)), ("blank", release)):
        (work / "root" / folder).mkdir(parents=True)
        (work / "root" / folder / f"{NAME}.ipynb").write_text(json.dumps(nb), "utf-8")
    # A fresh Jupyter config folder: no news pop-up, no workspace from an earlier session.
    (work / "config" / "labconfig").mkdir(parents=True)
    (work / "config" / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
    port, token = free_port(), secrets.token_hex(16)
    args = [str(VENV / "bin" / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work / 'root'}",
            "--LabApp.expose_app_in_browser=True"]
    if os.geteuid() == 0:
        args.append("--allow-root")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(work / "config"), "JUPYTER_RUNTIME_DIR": str(work / "runtime"),
           "JUPYTERLAB_WORKSPACES_DIR": str(work / "workspaces"), "PATH": f"{VENV}/bin:{os.environ['PATH']}"}
    log = (work / "lab.log").open("w")
    proc = subprocess.Popen(args, cwd=work / "root", env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    log.close()
    url = f"http://127.0.0.1:{port}"
    try:
        import requests

        def up():
            assert proc.poll() is None, (work / "lab.log").read_text()[-3000:]
            return requests.get(f"{url}/api/status", params={"token": token}, timeout=5).status_code == 200
        wait_for(up, 120, "JupyterLab")
        yield {"url": url, "token": token, "work": work}
    finally:
        kill_pids([proc.pid] + [p["pid"] for p in leftover_processes(pgids={proc.pid})])
        left = leftover_processes(pgids={proc.pid})
        assert not left, f"JupyterLab processes left behind: {left}"


def _open(browser, lab, folder):
    page = browser.page()
    # One workspace per notebook: JupyterLab would otherwise restore the previous page's layout too.
    page.goto(f"{lab['url']}/lab/workspaces/{folder}/tree/{folder}/{NAME}.ipynb?token={lab['token']}")
    page.wait_for_selector(".jp-NotebookPanel", timeout=120_000)
    _wait_kernel_idle(page, 120)
    return page


def _wait_kernel_idle(page, timeout):
    page.wait_for_function(
        """() => {
            const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
            const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
            return k && k.status === 'idle';
        }""", timeout=timeout * 1000)


CELLS_JS = """() => {
    const nb = window.jupyterapp.shell.currentWidget.content;
    return nb.widgets.map(c => ({
        type: c.model.type,
        count: c.model.type === 'code' ? c.model.executionCount : null,
        nbgrader: (c.model.getMetadata && c.model.getMetadata('nbgrader')) || null,
        outputs: c.model.type === 'code' ? c.model.outputs.toJSON() : [],
    }));
}"""


ALL_RUN_JS = """() => window.jupyterapp.shell.currentWidget.content.widgets
    .filter(c => c.model.type === 'code').every(c => c.model.executionCount)"""


def _validate(browser, page, label):
    """Click nbgrader's Validate button; return the verdict dialog's text."""
    browser.shot(page, f"before_validate_{label}")
    # The toolbar of the notebook on show (a restored layout may hold hidden panels with their own).
    page.get_by_role("button", name="Validate").filter(visible=True).first.click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=180_000)
    page.wait_for_function("() => !document.querySelector('.jp-Dialog').innerText.includes('Validating')",
                           timeout=180_000)
    page.wait_for_timeout(500)
    shot = browser.shot(page, f"validate_{label}")
    text = dialog.inner_text()
    dialog.get_by_role("button").last.click()
    return text, shot


def test_run_all_and_validate(browser, lab):
    t0 = time.monotonic()
    page = _open(browser, lab, "done")
    browser.shot(page, "notebook_opened")
    # Run -> Run All Cells, as a learner does.
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function(ALL_RUN_JS, timeout=240_000)
    _wait_kernel_idle(page, 240)
    cells = page.evaluate(CELLS_JS)
    code = [c for c in cells if c["type"] == "code"]
    assert code and all(c["count"] for c in code), "Run All Cells did not run every code cell"
    visible_tests = [c for c in code if (c["nbgrader"] or {}).get("grade") and not (c["nbgrader"] or {}).get("solution")]
    assert visible_tests, "00_start_here has no visible test cell"
    failing = [(c["nbgrader"]["grade_id"], o.get("ename"), o.get("evalue")) for c in visible_tests
               for o in c["outputs"] if o["output_type"] == "error"]
    assert not failing, f"visible tests fail on a completed notebook: {failing}"
    errors = [o for c in code for o in c["outputs"] if o["output_type"] == "error"]
    assert not errors, f"cells raised: {[(o['ename'], o['evalue']) for o in errors]}"
    # What the visible tests print (their pass messages, if they print any) is on the page.
    text = visible_text(page)
    printed = [line.strip() for c in visible_tests for o in c["outputs"] if o["output_type"] == "stream"
               for line in "".join(o["text"]).splitlines() if line.strip()]
    missing = [line for line in printed if line not in text]
    assert not missing, f"printed by the visible tests but not shown: {missing[:3]}"
    print(f"{len(visible_tests)} visible test cells passed; they print {len(printed)} line(s)")
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    browser.shot(page, "notebook_run_all")

    verdict, shot = _validate(browser, page, "completed")
    assert "Success" in verdict and "passes" in verdict, f"Validate on a completed notebook says: {verdict}"
    if os.environ.get("IMBALANCE_KIT_UPDATE_SCREENSHOTS"):
        DOC_IMAGE.parent.mkdir(exist_ok=True)
        shutil.copy(shot, DOC_IMAGE)
    page.context.close()

    page = _open(browser, lab, "blank")
    verdict, _ = _validate(browser, page, "blank_release")
    assert "Success" not in verdict and ("failed" in verdict.lower() or "error" in verdict.lower()), (
        f"Validate on the blank release says: {verdict}")
    page.context.close()
    print(f"JupyterLab steps took {time.monotonic() - t0:.1f} s (a shared machine)")


def test_feedback_page_shows_no_hidden_test(browser, tmp_path):
    # A blank submission fails every hidden test: the feedback is where their text could leak.
    nb_path = tmp_path / NAME / f"{NAME}.ipynb"
    nb_path.parent.mkdir()
    shutil.copy(ROOT / "notebooks" / NAME / f"{NAME}.ipynb", nb_path)
    out = tmp_path / "feedback"
    proc = subprocess.run([str(VENV / "bin" / "python"), "-m", "imbalance_kit.grading.selfgrade", str(nb_path),
                           "--feedback", "--feedback-dir", str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    html = out / f"{NAME}.html"
    assert html.is_file(), f"no feedback written:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    page = browser.page()
    page.goto(html.as_uri())
    page.wait_for_load_state("load")
    browser.shot(page, "feedback_blank")
    text = visible_text(page)
    assert NAME in text and "Score" in text, f"the feedback page did not render: {text[:300]}"
    hidden = secret_lines(nbformat.read(ROOT / "solutions" / NAME / f"{NAME}.ipynb", as_version=4),
                          kinds=("hidden",))
    assert hidden, "00_start_here has no hidden test lines to look for"
    shown = [line for line in hidden if line in text]
    assert not shown, f"the rendered feedback shows hidden tests: {shown[:3]}"
    page.context.close()


def test_make_test_installs_what_these_tests_need():
    # `make test` runs `sysdeps` first: Debian's chromium, bubblewrap and acl as root, the pinned proxy from npm.
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    plan = subprocess.run([make, "-n", "test"], cwd=ROOT, capture_output=True, text=True, check=True,
                          timeout=60).stdout
    for needed in ("apt-get install", "chromium", "bubblewrap", "npm ci", "pytest"):
        assert needed in plan, f"make test does not run {needed!r}"
    assert plan.index("npm ci") < plan.index("pytest"), "make test must install before testing"
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/configurable-http-proxy"]["version"] == json.loads(
        (ROOT / "package.json").read_text())["dependencies"]["configurable-http-proxy"], "package-lock.json is stale"
