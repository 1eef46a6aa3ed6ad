"""Run each submission's kernel in a bubblewrap sandbox, and report what a submission tried.

nbgrader runs a student's code with the grader's rights: the code could read
the instructor's source (solutions, hidden tests), other submissions and the
gradebook of the grading folder. In a sandbox (Linux ``bwrap``, Debian package
``bubblewrap``, run as root or with unprivileged user namespaces) each kernel sees

- a scratch copy of its own notebook's folder (read-write, discarded after),
- the Python installation, the virtual environment and the kit (read-only),
- the data cache (read-only), ``/usr`` and ``/etc`` (read-only), a private ``/tmp``,

and nothing else: no ``solutions/``, no other submission, no gradebook, no
network (its own network namespace; the grader talks to it over ZeroMQ IPC
sockets in a folder bound in). As root it runs as an unprivileged uid of its
own; either way with per-process limits (memory, CPU time, file size) and a
limit on the processes and threads of the sandbox.

:class:`GuardedExecute` is nbgrader's ``Execute`` made robust to hostile
code: a kernel that dies (``os._exit``, a segfault, a limit) costs the cell
it died in and the cells after it (each gets an error output, so its tests
score 0) instead of the whole notebook; the output of one cell is capped
while it arrives; with ``sandbox=True`` the kernel starts in the sandbox.
It writes an *integrity report* per notebook (sandbox denials, network
attempts, processes started, limits hit, patched attributes of imported
libraries) for the instructor; nothing in it changes a score.

Configure the limits in ``nbgrader_config.py``::

    c.SandboxKernelManager.memory_mb = 4096      # address space of one process
    c.SandboxKernelManager.cpu_seconds = 1200    # CPU time of one process
    c.SandboxKernelManager.max_processes = 256   # processes + threads of the sandbox
    c.SandboxKernelManager.max_file_mb = 256     # largest file it may write
    c.GuardedExecute.max_output_chars = 1_000_000  # output kept per cell
"""

import ast
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import weakref
from functools import lru_cache
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer, List, Unicode

from .lint import _dotted  # the dotted name of an attribute chain, as the notebook linter reads it

__all__ = ["INSTALL_HINT", "GuardedExecute", "SandboxKernelManager", "check_sandbox", "enable",
           "integrity_lines", "patch_notes", "read_report", "sandbox_problem"]

INSTALL_HINT = ("install bubblewrap (Debian/Ubuntu: 'apt-get install bubblewrap', Fedora: "
                "'dnf install bubblewrap') and grade on Linux as root (or where unprivileged user namespaces "
                "are on), or pass --no-sandbox to grade "
                "without it (student code then runs with your rights: see docs/instructors.md, "
                "'Security model')")

#: Library roots whose patched attributes the integrity report lists (the kit included).
WATCHED_ROOTS = ("imbalance_kit", "numpy", "scipy", "sklearn", "imblearn", "pandas", "torch",
                 "statsmodels", "math", "builtins", "nbgrader")

# Runs inside the sandbox as root (only in its namespaces), sets the limits, drops to the
# sandbox's own uid, installs an audit hook that logs what the code tries, then runs the kernel.
LAUNCHER = r'''
import json, os, resource, signal, sys
cfg = json.loads(sys.argv[1])
for name, value in cfg["limits"].items():
    # CPU: SIGXCPU at the limit (reported as such), SIGKILL 5 s later if it is ignored.
    resource.setrlimit(getattr(resource, name), (value, value + 5 if name == "RLIMIT_CPU" else value))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # too large a file: an OSError, not a dead kernel
if cfg["uid"] is not None:  # as root: drop to the sandbox's own uid
    os.setgroups([])
    os.setgid(cfg["uid"])
    os.setuid(cfg["uid"])
os.makedirs(os.environ["HOME"], exist_ok=True)
_null = os.open(os.devnull, os.O_WRONLY)
os.dup2(_null, 1)  # the kernel's banner ("To connect another client ...") is not for the grader's terminal
_log = open(cfg["log"], "a", buffering=1)
_allowed = tuple(cfg["allowed"])
_own = cfg["own"]
_denied = tuple(cfg["denied"])
_seen = {}
_watch = {"open", "sqlite3.connect", "os.listdir", "os.scandir", "os.chdir", "socket.connect", "socket.sendto",
          "socket.getaddrinfo", "subprocess.Popen", "os.system", "os.fork", "os.forkpty",
          "os.posix_spawn", "os.exec", "os.spawn"}

def _record(kind, what):
    key = (kind, what)
    n = _seen.get(key, 0)
    _seen[key] = n + 1
    if n == 0 and len(_seen) <= 200:
        _log.write(json.dumps([kind, what]) + "\n")
    elif n + 1 in (10, 100, 1000, 10000):
        _log.write(json.dumps([kind, f"{what} ({n + 1} times)"]) + "\n")

def _hook(event, args):
    if event not in _watch:
        return
    try:
        if event in ("open", "sqlite3.connect", "os.listdir", "os.scandir", "os.chdir"):
            path = args[0]
            if path is None or isinstance(path, int):
                return
            path = os.path.abspath(os.fsdecode(path))
            if path == _own or path.startswith(_own + "/"):
                return
            if path.startswith(_denied) or not path.startswith(_allowed):
                _record("path", path)
        elif event in ("socket.connect", "socket.sendto", "socket.getaddrinfo"):
            address = args[-1] if event != "socket.getaddrinfo" else args[:2]
            if not isinstance(address, (str, bytes)):  # AF_UNIX paths are strings
                _record("network", repr(address))
        elif event == "subprocess.Popen" and args[1] == ["uname", "-p"]:
            return  # platform.processor(), called by libraries on import
        elif event == "subprocess.Popen":
            _record("process", " ".join(map(str, args[1] if isinstance(args[1], (list, tuple)) else [args[1]]))[:200])
        elif event == "os.system":
            _record("process", str(args[0])[:200])
        else:
            _record("process", event)
    except Exception:
        pass

sys.addaudithook(_hook)
argv = cfg["argv"]
sys.path[0] = os.getcwd()
if argv[:1] == ["-m"]:
    import runpy
    sys.argv = [argv[1]] + argv[2:]
    runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
else:
    sys.argv = argv
    import runpy
    runpy.run_path(argv[0], run_name="__main__")
'''


@lru_cache(maxsize=2)
def _trial_problem(bwrap, root):
    # A real (tiny) sandbox: bwrap may be installed but unusable (no namespaces in a container).
    binds = []
    for path in _python_paths():
        binds += ["--ro-bind", path, path]
    cmd = [bwrap, *_user_namespace(root), "--unshare-ipc", "--unshare-pid", "--unshare-net", "--die-with-parent",
           *_system_binds(),
           *binds, "--proc", "/proc", "--dev", "/dev", "--", sys.executable, "-c", "print('ok')"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap could not start a sandbox: {exc}"
    if proc.returncode != 0 or proc.stdout.strip() != "ok":
        why = (proc.stderr or proc.stdout).strip()[:300]
        if not root:
            why += " (as a user other than root it needs unprivileged user namespaces)"
        return f"bubblewrap could not start a sandbox: {why}"
    return ""


def _user_namespace(root):
    # As root, bubblewrap creates the namespaces itself and the kernel drops to a uid of its
    # own; as another user it needs a user namespace (the kernel keeps that user's uid).
    return [] if root else ["--unshare-user"]


def sandbox_problem():
    """Why the sandbox cannot run here ("" when it can).

    Needs Linux, ``bwrap`` on the ``PATH``, and root (bubblewrap then creates
    the namespaces and the kernel drops to a uid of its own) or unprivileged
    user namespaces (the kernel then keeps the grader's uid, in namespaces of
    its own); a one-line trial sandbox is started once per process.

    Returns
    -------
    str

    Examples
    --------
    >>> isinstance(sandbox_problem(), str)
    True
    """
    if not sys.platform.startswith("linux"):
        return f"the sandbox needs Linux (this is {sys.platform})"
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bubblewrap (bwrap) is not installed"
    return _trial_problem(bwrap, os.geteuid() == 0)


def check_sandbox():
    """Raise :class:`~imbalance_kit.grading.course.GradingError` saying how to get the sandbox, if it cannot run.

    Returns
    -------
    None

    Examples
    --------
    >>> check_sandbox()  # doctest: +SKIP
    """
    from .course import GradingError

    problem = sandbox_problem()
    if problem:
        raise GradingError(f"cannot sandbox the submissions' kernels: {problem}; {INSTALL_HINT}")


def enable(config, sandbox=True, report_dir=None):
    """Make ``config`` (a loaded course configuration) run kernels through :class:`GuardedExecute`.

    nbgrader's own ``Execute`` in ``Autograde.autograde_preprocessors`` is
    replaced by :class:`GuardedExecute` (a grading folder made with an older
    ``nbgrader_config.py`` is guarded too).

    Parameters
    ----------
    config : traitlets.config.Config
        Changed in place.
    sandbox : bool, default=True
        Start each kernel in the sandbox.
    report_dir : path-like, optional
        Where :class:`GuardedExecute` writes the integrity reports.

    Returns
    -------
    traitlets.config.Config
        ``config``.

    Examples
    --------
    >>> from traitlets.config import Config
    >>> enable(Config(), sandbox=False).GuardedExecute.sandbox
    False
    """
    steps = list(config.Autograde.get("autograde_preprocessors", []) or [])
    steps = [GuardedExecute if step is Execute or step == "nbgrader.preprocessors.Execute" else step
             for step in steps]
    if steps:
        config.Autograde.autograde_preprocessors = steps
    config.GuardedExecute.sandbox = bool(sandbox)
    if report_dir is not None:
        config.GuardedExecute.report_dir = str(report_dir)
    return config


def _system_binds():
    binds = ["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]
    for name in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(name):
            binds += ["--symlink", os.readlink(name), name]
        elif os.path.isdir(name):
            binds += ["--ro-bind", name, name]
    return binds


def _python_paths():
    # The interpreter, the environment and every folder on sys.path outside them (an
    # editable kit): read-only. Folders that hold others are kept, nested ones dropped.
    import imbalance_kit

    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.realpath(sys.executable)),
             str(Path(imbalance_kit.__file__).resolve().parent)}
    for entry in sys.path:
        if entry and os.path.isdir(entry) and entry.endswith(("site-packages", "dist-packages", ".zip")):
            paths.add(entry)
    paths = sorted({os.path.realpath(p) for p in paths if p and os.path.exists(p)})
    return [p for p in paths if not any(p != q and p.startswith(q.rstrip("/") + "/") for q in paths)]


def _data_home():
    from ..datasets.cache import DATA_HOME_ENV

    return os.path.realpath(os.path.expanduser(os.environ.get(DATA_HOME_ENV) or "~/.cache/imbalance_kit"))


def _matplotlib_cache():
    # matplotlib.get_cachedir() without importing matplotlib.
    if os.environ.get("MPLCONFIGDIR"):
        return os.environ["MPLCONFIGDIR"]
    return os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "matplotlib")


def _dirs(path):
    # --dir for every ancestor of path (bubblewrap would create them 0700: unreadable after setuid).
    out, parts = [], Path(path).parts
    for i in range(2, len(parts)):
        out += ["--perms", "0755", "--dir", str(Path(*parts[:i]))]
    return out


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager that starts the kernel in a bubblewrap sandbox (see the module's docstring).

    The kernel's working folder is replaced by a scratch copy (bound at the
    same path, so relative paths work); the kernel talks to the grader over
    IPC sockets in a private folder; the kernel runs as a uid of its own.

    Parameters
    ----------
    memory_mb : int, default=4096
        Address space of one process of the sandbox (``RLIMIT_AS``).
    cpu_seconds : int, default=1200
        CPU time of one process (``RLIMIT_CPU``); the cell timeout bounds wall time.
    max_processes : int, default=256
        Processes and threads of the sandbox's uid (``RLIMIT_NPROC``): a fork bomb stops there.
    max_file_mb : int, default=256
        Largest file one process may write (``RLIMIT_FSIZE``).
    extra_ro_paths : list of str
        More folders to show read-only (a second data folder, ...).

    Examples
    --------
    >>> SandboxKernelManager().max_processes
    256
    """

    memory_mb = Integer(4096, help="address space of one sandboxed process, MiB").tag(config=True)
    cpu_seconds = Integer(1200, help="CPU seconds of one sandboxed process").tag(config=True)
    max_processes = Integer(256, help="processes + threads of one sandbox").tag(config=True)
    max_file_mb = Integer(256, help="largest file a sandboxed process may write, MiB").tag(config=True)
    extra_ro_paths = List(Unicode(), help="more folders shown read-only in the sandbox").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sandbox_dir = None
        self.sandbox_uid = None
        self.sandbox_cwd = None

    async def _async_pre_start_kernel(self, **kw):
        self._prepare(kw.get("cwd") or os.getcwd())
        return await super()._async_pre_start_kernel(**kw)

    def _prepare(self, cwd):
        if self.sandbox_dir is not None:  # a restart keeps the sandbox folder
            return
        # As root: a uid of its own (RLIMIT_NPROC counts that uid's processes only).
        self.sandbox_uid = 200_000 + secrets.randbelow(100_000) if os.geteuid() == 0 else None
        base = Path(tempfile.mkdtemp(prefix="sbx-"))
        # A kernel that dies (os._exit, a segfault, a limit) may never reach _async_cleanup_resources:
        # the folder then goes when this manager is collected, or at the grader's exit at the latest.
        self._sandbox_finalizer = weakref.finalize(self, shutil.rmtree, str(base), True)
        base.chmod(0o755)
        ipc, work = base / "ipc", base / "work"
        ipc.mkdir()
        shutil.copytree(cwd, work, symlinks=True, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        # Matplotlib's font list, so that each kernel does not rebuild it (seconds per submission).
        (base / "mpl").mkdir()
        for font_list in Path(_matplotlib_cache()).glob("fontlist-*.json"):
            shutil.copy2(font_list, base / "mpl" / font_list.name)
        for folder in (ipc, work, base / "mpl") if self.sandbox_uid is not None else ():
            for root, dirs, files in os.walk(folder):
                for name in [root, *(os.path.join(root, n) for n in dirs + files)]:
                    os.chown(name, self.sandbox_uid, self.sandbox_uid, follow_symlinks=False)
        (base / "launcher.py").write_text(LAUNCHER)
        self.sandbox_dir, self.sandbox_cwd = base, os.path.realpath(cwd)
        # SIGINT to the process group would reach bubblewrap itself and end the sandbox:
        # interrupt with a message on the control channel (the kernel then signals itself).
        if self.kernel_spec is not None:
            self.kernel_spec.interrupt_mode = "message"
        self.transport = "ipc"
        self.ip = str(ipc / "k")
        self.connection_file = str(ipc / "kernel.json")

    async def _async_interrupt_kernel(self):
        # jupyter_client interrupts every kernel before shutting it down. In message mode the
        # kernel signals itself, and when that SIGINT lands in its shutdown handler ipykernel
        # prints "ERROR | KeyboardInterrupt caught in kernel." on the grader's terminal (a few
        # submissions in twenty). At shutdown the grading is over: nothing to interrupt. A cell
        # that times out is still interrupted (nbclient calls this before any shutdown).
        if self.shutting_down:
            return
        await super()._async_interrupt_kernel()

    def write_connection_file(self, **kwargs):
        super().write_connection_file(**kwargs)
        if self.sandbox_uid is not None:
            os.chown(self.connection_file, self.sandbox_uid, self.sandbox_uid)

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        return self.sandbox_command(cmd)

    def sandbox_command(self, cmd):
        """The ``bwrap`` command line that runs ``cmd`` (a Python kernel's argv) in the sandbox.

        Parameters
        ----------
        cmd : list of str

        Returns
        -------
        list of str
        """
        base = self.sandbox_dir
        data = _data_home()
        cwd = self.sandbox_cwd
        ro = _python_paths() + [os.path.realpath(p) for p in self.extra_ro_paths if os.path.exists(p)]
        args = ["bwrap", *_user_namespace(self.sandbox_uid is not None), "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                "--unshare-cgroup-try", "--die-with-parent", "--hostname", "sandbox", *_system_binds(),
                "--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/dev/shm",
                "--perms", "1777", "--tmpfs", "/tmp"]
        mounts = [(p, p, "--ro-bind") for p in ro]
        env_data = "/tmp/home/.cache/imbalance_kit"
        if os.path.isdir(data):
            mounts.append((data, data, "--ro-bind"))
            env_data = data
        mounts += [(str(base / "ipc"), str(base / "ipc"), "--bind"),
                   (str(base / "launcher.py"), str(base / "launcher.py"), "--ro-bind"),
                   (str(base / "mpl"), str(base / "mpl"), "--bind"),
                   (str(base / "work"), cwd, "--bind")]
        done = {"/dev", "/dev/shm", "/tmp", "/proc"}
        for src, dest, how in sorted(mounts, key=lambda m: m[1]):
            for i in range(0, len(_dirs(dest)), 4):
                step = _dirs(dest)[i:i + 4]
                if step[3] not in done and not os.path.islink(step[3]):
                    done.add(step[3])
                    args += step
            args += [how, src, dest]
            done.add(dest)
        log = str(base / "ipc" / "events.jsonl")
        allowed = sorted({cwd, "/tmp", "/proc", "/dev", "/usr", "/etc", "/sys", "/lib", "/lib64", "/bin",
                          str(base / "ipc"), env_data, *ro, *(os.path.realpath(p) for p in ro)})
        limits = {"RLIMIT_AS": self.memory_mb << 20, "RLIMIT_CPU": self.cpu_seconds,
                  "RLIMIT_NPROC": self.max_processes, "RLIMIT_FSIZE": self.max_file_mb << 20,
                  "RLIMIT_CORE": 0}
        # The grading folder around the kernel's own folder, where it sits in /tmp or /dev/shm
        # (both are otherwise the sandbox's own scratch space).
        denied = [f"{top}/{cwd[len(top) + 1:].split('/')[0]}" for top in ("/tmp", "/dev/shm")
                  if cwd.startswith(top + "/")]
        config = {"uid": self.sandbox_uid, "limits": limits, "log": log, "allowed": allowed, "own": cwd,
                  "denied": denied, "argv": cmd[1:]}
        args += ["--chdir", cwd, "--setenv", "HOME", "/tmp/home", "--setenv", "IPYTHONDIR", "/tmp/ipython",
                 "--setenv", "MPLCONFIGDIR", str(base / "mpl"), "--setenv", "IMBALANCE_KIT_DATA", env_data,
                 "--unsetenv", "JPY_PARENT_PID", "--",
                 cmd[0], str(base / "launcher.py"), json.dumps(config)]
        return args

    def sandbox_events(self):
        """What the sandboxed code tried, from the audit log: list of (kind, what), kind in path/network/process.

        Returns
        -------
        list of (str, str)
        """
        if self.sandbox_dir is None:
            return []
        events = []
        try:
            with open(self.sandbox_dir / "ipc" / "events.jsonl", encoding="utf-8", errors="replace") as f:
                for line in f:
                    try:
                        kind, what = json.loads(line)
                        events.append((str(kind), str(what)))
                    except (ValueError, TypeError):
                        events.append(("tampered", line.strip()[:200]))
        except OSError:
            pass
        return events

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        if not restart and self.sandbox_dir is not None:
            self.final_events = self.sandbox_events()
            self._sandbox_finalizer()  # the one removal of the folder (it runs at most once)


# Evaluated in the kernel after the last cell: public functions of watched modules whose code
# was written in the notebook (a lambda or def assigned over a library's function).
_PATCH_PROBE = (
    "sorted({f'{m}.{a}' for m, mod in list(__import__('sys').modules.items()) "
    "if mod is not None and m.split('.')[0] in %r "
    "for a, v in list(getattr(mod, '__dict__', {}).items()) "
    "if not a.startswith('_') and (getattr(v, '__module__', None) == '__main__' or "
    "getattr(getattr(v, '__code__', None), 'co_filename', '').startswith(('<ipython-input', '/tmp/ipykernel_', '<string>')))})"
    % (WATCHED_ROOTS,)
)


# Processes and threads visible in the kernel's /proc (in the sandbox: only its own).
_TASKS_PROBE = ("sum(len(__import__('os').listdir(f'/proc/{p}/task')) for p in __import__('os').listdir('/proc') "
                "if p.isdigit() and __import__('os').path.isdir(f'/proc/{p}/task'))")


def _describe_exit(code):
    if code is None:
        return "the kernel stopped"
    if code > 128:
        code = -(code - 128)  # bubblewrap reports a signal as 128 + its number
    if code < 0:
        sig = -code
        if sig == signal.SIGXCPU:
            return "the kernel hit the CPU-time limit"
        if sig == signal.SIGSEGV:
            return "the kernel crashed (segmentation fault)"
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        return f"the kernel was killed by {name}" + (" (out of memory? CPU-time limit?)"
                                                     if sig == signal.SIGKILL else "")
    return f"the kernel exited with status {code} (os._exit or a crash)"


class GuardedExecute(Execute):
    """nbgrader's ``Execute`` that survives a dying kernel, caps output and can sandbox the kernel.

    - A kernel that dies in cell *i* (``os._exit``, a segfault, a limit)
      leaves an error output in cell *i* and in every later code cell
      ("not run"): their tests score 0, the rest of the notebook is graded
      and the batch goes on (nbgrader would fail the whole notebook).
    - At most ``max_output_chars`` characters of output are kept per cell as
      it arrives (a 100 MB print never reaches memory in full).
    - With ``sandbox=True`` the kernel runs in :class:`SandboxKernelManager`.
    - With ``report_dir`` set, an integrity report
      ``<report_dir>/<student>/<assignment>/<notebook>.json`` is written.

    Examples
    --------
    >>> GuardedExecute(sandbox=False).max_output_chars
    1000000
    """

    sandbox = Bool(False, help="start the kernel in the bubblewrap sandbox").tag(config=True)
    max_output_chars = Integer(1_000_000, help="characters of output kept per cell").tag(config=True)
    report_dir = Unicode("", help="folder of the integrity reports ('' = none)").tag(config=True)

    def create_kernel_manager(self):
        # Here, not in __init__: nbconvert's preprocess re-runs NotebookClient.__init__.
        if self.sandbox:
            self.kernel_manager_class = SandboxKernelManager
        self._km_seen = super().create_kernel_manager()
        return self._km_seen

    def preprocess(self, nb, resources=None, km=None):
        self._dead = None
        self._notes = []
        self._patched = []
        self._chars = {}
        self._km_seen = None
        try:
            return super().preprocess(nb, resources, km=km)
        finally:
            self._write_report(resources or {})
            # The kernel's scratch folder goes now, also where the kernel died before its manager's
            # cleanup: a process-pool worker ends with os._exit, which runs no finalizer, and this
            # preprocessor (so the manager it saw) lives as long as the worker.
            seen, self._km_seen = self._km_seen, None
            finalizer = getattr(seen, "_sandbox_finalizer", None)
            if finalizer is not None:
                finalizer()

    def output(self, outs, msg, display_id, cell_index):
        size = sum(len(v) for v in _texts(msg.get("content", {})))
        used = self._chars.get(cell_index, 0)
        self._chars[cell_index] = used + size
        if used > self.max_output_chars:
            return None
        if used + size > self.max_output_chars:
            content = msg.get("content", {})
            if msg.get("msg_type") == "stream" and isinstance(content.get("text"), str):
                content["text"] = content["text"][:max(0, self.max_output_chars - used)]
                super().output(outs, msg, display_id, cell_index)
            self._notes.append(("limit", f"cell {cell_index + 1}: output over {self.max_output_chars:,} "
                                         "characters; the rest was dropped"))
            note = new_output("stream", name="stdout",
                              text=f"\n... output over {self.max_output_chars:,} characters dropped by the grader ...\n")
            outs.append(note)
            return note
        return super().output(outs, msg, display_id, cell_index)

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if self._dead is not None:
            if cell.cell_type == "code" and cell.source.strip():
                cell.outputs = [_error("NotRun", f"not run: {self._dead} in an earlier cell")]
            return cell
        try:
            cell = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        except Exception as exc:  # a dead kernel, or messages the grader cannot trust any more
            code = None
            km = self._km_seen
            try:
                code = await km.provisioner.poll() if km is not None and km.provisioner else None
            except Exception:
                pass
            if isinstance(exc, DeadKernelError) or code is not None:
                self._dead = _describe_exit(code)
            else:
                self._dead = f"the grader lost contact with the kernel ({type(exc).__name__}: {str(exc)[:100]})"
                try:  # a kernel that sends garbage is not asked to run anything else
                    await km.shutdown_kernel(now=True)
                except Exception:
                    pass
            kind = "limit" if "limit" in self._dead or "memory" in self._dead else "kernel"
            self._notes.append((kind, f"cell {cell_index + 1}: {self._dead}"))
            cell.outputs.append(_error("KernelDied", f"{self._dead} while this cell ran; later cells were not run"))
            return cell
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                ename = output.get("ename", "")
                if ename == "MemoryError":
                    self._notes.append(("limit", f"cell {cell_index + 1}: MemoryError (memory limit?)"))
                elif ename in ("BlockingIOError",) or "Resource temporarily unavailable" in output.get("evalue", ""):
                    self._notes.append(("limit", f"cell {cell_index + 1}: {ename} (process limit?)"))
        if cell_index == len(self.nb.cells) - 1:
            await self._probe_patches()
        return cell

    # nbconvert calls the synchronous wrapper, which nbclient bound to its own coroutine.
    execute_cell = run_sync(async_execute_cell)

    async def _probe_patches(self):
        if self._dead is not None or self.kc is None:
            return
        try:
            msg_id = self.kc.execute("", silent=True, store_history=False,
                                     user_expressions={"patched": _PATCH_PROBE, "tasks": _TASKS_PROBE})
            reply = await self.async_wait_for_reply(msg_id)
            found = reply["content"]["user_expressions"]
            if found["patched"].get("status") == "ok":
                self._patched = ast.literal_eval(found["patched"]["data"]["text/plain"])
            limit = getattr(self._km_seen, "max_processes", None)
            if self.sandbox and limit and found["tasks"].get("status") == "ok":
                tasks = int(found["tasks"]["data"]["text/plain"])
                if tasks >= 0.9 * limit:  # only the sandbox's processes are in its /proc
                    self._notes.append(("limit", f"process limit reached: {tasks} processes and threads "
                                                 f"running at the end (limit {limit})"))
        except Exception as exc:  # the probe never costs the student anything
            self._notes.append(("kernel", f"patch check did not run: {type(exc).__name__}"))

    def _write_report(self, resources):
        if not self.report_dir:
            return
        info = resources.get("nbgrader") or {}
        km = self._km_seen
        events = list(getattr(km, "final_events", None) or (km.sandbox_events() if hasattr(km, "sandbox_events")
                                                             else []))
        report = {"sandboxed": bool(self.sandbox), "events": events + self._notes,
                  "patched": [f"{name} replaced by notebook code" for name in self._patched]}
        path = Path(self.report_dir, str(info.get("student", "unknown")), str(info.get("assignment", "unknown")),
                    f"{info.get('notebook', 'notebook')}.json")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=1), encoding="utf-8")


def _texts(content):
    for key in ("text", "evalue"):
        if isinstance(content.get(key), str):
            yield content[key]
    for value in (content.get("data") or {}).values():
        if isinstance(value, str):
            yield value
    for line in content.get("traceback") or []:
        if isinstance(line, str):
            yield line


def _error(ename, text):
    return new_output("error", ename=ename, evalue=text, traceback=[f"{ename}: {text}"])


def read_report(report_dir, student, assignment, notebook):
    """The integrity report :class:`GuardedExecute` wrote, or None.

    Parameters
    ----------
    report_dir : path-like
    student, assignment, notebook : str

    Returns
    -------
    dict or None
        ``{"sandboxed": bool, "events": [[kind, what], ...], "patched": [str, ...]}``.

    Examples
    --------
    >>> read_report("/no/such/folder", "alice", "00_start_here", "00_start_here") is None
    True
    """
    path = Path(report_dir, student, assignment, f"{notebook}.json")
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None


_KINDS = {"path": "tried to open or list outside its folder", "network": "tried the network",
          "process": "started a process", "limit": "limit", "kernel": "kernel", "tampered": "audit log tampered"}


def integrity_lines(report, notes=()):
    """One line per finding of an integrity report and of :func:`patch_notes` (empty: nothing found).

    Parameters
    ----------
    report : dict or None
        From :func:`read_report`.
    notes : list of str
        From :func:`patch_notes`.

    Returns
    -------
    list of str

    Examples
    --------
    >>> integrity_lines({"events": [["network", "('10.0.0.1', 80)"]], "patched": []})
    ["tried the network: ('10.0.0.1', 80)"]
    """
    lines = []
    if report:
        grouped = {}
        for kind, what in report.get("events", []):
            grouped.setdefault(kind, []).append(what)
        for kind, whats in grouped.items():
            label = _KINDS.get(kind, kind)
            if kind in ("limit", "kernel"):
                lines.extend(whats)
            else:
                shown = ", ".join(whats[:5]) + (f" and {len(whats) - 5} more" if len(whats) > 5 else "")
                lines.append(f"{label}: {shown}")
        lines.extend(report.get("patched", []))
    lines.extend(notes)
    return lines


def _root_name(node):
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


_MAGIC = re.compile(r"^\s*[%!]")


def patch_notes(cells):
    """Lines of notebook code that patch attributes of imported modules (the kit, NumPy, ...).

    A static check of every code cell: assignments to, ``del`` of and
    ``setattr``/``delattr`` on an attribute of a name bound by ``import``, and
    ``sys.modules[...] = ...`` or ``mock.patch``. A patch hidden in a string
    (``exec``) escapes it; the run-time check of :class:`GuardedExecute`
    catches most of those. Neither changes a score.

    Parameters
    ----------
    cells : list of dict
        The submitted notebook's cells.

    Returns
    -------
    list of str

    Examples
    --------
    >>> cells = [{"cell_type": "code", "source": "import numpy as np\\nnp.isclose = lambda *a, **k: True"}]
    >>> patch_notes(cells)
    ['cell 1, line 2: assigns numpy.isclose (patches an imported module)']
    """
    notes, modules = [], {}
    for number, cell in enumerate(cells, 1):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        source = "\n".join("" if _MAGIC.match(line) else line for line in source.splitlines())
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        modules[alias.asname] = alias.name
                    else:
                        root = alias.name.split(".")[0]
                        modules[root] = root
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"

        def full(target):
            name = _dotted(target)
            if name is None:
                return None
            head, _, rest = name.partition(".")
            return f"{modules[head]}.{rest}" if head in modules and rest else None

        found = []

        def add(node, what):
            found.append((node.lineno, f"cell {number}, line {node.lineno}: {what}"))

        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            elif isinstance(node, ast.Delete):
                targets = node.targets
            for target in targets:
                for t in (target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]):
                    if isinstance(t, ast.Attribute) and full(t):
                        verb = "deletes" if isinstance(node, ast.Delete) else "assigns"
                        add(node, f"{verb} {full(t)} (patches an imported module)")
                    elif isinstance(t, ast.Subscript) and _dotted(t.value) in ("sys.modules", "modules") \
                            and modules.get(_root_name(t.value)) in ("sys", "sys.modules"):
                        add(node, "replaces an entry of sys.modules")
            if isinstance(node, ast.Call):
                func = _dotted(node.func) or ""
                if func in ("setattr", "delattr") and node.args and _root_name(node.args[0]) in modules:
                    add(node, f"{func} on {modules[_root_name(node.args[0])]} (patches an imported module)")
                elif func.split(".")[-1] in ("patch", "object") and "patch" in func:
                    add(node, f"calls {func} (mock patching)")
        notes.extend(text for _, text in sorted(found, key=lambda item: item[0]))
    return notes
