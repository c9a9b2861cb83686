# gmm-teach: the two commands of the README (make book, make test) and three helpers.
#   make book    set up .venv if needed, build the HTML book into _build/html (warnings are errors)
#   make test    set up, build the book, run every test: the package, the HTML in Chromium, the chapters
#   make lab     open the chapters in JupyterLab, in the learner's own copy lab/ (never overwritten)
#   make student write the student edition (no solutions) into _build/student
#   make lint    ruff check and ruff format --check over the package, the tests and the chapters' code
#   make check   lint plus the unit tests (no book, no browser, no chapters): the inner loop
#   make chapters run every chapter cell by cell under nbval (no book, no browser)
#   make clean   remove what builds and tests leave behind (make distclean also removes .venv)

SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

VENV := .venv
BIN := $(VENV)/bin
# `make install` is up to date while this stamp is newer than requirements.txt and pyproject.toml
INSTALLED := $(VENV)/.installed
# JupyterLab's configuration for this project, linked into .venv (see `lab` below)
JUPYTER_CONFIG := $(VENV)/etc/jupyter/jupyter_server_config.py
HTML_INDEX := _build/html/index.html
# One BLAS/OpenMP thread per process: the data are small, and pytest already runs one worker per
# core, so more threads only compete (scikit-learn fits ran up to 25 times slower under load).
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1

# Python 3.11: python3.11 on PATH, else python3 if that is 3.11
PYTHON ?= $(shell command -v python3.11 2>/dev/null || \
	(python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null && command -v python3))

.PHONY: help install book test chapters lab student lint format-chapters check clean distclean

help:
	@echo "make book    build the HTML book into _build/html (creates .venv on first use)"
	@echo "make test    build the book, then run every test (package, HTML in Chromium, chapters)"
	@echo "make lab     open the chapters in JupyterLab, in your own copy lab/ (RESET=05_em_1d renews one)"
	@echo "make student write the student edition (no solutions) into _build/student"
	@echo "make lint    ruff: lint and format check of the package, the tests and the chapters' code"
	@echo "make check   lint, then the unit tests (well under a minute; no book, no browser)"
	@echo "make chapters run every chapter under nbval (a minute or so; no book, no browser)"
	@echo "make clean   remove _build and caches; make distclean also removes .venv"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed: install it, or run make PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r requirements.txt
	touch $@

install: $(INSTALLED) $(JUPYTER_CONFIG)

# Every page is read again (--all) so that -W sees every warning, and every chapter runs again
# (inline execution, see _config.yml): the book always shows what the current code computes.
book: $(INSTALLED) $(JUPYTER_CONFIG)
	rm -rf _build/html  # no page of an earlier build stays behind
	$(BIN)/jupyter-book build . --all --warningiserror --nitpick --keep-going
	@echo "The book is built. Open this file in a browser: $(CURDIR)/$(HTML_INDEX)"

# One pytest run on both cores: the package's tests and the built HTML in Chromium (tests/), and
# every chapter executed cell by cell (book/, nbval). loadscope keeps a module or a notebook on one
# worker. Then the counts of the browser check (written by tests/test_book_html.py).
PYTEST_ALL := $(BIN)/python -m pytest -n 2 --dist loadscope --nbval-lax tests book
test: book
	rm -rf _build/screenshots
	@echo "$(PYTEST_ALL)"; status=0; $(PYTEST_ALL) || status=$$?; \
	if [ -f _build/screenshots/summary.txt ]; then \
		echo "Book HTML checked in Chromium (screenshots in _build/screenshots/):"; \
		sed 's/^/    /' _build/screenshots/summary.txt; fi; \
	exit $$status

# The inner loop. Lint and format are checked, never applied: run `ruff format FILE` and
# `ruff check --fix FILE` yourself, and `make format-chapters` for the chapters' code cells. The unit tests skip what needs the built book or Chromium.
LINTED := gmm_teach tests tools bench book/_ext book/conftest.py .jupyter/jupyter_server_config.py
lint: $(INSTALLED)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/python tools/chapter_code.py check

# ruff format on the code cells of book/*.md, in place (tools/chapter_code.py, through jupytext)
format-chapters: $(INSTALLED)
	$(BIN)/python tools/chapter_code.py format

# the tests that read the built book, drive Chromium, run whole notebooks or run scikit-learn's own
# test suite belong to make test only
SLOW_TESTS := test_book_html test_listings test_playground test_jupyterlab test_student_edition \
	test_sklearn_test_suite test_book_source_in_lab test_dask_faults
check: lint
	$(BIN)/python -m pytest -q -n 2 tests $(SLOW_TESTS:%=--ignore=tests/%.py)

# Every chapter (book/*.md, MyST Markdown notebooks) run cell by cell under nbval: book/conftest.py
# writes each as a notebook into _build/nbval/ first. One chapter: add -k 05_em_1d.
chapters: $(INSTALLED)
	$(BIN)/python -m pytest -n 2 --dist loadscope --nbval-lax book

# JupyterLab on lab/, the learner's git-ignored copy of the chapters: created once, chapter by
# chapter, and never overwritten, so a learner's work survives `git pull` and the tracked chapters
# stay without outputs. `make lab RESET=05_em_1d` renews one chapter and keeps the old copy beside it.
# lab/ is JupyterLab's root. Jupyter reads its configuration from the environment, never from the
# folder it starts in: the link JUPYTER_CONFIG makes every .venv/bin/jupyter, started anywhere, read
# .jupyter/jupyter_server_config.py, which serves the chapters of book/ read only and without their
# solutions, and gives JupyterLab the defaults of .jupyter/app-settings (every cell rendered).
$(JUPYTER_CONFIG): | $(INSTALLED)
	mkdir -p $(@D)
	ln -sfn "$(CURDIR)/.jupyter/jupyter_server_config.py" $@

lab: $(INSTALLED) $(JUPYTER_CONFIG)
	$(BIN)/python tools/editions.py lab $(if $(RESET),--reset $(RESET))
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)/lab" \
		$(if $(filter 0,$(shell id -u)),--allow-root)

# The chapters without solution cells and solution text, stubs and self-checks kept, to hand out;
# `python tools/editions.py nbgrader` writes nbgrader source notebooks (see book/teachers.md).
student: $(INSTALLED)
	$(BIN)/python tools/editions.py student

clean:
	rm -rf _build .pytest_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	find book -name .ipynb_checkpoints -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
