# artifactgen: `make` sets everything up and builds the example cases; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
AG := $(BIN)/artifactgen
INSTALLED := $(VENV)/.installed

.PHONY: all validate test lint format schema new

all: validate

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

validate: $(INSTALLED)
	$(AG) validate cases

test: $(INSTALLED)
	$(BIN)/python -m pytest

lint: $(INSTALLED)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: $(INSTALLED)
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

schema: $(INSTALLED)
	$(AG) schema > schema/case.schema.json

new: $(INSTALLED)
	@test -n "$(CASE)" || { echo "usage: make new CASE=jordan-smith" >&2; exit 2; }
	$(AG) new $(CASE)
