# factpipe. Two commands do all the set-up on a fresh machine:
#   make run    create the environment, fetch the corpus documents, write a dataset version
#   make test   the test suite, including the gold-fact gate
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
MIRROR ?= $(shell $(PYTHON) scripts/shared.py corpus)
STAMP  := $(VENV)/.installed

.PHONY: run test eval bench fetch install clean report

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,bench]"
	@touch $(STAMP)

install: $(STAMP)

fetch: $(STAMP)
	$(BIN)/facts fetch --mirror $(MIRROR)

run: fetch
	$(BIN)/facts run -v

report: $(STAMP)
	$(BIN)/facts report

test: $(STAMP)
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	$(BIN)/python scripts/eval.py

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .factpipe-cache test-artifacts bench/results bench/corpus
