# The README's two promises: `make run` and `make test`, on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What running needs (requirements.lock), and that plus the test tools (requirements-dev.lock).
RUN_STAMP := $(VENV)/.installed-run
STAMP := $(VENV)/.installed-dev

NODE_STAMP := node_modules/.installed

.PHONY: run test lint install checkers rehearsal-tools migrate demo clean bench backup restore lock css

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Exactly the locked versions, every file checked against its hash, then the project itself
# without its dependencies (they are all in the lock). `pip check` catches a lock that is
# behind pyproject.toml.
LOCK_BEHIND := { echo "The lock files are behind pyproject.toml: run make lock"; exit 1; }

$(RUN_STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check >/dev/null || $(LOCK_BEHIND)
	touch $@

$(STAMP): requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check >/dev/null || $(LOCK_BEHIND)
	touch $@ $(RUN_STAMP)

install: $(STAMP)

# Pin every dependency of pyproject.toml, with hashes: run after changing a dependency there,
# and commit both files. uv comes from the dev lock (even one that is behind).
lock: | $(BIN)/python
	test -x $(BIN)/uv || $(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 \
	  --output-file requirements.lock
	$(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 \
	  --extra dev --output-file requirements-dev.lock

# What the browser tests need beyond Python: Debian's chromium, and axe-core and the Nu HTML
# Checker (vnu-jar) pinned in package.json. Nothing from node_modules is served.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $(NODE_STAMP)

checkers: $(NODE_STAMP)
	command -v chromium >/dev/null || apt-get install -y -q chromium || \
	  { apt-get update -q && apt-get install -y -q chromium; }
	command -v java >/dev/null || apt-get install -y -q openjdk-17-jre-headless || \
	  { apt-get update -q && apt-get install -y -q openjdk-17-jre-headless; }

# DEBUG is off unless DJANGO_DEBUG says otherwise: the local targets turn it on (a deployment
# that sets DJANGO_DEBUG=0 keeps it off for `make migrate`), and `make run` always does.
migrate demo backup restore: export DJANGO_DEBUG ?= 1
run: export DJANGO_DEBUG = 1

# What the production rehearsal (tests/production) runs besides Python: Debian's nginx (the
# light build has gzip and TLS), Redis and openssl. The tests start their own servers.
rehearsal-tools:
	command -v nginx >/dev/null || apt-get install -y -q nginx-light || \
	  { apt-get update -q && apt-get install -y -q nginx-light; }
	command -v redis-server >/dev/null || apt-get install -y -q redis-server || \
	  { apt-get update -q && apt-get install -y -q redis-server; }
	command -v openssl >/dev/null || apt-get install -y -q openssl || \
	  { apt-get update -q && apt-get install -y -q openssl; }

migrate: $(RUN_STAMP)
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

# `make run PORT=8001` serves on another port.
PORT ?= 8000

run: demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=seminars.example.org \
	  DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

# The suite on every core (pytest-xdist, a database per worker); the production rehearsal's
# tests stay together on one worker (tests/xdist_groups.py). TEST_WORKERS=0 runs one process.
TEST_WORKERS ?= 2
test: lint checkers rehearsal-tools
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

# Bootstrap trimmed to the classes the templates use (static/vendor/bootstrap/), with Python
# alone: run after using a Bootstrap class no template used before, or one no longer used
# (tests/test_trimmed_bootstrap.py says when).
css:
	$(PYTHON) tools/trim_bootstrap.py

# How fast the site is for everyone, against gunicorn on PostgreSQL (127.0.0.1:5432, user
# postgres): every public page cached and uncached against the floor, edits, search, a
# registration rush and burst, page weight, in one table with the goals (BENCH_QUICK=1: short);
# prints the table and writes bench/results/bench.md.
bench: $(STAMP)
	command -v wrk >/dev/null || apt-get install -y -q wrk || \
	  { apt-get update -q && apt-get install -y -q wrk; }
	$(BIN)/python -m bench.bench

# The whole database in one file under backups/ (pg_dump on PostgreSQL, SQLite's online
# backup otherwise), and back again: `make restore FILE=backups/…` asks before replacing.
backup: $(RUN_STAMP)
	$(BIN)/python manage.py backup

restore: $(RUN_STAMP)
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/coproseries-….dump"; exit 2; }
	$(BIN)/python manage.py restore "$(FILE)"

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles
