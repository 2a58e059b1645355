# Bawaba: one command to run the demo portal, one to run the tests.
# Needs only Python 3.11+ on the machine; everything else is installed into .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
# make test runs the suite on this many pytest-xdist workers ("auto": one per core; 0: in this process),
# a test file's tests on one worker (its module-scoped fixtures are built once).
TEST_WORKERS ?= auto
export GATEWAY_ENV ?= development

.PHONY: run test lint check messages install clean bench security

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The SDK, the host and each first-party plugin are distributions of their own; one pip run installs them all.
DISTRIBUTIONS := ./sdk ./plugins/musaned ./plugins/social_security ./plugins/gosi
PYPROJECTS := pyproject.toml $(addsuffix /pyproject.toml,$(DISTRIBUTIONS))

$(STAMP): $(PYPROJECTS) | $(BIN)/python
	$(BIN)/python -m pip install --quiet $(addprefix -e ,$(DISTRIBUTIONS)) -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)  ## Create .venv and install the SDK, the portal and the three plugins (each its own distribution).

run: $(STAMP)  ## Migrate, load the demo data and serve on http://127.0.0.1:5000 (SQLite, sandbox adapters).
	$(BIN)/gateway db upgrade
	$(BIN)/gateway demo load
	$(BIN)/gateway run --host $(HOST) --port $(PORT)

test: $(STAMP)  ## Run the whole test suite in parallel (PostgreSQL too when GATEWAY_TEST_DATABASE_URL is set).
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: $(STAMP)  ## ruff and mypy.
	$(BIN)/ruff check .
	$(BIN)/ruff format --check gateway sdk plugins tests
	$(BIN)/mypy

bench: $(STAMP)  ## Load benchmark: gunicorn + PostgreSQL + Redis vs a bare Flask app (benchmarks/results/latest.md).
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

security: $(STAMP)  ## The attack suite (tests/security) with its slow parts and Schemathesis; prints the verdict.
	GATEWAY_SECURITY_FULL=1 $(BIN)/python -m pytest tests/security -q $(PYTEST_ARGS)

messages: $(STAMP)  ## Re-extract the host's messages, update the Arabic catalogue and compile it.
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --omit-header \
		-o gateway/translations/messages.pot .
	$(BIN)/pybabel update -i gateway/translations/messages.pot -d gateway/translations -D messages \
		--width 100 --ignore-obsolete
	$(BIN)/pybabel compile -d gateway/translations -D messages --statistics

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .mypy_cache
