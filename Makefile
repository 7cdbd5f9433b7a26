# Two commands on a fresh machine: `make demo` and `make test`. Both create .venv themselves.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint clean browser scram

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/lifeboat assess --out reports/iss-2018-12.html

test: $(STAMP) browser scram
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

# The report and web-app tests use headless Chromium from Debian's package (the web test drives
# it with the `playwright` Python package from the dev extra, pointed at /usr/bin/chromium; no
# browser is ever downloaded).
browser: $(STAMP)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the report test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing and cannot be installed here: the browser tests will be skipped"; fi; }
	@$(BIN)/python -c "import playwright" 2>/dev/null || { \
	  echo "installing the playwright Python package (driver only) for the web-app browser test"; \
	  $(BIN)/python -m pip install --quiet 'playwright>=1.40'; }

# The risk engine's per-mission case is cross-checked against SCRAM, the open-source PRA engine
# (Open-PSA model exchange format), from Debian's package.
scram:
	@command -v scram >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's scram for the risk cross-check"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq scram >/dev/null; \
	  else echo "scram is missing and cannot be installed here: the SCRAM cross-check will be skipped"; fi; }

bench: $(STAMP)
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Style (ruff), the layers of docs/design.md (import-linter, [tool.importlinter] in pyproject.toml)
# and the types of the public API (mypy, [tool.mypy]).
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

clean:
	rm -rf $(VENV) reports build *.egg-info src/*.egg-info
