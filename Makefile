# Massage Referral Guide — developer commands. Needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test data lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

data: $(STAMP)  ## validate data/ and build data/reference.db
	$(PY) -m referral_app build-data

run: data  ## install and start the app
	$(PY) -m referral_app

test: data  ## install and run the whole test suite headless
	$(PY) -m ruff check referral_app tests benchmarks
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check referral_app tests benchmarks
	$(PY) -m ruff format --check referral_app tests benchmarks

bench: data  ## print search latency figures
	$(PY) benchmarks/search_latency.py
	$(PY) benchmarks/center_ranking.py
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/sheet_render.py

clean:
	rm -rf $(VENV) build dist data/reference.db .pytest_cache
