# The README's two first commands: `make demo` (app on the demo warehouse) and `make test` (all checks).
# Both install from constraints.txt (the versions the tests passed with); `make lock` refreshes it.
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= demo.duckdb
PORT ?= 8050
PYTHON ?= python3
PIP := $(BIN)/pip install -q -c constraints.txt

.PHONY: demo test test-fast typecheck lint format bench bench-small lock clean

$(BIN)/pip:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# What the app and the ETL run (no PySpark, no test tools).
$(VENV)/.installed-app: pyproject.toml constraints.txt | $(BIN)/pip
	$(PIP) -e .
	touch $@

# Development: tests (with the Spark engine's), type checks and the bench.
$(VENV)/.installed-dev: pyproject.toml constraints.txt | $(BIN)/pip
	$(BIN)/python -m tools.installed test,spark,bench || $(PIP) -e ".[test,spark,bench]"
	touch $@ $(VENV)/.installed-test $(VENV)/.installed-app

# `make test-fast`: the tests' tools, without PySpark and the bench's (their tests are not in it). The quick loop
# runs in any venv that holds what `pip install -e ".[test]"` from this checkout gives (the acceptance checks make
# theirs so): tools/installed.py says so in 0.3 CPU-seconds, where a pip install back to constraints.txt's
# pins took 20 CPU-seconds (a minute on a busy machine) and one with PySpark more. `make test` installs the pins.
$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/pip
	$(BIN)/python -m tools.installed --any-version test || $(PIP) -e ".[test]"
	touch $@

demo: $(VENV)/.installed-app
	$(BIN)/semaforo demo --db $(DB) --sources demo-data
	$(BIN)/semaforo serve --db $(DB) --port $(PORT)

# Python's bytecode written and read even where PYTHONDONTWRITEBYTECODE is set: without it each pytest worker,
# and each command a test starts, compiles the program and its libraries again (about 5 CPU-seconds a process).
# Beside the sources (__pycache__/, ignored), not under a PYTHONPYCACHEPREFIX: pip compiled the libraries when it
# installed them, and a prefix folder hides that, so a new venv compiled them all again in every process of its
# first run (30 CPU-seconds of `make test-fast`).
BYTECODE := PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=
# pytest on two workers (pytest-xdist); a test module stays on one worker, the browser tests share one, largest
# first (tests/xdist_units.py).
PYTEST := $(BYTECODE) $(BIN)/pytest -n 2 --dist loadscope
# What `make test-fast` leaves out (markers in pyproject.toml): Chromium, gunicorn, Spark, the bench, the wheel,
# the demo warehouse's one-minute build, and single tests of several seconds.
FAST := not (browser or serving or spark or bench or install or demo or slow)

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m tools.typecheck
	$(PYTEST)

# Under a minute: lint and every test but the marked ones above, on the small fixture warehouse. dash[testing]'s
# pytest plugin serves only the browser tests: not loading it spares each process selenium's imports.
test-fast: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PYTEST) -q -p no:dash -m "$(FAST)"

typecheck: $(VENV)/.installed-dev
	$(BIN)/python -m tools.typecheck

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench

bench-small: $(VENV)/.installed-dev
	$(BIN)/python -m bench --small

# Resolve the newest versions pyproject.toml allows, in a scratch environment, and pin them.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install -q --upgrade pip
	.lock-venv/bin/pip install -q -e ".[test,spark,bench]"
	{ grep '^#' constraints.txt; .lock-venv/bin/pip freeze --exclude-editable; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) demo-data $(DB) bench/data .pycache
