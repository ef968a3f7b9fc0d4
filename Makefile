# The README's two first commands: `make demo` (app on the demo warehouse) and `make test` (all checks).
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= demo.duckdb
PORT ?= 8050
PYTHON ?= python3

.PHONY: demo test lint format bench bench-small clean

$(BIN)/semaforo: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $@

demo: $(BIN)/semaforo
	$(BIN)/semaforo demo --db $(DB) --sources demo-data
	$(BIN)/semaforo serve --db $(DB) --port $(PORT)

test: $(BIN)/semaforo
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: $(BIN)/semaforo
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(BIN)/semaforo
	$(BIN)/python -m bench

bench-small: $(BIN)/semaforo
	$(BIN)/python -m bench --small

clean:
	rm -rf $(VENV) demo-data $(DB) bench/data
