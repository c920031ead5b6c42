# Two commands do all the set-up on a fresh machine:
#   make run   - start glutecoach (creates .venv and installs on first use)
#   make test  - installs the system parts the tests drive, then lint, type-check and the full suite
#
# The virtual environment uses Python 3.12 or 3.11 when the machine has one (the camera coach's
# mediapipe wheels stop at 3.12); otherwise the newest Python >= 3.11 without the camera extra
# (scripts/pick_python.py says so). `make PYTHON=python3.12 ...` chooses the interpreter.
BOOT := $(shell command -v python3 || command -v python)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JOBS ?= auto
NODE_STAMP := node_modules/.installed

.PHONY: run test lint typecheck pytest system-deps bench clean

$(STAMP): pyproject.toml scripts/pick_python.py
	@set -e; choice="$$($(BOOT) scripts/pick_python.py)"; \
	interpreter="$${choice% *}"; extras="$${choice#* }"; \
	test -x $(BIN)/python || "$$interpreter" -m venv $(VENV); \
	$(BIN)/python -m pip install --quiet --upgrade pip; \
	echo "Installing glutecoach[$$extras] into $(VENV) ..."; \
	$(BIN)/python -m pip install --quiet -e ".[$$extras]"; \
	echo "$$extras" > $(VENV)/.extras; touch $(STAMP)

# axe-core (accessibility checks in the browser tests), pinned by package-lock.json
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $(NODE_STAMP)

run: $(STAMP)
	$(BIN)/glutecoach start

system-deps:
	@bash scripts/system-deps.sh

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) $(NODE_STAMP) system-deps
	@# a private temp folder per run: pytest's shared /tmp/pytest-of-$$USER keeps only the
	@# last three runs, so a second run at the same time would delete this one's databases
	GLUTECOACH_REAL_PARTS=required $(BIN)/python -m pytest -n $(JOBS) \
	  --basetemp="$$(mktemp -d /tmp/glutecoach-tests-XXXXXX)" $(PYTEST_ARGS)

test: lint typecheck pytest

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
