# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_STAMP := $(VENV)/.installed-demo
TEST_STAMP := $(VENV)/.installed-test
# Reuters-21578 for `make bench`: REUTERS=DIR, or the DEDUP_REUTERS environment variable.
REUTERS ?=

.PHONY: demo test lint bench clean

$(BIN)/python:
	@echo "make: creating the virtual environment $(VENV)" >&2
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip

# The compiled core (dedup/_core.pyx) is built in place by the editable install: its sources
# are prerequisites, so a changed core is built again.
CORE_SOURCES := setup.py dedup/_core.pyx dedup/_kernels.h

# The demo needs dedup and its run-time dependencies only.
$(DEMO_STAMP): pyproject.toml $(CORE_SOURCES) | $(BIN)/python
	@echo "make: installing dedup and its dependencies into $(VENV) (about a minute, once)" >&2
	@$(BIN)/python -m pip install --quiet -e .
	@touch $(DEMO_STAMP)

# Tests and benchmarks add pytest, ruff, pre-commit, pyspark, pandas, pyarrow, matplotlib.
$(TEST_STAMP): pyproject.toml $(CORE_SOURCES) $(DEMO_STAMP)
	@echo "make: installing the test and benchmark extras into $(VENV) (pyspark among them)" >&2
	@$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $(TEST_STAMP)

demo: $(DEMO_STAMP)
	@$(BIN)/dedup cluster seeds/
	@echo "" >&2
	@echo "make: dedup is installed in $(VENV); 'source $(BIN)/activate' puts it on your PATH" >&2

lint: $(TEST_STAMP)
	$(BIN)/ruff check dedup tests benchmarks

test: $(TEST_STAMP) lint
	@bash scripts/install-chromium.sh
	$(BIN)/python -m pytest -q

TEXTDEDUP_VENV := benchmarks/out/textdedup-venv

# The text-dedup baseline lives in its own venv (its pins clash with ours); if it cannot be
# installed, the run records it as "not installed" and goes on.
bench: $(TEST_STAMP)
	@$(TEXTDEDUP_VENV)/bin/python -c 'import text_dedup' 2>/dev/null || \
	  { rm -rf $(TEXTDEDUP_VENV) && $(PYTHON) -m venv $(TEXTDEDUP_VENV) && \
	    $(TEXTDEDUP_VENV)/bin/pip install --quiet text-dedup; } || \
	  { rm -rf $(TEXTDEDUP_VENV); echo "text-dedup not installed; benchmark goes on without it"; }
	$(BIN)/python -m benchmarks.run --update-readme $(if $(REUTERS),--reuters $(REUTERS))

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info dedup/_core.c dedup/_core.*.so
