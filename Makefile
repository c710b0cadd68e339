# dgm — `make help` lists the targets. `make report` and `make test` work on a fresh machine
# with Python 3.11 and the package registry reachable: they create .venv when it is missing and
# install the exact versions of requirements/dev.lock (hashes checked), then dgm itself.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
LOCK     := requirements/dev.lock
LAB_LOCK := requirements/lab.lock
# statsforecast (the peers benchmark) lives in its own environment, never in the two above
PEERS_VENV := .venv-peers
PEERS_LOCK := requirements/peers.lock
# One resolution for every platform, Python 3.11 (pyproject's [tool.uv] environments); the files
# are written with -o (uv would also print them: sent to /dev/null, its progress on stderr stays).
COMPILE := $(BIN)/uv pip compile pyproject.toml requirements/build.in --universal \
	--python-version 3.11 --generate-hashes --custom-compile-command "make lock"
export MPLBACKEND := Agg
# pytest keeps the assertion-rewritten test modules as bytecode in __pycache__ (git-ignored);
# PYTHONDONTWRITEBYTECODE, set in many container images, makes every xdist worker rewrite them all
# again (~3 s CPU per process), so the test targets run without it.
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest

.DEFAULT_GOAL := help
.PHONY: help report test test-fast lint check build bench peers explore lab lock clean

## help: list the targets
help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST) | column -t -s ':'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "make: dgm needs Python 3.11; run make PYTHON=/path/to/python3.11")'
	@echo "make: creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)

# The locked dependencies (test and dev tools included), then dgm itself without touching them.
$(VENV)/.installed: $(LOCK) pyproject.toml | $(BIN)/python
	@echo "make: installing the locked dependencies of $(LOCK) (a few minutes on a fresh machine)"
	$(BIN)/python -m pip install --require-hashes -r $(LOCK)
	@echo "make: installing dgm itself (editable, no dependencies)"
	$(BIN)/python -m pip install --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-lab: $(LAB_LOCK) $(VENV)/.installed
	@echo "make: adding JupyterLab, ipywidgets and Voilà from $(LAB_LOCK)"
	$(BIN)/python -m pip install --require-hashes -r $(LAB_LOCK)
	touch $@

## report: set up, build the processed data, execute every notebook, write reports/ (HTML, figures, Excel)
report: $(VENV)/.installed
	$(BIN)/dgm build
	$(BIN)/dgm report

## test: set up (with the lab extra the explorer tests use) and run the whole test suite (CI)
test: $(VENV)/.installed-lab
	$(PYTEST) -n 2 --dist loadfile

## test-fast: every test except notebook execution, the report, benchmarks, browsers and LibreOffice (~55 s)
test-fast: $(VENV)/.installed-lab
	$(PYTEST) -n 2 --dist loadfile -m "not slow"

## lint: ruff check and format check of the code and the notebooks; the docs' code blocks and command lines
lint: $(VENV)/.installed
	$(BIN)/ruff check dgm tests benchmarks notebooks
	$(BIN)/ruff format --check dgm tests benchmarks notebooks
	$(PYTEST) -q -p no:xdist tests/test_docs.py

## check: validate data/raw (one line per problem)
check: $(VENV)/.installed
	$(BIN)/dgm check

## build: rebuild data/processed from data/raw
build: $(VENV)/.installed
	$(BIN)/dgm build

## bench: timings measured in one run (import cost, simulation, backtests, notebooks)
bench: $(VENV)/.installed
	$(BIN)/dgm bench

# The dev lock's stack plus the peers extra (statsforecast brings numba and pyarrow), then dgm.
$(PEERS_VENV)/.installed: $(PEERS_LOCK) pyproject.toml | $(BIN)/python
	@echo "make: creating $(PEERS_VENV) for the peers benchmark from $(PEERS_LOCK)"
	$(PYTHON) -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/python -m pip install --require-hashes -r $(PEERS_LOCK)
	$(PEERS_VENV)/bin/python -m pip install --no-deps --no-build-isolation -e .
	touch $@

## peers: dgm against statsforecast's AutoETS/AutoARIMA/AutoTheta/drift/naive on the backtest; table into docs/method.md
peers: $(PEERS_VENV)/.installed
	$(PEERS_VENV)/bin/python benchmarks/peers.py --write docs/method.md

## explore: install the lab extra and serve the scenario explorer as a web app on 127.0.0.1
explore: $(VENV)/.installed-lab
	$(BIN)/dgm explore

## lab: install the lab extra (JupyterLab, ipywidgets, Voilà) and open the notebooks in JupyterLab
lab: $(VENV)/.installed-lab
	$(BIN)/jupyter lab notebooks/

## lock: re-resolve requirements/*.lock after pyproject.toml changed (UPGRADE=1 for the newest; peers.lock within dev.lock)
lock: $(VENV)/.installed
	@echo "make: resolving $(LAB_LOCK) (every extra), then $(LOCK) within it"
	$(COMPILE) $(if $(UPGRADE),--upgrade) --extra test --extra dev --extra lab -o $(LAB_LOCK) >/dev/null
	$(COMPILE) --extra test --extra dev -c $(LAB_LOCK) -o $(LOCK) >/dev/null
	$(COMPILE) --extra test --extra dev --extra peers -c $(LOCK) -o $(PEERS_LOCK) >/dev/null
	@git diff --stat -- requirements/ 2>/dev/null || true

## clean: remove reports/, caches and the virtual environment
clean:
	rm -rf $(VENV) $(PEERS_VENV) reports .cache .pytest_cache .hypothesis
