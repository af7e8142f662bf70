# Laurel: `make run` serves a demo on a fresh machine; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
PORT ?= 8000
BASE_URL ?= http://127.0.0.1:$(PORT)
export PORT BASE_URL
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install migrate demo lint worker beat test-tools clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Laurel needs Python 3.11 or newer (set PYTHON=...).")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	@touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	@echo "Serving Laurel at $(BASE_URL)/ with a background worker (config/launcher.py). Ctrl-C stops both."
	$(BIN)/python manage.py run_embedded 127.0.0.1:$(PORT)

test-tools: install
	bash tests/tools/setup.sh

test: install test-tools
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	bash tests/run.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

worker: install
	$(BIN)/celery -A config worker --loglevel=INFO

beat: install
	$(BIN)/celery -A config beat --loglevel=INFO

clean:
	rm -rf $(VENV) var
