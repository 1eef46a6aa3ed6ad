"""Real classroom parts for the hub and browser tests: throw-away Unix users, JupyterHub, Chromium.

No tests here. Everything a helper starts is stopped by the helper's own
``stop``/``close`` (the tests call them from fixture finalizers), and
:func:`leftover_processes` lets a finalizer check with ``ps`` that nothing
survived. Traffic stays on 127.0.0.1.

The hub runs the ``jupyterhub_config.py`` of ``docs/instructors.md``
(section "JupyterHub") with only the test's paths, ports and a fixed-password
authenticator put in (:func:`hub_config_from_docs`), so the documented
configuration is the tested one.
"""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(sys.prefix)
DOCS = ROOT / "docs" / "instructors.md"
CHP = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
COURSE_ID = "imbalanced-learning"


# --- what is missing, said plainly ----------------------------------------------------------------

def chromium_path():
    """The system Chromium, or None (the tests never download a browser)."""
    env = os.environ.get("IMBALANCE_KIT_CHROMIUM")
    for path in ([env] if env else []) + list(CHROMIUM_CANDIDATES):
        if path and os.access(path, os.X_OK):
            return path
    return None


def require_browser():
    """Skip (with what to install) unless Playwright and a system Chromium are there."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("browser tests need Playwright: .venv/bin/pip install -e '.[test]' (make setup)")
    path = chromium_path()
    if path is None:
        pytest.skip("browser tests need Chromium: `sudo apt-get install chromium` (Debian/Ubuntu; "
                    "`make test` does it when run as root), or set IMBALANCE_KIT_CHROMIUM=/path/to/chrome")
    return path


def require_hub():
    """Skip (with the reason) unless this machine can run the multi-user hub test."""
    if sys.platform != "linux":
        pytest.skip("the JupyterHub test needs Linux (real Unix users, LocalProcessSpawner)")
    if os.geteuid() != 0:
        pytest.skip("the JupyterHub test creates throw-away Unix users (one instructor, two students) "
                    "to check the exchange's file permissions: run it as root (CI does)")
    for tool in ("useradd", "userdel"):
        if shutil.which(tool) is None:
            pytest.skip(f"the JupyterHub test needs {tool} (Debian package passwd)")
    if not CHP.exists():
        pytest.skip("JupyterHub's proxy is missing: `npm install` in the course folder "
                    "(make test does it when npm is there) installs configurable-http-proxy into node_modules/")
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        pytest.skip("jupyterhub is not installed: .venv/bin/pip install -e '.[test]'")


# --- processes ------------------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout, what, interval=0.5):
    """Call ``predicate`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as exc:  # not up yet
            last = exc
        time.sleep(interval)
    raise TimeoutError(f"gave up after {timeout} s waiting for {what}" + (f" (last error: {last!r})" if last else ""))


def _proc_info(pid):
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    uid = int(re.search(r"^Uid:\s+(\d+)", status, re.M)[1])
    fields = stat.rsplit(")", 1)[1].split()
    return {"pid": pid, "uid": uid, "state": fields[0], "pgid": int(fields[2]), "cmd": cmd.strip()}


def processes():
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            info = _proc_info(int(entry))
            if info and info["state"] != "Z":
                out.append(info)
    return out


def leftover_processes(uids=(), pgids=(), pids=(), marker=None):
    """Living processes owned by ``uids``, in groups ``pgids``, in ``pids`` or whose command has ``marker``."""
    me = os.getpid()
    return [p for p in processes() if p["pid"] != me and (
        p["uid"] in uids or p["pgid"] in pgids or p["pid"] in pids or (marker and marker in p["cmd"]))]


def descendants(pid=None):
    """Living processes started (directly or not) by ``pid`` (default: this process)."""
    pid = os.getpid() if pid is None else pid
    parent = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                parent[int(entry)] = int(fields[1])
    out, frontier = [], {pid}
    while frontier:
        frontier = {child for child, ppid in parent.items() if ppid in frontier}
        out.extend(frontier)
    return [info for info in map(_proc_info, out) if info]


def kill_pids(pids, grace=5.0):
    """SIGTERM the given pids (and their process groups when they lead one), then SIGKILL what is left."""
    pids = [p for p in pids if p and p != os.getpid()]
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(_alive(p) for p in pids):
            time.sleep(0.1)
        if not any(_alive(p) for p in pids):
            return


def _alive(pid):
    info = _proc_info(pid)
    return info is not None and info["state"] != "Z"


# --- throw-away Unix users ------------------------------------------------------------------------

class UnixUsers:
    """Create users (home under ``homes``, mode 0700) and remove them, their processes and groups."""

    def __init__(self, homes):
        self.homes = Path(homes)
        self.names = []
        self.uids = {}
        self._acl = []  # (folder, had no extended ACL before)

    def add(self, name):
        import pwd

        try:
            pwd.getpwnam(name)
        except KeyError:
            pass
        else:
            raise RuntimeError(f"user {name!r} already exists; the test only uses throw-away users")
        home = self.homes / name
        subprocess.run(["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/sh",
                        "--user-group", name], check=True, capture_output=True, timeout=30)
        self.names.append(name)
        self.uids[name] = pwd.getpwnam(name).pw_uid
        # Debian's useradd makes homes 0755; a student's work must not be readable by the others.
        home.chmod(0o700)
        return home

    def grant_traverse(self, *paths):
        """Let the users reach ``paths`` where a parent folder is closed to others (an ACL, removed later).

        Here the venv's interpreter lives under ``/root/.pyenv`` and ``/root`` is 0700; on a hub
        the course venv sits where everyone can read it (docs/instructors.md), and nothing is granted.
        """
        closed = []
        for path in paths:
            for folder in [*reversed(Path(os.path.realpath(path)).parents)]:
                if folder.is_dir() and not folder.stat().st_mode & 0o001 and folder not in closed:
                    closed.append(folder)
        if not closed:
            return
        if shutil.which("setfacl") is None:
            pytest.skip(f"the test users cannot reach the venv's Python ({', '.join(map(str, closed))} is closed "
                        "to others): install the Debian package acl (make test does) or build the venv where "
                        "everyone can read it")
        for folder in closed:
            before = subprocess.run(["getfacl", "-cp", str(folder)], capture_output=True, text=True, timeout=30)
            plain = all(line.split(":")[1] == "" for line in before.stdout.split() if line and ":" in line)
            for name in self.names:
                subprocess.run(["setfacl", "-m", f"u:{name}:x", str(folder)], check=True, capture_output=True,
                               timeout=30)
            self._acl.append((folder, plain))

    def home(self, name):
        return self.homes / name

    def run(self, name, args, timeout, cwd=None, env=None, check=True):
        """Run ``args`` as user ``name`` (HOME set), with a timeout; return the CompletedProcess."""
        import pwd

        entry = pwd.getpwnam(name)
        full_env = {"PATH": f"{VENV}/bin:/usr/local/bin:/usr/bin:/bin", "HOME": entry.pw_dir,
                    "USER": name, "LANG": "C.UTF-8", **(env or {})}
        proc = subprocess.run(args, user=entry.pw_uid, group=entry.pw_gid, extra_groups=[],
                              cwd=cwd or entry.pw_dir, env=full_env, capture_output=True, text=True,
                              timeout=timeout, start_new_session=True)
        if check and proc.returncode != 0:
            raise AssertionError(f"as {name}: {' '.join(map(str, args))} -> exit {proc.returncode}\n"
                                 f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        return proc

    def remove(self):
        uids = set(self.uids.values())
        kill_pids([p["pid"] for p in leftover_processes(uids=uids)])
        for folder, plain in self._acl:
            for name in self.names:
                subprocess.run(["setfacl", "-x", f"u:{name}", str(folder)], capture_output=True, timeout=30)
            if plain:  # drop the mask entry setfacl added, back to plain mode bits
                subprocess.run(["setfacl", "-b", str(folder)], capture_output=True, timeout=30)
        self._acl = []
        for name in self.names:
            subprocess.run(["userdel", name], capture_output=True, timeout=30)
            subprocess.run(["groupdel", name], capture_output=True, timeout=30)  # when userdel left it
        self.names = []


# --- the hub --------------------------------------------------------------------------------------

def docs_block(title):
    """The fenced code block of docs/instructors.md whose first line is ``# <title>``."""
    text = DOCS.read_text("utf-8")
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S):
        if block.splitlines() and block.splitlines()[0].strip() == f"# {title}":
            return block
    raise AssertionError(f"docs/instructors.md has no code block starting with '# {title}'")


def fill_settings(block, **values):
    """Replace the ``NAME = ...`` lines of a documented config block by the test's values."""
    for name, value in values.items():
        block, n = re.subn(rf"^{name} = .*$", f"{name} = {value!r}", block, count=1, flags=re.M)
        assert n == 1, f"the documented config has no line '{name} = ...'"
    return block


def hub_config_from_docs(*, instructor, students, site_config, port, hub_port, api_port,
                         state_dir, api_token):
    """The documented jupyterhub_config.py with this test's users, paths, ports and authenticator."""
    block = fill_settings(docs_block("jupyterhub_config.py"), INSTRUCTORS=[instructor], STUDENTS=list(students),
                          VENV=str(VENV), SITE_CONFIG=str(site_config), BIND_URL=f"http://127.0.0.1:{port}")
    test_only = f"""
# ---- test-only settings (tests/hubsupport.py): loopback ports, state in a temp folder,
# ---- fixed passwords instead of the system's PAM, the test's API token.
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.pid_file = {str(Path(state_dir) / 'proxy.pid')!r}
c.JupyterHub.db_url = "sqlite:///" + {str(Path(state_dir) / 'jupyterhub.sqlite')!r}
c.JupyterHub.cookie_secret_file = {str(Path(state_dir) / 'cookie_secret')!r}
c.JupyterHub.pid_file = {str(Path(state_dir) / 'hub.pid')!r}
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {PASSWORD!r}
c.JupyterHub.services = [{{"name": "classroom-test", "api_token": {api_token!r}}}]
c.JupyterHub.load_roles = [{{
    "name": "classroom-test",
    "scopes": ["admin:users", "admin:servers", "access:servers"],
    "services": ["classroom-test"],
}}]
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
"""
    if VENV.parent != ROOT:  # the documented proxy path assumes the venv sits in the course folder
        test_only += f"c.ConfigurableHTTPProxy.command = [{str(CHP)!r}]\n"
    return block + test_only


PASSWORD = "not-a-secret-" + secrets.token_hex(4)


class Hub:
    """A JupyterHub (with its proxy) started from a config file; ``stop()`` ends every process it started."""

    def __init__(self, workdir, config_text, port, api_token):
        self.workdir = Path(workdir)
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.token = api_token
        self.config = self.workdir / "jupyterhub_config.py"
        self.config.write_text(config_text)
        self.log_path = self.workdir / "jupyterhub.log"
        self.proc = None

    # -- lifecycle
    def start(self, timeout=90):
        log = self.log_path.open("w")
        self.proc = subprocess.Popen([str(VENV / "bin" / "jupyterhub"), "-f", str(self.config)],
                                     cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True, env={**os.environ, "PATH": f"{VENV}/bin:"
                                                                  + os.environ.get("PATH", "/usr/bin:/bin")})
        log.close()

        def up():
            if self.proc.poll() is not None:
                raise AssertionError(f"jupyterhub exited ({self.proc.returncode}):\n{self.log()}")
            return self.api("GET", "/").status_code == 200
        wait_for(up, timeout, "JupyterHub's API")

    def log(self, tail=6000):
        try:
            return self.log_path.read_text(errors="replace")[-tail:]
        except OSError:
            return ""

    def proxy_pid(self):
        try:
            return int((self.workdir / "proxy.pid").read_text().strip())
        except (OSError, ValueError):
            return None

    def stop(self, users=()):
        if self.proc is None:
            return
        proxy = self.proxy_pid()
        for name in users:  # stop the single-user servers through the hub first
            try:
                self.api("DELETE", f"/users/{name}/server", timeout=10)
            except Exception:
                pass
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)  # the hub cleans up its proxy and servers
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        kill_pids([p["pid"] for p in leftover_processes(pgids={self.proc.pid})] + ([proxy] if proxy else []))

    # -- REST
    def api(self, method, path, timeout=30, **kw):
        import requests

        return requests.request(method, f"{self.url}/hub/api{path}", timeout=timeout,
                                headers={"Authorization": f"token {self.token}"}, **kw)

    def spawn(self, names, timeout=240):
        """Start the single-user servers of ``names`` and wait until each is ready."""
        for name in names:
            r = self.api("POST", f"/users/{name}/server")
            assert r.status_code in (201, 202, 400), f"spawn {name}: {r.status_code} {r.text}"

        def ready():
            states = {n: self.api("GET", f"/users/{n}").json().get("servers", {}).get("", {}) for n in names}
            failed = [n for n in names if not states[n]]
            if failed and "failed" in self.log(20000).lower():
                raise AssertionError(f"servers of {failed} did not start:\n{self.log()}")
            return all(s.get("ready") for s in states.values())
        wait_for(ready, timeout, f"the servers of {', '.join(names)}", interval=1)

    def user(self, name, method, path, timeout=120, **kw):
        """Call user ``name``'s single-user server through the proxy (the service token has access)."""
        import requests

        r = requests.request(method, f"{self.url}/user/{name}{path}", timeout=timeout,
                             headers={"Authorization": f"token {self.token}"}, **kw)
        assert r.status_code < 400, f"{method} /user/{name}{path}: {r.status_code} {r.text[:2000]}"
        return r


# --- notebooks ------------------------------------------------------------------------------------

def answered(release_nb, solution_nb):
    """The release notebook with the instructor's answers typed into its answer cells (a learner who did it)."""
    solutions = {}
    for cell in solution_nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution"):
            lines = "".join(cell["source"]).splitlines(keepends=True)
            solutions[meta["grade_id"]] = "".join(line for line in lines
                                                  if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line)
    out = json.loads(json.dumps(release_nb))
    for cell in out["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") in solutions:
            cell["source"] = solutions[meta["grade_id"]]
    return out


# --- the browser ----------------------------------------------------------------------------------

class Browser:
    """Headless system Chromium through Playwright; ``shot(page, name)`` writes ``NN_name.png`` to ``folder``."""

    def __init__(self, executable, folder):
        from playwright.sync_api import sync_playwright

        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self._pw = sync_playwright().start()
        try:
            # --no-sandbox: Chromium's own sandbox refuses to run as root (CI); the pages are ours.
            self.browser = self._pw.chromium.launch(executable_path=executable, headless=True,
                                                    args=["--no-sandbox", "--disable-gpu",
                                                          "--no-first-run", "--disable-dev-shm-usage"])
        except Exception:
            self._pw.stop()
            raise

    def page(self, width=1400, height=900):
        context = self.browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(60_000)
        return context.new_page()

    def shot(self, page, name):
        self.count += 1
        path = self.folder / f"{self.count:02d}_{name}.png"
        page.screenshot(path=str(path))
        return path

    def close(self):
        try:
            self.browser.close()
        finally:
            self._pw.stop()


def hub_login(browser, hub, name):
    """A page logged in to the hub as ``name`` (the hub's login form, the test's fixed password)."""
    page = browser.page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf".*/user/{re.escape(name)}/.*"), timeout=120_000)
    return page


def visible_text(page):
    """What a person sees on the page (rendered text, not the HTML source)."""
    return page.evaluate("() => document.body.innerText")
