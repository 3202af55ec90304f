# Two commands on a fresh clone: `make demo`, `make test`. Python 3.11+, make, and for `make test` the
# Debian packages tests/prerequisites.py names.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint format bench lock prerequisites wordpress clean

# the exact versions the tests passed with (requirements.txt, hashed), then the project itself
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: $(STAMP)  ## serve the offline mirror on a free port and crawl it into output/demo/
	$(PY) -m tmvmirror.demo

prerequisites:  ## one line and a stop when a Debian package the tests need is missing
	@$(if $(MISSING),$(error $(MISSING)))
MISSING = $(shell $(PYTHON) tests/prerequisites.py 2>&1)

test: prerequisites $(STAMP) lint  ## lint, then the whole suite
	$(PY) -m pytest

LINTED := tmvspider tmvmirror tests benchmarks
# each check names itself, and the first that fails stops make (and so make test) with its report
lint: $(STAMP)  ## ruff (lint, format) and mypy, configured in pyproject.toml; `make format` fixes most of it
	@echo "lint: ruff check" && $(PY) -m ruff check --quiet --output-format=concise $(LINTED)
	@echo "lint: ruff format --check" && $(PY) -m ruff format --check --quiet --output-format=concise $(LINTED) \
		|| { echo "lint: not formatted as ruff formats it: make format"; exit 1; }
	@echo "lint: mypy tmvspider" && $(PY) -m mypy tmvspider

format: $(STAMP)  ## ruff's safe fixes and its format (re-run after a merge), then what is left to fix by hand
	$(PY) -m ruff check --fix --exit-zero --silent $(LINTED)
	$(PY) -m ruff format --quiet $(LINTED)
	@$(PY) -m ruff check --quiet --output-format=concise $(LINTED)

bench: $(STAMP)  ## crawl and extraction benchmarks, figures in benchmarks/RESULTS.md
	$(PY) benchmarks/bench.py $(if $(N),--articles $(N))  # N="2000 10000" for several sizes

lock: $(STAMP)  ## after changing a range in pyproject.toml, or to take new releases: then make test
	$(PY) -m uv pip compile pyproject.toml --all-extras --universal --python-version 3.11 --generate-hashes \
		--quiet -o requirements.txt  # every extra: one lock for demo, test, bench and lock

wordpress: prerequisites  ## the tests' real WordPress on a free port, until Ctrl-C (MODEL=file.json for another model)
	$(PYTHON) -m tests.wordpress serve $(MODEL)

clean:
	rm -rf $(VENV) build *.egg-info output/demo
