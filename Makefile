# Two commands on a fresh clone: `make demo`, `make test`. Only python3 (3.11+) and make needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test bench wordpress clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)  ## serve the offline mirror on a free port and crawl it into output/demo/
	$(PY) -m tmvspider.demo

test: $(STAMP)  ## the whole suite
	$(PY) -m pytest

bench: $(STAMP)  ## crawl and extraction benchmarks, figures in benchmarks/RESULTS.md
	$(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) benchmarks/bench.py $(if $(N),--articles $(N))  # N="2000 10000" for several sizes

wordpress:  ## the tests' real WordPress on a free port, until Ctrl-C (MODEL=file.json for another model)
	$(PYTHON) -m tests.wordpress serve $(MODEL)

clean:
	rm -rf $(VENV) build *.egg-info output/demo
