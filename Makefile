PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo lint test test-fast bench dagster dashboards dashboards-down clean

# The venv is rebuilt whenever the pins or the package metadata change.
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

demo: $(STAMP)
	$(BIN)/emstat demo

# The layers contract (no upward import, no circle; docs/architecture.md), lint and format: seconds.
lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Lint, then every test, on both cores (docs/testing.md): what CI runs.
test: lint
	$(BIN)/pytest

# Unit, contract, bulletin, report-format and dbt unit tests: no built home, no pipeline run (under 3 minutes).
test-fast: lint
	$(BIN)/pytest -m "not slow"

# The pipeline against DuckDB alone and pandas; BENCH_ROWS=10000000 for a province's decade.
bench: $(STAMP)
	$(BIN)/emstat bench --rows $${BENCH_ROWS:-1000000} --json test-artifacts/bench.json

# Superset on http://127.0.0.1:8088 (EMSTAT_SUPERSET_PORT to change), installed into .venv-superset when missing.
dashboards: $(STAMP)
	$(BIN)/emstat dashboards up --port $${EMSTAT_SUPERSET_PORT:-8088}

dashboards-down: $(STAMP)
	$(BIN)/emstat dashboards down

dagster: $(STAMP)
	$(BIN)/python -c "from emstat.pipeline import prepare_instance; from core.settings import home; prepare_instance(home())"
	DAGSTER_HOME=$${EMSTAT_HOME:-$(CURDIR)/var}/dagster $(BIN)/dagster dev -m dagster_project.definitions

clean:
	rm -rf $(VENV) .venv-superset var dbt/target dbt/logs test-artifacts
