# artifactgen: `make` sets everything up and builds the example cases; `make test` runs the tests.
# `make` rebuilds only the cases whose YAML, templates, reference DOCX or code changed; `make -j`
# builds cases in parallel.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
AG := $(BIN)/artifactgen
INSTALLED := $(VENV)/.installed
STAMPS_DIR := .build
CASES := $(wildcard cases/*.yaml)
STAMPS := $(patsubst cases/%.yaml,$(STAMPS_DIR)/%.stamp,$(CASES))
TEMPLATES := $(wildcard templates/*.j2) $(wildcard templates/reference.docx)
CODE := $(wildcard src/artifactgen/*.py src/artifactgen/*.yaml)

.PHONY: all build validate test lint format schema new status clean bench

all: build

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

build: $(STAMPS)

$(STAMPS_DIR)/%.stamp: cases/%.yaml $(TEMPLATES) $(CODE) | $(INSTALLED)
	@mkdir -p $(STAMPS_DIR)
	$(AG) build $<
	@touch $@

validate: $(INSTALLED)
	$(AG) validate cases

status: $(INSTALLED)
	$(AG) status cases

test: $(INSTALLED)
	$(BIN)/python -m pytest

bench: $(INSTALLED)
	$(BIN)/python bench/bench.py

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

# Removes only generated files nobody edited; edited files and backups stay.
clean: $(INSTALLED)
	$(AG) clean --out output
	rm -rf $(STAMPS_DIR)
