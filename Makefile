# Two commands for a newcomer: `make run` and `make test`. Both create .venv when missing.
# `make run` installs what the app runs on (requirements/runtime.lock); `make test` adds the test
# and lint tools (requirements/dev.lock). Both locks are universal and hashed: pip refuses any file
# whose hash the lock does not name. `make lock` re-pins them from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
STAMP := $(VENV)/.installed
BUNDLER := $(VENV)/.bundler-installed

.PHONY: run test lint typecheck pytest bench bench-relay-full fuzz lock demo screenshots relay \
	install-desktop bundle bundle-check clean

$(RUNTIME): requirements/runtime.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/runtime.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(RUNTIME)

# --no-deps: the lock is complete, and recurring-ical-events (a test oracle) caps python-dateutil
# below 3 though it runs on the locked 4.0 (tests/test_ics_corpus.py shows it); the lock overrides
# that cap (requirements/overrides.txt), which pip's own resolver would refuse.
$(STAMP): $(RUNTIME) requirements/dev.lock
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/dev.lock
	touch $(STAMP)

# PyInstaller and its hooks (requirements/bundle.lock), on top of what the app runs on.
$(BUNDLER): $(RUNTIME) requirements/bundle.lock
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/bundle.lock
	touch $(BUNDLER)

run: $(RUNTIME)
	$(BIN)/python -m ui.system_libs
	$(BIN)/trustvault

# A menu entry, the AppStream file and the icons under ~/.local/share, for this checkout's app.
install-desktop: $(RUNTIME)
	$(BIN)/python -m ui.desktop_entry

# dist/trustvault/: the app (trustvault) and the CLI (trustvault-cli) with Python, Qt and every
# library inside, for people without Python (bundling/trustvault.spec says what goes in).
bundle: $(BUNDLER)
	QT_QPA_PLATFORM=offscreen $(BIN)/pyinstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller bundling/trustvault.spec

# The bundle on its own: the CLI's --version and a vault, the app's screenshots offscreen.
bundle-check: bundle
	$(BIN)/python bundling/check_bundle.py dist/trustvault

demo: $(RUNTIME)
	$(BIN)/trustvault --demo

screenshots: $(RUNTIME)
	QT_QPA_PLATFORM=offscreen $(BIN)/trustvault --screenshots docs/screenshots

test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check crypto trustvault ui tests bench bundling
	$(BIN)/ruff format --check crypto trustvault ui tests bench bundling

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

relay: $(RUNTIME)
	$(BIN)/trustvault-relay --host 127.0.0.1 --port 8765 --data relay-data

# Re-pin the locks from pyproject.toml (run after editing it) with uv in a scratch venv: pins
# already in a lock are kept unless UPGRADE=--upgrade. The dev, bundle and relay locks are
# constrained to the runtime lock, so what the tests run on, what the bundle holds and what the
# relay container runs (deploy/Containerfile) is what a user runs on.
UV_VERSION ?= 0.13.9
UPGRADE ?=
COMPILE = .lockenv/bin/uv pip compile --universal --generate-hashes --python-version 3.11 \
	--custom-compile-command "make lock" --quiet $(UPGRADE) pyproject.toml requirements/build.in
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet uv==$(UV_VERSION)
	$(COMPILE) --extra app --extra relay -o requirements/runtime.lock
	$(COMPILE) --extra dev --override requirements/overrides.txt -c requirements/runtime.lock \
		-o requirements/dev.lock
	$(COMPILE) --extra relay -c requirements/runtime.lock -o requirements/relay.lock
	$(COMPILE) --extra bundle -c requirements/runtime.lock -o requirements/bundle.lock
	rm -rf .lockenv

clean:
	rm -rf $(VENV) build dist *.egg-info
