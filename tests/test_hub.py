"""The classroom on real parts: JupyterHub, its proxy, nbgrader's exchange, three Unix users (issue 14, part 1).

One instructor and two students are throw-away Unix users (created and removed
here: needs root, else skipped with the reason). The hub runs the
configuration of docs/instructors.md ("JupyterHub") on 127.0.0.1 with its
configurable-http-proxy from node_modules/. Through the hub's REST API and the
single-user servers' nbgrader endpoints (Formgrader API for the instructor,
assignment-list API for the students, Jupyter's contents API for the work):

    release 00_start_here and 11_interview_drills -> both students fetch -> alice types
    the answers, bob submits the blank release -> collect -> `classroom
    autograde` (the course's parallel autograder, run as the instructor) ->
    `classroom feedback` -> release feedback -> both fetch it

then checks the scores, that the feedback shows no hidden test, and the
exchange's file permissions as bob (cannot find alice's submission or
feedback, cannot read her home or the instructor's source and gradebook).
When Chromium is there, a browser logs in as alice (Assignments panel) and as
the instructor (Formgrader) and renders alice's feedback (see
tests/test_browser.py for the JupyterLab / Validate part).

The "real assignment" is 11_interview_drills: the quickest of the graded
assignments to run (26 s against 96 s for 01_metrics, the quickest beginner
one, measured here under a load average of 8), so that the whole test, the
hub and four autograded submissions included, stays within its budget.
"""

import json
import re
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from imbalance_kit.grading.course import read_scores

from .hubsupport import (
    COURSE_ID, ROOT, VENV, Browser, Hub, UnixUsers, answered, chromium_path, docs_block, fill_settings,
    free_port, hub_config_from_docs, hub_login, leftover_processes, require_hub, visible_text,
)
from .test_grading_helpers import html_text, secret_lines

pytestmark = [pytest.mark.slow, pytest.mark.hub, pytest.mark.timeout(900)]

REAL = "11_interview_drills"
ASSIGNMENTS = ["00_start_here", REAL]
PY = str(VENV / "bin" / "python")


def _json_blocks():
    text = (ROOT / "docs" / "instructors.md").read_text("utf-8")
    return [json.loads(b) for b in re.findall(r"```json\n(.*?)```", text, flags=re.S)]


@pytest.fixture(scope="module")
def classroom():
    """Users, site config, exchange and a running hub with every server up; all removed afterwards."""
    require_hub()
    base = Path(tempfile.mkdtemp(prefix="ik-hub-"))
    base.chmod(0o711)  # users traverse it to their homes, the exchange and the site config
    suffix = secrets.token_hex(3)
    names = {"instructor": f"ikt{suffix}i", "alice": f"ikt{suffix}a", "bob": f"ikt{suffix}b"}
    homes = base / "home"
    homes.mkdir(mode=0o711)
    homes.chmod(0o711)
    users = UnixUsers(homes)
    hub = None
    try:
        for name in names.values():
            users.add(name)
        users.grant_traverse(sys.executable, sys.base_prefix, ROOT)
        exchange = base / "exchange"
        exchange.mkdir()
        exchange.chmod(0o777)
        # Site-wide nbgrader settings and the students' set-up, as documented.
        site = base / "site"
        (site / "student" / "labconfig").mkdir(parents=True)
        (site / "nbgrader_config.py").write_text(
            fill_settings(docs_block("SITE_CONFIG/nbgrader_config.py"), EXCHANGE=str(exchange)))
        server_cfg, page_cfg = _json_blocks()[:2]
        (site / "student" / "jupyter_server_config.json").write_text(json.dumps(server_cfg))
        (site / "student" / "labconfig" / "page_config.json").write_text(json.dumps(page_cfg))
        # The instructor's grading folder (classroom --course) and Formgrader pointer, written as the instructor.
        instructor = names["instructor"]
        course = users.home(instructor) / "course"
        user_cfg = fill_settings(docs_block("~/.jupyter/nbgrader_config.py"), COURSE=str(course))
        users.run(instructor, [PY, "-c", "import os, sys; os.makedirs(os.path.expanduser('~/.jupyter'));"
                               "open(os.path.expanduser('~/.jupyter/nbgrader_config.py'), 'w').write(sys.argv[1])",
                               user_cfg], timeout=60)
        users.run(instructor, [PY, "-m", "imbalance_kit.grading.classroom", "--course", str(course), "release",
                               *ASSIGNMENTS], cwd=ROOT, timeout=300)
        state = base / "hub"
        state.mkdir(mode=0o700)
        port, token = free_port(), secrets.token_hex(24)
        config = hub_config_from_docs(
            instructor=instructor, students=[names["alice"], names["bob"]], site_config=site, port=port,
            hub_port=free_port(), api_port=free_port(), state_dir=state, api_token=token)
        hub = Hub(state, config, port, token)
        t0 = time.monotonic()
        hub.start()
        hub.spawn(list(names.values()))
        print(f"hub and 3 servers up in {time.monotonic() - t0:.1f} s; hub log: {hub.log_path}")
        yield {"hub": hub, "users": users, "names": names, "course": course, "exchange": exchange,
               "base": base}
    finally:
        uids = set(users.uids.values())
        pgid = hub.proc.pid if hub is not None and hub.proc is not None else None
        proxy = hub.proxy_pid() if hub is not None else None
        try:
            if hub is not None:
                hub.stop(list(names.values()))
        finally:
            users.remove()
            shutil.rmtree(base, ignore_errors=True)
        left = leftover_processes(uids=uids, pgids={pgid} if pgid else set(), pids={proxy} if proxy else set(),
                                  marker=str(base))
        assert not left, f"processes left behind by the hub test: {left}"


def _contents(hub, user, path):
    return hub.user(user, "GET", f"/api/contents/{path}", params={"content": "1"}).json()


def _formgrader(hub, instructor, action, assignment):
    result = hub.user(instructor, "POST", f"/formgrader/api/assignment/{assignment}/{action}").json()
    assert result.get("success"), f"formgrader {action} {assignment}: {result.get('error') or result}"
    return result


def _student(hub, user, action, assignment):
    result = hub.user(user, "POST", f"/assignments/{action}",
                      data={"course_id": COURSE_ID, "assignment_id": assignment}).json()
    assert not (isinstance(result, dict) and result.get("success") is False), f"{user} {action}: {result}"
    return result


PROBE = r"""
import json, os, sys
out = {}
for label, kind, path in json.loads(sys.argv[1]):
    try:
        if kind == "list":
            os.listdir(path)
        else:
            open(path, "rb").read(10)
        out[label] = "allowed"
    except PermissionError:
        out[label] = "denied"
    except FileNotFoundError:
        out[label] = "missing"
print(json.dumps(out))
"""


def _sandbox_problem(users, user):
    """Why the grading sandbox cannot start for ``user`` ("" when it can; "no sandbox" before issue 16)."""
    code = ("try:\n from imbalance_kit.grading.sandbox import sandbox_problem\n"
            "except ImportError:\n print('this version of the kit has no sandbox')\n"
            "else:\n print(sandbox_problem())")
    return users.run(user, [PY, "-c", code], cwd=ROOT, timeout=120).stdout.strip()


def _probe(users, user, checks):
    proc = users.run(user, [PY, "-c", PROBE, json.dumps(checks)], timeout=60)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_exchange_round_trip(classroom):
    hub, users, course, exchange = classroom["hub"], classroom["users"], classroom["course"], classroom["exchange"]
    instructor, alice, bob = (classroom["names"][k] for k in ("instructor", "alice", "bob"))
    timings = {}
    t0 = time.monotonic()

    # The instructor publishes both assignments to the exchange (Formgrader's "release" button).
    for name in ASSIGNMENTS:
        _formgrader(hub, instructor, "release", name)
    listed = hub.user(alice, "GET", "/assignments", params={"course_id": COURSE_ID}).json()
    released = {a["assignment_id"] for a in listed["value"] if a["status"] == "released"}
    assert released == set(ASSIGNMENTS), f"alice sees {listed}"

    # Both fetch; alice types the answers, bob hands in the blank release; both submit.
    for student in (alice, bob):
        for name in ASSIGNMENTS:
            _student(hub, student, "fetch", name)
    for name in ASSIGNMENTS:
        path = f"{name}/{name}.ipynb"
        fetched = _contents(hub, alice, path)["content"]
        solution = json.loads((ROOT / "solutions" / name / f"{name}.ipynb").read_text("utf-8"))
        hub.user(alice, "PUT", f"/api/contents/{path}",
                 json={"type": "notebook", "format": "json", "content": answered(fetched, solution)})
    for student in (alice, bob):
        for name in ASSIGNMENTS:
            _student(hub, student, "submit", name)
    timings["release, fetch, submit"] = time.monotonic() - t0

    # Collect, then the course's parallel autograder and feedback, as the instructor.
    for name in ASSIGNMENTS:
        _formgrader(hub, instructor, "collect", name)
    assert sorted(p.parent.name + "/" + p.name for p in (course / "submitted").glob("*/*")) == sorted(
        f"{s}/{n}" for s in (alice, bob) for n in ASSIGNMENTS)
    t1 = time.monotonic()
    # Each kernel in the grading sandbox (issue 16) as the instructor, a plain user: bubblewrap then
    # needs unprivileged user namespaces. Where this machine has none, grade without it and say so.
    problem = _sandbox_problem(users, instructor)
    no_sandbox = ["--no-sandbox"] if problem else []
    if problem:
        print(f"the instructor cannot start the grading sandbox here ({problem}): graded with --no-sandbox")
    grade = users.run(instructor, [PY, "-m", "imbalance_kit.grading.classroom", "--course", str(course),
                                   "autograde", *ASSIGNMENTS, "--workers", "2", *no_sandbox], cwd=ROOT,
                      timeout=600, check=False)
    timings["classroom autograde (4 submissions)"] = time.monotonic() - t1
    assert grade.returncode == 0, f"classroom autograde failed:\n{grade.stdout[-3000:]}\n{grade.stderr[-3000:]}"
    assert "graded 4 of 4" in grade.stdout, grade.stdout
    users.run(instructor, [PY, "-m", "imbalance_kit.grading.classroom", "--course", str(course), "feedback",
                           *ASSIGNMENTS], cwd=ROOT, timeout=300)
    for name in ASSIGNMENTS:
        _formgrader(hub, instructor, "release_feedback", name)

    # Scores: alice gets every autograded point, bob none; written answers wait for a person.
    for name in ASSIGNMENTS:
        got = {s: read_scores(course, name, s) for s in (alice, bob)}
        auto = {s: [c for c in scores if c.kind == "autograded"] for s, scores in got.items()}
        assert auto[alice], f"{name}: no autograded cell"
        lost = [(c.grade_id, c.score, c.max_score) for c in auto[alice] if c.score != c.max_score]
        assert not lost, f"{name}: alice typed the instructor's answers but lost points: {lost}"
        earned = [(c.grade_id, c.score) for c in auto[bob] if c.score != 0]
        assert not earned, f"{name}: bob's blank release earned points: {earned}"
        assert all(c.needs_manual_grade for c in got[alice] if c.kind == "manual")

    # Each student fetches their feedback; it shows no hidden test.
    feedback_files = {}
    for student in (alice, bob):
        for name in ASSIGNMENTS:
            after = _student(hub, student, "fetch_feedback", name)
            mine = [a for a in after["value"] if a["assignment_id"] == name and a["status"] == "submitted"]
            assert mine and any(s.get("has_local_feedback") for s in mine[0]["submissions"]), (
                f"{student} has no feedback for {name}: {mine}")
            stamps = _contents(hub, student, f"{name}/feedback")["content"]
            assert len(stamps) == 1, stamps
            html = _contents(hub, student, f"{stamps[0]['path']}/{name}.html")
            feedback_files[student, name] = users.home(student) / stamps[0]["path"] / f"{name}.html"
            assert html["type"] == "file"
    for (student, name), path in feedback_files.items():
        hidden = secret_lines(nbformat.read(ROOT / "solutions" / name / f"{name}.ipynb", as_version=4),
                              kinds=("hidden",))
        shown = [line for line in hidden if line in html_text(path)]
        assert not shown, f"{student}'s feedback for {name} shows hidden tests: {shown[:3]}"
    timings["whole flow"] = time.monotonic() - t0

    # File permissions, tried as bob (and as alice where she must be allowed).
    exchange_course = exchange / COURSE_ID
    inbound = [p for p in (exchange_course / "inbound").iterdir() if p.name.startswith(f"{alice}+{REAL}+")]
    assert inbound, "alice's submission is not in the exchange"
    random_part = inbound[0].name.split("+")[3]
    assert len(random_part) >= 12, f"submission names must carry nbgrader's random string: {inbound[0].name}"
    alice_file = inbound[0] / f"{REAL}.ipynb"
    guessed = exchange_course / "inbound" / "+".join(inbound[0].name.split("+")[:3]) / f"{REAL}.ipynb"
    checks = [
        ("list inbound", "list", str(exchange_course / "inbound")),
        ("list feedback", "list", str(exchange_course / "feedback")),
        ("guess alice's submission without its random string", "read", str(guessed)),
        ("list alice's home", "list", str(users.home(alice))),
        ("read alice's work", "read", str(users.home(alice) / REAL / f"{REAL}.ipynb")),
        ("read alice's feedback", "read", str(feedback_files[alice, REAL])),
        ("read the instructor's source", "read", str(course / "solutions" / REAL / f"{REAL}.ipynb")),
        ("read the gradebook", "read", str(course / "gradebook.db")),
        ("list the collected submissions", "list", str(course / "submitted")),
        ("read the released notebook", "read", str(exchange_course / "outbound" / REAL / f"{REAL}.ipynb")),
    ]
    as_bob = _probe(users, bob, checks)
    expected = {label: "denied" for label, _, _ in checks}
    expected["guess alice's submission without its random string"] = "missing"
    expected["read the released notebook"] = "allowed"  # the release is public by design
    assert as_bob == expected, f"bob's access: {as_bob}"
    # Controls: the same calls succeed for the owners (so a "denied" above is about bob).
    as_alice = _probe(users, alice, [checks[3], checks[4], checks[5]])
    assert set(as_alice.values()) == {"allowed"}, as_alice
    assert _probe(users, instructor, [checks[6], checks[7]]) == {checks[6][0]: "allowed", checks[7][0]: "allowed"}
    assert _probe(users, instructor, [("read alice's submission", "read", str(alice_file))])[
        "read alice's submission"] == "allowed"

    # A real browser on the same hub (skipped here without Chromium; tests/test_browser.py says what to install).
    chromium = chromium_path()
    if chromium is not None:
        _browse(hub, chromium, instructor, alice, feedback_files[alice, REAL], timings)
    else:
        print("no Chromium: the hub's Assignments panel and Formgrader were not opened in a browser "
              "(sudo apt-get install chromium)")
    print("timings (s, on a shared machine): " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))


def _browse(hub, chromium, instructor, alice, alice_feedback, timings):
    try:
        import playwright  # noqa: F401
    except ImportError:
        print("no Playwright: the browser steps on the hub were skipped (pip install -e '.[test]')")
        return
    t0 = time.monotonic()
    folder = Path(tempfile.gettempdir()) / "imbalance_kit_screenshots" / "hub"
    shutil.rmtree(folder, ignore_errors=True)
    print(f"screenshots of the hub: {folder}")
    browser = Browser(chromium, folder)
    try:
        # alice: JupyterLab with nbgrader's Assignments panel (Nbgrader menu -> Assignments).
        page = hub_login(browser, hub, alice)
        page.wait_for_selector("#jp-main-dock-panel", timeout=120_000)
        page.get_by_role("menuitem", name="Nbgrader").click()
        item = page.get_by_role("menuitem", name="Assignment List")
        item.wait_for()
        menu = page.locator(".lm-Menu").filter(visible=True).first.inner_text()
        browser.shot(page, "student_nbgrader_menu")
        # The student set-up of docs/instructors.md: no instructor tools.
        assert "Formgrader" not in menu and "Create assignment" not in menu, f"a student's Nbgrader menu: {menu}"
        item.click()
        page.get_by_text("Submitted assignments").first.wait_for()
        page.wait_for_function("() => document.body.innerText.includes('" + REAL + "')", timeout=60_000)
        page.wait_for_timeout(1000)
        browser.shot(page, "student_assignments_panel")
        text = visible_text(page)
        for name in ASSIGNMENTS:
            assert name in text, f"the Assignments panel does not list {name}"
        assert "Create Assignment" not in text, "a student's JupyterLab shows the Create Assignment panel"
        # alice's feedback, served by her own server, as she reads it.
        rel = alice_feedback.relative_to(Path(hub_home(alice_feedback, alice)))
        page.goto(f"{hub.url}/user/{alice}/files/{rel.as_posix()}")
        page.wait_for_load_state("load")
        browser.shot(page, "student_feedback")
        hidden = secret_lines(nbformat.read(ROOT / "solutions" / REAL / f"{REAL}.ipynb", as_version=4),
                              kinds=("hidden",))
        shown_text = visible_text(page)
        assert REAL in shown_text and "Score" in shown_text, f"the feedback page did not render: {shown_text[:300]}"
        shown = [line for line in hidden if line in shown_text]
        assert not shown, f"alice's feedback page shows hidden tests: {shown[:3]}"
        page.context.close()

        # The instructor: the Formgrader lists both assignments with their submissions.
        page = hub_login(browser, hub, instructor)
        page.goto(f"{hub.url}/user/{instructor}/formgrader")
        page.wait_for_function("() => document.body.innerText.includes('" + REAL + "')", timeout=60_000)
        page.wait_for_timeout(1000)
        browser.shot(page, "instructor_formgrader")
        text = visible_text(page)
        for name in ASSIGNMENTS:
            row = page.locator("tr", has_text=name).first.inner_text()
            # Columns: name, due date, status, ..., number of submissions (alice's and bob's).
            assert "released" in row and re.search(r"(^|\s)2(\s|$)", row), f"the Formgrader's row for {name}: {row!r}"
        page.context.close()
    except Exception:
        for context in browser.browser.contexts:
            for open_page in context.pages:
                browser.shot(open_page, "failure")
        raise
    finally:
        browser.close()
    timings["browser on the hub"] = time.monotonic() - t0


def hub_home(path, user):
    """The home folder of ``user`` that ``path`` lies in."""
    parts = Path(path).parts
    return Path(*parts[:parts.index(user) + 1])
