# Two commands for a newcomer: `make run` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest bench bench-relay-full fuzz lock demo screenshots relay clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# --no-deps: the lock is a complete freeze, and recurring-ical-events (a test oracle) caps
	# python-dateutil below 3 though it runs on the locked 4.0 (tests/test_ics_corpus.py shows it).
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m ui.system_libs
	$(BIN)/trustvault

demo: $(STAMP)
	$(BIN)/trustvault --demo

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/trustvault --screenshots docs/screenshots

test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check crypto trustvault ui tests bench
	$(BIN)/ruff format --check crypto trustvault ui tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# -n auto: one pytest worker per core (pytest-xdist); every test makes its own vaults and folders.
pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q -n auto

bench: $(STAMP)
	$(BIN)/python -m bench

# Issue 5's full relay load (200 clients x 500 envelopes, ~7 minutes); make bench runs 200 x 100.
bench-relay-full: $(STAMP)
	$(BIN)/python -m bench.relay_load --envelopes 500

# Each fuzz target (tests/fuzz/targets.py) for FUZZ_SECONDS; new findings are stored under
# tests/fuzz/crashers/, which make test replays. FUZZ_TARGETS="apply relay" runs only those.
FUZZ_SECONDS ?= 120
FUZZ_TARGETS ?=
fuzz: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.fuzz.run --seconds $(FUZZ_SECONDS) $(FUZZ_TARGETS)

relay: $(STAMP)
	$(BIN)/trustvault-relay --host 127.0.0.1 --port 8765 --data relay-data

# Re-pin every dependency from a fresh environment (run after editing pyproject.toml).
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet ".[dev]"
	.lockenv/bin/pip freeze --all --exclude trustvault --exclude pip > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf $(VENV) build dist *.egg-info
