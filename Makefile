# Massage Referral Guide — developer commands. Needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test data lint bench clean screenshots

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
	$(MAKE) --no-print-directory screenshots

screenshots: data  ## screenshots of each main state under Xvfb (1280x800, and 150% at 1920x1080)
	@if command -v xvfb-run >/dev/null; then \
	  xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb \
	    $(PY) -m pytest -q -p no:cacheprovider tests/xvfb_screenshots.py && \
	  xvfb-run -a -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR=1.5 \
	    $(PY) -m pytest -q -p no:cacheprovider tests/xvfb_screenshots.py; \
	else echo "screenshots: xvfb-run not installed (apt-get install xvfb); not taken"; fi

lint: $(STAMP)
	$(PY) -m ruff check referral_app tests benchmarks
	$(PY) -m ruff format --check referral_app tests benchmarks

bench: data  ## print search latency figures
	$(PY) benchmarks/search_latency.py
	$(PY) benchmarks/center_ranking.py
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/sheet_render.py
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/keystroke.py

clean:
	rm -rf $(VENV) build dist data/reference.db .pytest_cache
