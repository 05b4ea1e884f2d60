# linli — the two commands: `make demo` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
PORT    ?= 8000
STAMP   := $(VENV)/.installed

.PHONY: install demo test bench lint clean

install: $(STAMP) node_modules/.installed

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev,prod]"
	touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

demo: install
	$(BIN)/linli migrate
	$(BIN)/linli demo
	@echo ""
	@echo "  linli demo on http://127.0.0.1:$(PORT)   (tenant: demo, password for every login: linli-demo)"
	@echo "  operator: admin    leaders: leader01 … leader40    members: member0001 … member2000"
	@echo ""
	PORT=$(PORT) $(BIN)/linli serve --host 127.0.0.1 --port $(PORT)

test: install
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q --durations=15

bench: install
	$(BIN)/python -m bench

lint: install
	$(BIN)/ruff check src tests bench migrations
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache
