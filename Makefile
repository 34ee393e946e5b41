# vsop-cms — `make help` lists the targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: lock help run test test-faults lint format check install install-dev migrate content admin messages makemessages bench-search bench-import bench serve backup restore clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs come from the lock files (exact versions with hashes); `make lock` renews them
# from the compatible ranges in requirements*.txt.
$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	@touch $@

$(VENV)/.installed-dev: requirements.lock requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $@ $(VENV)/.installed

lock: | $(BIN)/python ## Pin requirements*.lock from requirements*.txt (run after changing a requirement)
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes requirements.txt -o requirements.lock
	$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes requirements-dev.txt -c requirements.lock -o requirements-dev.lock

install: $(VENV)/.installed ## Create .venv and install the runtime dependencies

install-dev: $(VENV)/.installed-dev ## Create .venv and install runtime and test dependencies

messages: install ## Compile the interface translations (locale/*/LC_MESSAGES/*.po -> .mo)
	$(MANAGE) compile_translations

makemessages: install ## Collect new interface strings into locale/de/LC_MESSAGES/django.po
	$(MANAGE) makemessages --locale de --ignore ".venv/*" --ignore "static/*" --no-obsolete

migrate: install ## Apply database migrations (DATABASE_URL, default: embedded SQLite)
	$(MANAGE) migrate --noinput

content: migrate ## Load the VSOP content (safe to run again)
	$(MANAGE) load_vsop_content

admin: migrate ## Create the admin login on first use and print it
	$(MANAGE) ensure_admin

run: messages content admin ## Set up everything and serve the site on http://127.0.0.1:$(PORT), the mail worker beside it
	@$(MANAGE) outbox_worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# One pytest process per core (pytest-xdist; TEST_WORKERS=0 runs in this process, for pdb).
TEST_WORKERS ?= auto
test: install-dev messages ## Run the test suite (browser tests need Debian's chromium); the fault tests: make test-faults
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile -m "not fault" $(PYTEST_ARGS)

test-faults: install-dev messages ## Fault tests: throwaway PostgreSQL, Redis, SMTP and gunicorn, each broken once (bench/faults/)
	$(BIN)/pytest -m fault $(PYTEST_ARGS)

check: install-dev ## The CI gates besides the tests: checks, migrations, lint, format
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run --noinput
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lint: install-dev ## ruff check
	$(BIN)/ruff check .

format: install-dev ## ruff format and autofix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

BENCH_ARGS ?= --fresh --drop
bench-search: install ## Search benchmark on a throwaway PostgreSQL database: 10,000 pages, index build, p50/p95
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/vsop_bench} $(BIN)/python bench/search_bench.py $(BENCH_ARGS)

bench-import: install ## WordPress import benchmark: a generated 5,000-item export into a throwaway SQLite file (BENCH_DATABASE_URL for PostgreSQL)
	$(if $(BENCH_DATABASE_URL),DATABASE_URL=$(BENCH_DATABASE_URL) )$(BIN)/python bench/wordpress_import_bench.py $(BENCH_IMPORT_ARGS)

bench: install ## Page benchmark on a throwaway PostgreSQL database: every page type uncached and cached, the ceiling, cold start
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/vsop_bench_pages} $(BIN)/python bench/page_bench.py $(BENCH_ARGS)

serve: install messages ## The production stack locally: gunicorn + the mail worker (needs SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, CACHE_URL)
	PYTHON=$(BIN)/python deploy/serve.sh

BACKUP_DIR ?= backups
backup: ## Database (pg_dump) and media archive with a timestamp into BACKUP_DIR (default backups/)
	BACKUP_DIR=$(BACKUP_DIR) deploy/backup.sh

restore: ## Restore a backup: make restore BACKUP=backups/vsop-<timestamp> (replaces database and media)
	BACKUP=$(BACKUP) deploy/restore.sh

clean: ## Remove the virtualenv, the SQLite database and caches
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache
