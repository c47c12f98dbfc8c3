# artifactgen: `make` sets everything up and builds the example cases; `make test` runs the tests.
# One `artifactgen build` call builds every case file in cases/ (.yaml and .yml), one process per
# core. It decides itself what is up to date: a case whose YAML, templates, reference DOCX and
# outputs are as the last build left them costs a file stat, so `make` can run at any time.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
AG := $(BIN)/artifactgen
INSTALLED := $(VENV)/.installed

.PHONY: all build validate check test lint format schema new status clean bench pack pdf

all: build

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

build: $(INSTALLED)
	$(AG) build cases

# The client pack of each case (cover, contents, every deliverable) as Word and PDF, from the
# Word files as they are after the build, hand edits included. PDFs need LibreOffice.
pack: build
	$(AG) pack --pdf cases

pdf: build
	$(AG) pdf cases

validate: $(INSTALLED)
	$(AG) validate cases

check: $(INSTALLED)
	$(AG) check cases

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
