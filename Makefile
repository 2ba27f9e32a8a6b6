# Two commands: `make run` serves the demo, `make test` runs the whole suite.
# Both set up what they need first (virtual environments, the engine model).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
RASA_VENV := .venv-rasa
PIP_FLAGS := -q --disable-pip-version-check
export RASA_TELEMETRY_ENABLED := false
# The browser tests drive Debian's chromium with Playwright (Playwright's own browser download
# is not reachable here); override with CHROMIUM=/path/to/chromium. Defined before any rule
# names it: a prerequisite is expanded when make reads the rule.
CHROMIUM ?= /usr/bin/chromium
export HOTLINE_CHROMIUM = $(CHROMIUM)

.PHONY: run test setup train lint eval-nlu cross-validate clean

run: train
	$(VENV)/bin/hotline serve

test: train $(CHROMIUM)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest

setup: $(VENV)/.installed $(RASA_VENV)/.installed

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "Install Chromium for the browser tests, or set CHROMIUM=path"; exit 1; }
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium \
	  || { $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium; }

# The app environment: Python 3.11, every package pinned (torch 2.13.0 CPU).
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install $(PIP_FLAGS) -r requirements.lock
	$(VENV)/bin/pip install $(PIP_FLAGS) --no-deps -e .
	touch $@

# The engine environment: Rasa 3.6.21 from a full pin, installed without the resolver
# because Rasa declares Python < 3.11 and matplotlib 3.5 (no 3.11 wheel); see the lock's header.
$(RASA_VENV)/.installed: engine-requirements.lock
	$(PYTHON) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install $(PIP_FLAGS) --no-deps --ignore-requires-python -r engine-requirements.lock
	touch $@

# Trains only when config.yml, domain.yml or nlu_data/ changed (content hash in the model name).
train: setup
	$(VENV)/bin/hotline train

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# Held-out NLU evaluation (eval/nlu_heldout.yml is never trained on) and 5-fold cross-validation.
eval-nlu: train
	$(VENV)/bin/python scripts/eval_nlu.py

cross-validate: setup
	$(VENV)/bin/python scripts/eval_nlu.py --cross-validation

clean:
	rm -rf $(VENV) $(RASA_VENV) models var results .pytest_cache .mypy_cache .ruff_cache
