PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test dagster clean

# The venv is rebuilt whenever the pins or the package metadata change.
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

demo: $(STAMP)
	$(BIN)/emstat demo

test: $(STAMP)
	$(BIN)/pytest

dagster: $(STAMP)
	$(BIN)/python -c "from emstat.pipeline import prepare_instance; from emstat.settings import home; prepare_instance(home())"
	DAGSTER_HOME=$${EMSTAT_HOME:-$(CURDIR)/var}/dagster $(BIN)/dagster dev -m dagster_project.definitions

clean:
	rm -rf $(VENV) var dbt/target dbt/logs
