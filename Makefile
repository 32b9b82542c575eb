# Self-documenting: `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DOMAIN ?= moet.localhost
export FORUM_DOMAIN ?= $(DEMO_DOMAIN)

.DEFAULT_GOAL := help
.PHONY: help install bytecode translations messages run test test-unit test-e2e lint fmt bench clean browser

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) translations bytecode ## create .venv and install the project with its dev tools

bytecode: $(STAMP) ## compile the project's modules ahead (where Python is told not to write them, each command would compile them again as it starts)
	$(BIN)/python -m compileall -q forum archive search_index > /dev/null

translations: $(STAMP) ## compile the vi/en message catalogs
	$(BIN)/pybabel compile --use-fuzzy -d forum/translations

messages: $(STAMP) ## extract new UI strings into the vi/en catalogs (then translate vi)
	$(BIN)/pybabel extract -F babel.cfg -k _l -o forum/translations/messages.pot .
	$(BIN)/pybabel update -i forum/translations/messages.pot -d forum/translations

run: install ## initialise the moet demo and start web, SMTP and delivery on 127.0.0.1
	$(BIN)/forum init --preset moet --domain $(DEMO_DOMAIN)
	$(BIN)/forum add-member thpt demo@$(DEMO_DOMAIN) --name "Demo" --role owner
	$(BIN)/forum serve

browser: ## install Debian's chromium for the browser tests when missing (needs root)
	@test -x /usr/bin/chromium || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "chromium not installed: browser tests will be skipped"; }

test: install browser ## run the whole suite (SQLite; PostgreSQL too when FORUM_TEST_DATABASE_URL is set)
	$(BIN)/pytest

test-unit: install ## run the unit tests only (no database, no network)
	$(BIN)/pytest tests/unit

test-e2e: install browser ## run the browser tests only
	$(BIN)/pytest tests/e2e

lint: install ## ruff, formatting, mypy --strict and the import layers
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

fmt: install ## format and autofix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install ## import, fan-out (idle and during a burst), search, page, bounce, confidentiality, hostile-HTML and extraction benchmarks
	$(BIN)/python bench/import_mbox.py
	$(BIN)/python bench/fanout.py
	$(BIN)/python bench/burst.py
	$(BIN)/python bench/confidentiality.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/bounces.py
	$(BIN)/python bench/hostile_html.py
	$(BIN)/python bench/extraction.py

clean: ## remove the venv and caches (keeps instance/, the data)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
