# Two commands for a new user:  make book  and  make test
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.convnotes-installed
SHARED_CIFAR := ../shared/data/cifar10
LOCAL_CIFAR := data/cifar10
BUILD_FLAGS ?= -W -n --keep-going

.PHONY: book test venv data clean lint check serve notebooks pdf linkcheck

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	# tf-keras only for the LocallyConnected comparison test; --no-deps keeps tensorflow-cpu.
	$(BIN)/python -m pip install --quiet --no-deps tf-keras==2.21.0
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

# Materialize the offline CIFAR-10 copy when this checkout sits next to shared/
# (the project's own machines). Elsewhere the loader finds or downloads the data.
data:
	@if [ -z "$$CONVNOTES_DATA" ] && [ -f $(SHARED_CIFAR)/materialize.py ] \
	    && [ ! -f $(LOCAL_CIFAR)/cifar-10-batches-py/test_batch ]; then \
	  $(BIN)/python $(SHARED_CIFAR)/materialize.py $(LOCAL_CIFAR) --train 10000 --test 2000; \
	fi

book: venv data
	@if [ -z "$$CONVNOTES_DATA" ] && [ -f $(LOCAL_CIFAR)/cifar-10-batches-py/test_batch ]; then \
	  export CONVNOTES_DATA=$(CURDIR)/$(LOCAL_CIFAR)/cifar-10-batches-py; fi; \
	$(BIN)/jupyter-book build . $(BUILD_FLAGS)
	@echo "Book built: $(CURDIR)/_build/html/index.html"

# -n auto: one pytest-xdist worker per core; worksteal: an idle worker takes queued tests.
test: venv
	$(BIN)/python -m pytest -n auto --dist worksteal

# The build already writes the notebooks into the site; this rewrites them alone.
notebooks: venv
	$(BIN)/python scripts/make_notebooks.py

# One PDF per edition from the built HTML, printed by Chromium (needs `chromium`).
pdf: venv
	$(BIN)/python scripts/make_pdf.py

# Every internal link and #anchor of the built site resolves, and both PDFs exist.
linkcheck: venv
	$(BIN)/python scripts/check_links.py _build/html \
	  --require pdf/convnotes-en.pdf --require pdf/convnotes-fa.pdf

check: venv
	$(BIN)/python scripts/check_parity.py
	$(BIN)/python scripts/check_language.py

lint: venv
	$(BIN)/python -m ruff check src tests scripts book/_ext
	$(BIN)/python -m ruff format --check src tests scripts book/_ext

serve:
	cd _build/html && $(PYTHON) -m http.server 8000

clean:
	rm -rf _build
