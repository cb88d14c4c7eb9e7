# Massage Referral Guide — developer commands. Needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# A hung Qt event loop must fail the run, not stall it.
LIMIT  := $(shell command -v timeout >/dev/null 2>&1 && echo timeout 1800)

.PHONY: run test data lint bench clean package screenshots content-pack system-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Qt needs system libraries (packaging/system-packages.txt): installed first when missing, with
# apt-get (Debian/Ubuntu, through sudo when not root) or dnf (Fedora); silent when all are there.
system-deps:  ## install the system libraries Qt needs, if any is missing
	@sh packaging/ensure-system-deps.sh

data: $(STAMP)  ## validate data/ and build data/reference.db
	$(PY) -m referral_app build-data

content-pack: data  ## dist/referral-content-VERSION.rgpack, signed with $$REFERRAL_CONTENT_KEY (else the development key)
	$(PY) -m referral_app content pack --out dist

run: system-deps data  ## install and start the app
	$(PY) -m referral_app

test: system-deps data  ## install and run the whole test suite headless
	$(PY) -m ruff check referral_app tests benchmarks
	$(PY) -m mypy
	QT_QPA_PLATFORM=offscreen $(LIMIT) $(PY) -m pytest -q
	$(MAKE) --no-print-directory screenshots

screenshots: system-deps data  ## screenshots of each main state under Xvfb (1280x800, 150% at 1920x1080, maximized with a window manager on 1024x600 and 1366x768)
	@if command -v xvfb-run >/dev/null; then \
	  xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb \
	    $(LIMIT) $(PY) -m pytest -q -p no:cacheprovider tests/xvfb_screenshots.py && \
	  xvfb-run -a -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR=1.5 \
	    $(LIMIT) $(PY) -m pytest -q -p no:cacheprovider tests/xvfb_screenshots.py && \
	  for size in 1024x600 1366x768; do \
	    xvfb-run -a -s "-screen 0 $${size}x24" sh -c "openbox & sleep 1; \
	      SCREEN=$$size QT_QPA_PLATFORM=xcb $(LIMIT) $(PY) -m pytest -q -p no:cacheprovider \
	      tests/xvfb_screenshots.py" || exit 1; \
	  done; \
	else echo "screenshots: xvfb-run not installed (apt-get install xvfb); not taken"; fi

lint: $(STAMP)  ## ruff, and mypy at pyproject.toml's [tool.mypy] (every module checked in full)
	$(PY) -m ruff check referral_app tests benchmarks
	$(PY) -m ruff format --check referral_app tests benchmarks
	$(PY) -m mypy

# NPPES_ROWS: rows of the generated national NPI file (the CMS file has about 8 million).
NPPES_ROWS ?= 600000

bench: system-deps data  ## every benchmark, each timed; exits 1 when a goal is missed (make bench NPPES_ROWS=8000000: the full-size NPPES file)
	@status=0; total=$$(date +%s); \
	for b in search_latency.py center_ranking.py "nppes_import.py --rows $(NPPES_ROWS)" \
	  sheet_render.py keystroke.py content_verify.py; do \
	  start=$$(date +%s); \
	  QT_QPA_PLATFORM=offscreen $(LIMIT) $(PY) benchmarks/$$b || status=1; \
	  echo "bench: $$b took $$(( $$(date +%s) - start )) s"; echo; \
	done; \
	echo "bench: all took $$(( $$(date +%s) - total )) s"; \
	if [ $$status != 0 ]; then echo "bench: a goal was missed (see NOT met above)"; fi; exit $$status

# Packaging: a clean virtualenv with only the runtime dependencies and PyInstaller (no test tools,
# one Qt binding), then the onedir bundle, its self-test, and the .tar.gz and .deb in dist/.
BUILD_VENV  := build/venv
BUILD_PY    := $(BUILD_VENV)/bin/python
BUILD_STAMP := $(BUILD_VENV)/.installed

$(BUILD_STAMP): pyproject.toml
	rm -rf $(BUILD_VENV)
	$(PYTHON) -m venv $(BUILD_VENV)
	$(BUILD_PY) -m pip install --quiet --upgrade pip
	$(PYTHON) packaging/make_packages.py --requirements > build/requirements.txt
	$(BUILD_PY) -m pip install --quiet -r build/requirements.txt 'pyinstaller>=6.10,<7'
	touch $(BUILD_STAMP)

package: system-deps data $(BUILD_STAMP)  ## build dist/referral-guide/, the .tar.gz and the .deb
	$(BUILD_PY) -m PyInstaller --noconfirm --log-level WARN --workpath build/pyinstaller \
		--distpath dist build.spec
	QT_QPA_PLATFORM=offscreen dist/referral-guide/referral-guide-cli --self-test \
		--report build/self-test.json
	$(PYTHON) packaging/make_packages.py

clean:
	rm -rf $(VENV) build dist data/reference.db data/reference.db.sig .pytest_cache
