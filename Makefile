# Two commands do all the set-up (see README.md):
#   make lab   create .venv if missing, install the course, open JupyterLab on the notebooks
#   make test  the same environment plus the test tools, then lint, the test suite, and every
#              notebook run top to bottom in quick mode (nbval)
# Both are idempotent: the install steps re-run only when pyproject.toml changes.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LAB_ARGS ?=
# Containers and CI often run as root, where Jupyter refuses to start without this flag.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
PYTEST_ARGS ?=
NBVAL_ARGS ?=

.PHONY: lab test lint install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.lab-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable ".[lab]"
	touch $@

$(VENV)/.dev-installed: $(VENV)/.lab-installed
	$(BIN)/python -m pip install --quiet --editable ".[lab,dev]"
	touch $@

install: $(VENV)/.lab-installed

lab: $(VENV)/.lab-installed
	exec $(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(ROOT_FLAG) $(LAB_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check gancourse tests benchmarks scripts
	$(BIN)/ruff format --check gancourse tests benchmarks scripts

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	GANCOURSE_QUICK=1 $(BIN)/python -m pytest --nbval-lax --nbval-current-env \
		--nbval-cell-timeout=900 -p no:cacheprovider notebooks $(NBVAL_ARGS)

clean:
	rm -rf $(VENV) .venv-ipyw7 build *.egg-info .pytest_cache
