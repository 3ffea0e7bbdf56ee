# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/dedup cluster seeds/

lint: $(STAMP)
	$(BIN)/ruff check dedup tests benchmarks

test: $(STAMP) lint
	bash scripts/install-chromium.sh
	$(BIN)/python -m pytest -q

TEXTDEDUP_VENV := benchmarks/out/textdedup-venv

# The text-dedup baseline lives in its own venv (its pins clash with ours); if it cannot be
# installed, the run records it as "not installed" and goes on.
bench: $(STAMP)
	@$(TEXTDEDUP_VENV)/bin/python -c 'import text_dedup' 2>/dev/null || \
	  { rm -rf $(TEXTDEDUP_VENV) && $(PYTHON) -m venv $(TEXTDEDUP_VENV) && \
	    $(TEXTDEDUP_VENV)/bin/pip install --quiet text-dedup; } || \
	  { rm -rf $(TEXTDEDUP_VENV); echo "text-dedup not installed; benchmark goes on without it"; }
	$(BIN)/python -m benchmarks.run --update-readme

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
