# marketing_kpis: the two commands of the README, and the steps they are made of.
#
#   make demo   create .venv, install requirements.txt, build every model on the demo data
#   make test   every test: the DuckDB suite (dbt build with data + unit tests on a fresh
#               database, sqlfluff lint, pytest), the same project on PostgreSQL and
#               Spark and the cross-engine comparison of every mart; after the test
#               build, in two streams at once (tools/test_streams.sh)
#   make test-duckdb    the DuckDB suite only (no server, no JDK: the quick local loop),
#                       including the same build under the other vars of tools/test_configs
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

.PHONY: help install demo test test-prepare test-duckdb dbt-test test-baseline dbt-test-config lint pytest seeds docs clean \
	bench install-report install-browser report install-engines install-metricflow test-semantic test-engines test-postgres test-spark compare-engines test-mautic demo-mautic \
	test-hubspot demo-hubspot test-salesforce demo-salesforce

help:
	@echo "make demo    install and build the marts on the demo data ($(DEMO_DB))"
	@echo "make test    run every test: DuckDB (dbt build, sqlfluff, pytest), PostgreSQL, Spark"
	@echo "make test-duckdb   the DuckDB tests only"
	@echo "make dbt-test-config   dbt build with every test under each vars file of tools/test_configs"
	@echo "make test-baseline   the demo marts equal the copy stored before a refactor"
	@echo "make test-postgres / test-spark / compare-engines   one engine, or the comparison"
	@echo "make demo-mautic   the demo written as a Mautic export and built from it"
	@echo "make test-mautic   Mautic export of the demo = the demo, mart by mart"
	@echo "make demo-hubspot   the demo written as Fivetran's HubSpot tables and built from them"
	@echo "make test-hubspot   HubSpot export of the demo = the demo, mart by mart"
	@echo "make demo-salesforce   the demo written as Fivetran's Salesforce tables + contract files, built"
	@echo "make test-salesforce   Salesforce + contract / HubSpot / Mautic exports of the demo = their projections"
	@echo "make test-semantic   MetricFlow: metrics = KPI catalog, mf validate-configs, mf query = marts"
	@echo "make lint    sqlfluff lint (dbt templater)"
	@echo "make seeds   regenerate the demo seeds with tools/generate_data.py"
	@echo "make report  the client KPI report (HTML + PDF) of the demo's latest month (REPORT_ARGS=...)"
	@echo "make docs    the docs site (dbt docs generate --static) and how to open it"
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

# the demo build runs the data tests (they guard the data) but not the unit tests: those
# check the SQL against fixtures, not the demo, and run in `make test` (dbt's advice for
# production builds; it keeps the demo build under 30 s)
demo: install
	@echo "==> building seeds, models and data tests on the demo data into $(DEMO_DB)"
	@start=$$(date +%s); \
	MARKETING_KPIS_DUCKDB_PATH=$(DEMO_DB) $(DBT) build --exclude-resource-type unit_test; \
	echo "==> demo built in $$(( $$(date +%s) - start )) s: $(DEMO_DB) (the marts are in schema" \
	     "marts). Try: $(BIN)/duckdb -readonly $(DEMO_DB) \"select * from marts.publication_log\""

# make test: everything it needs installed first (apt-get and pip must not run twice at
# once), the test build of dbt-test, then two streams at once (tools/test_streams.sh),
# each a serial make of its own: TEST_STREAM_DUCKDB (pytest on two workers among them) and
# TEST_STREAM_OTHER (the tool comparisons, then the PostgreSQL and Spark steps, on a copy
# of the test build, niced: it takes what the first leaves idle). Most steps are one dbt
# process keeping one core of two busy; one after the other they took 65-80 min. The first stream
# to fail stops the other; each stream's output is prefixed with its name and kept whole in
# target/test-streams/. test-duckdb runs its steps one after the other; test-engines runs
# the Spark steps beside the PostgreSQL ones (compare-engines).
TEST_STREAM_DUCKDB := test-baseline dbt-test-config lint pytest test-semantic
TEST_STREAM_OTHER := test-mautic test-hubspot test-salesforce test-engines

test: test-prepare dbt-test
	@TEST_DB=$(TEST_DB) bash tools/test_streams.sh duckdb '$(TEST_STREAM_DUCKDB)' \
		other '$(TEST_STREAM_OTHER)'
	@echo "==> all tests passed (DuckDB, PostgreSQL, Spark, cross-engine comparison)"

test-prepare: install install-report install-browser install-metricflow install-engines
	@bash tools/engines/java.sh
	@bash tools/engines/postgres.sh install

test-duckdb: dbt-test test-baseline dbt-test-config lint pytest test-semantic test-mautic test-hubspot test-salesforce
	@echo "==> DuckDB tests passed"

# TEST_DB_READY=1 (set by tools/test_streams.sh): the test build of this make test is
# there already and is reused, not built again by each stream
dbt-test: install
ifeq ($(TEST_DB_READY),)
	@echo "==> dbt build (seeds, models, data tests, unit tests) on a fresh $(TEST_DB)"
	@rm -f $(TEST_DB) && mkdir -p $(dir $(TEST_DB))
	MARKETING_KPIS_DUCKDB_PATH=$(TEST_DB) $(DBT) build --target-path target/test
else
	@test -f $(TEST_DB) || { echo "error: TEST_DB_READY is set but there is no $(TEST_DB):" \
		"run make dbt-test" >&2; exit 1; }
endif

# the marts of the test build (the demo seeds, default vars) equal, cell by cell, the copy
# stored in tools/baseline/demo_marts before the refactor of issue 16, but for the changes
# tools/compare_baseline.py lists: a refactor that changes a number fails here
test-baseline: dbt-test
	@echo "==> the demo marts equal the stored copy (tools.compare_baseline)"
	$(BIN)/python -m tools.compare_baseline --database $(TEST_DB)

# the same build under other valid vars, one fresh database each (DESIGN.md section 6: any
# documented configuration builds, unit tests included): tools/test_configs/<name>.yml
# holds the --vars of each; `make dbt-test-config-<name>` builds one of them
TEST_CONFIGS := $(basename $(notdir $(wildcard tools/test_configs/*.yml)))
CONFIG_TEST_DIR := target/test-config

dbt-test-config: $(addprefix dbt-test-config-,$(TEST_CONFIGS))

dbt-test-config-%: install
	@test -f tools/test_configs/$*.yml || { echo "error: no tools/test_configs/$*.yml"; exit 1; }
	@echo "==> dbt build (seeds, models, data tests, unit tests) under the vars of" \
	     "tools/test_configs/$*.yml on a fresh $(CONFIG_TEST_DIR)/$*.duckdb"
	@rm -f $(CONFIG_TEST_DIR)/$*.duckdb $(CONFIG_TEST_DIR)/$*.duckdb.wal && mkdir -p $(CONFIG_TEST_DIR)
	@start=$$(date +%s); \
	MARKETING_KPIS_DUCKDB_PATH=$(CONFIG_TEST_DIR)/$*.duckdb $(DBT) build \
		--target-path $(CONFIG_TEST_DIR)/$* --vars "$$(cat tools/test_configs/$*.yml)"; \
	echo "==> configuration $* built and tested in $$(( $$(date +%s) - start )) s"

# templated against the test build (is_incremental() true, as on a user's second build;
# in `make test` it is the build dbt-test made already). Two processes (sqlfluff -p 2):
# the models are compiled once, then linted two files at a time (95 s -> 63 s for the
# main set, 2026-12-07)
SQLFLUFF := $(BIN)/sqlfluff lint --processes 2
lint: dbt-test
	@echo "==> sqlfluff lint (models, analyses, singular tests; macros are excluded)"
	MARKETING_KPIS_DUCKDB_PATH=$(TEST_DB) $(SQLFLUFF) models $(wildcard analyses/*.sql tests/*.sql)
	@echo "==> sqlfluff lint of the Mautic staging set (templated with var source_system mautic)"
	MARKETING_KPIS_DUCKDB_PATH=$(TEST_DB) $(SQLFLUFF) --config tools/lint/mautic.sqlfluff \
		models/staging/mautic
	@echo "==> sqlfluff lint of the HubSpot staging set (templated with var source_system hubspot)"
	MARKETING_KPIS_DUCKDB_PATH=$(TEST_DB) $(SQLFLUFF) --config tools/lint/hubspot.sqlfluff \
		models/staging/hubspot
	@echo "==> sqlfluff lint of the Salesforce staging set (templated with var crm_system salesforce)"
	MARKETING_KPIS_DUCKDB_PATH=$(TEST_DB) $(SQLFLUFF) --config tools/lint/salesforce.sqlfluff \
		models/staging/salesforce

# two workers (pytest-xdist), one test file per worker, so that a file's module fixtures (its
# shared builds) run once: 23 min instead of 37 from a fresh clone on 2026-12-06 (README
# Timings); PYTEST_WORKERS= runs the files one after the other. Three workers were slower
# (over 25 min on 2026-12-07: two already keep both cores busy)
PYTEST_WORKERS ?= -n 2 --dist loadfile

# the report's tests read the test build's marts when there is one (MARKETING_KPIS_DEMO_MARTS)
# and need the browser (MARKETING_KPIS_REQUIRE_BROWSER: a missing Chromium fails, not skips)
pytest: install install-report install-browser
	@echo "==> pytest: generator, input modes, bad-input messages, incremental = full refresh, KPI catalog, unit test vars, report"
	MARKETING_KPIS_DEMO_MARTS=$(TEST_DB) MARKETING_KPIS_REQUIRE_BROWSER=1 $(BIN)/python -m pytest tools/tests \
		--ignore=tools/tests/test_semantic_layer.py --durations=12 $(PYTEST_WORKERS) \
		--junitxml=target/pytest-junit.xml

# ---- the client report (README "Client report") ----------------------------------------
$(VENV)/.installed-report: $(VENV)/.installed requirements-report.txt
	@echo "==> installing the report's packages (requirements-report.txt: charts, PDF, browser driver)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-report.txt
	@touch $@

install-report: $(VENV)/.installed-report

# Debian's Chromium, for the report's browser test (the report itself does not need it)
install-browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "==> installing Chromium from Debian's packages (apt-get, as root)"; \
		command -v apt-get >/dev/null 2>&1 || { echo "error: no chromium and no apt-get:" \
			"install Chromium so that 'chromium' is on PATH" >&2; exit 1; }; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# the report of the latest month of the demo database (REPORT_ARGS: e.g. --month 2025-11
# --lang fr, or --campaign cmp_ads_guide; python -m tools.report --help lists them)
REPORT_ARGS ?=
report: install-report
	@test -f $(DEMO_DB) || { echo "error: no $(DEMO_DB): run make demo first" >&2; exit 1; }
	$(BIN)/python -m tools.report --database $(DEMO_DB) --out target/report $(REPORT_ARGS)
	@echo "==> open the HTML file above in a browser; the PDF beside it is the same report"

# the MetricFlow semantic layer (README "Semantic layer (MetricFlow)"): dbt-metricflow is
# an optional requirement, installed beside dbt-core and dbt-duckdb without changing them
$(VENV)/.installed-metricflow: $(VENV)/.installed requirements-metricflow.txt
	@echo "==> installing dbt-metricflow (requirements-metricflow.txt)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-metricflow.txt
	@touch $@

install-metricflow: $(VENV)/.installed-metricflow

# a metric per catalog KPI, `mf validate-configs`, and `mf query` = the marts (on a copy of
# the test build of dbt-test)
test-semantic: install-metricflow dbt-test
	@echo "==> semantic layer: metrics = KPI catalog, mf validate-configs, mf query = marts"
	$(BIN)/python -m pytest tools/tests/test_semantic_layer.py

# the demo written as another tool's tables (tools/<tool>_export.py: a Mautic export,
# Fivetran's HubSpot connector), built with that input mode, and every mart compared with
# the contract-shape build of the same data (README "Mautic input", "HubSpot input");
# demo-<tool> writes it to target/<tool>_demo and builds it into <tool>_demo.duckdb
INPUT_TOOLS := mautic hubspot
INPUT_NAME_mautic := Mautic
INPUT_NAME_hubspot := HubSpot
INPUT_SHAPE_mautic := a Mautic export
INPUT_SHAPE_hubspot := Fivetran's HubSpot tables

# (the demo as it is, whose marts the tool's build is listed against, is the test build of
# dbt-test: --original, instead of one more build of the same seeds per comparison)
$(addprefix test-,$(INPUT_TOOLS)): test-%: install dbt-test
	@echo "==> $(INPUT_NAME_$*) input: the demo as $(INPUT_SHAPE_$*) gives the marts of the demo" \
	     "(tools.compare_$*)"
	$(BIN)/python -m tools.compare_$* --original $(TEST_DB)

$(addprefix demo-,$(INPUT_TOOLS)): demo-%: install
	@echo "==> the demo data written as $(INPUT_SHAPE_$*) in target/$*_demo, built into $*_demo.duckdb"
	$(BIN)/python -m tools.$*_export seeds --out target/$*_demo
	MARKETING_KPIS_DUCKDB_PATH=$*_demo.duckdb $(DBT) build --exclude-resource-type unit_test \
		--vars "$$(cat target/$*_demo/_dbt_vars.yml)"

# Salesforce as the CRM beside each marketing input: the demo written as Fivetran's
# Salesforce tables + contract files, a HubSpot or a Mautic export gives the marts its
# projection gives (tools.compare_salesforce)
SALESFORCE_PAIRS := contract hubspot mautic
test-salesforce: install dbt-test
	@for pair in $(SALESFORCE_PAIRS); do \
		echo "==> Salesforce + $$pair: the demo as Salesforce and $$pair tables gives the marts" \
		     "of its projection (tools.compare_salesforce --with $$pair)"; \
		$(BIN)/python -m tools.compare_salesforce --with $$pair --original $(TEST_DB) || exit 1; \
	done

# the demo written as Fivetran's Salesforce tables beside its contract files in
# target/salesforce_demo, built into salesforce_demo.duckdb
demo-salesforce: install
	@echo "==> the demo data written as Fivetran's Salesforce tables + contract files in" \
	     "target/salesforce_demo, built into salesforce_demo.duckdb"
	$(BIN)/python -m tools.salesforce_export seeds --out target/salesforce_demo
	MARKETING_KPIS_DUCKDB_PATH=salesforce_demo.duckdb $(DBT) build --exclude-resource-type unit_test \
		--vars "$$(cat target/salesforce_demo/_dbt_vars.yml)"

seeds: install
	$(BIN)/python -m tools.generate_data --out seeds

# the docs site of the demo database (column types come from it: run make demo first):
# target/index.html for `dbt docs serve`, and target/static_index.html, one file with the
# manifest and catalog inside that a browser opens from disk, offline
docs: install
	@test -f $(DEMO_DB) || { echo "error: no $(DEMO_DB): run make demo first (the docs read" \
		"the columns of the built tables)" >&2; exit 1; }
	MARKETING_KPIS_DUCKDB_PATH=$(DEMO_DB) $(DBT) docs generate --static
	@echo "==> docs site written. Open it either way:"
	@echo "      offline, one file: open $(CURDIR)/target/static_index.html in a browser"
	@echo "      served: $(BIN)/dbt docs serve --port 8080 (from this folder), then http://localhost:8080"

clean:
	rm -rf $(VENV) target logs $(DEMO_DB) $(DEMO_DB).wal mautic_demo.duckdb hubspot_demo.duckdb

bench: install
	@echo "==> benchmark: sizes S, M and L (1M contacts, about 100M raw rows; 40+ minutes)"
	$(BIN)/python -m tools.benchmark --sizes S,M,L --json target/benchmark.json


# ---- PostgreSQL and Spark (README "Other engines") ------------------------------------
# Every run has a server and folders of its own, so that two checkouts on one host never
# meet: `tools/engines/postgres.sh run -- CMD` starts a PostgreSQL server on a free port
# with a data folder (under $TMPDIR) and a database of its own, runs CMD with PG*
# pointing at it, then stops the server and removes its folder, whether CMD passes or
# fails; `tools/engines/spark.sh run -- CMD` does the same with a warehouse and metastore
# folder under target/engines/. The steps themselves are the _*-steps targets below, run
# inside them (they refuse to run elsewhere).
ENGINE_TARGET := target/engines
WITH_POSTGRES := bash tools/engines/postgres.sh run --
WITH_SPARK := bash tools/engines/spark.sh run --
STEPS := $(MAKE) --no-print-directory
IN_POSTGRES_RUN = @test -n "$${MARKETING_KPIS_PG_RUN:-}" || { echo "error: make $@ runs inside \
	tools/engines/postgres.sh run (make test-postgres or compare-engines)" >&2; exit 1; }
IN_SPARK_RUN = @test -n "$${MARKETING_KPIS_SPARK_RUN:-}" || { echo "error: make $@ runs inside \
	tools/engines/spark.sh run (make test-spark or compare-engines)" >&2; exit 1; }

.PHONY: _postgres-steps _spark-steps _compare-steps _duckdb-fixture-steps

$(VENV)/.installed-engines: $(VENV)/.installed requirements-engines.txt
	@echo "==> installing the PostgreSQL and Spark adapters and pyspark (requirements-engines.txt)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-engines.txt
	@touch $@

install-engines: $(VENV)/.installed-engines

# the Spark build, then one PostgreSQL server for the PostgreSQL builds and the comparison
test-engines: compare-engines

# a PostgreSQL server of this run (postgresql-15 installed from Debian's packages when
# missing); the demo through dbt seed, then the same data through the COPY loader and var
# raw_schema, built twice so that the second build takes the incremental path
test-postgres: install-engines
	$(WITH_POSTGRES) $(STEPS) _postgres-steps

# a local Spark session in the dbt process (pyspark + Java 17, installed when missing); a
# warehouse and metastore of this run
test-spark: install-engines
	@bash tools/engines/java.sh
	$(WITH_SPARK) $(STEPS) _spark-steps

# every mart of PostgreSQL (both builds) and Spark against DuckDB's test build (make
# dbt-test). The Spark steps and, beside them, the PostgreSQL steps and the DuckDB builds of
# the fixtures run as two streams at once (tools/test_streams.sh: each keeps about one core
# busy, and the Spark steps alone take longer than the others together; the first to fail
# stops the other; their logs in target/engines/streams), then the comparison. On a TERM
# or Ctrl-C, the streams are stopped (their own process groups) before the wrappers stop
# the server and remove the Spark folder
compare-engines: install-engines
	@test -f $(TEST_DB) || { echo "error: no $(TEST_DB), the reference of the comparison:" \
		"run make dbt-test first" >&2; exit 1; }
	@bash tools/engines/java.sh
	$(WITH_SPARK) $(WITH_POSTGRES) bash -c 'TEST_DB=$(TEST_DB) TEST_STREAM_NICE=0 \
		TEST_STREAMS_DIR=$(ENGINE_TARGET)/streams TEST_STREAMS_WHAT="make compare-engines" \
		bash tools/test_streams.sh spark _spark-steps postgres "_postgres-steps _duckdb-fixture-steps" & \
		streams=$$!; trap "kill -TERM $$streams 2>/dev/null; wait $$streams; exit 143" TERM INT HUP; \
		wait $$streams && $(STEPS) _compare-steps'

_postgres-steps:
	$(IN_POSTGRES_RUN)
	@echo "==> PostgreSQL: dbt build on the demo seeds (schemas raw, staging, intermediate, marts)"
	DBT_TARGET=postgres $(DBT) build --full-refresh --target-path $(ENGINE_TARGET)/postgres
	@echo "==> PostgreSQL: the seeds folder loaded with COPY (tools.load_raw), built from raw_schema"
	$(BIN)/python -m tools.load_raw --target postgres --path seeds --schema raw_input
	DBT_TARGET=postgres $(DBT) build --full-refresh --target-path $(ENGINE_TARGET)/postgres \
		--vars '{raw_schema: raw_input, schema_prefix: files_}'
	@echo "==> PostgreSQL: the same build again, incremental"
	DBT_TARGET=postgres $(DBT) build --target-path $(ENGINE_TARGET)/postgres \
		--vars '{raw_schema: raw_input, schema_prefix: files_}'
	@echo "==> PostgreSQL: the HubSpot test fixture loaded with COPY (tools.load_raw" \
		"--source-system hubspot), built from raw_schema"
	$(BIN)/python -m tools.load_raw --target postgres --source-system hubspot --path $(HUBSPOT_FIXTURE) \
		--schema hubspot_input
	DBT_TARGET=postgres $(DBT) build --full-refresh --exclude-resource-type unit_test \
		--target-path $(ENGINE_TARGET)/postgres_hubspot \
		--vars '{$(HUBSPOT_FIXTURE_VARS), raw_schema: hubspot_input, schema_prefix: hubspot_}'
	@echo "==> PostgreSQL: the Salesforce test fixture loaded with COPY (tools.load_raw" \
		"--source-system salesforce), built from raw_schema with var crm_system salesforce"
	$(BIN)/python -m tools.load_raw --target postgres --source-system salesforce \
		--path $(SALESFORCE_FIXTURE) --schema salesforce_input
	DBT_TARGET=postgres $(DBT) build --full-refresh --exclude-resource-type unit_test \
		--target-path $(ENGINE_TARGET)/postgres_salesforce \
		--vars '{$(SALESFORCE_FIXTURE_VARS), raw_schema: salesforce_input, schema_prefix: salesforce_}'

# the demo cut into two successive exports (tools.split_batches: the second adds the last
# days and late events of the days before): the first loaded and built, then the second
# loaded into the same schema and built incrementally (partitions of the window replaced);
# compare-engines then compares its marts with DuckDB's build of the whole demo
# the HubSpot test fixture (tools/tests/test_hubspot.py), built on every engine
HUBSPOT_FIXTURE := tools/tests/fixtures/hubspot
HUBSPOT_FIXTURE_VARS := source_system: hubspot, mql_score_threshold: 50
# the Salesforce test fixture (tools/tests/test_salesforce.py, build a), on every engine
SALESFORCE_FIXTURE := tools/tests/fixtures/salesforce
SALESFORCE_FIXTURE_VARS := crm_system: salesforce, salesforce_campaign_attributes: { \
	7017Q00000CpWebQAC: {audience: prospect, channel: webinar}, \
	7017Q00000CpTrdQAC: {audience: all, channel: event}}
SPARK_BATCHES := $(ENGINE_TARGET)/spark/batches
SPARK_CUT ?= 2025-12-24T00:00:00
_spark-steps:
	$(IN_SPARK_RUN)
	@echo "==> Spark: the demo cut at $(SPARK_CUT) into two successive exports (tools.split_batches)"
	$(BIN)/python -m tools.split_batches seeds --cut $(SPARK_CUT) --out $(SPARK_BATCHES)
	@echo "==> Spark: the first export loaded by Spark (tools.load_raw), built from raw_schema" \
		"(models only: the tests run on the second build, whose marts are compared)"
	$(BIN)/python -m tools.load_raw --target spark --path $(SPARK_BATCHES)/batch_1 --schema raw_input
	DBT_TARGET=spark $(DBT) run --target-path $(ENGINE_TARGET)/spark --vars '{raw_schema: raw_input}'
	@echo "==> Spark: the second export loaded into the same schema, built again: incremental"
	$(BIN)/python -m tools.load_raw --target spark --path $(SPARK_BATCHES)/batch_2 --schema raw_input
	DBT_TARGET=spark $(DBT) build --target-path $(ENGINE_TARGET)/spark --vars '{raw_schema: raw_input}' \
		| tee $(ENGINE_TARGET)/spark/incremental.log
	@! grep -q "rebuilding from scratch" $(ENGINE_TARGET)/spark/incremental.log || \
		{ echo "error: the second Spark build rebuilt from scratch instead of refreshing" >&2; exit 1; }
	@echo "==> Spark: the HubSpot test fixture loaded by Spark (tools.load_raw --source-system" \
		"hubspot), built from raw_schema (models only: its marts are compared with DuckDB's)"
	$(BIN)/python -m tools.load_raw --target spark --source-system hubspot --path $(HUBSPOT_FIXTURE) \
		--schema hubspot_input
	DBT_TARGET=spark $(DBT) run --target-path $(ENGINE_TARGET)/spark_hubspot \
		--vars '{$(HUBSPOT_FIXTURE_VARS), raw_schema: hubspot_input, schema_prefix: hubspot_}'
	@echo "==> Spark: the Salesforce test fixture loaded by Spark (tools.load_raw --source-system" \
		"salesforce), built from raw_schema (models only: its marts are compared with DuckDB's)"
	$(BIN)/python -m tools.load_raw --target spark --source-system salesforce \
		--path $(SALESFORCE_FIXTURE) --schema salesforce_input
	DBT_TARGET=spark $(DBT) run --target-path $(ENGINE_TARGET)/spark_salesforce \
		--vars '{$(SALESFORCE_FIXTURE_VARS), raw_schema: salesforce_input, schema_prefix: salesforce_}'

_compare-steps:
	$(IN_POSTGRES_RUN)
	$(IN_SPARK_RUN)
	@echo "==> cross-engine comparison: every mart row by row, numbers within 1e-9 relative"
	COMPARE_DUCKDB_PATH=$(TEST_DB) $(BIN)/python -m tools.compare_engines --no-build
	COMPARE_DUCKDB_PATH=$(TEST_DB) $(BIN)/python -m tools.compare_engines --no-build \
		--engines duckdb postgres --schema postgres=files_marts
	@echo "==> HubSpot fixture: every mart of PostgreSQL and Spark against DuckDB's build"
	COMPARE_DUCKDB_PATH=$(ENGINE_TARGET)/hubspot_fixture.duckdb $(BIN)/python -m tools.compare_engines \
		--no-build --schema postgres=hubspot_marts --schema spark=hubspot_marts_audit
	@echo "==> Salesforce fixture: every mart of PostgreSQL and Spark against DuckDB's build"
	COMPARE_DUCKDB_PATH=$(ENGINE_TARGET)/salesforce_fixture.duckdb $(BIN)/python -m tools.compare_engines \
		--no-build --schema postgres=salesforce_marts --schema spark=salesforce_marts_audit

# the HubSpot and Salesforce test fixtures built on DuckDB from their folders: the
# references of _compare-steps
_duckdb-fixture-steps:
	@echo "==> HubSpot fixture: built on DuckDB from its folder, the reference of the comparison"
	rm -f $(ENGINE_TARGET)/hubspot_fixture.duckdb
	MARKETING_KPIS_DUCKDB_PATH=$(ENGINE_TARGET)/hubspot_fixture.duckdb $(DBT) build \
		--exclude-resource-type unit_test --target-path $(ENGINE_TARGET)/duckdb_hubspot \
		--vars '{$(HUBSPOT_FIXTURE_VARS), raw_data_path: $(HUBSPOT_FIXTURE)}'
	@echo "==> Salesforce fixture: built on DuckDB from its folder, the reference of the comparison"
	rm -f $(ENGINE_TARGET)/salesforce_fixture.duckdb
	MARKETING_KPIS_DUCKDB_PATH=$(ENGINE_TARGET)/salesforce_fixture.duckdb $(DBT) build \
		--exclude-resource-type unit_test --target-path $(ENGINE_TARGET)/duckdb_salesforce \
		--vars '{$(SALESFORCE_FIXTURE_VARS), raw_data_path: $(SALESFORCE_FIXTURE)}'
