# The course's two commands: `make lab` opens the course, `make test` runs every test.
# Both create .venv on first use and are a no-op (seconds) once it is up to date.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# JupyterLab refuses to run as root unless told to.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
NB ?=
# Extra JupyterLab options, e.g. make lab LAB_ARGS="--no-browser --port=8899"
LAB_ARGS ?=
# Drill-mode options, e.g. make drill DRILL_ARGS="--topic drift --count 3" or DRILL_ARGS="--mock 20"
DRILL_ARGS ?=

.PHONY: lab test setup data release grade bench clean drill progress sysdeps student-bundle

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test]"
	@touch $(STAMP)

setup: $(STAMP)

# Try to fetch the real Kaggle credit-card file; go on with the stand-in when it can't be had.
data: setup
	@$(PY) -m imbalance_kit.datasets fetch --quiet-fail

lab: data
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) --notebook-dir=. $(LAB_ARGS)

test: data sysdeps
	$(PY) -m pytest -n auto --maxschedchunk=1 --durations=25 --timeout=1800

# What the hub and browser tests (tests/test_hub.py, tests/test_browser.py) and the grading sandbox
# need outside the venv. As root with apt-get: Debian's chromium (Playwright drives it; no browser is
# downloaded), bubblewrap (the sandbox) and acl; with npm: JupyterHub's configurable-http-proxy, pinned in
# package-lock.json, into node_modules/. Quick when done (dpkg -s, a timestamp); without them those
# tests skip and say what to install.
SYS_PACKAGES := chromium bubblewrap acl
sysdeps:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  missing=""; for p in $(SYS_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then echo "installing$$missing"; { apt-get update -q && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; } || \
	    echo "warning: could not install$$missing; the tests that need them skip or fail saying so"; fi; \
	fi
	@if command -v npm >/dev/null 2>&1 && [ ! node_modules/.package-lock.json -nt package-lock.json ]; then \
	  npm ci --no-audit --no-fund --loglevel=error || \
	    echo "warning: npm ci failed; the JupyterHub test skips without its proxy"; fi

# Regenerate the student release notebooks/ from the instructor source solutions/.
release: setup
	$(PY) -m imbalance_kit.grading.release

# Autograde one of your own notebooks: make grade NB=notebooks/00_start_here/00_start_here.ipynb
# (FEEDBACK=1 also writes the HTML feedback); without NB=, every notebook you changed since release.
grade: setup
	$(PY) -m imbalance_kit.grading.selfgrade $(NB) $(if $(FEEDBACK),--feedback,)

# Self-grade every notebook you changed since release: one table of scores per notebook, with the time
# each took to grade (the same as `make grade` without NB=).
progress: setup
	$(PY) -m imbalance_kit.grading.selfgrade

# Interview drills in the terminal, one question at a time (python -m imbalance_kit.drills --help).
drill: setup
	$(PY) -m imbalance_kit.drills $(DRILL_ARGS)

# The student bundle: a zip a learner uses without solutions/ or hidden tests (make lab and
# make grade with the visible tests inside it; see docs/instructors.md). BUNDLE=path.zip changes where.
BUNDLE ?= dist/student-bundle.zip
student-bundle: setup
	$(PY) -m imbalance_kit.grading.bundle build --out $(BUNDLE)

bench: setup
	$(PY) benchmarks/datasets.py
	$(PY) benchmarks/methods.py
	$(PY) benchmarks/grading.py

clean:
	rm -rf $(VENV) .pytest_cache
