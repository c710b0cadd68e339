# dgm — `make help` lists the targets. `make report` and `make test` work on a fresh machine
# with Python 3.11 and the package registry reachable: they create .venv when it is missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
export MPLBACKEND := Agg

.DEFAULT_GOAL := help
.PHONY: help report test test-fast lint check build bench clean

## help: list the targets
help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST) | column -t -s ':'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(VENV)/.installed $@

## report: set up, build the processed data, execute every notebook, write reports/ (HTML, figures, Excel)
report: $(VENV)/.installed
	$(BIN)/dgm build
	$(BIN)/dgm report

## test: set up with the test extra and run the whole test suite (CI)
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n 2 --dist loadfile

## test-fast: every test except notebook execution, the report, benchmarks and browsers (~1 min)
test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not slow"

## lint: ruff check and format check
lint: $(VENV)/.installed-test
	$(BIN)/ruff check dgm tests benchmarks
	$(BIN)/ruff format --check dgm tests benchmarks

## check: validate data/raw (one line per problem)
check: $(VENV)/.installed
	$(BIN)/dgm check

## build: rebuild data/processed from data/raw
build: $(VENV)/.installed
	$(BIN)/dgm build

## bench: timings measured in one run (import cost, simulation, backtests, notebooks)
bench: $(VENV)/.installed
	$(BIN)/dgm bench

## clean: remove reports/, caches and the virtual environment
clean:
	rm -rf $(VENV) reports .cache .pytest_cache .hypothesis
