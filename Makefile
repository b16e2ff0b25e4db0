# marketing_kpis: the two commands of the README, and the steps they are made of.
#
#   make demo   create .venv, install requirements.txt, build every model on the demo data
#   make test   dbt build (data + unit tests) on a fresh database, sqlfluff lint, pytest
#
# Everything runs from this folder (dbt reads profiles.yml here) inside .venv.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
VENV ?= .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt
export DBT_PROFILES_DIR := $(CURDIR)
export PYTHONPATH := $(CURDIR)
# the demo database, and a throw-away one for the tests
DEMO_DB ?= marketing_kpis.duckdb
TEST_DB ?= target/test/marketing_kpis_test.duckdb

.PHONY: help install demo test dbt-test lint pytest seeds docs clean bench

help:
	@echo "make demo    install and build the marts on the demo data ($(DEMO_DB))"
	@echo "make test    run every test: dbt build, sqlfluff lint, pytest"
	@echo "make lint    sqlfluff lint (dbt templater)"
	@echo "make seeds   regenerate the demo seeds with tools/generate_data.py"
	@echo "make docs    dbt docs generate"
	@echo "make bench   benchmark at S, M, L (BENCHMARKS.md)"
	@echo "make clean   remove .venv, target/, logs/ and the demo database"

$(VENV)/.installed: requirements.txt
	@test -n "$(PYTHON)" || { echo "error: python3.11 (or python3 >= 3.11) not found"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
		{ echo "error: $(PYTHON) is older than Python 3.11"; exit 1; }
	@echo "==> creating the virtual environment $(VENV) with $$($(PYTHON) --version)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> installing the pinned dependencies of requirements.txt (about a minute)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@
	@echo "==> installed: $$($(DBT) --version | grep -E 'installed|duckdb' | xargs)"

install: $(VENV)/.installed

demo: install
	@echo "==> building seeds, models and tests on the demo data into $(DEMO_DB)"
	@start=$$(date +%s); \
	MARKETING_KPIS_DUCKDB_PATH=$(DEMO_DB) $(DBT) build; \
	echo "==> demo built in $$(( $$(date +%s) - start )) s: $(DEMO_DB) (schemas raw, staging," \
	     "intermediate, marts). Try: $(BIN)/duckdb -readonly $(DEMO_DB) \"show all tables\""

test: dbt-test lint pytest
	@echo "==> all tests passed"

dbt-test: install
	@echo "==> dbt build (seeds, models, data tests, unit tests) on a fresh $(TEST_DB)"
	@rm -f $(TEST_DB) && mkdir -p $(dir $(TEST_DB))
	MARKETING_KPIS_DUCKDB_PATH=$(TEST_DB) $(DBT) build --target-path target/test

lint: install
	@echo "==> sqlfluff lint (models, analyses, singular tests; macros are excluded)"
	MARKETING_KPIS_DUCKDB_PATH=$(TEST_DB) $(BIN)/sqlfluff lint models $(wildcard analyses/*.sql tests/*.sql)

pytest: install
	@echo "==> pytest: generator, input modes, bad-input messages, incremental = full refresh, KPI catalog"
	$(BIN)/python -m pytest tools/tests

seeds: install
	$(BIN)/python -m tools.generate_data --out seeds

docs: install
	MARKETING_KPIS_DUCKDB_PATH=$(DEMO_DB) $(DBT) docs generate

clean:
	rm -rf $(VENV) target logs $(DEMO_DB) $(DEMO_DB).wal

bench: install
	@echo "==> benchmark: sizes S, M and L (1M contacts, about 100M raw rows; 40+ minutes)"
	$(BIN)/python -m tools.benchmark --sizes S,M,L --json target/benchmark.json
