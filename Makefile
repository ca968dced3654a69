# Two commands do all the set-up (see README.md):
#   make lab   create .venv if missing, install the course, open JupyterLab on the notebooks
#   make test  the same environment plus the test tools, then lint, the test suite, and every
#              notebook run top to bottom in quick mode: in JupyterLab in headless Chromium
#              (tests/test_browser.py, part of the suite), or with nbval where Chromium is missing
# Both are idempotent: the install steps re-run only when pyproject.toml changes.
# CI also runs two lanes (.ci/lane.py; each builds its own environment once and reuses it):
#   make test-colab   Python 3.13 with Colab's packages; notebooks alone in empty folders
#   make test-oldest  Python 3.10 with the lowest versions pyproject.toml claims
# A new notebook, with its exercises module and test file, registered everywhere:
#   make notebook N=06 NAME=short_name TITLE="The title" LEARN="what it teaches, one line"

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LAB_ARGS ?=
# Containers and CI often run as root, where Jupyter refuses to start without this flag.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
PYTEST_ARGS ?=
NBVAL_ARGS ?=
# The browser tests' Chromium (tests/browser_helpers.py, CHROMIUM). Where it is installed they
# run every notebook in JupyterLab and fail on what nbval fails on (an error, red stderr) and
# more (widgets that do not show, do not fit or do not respond), so `make test` does not run
# the notebooks a second time with nbval; `make test-nbval` runs nbval alone.
CHROMIUM ?= /usr/bin/chromium

.PHONY: lab test test-nbval lint install clean test-colab test-oldest notebook

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.lab-installed: pyproject.toml jupyter-config/lab-settings/gancourse.json | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable ".[lab]"
	# An editable install skips data files: JupyterLab's course setting (save widget state
	# with the notebook) is copied where a regular install puts it.
	install -D -m 644 jupyter-config/lab-settings/gancourse.json \
		$(VENV)/share/jupyter/lab/settings/overrides.d/gancourse.json
	touch $@

$(VENV)/.dev-installed: $(VENV)/.lab-installed
	$(BIN)/python -m pip install --quiet --editable ".[lab,dev]"
	touch $@

install: $(VENV)/.lab-installed

lab: $(VENV)/.lab-installed
	exec $(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(ROOT_FLAG) $(LAB_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check gancourse tests benchmarks scripts notebooks .ci/lane.py
	$(BIN)/ruff format --check gancourse tests benchmarks scripts notebooks .ci/lane.py

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)
ifeq ($(wildcard $(CHROMIUM)),)
	@echo "No Chromium at $(CHROMIUM): the notebooks run with nbval instead of in JupyterLab."
	$(MAKE) --no-print-directory test-nbval
endif

test-nbval: $(VENV)/.dev-installed
	GANCOURSE_QUICK=1 PYTHONPATH=tests $(BIN)/python -m pytest --nbval-lax --nbval-current-env \
		--nbval-cell-timeout=900 -p no:cacheprovider -p nbval_stderr notebooks $(NBVAL_ARGS)

notebook: $(VENV)/.dev-installed
	$(BIN)/python scripts/new_notebook.py --number "$(N)" --name "$(NAME)" \
		--title "$(TITLE)" --learn "$(LEARN)"

test-colab:
	$(PYTHON) .ci/lane.py colab

test-oldest:
	$(PYTHON) .ci/lane.py oldest

clean:
	rm -rf $(VENV) .venv-colab .venv-oldest build *.egg-info .pytest_cache
