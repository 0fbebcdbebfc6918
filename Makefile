# The README's two promises: `make run` and `make test`, on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

NODE_STAMP := node_modules/.installed

.PHONY: run test lint install checkers migrate demo clean bench backup restore

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

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
migrate demo: export DJANGO_DEBUG ?= 1
run: export DJANGO_DEBUG = 1

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=seminars.example.org \
	  DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

test: lint checkers
	$(BIN)/python -m pytest

# A burst of concurrent registrations against gunicorn on PostgreSQL (127.0.0.1:5432, user
# postgres): every public page against the floor, page weight and a registration burst;
# prints the tables and writes bench/results/bench.md.
bench: $(STAMP)
	command -v wrk >/dev/null || apt-get install -y -q wrk || \
	  { apt-get update -q && apt-get install -y -q wrk; }
	$(BIN)/python bench/bench.py

# The whole database in one file under backups/ (pg_dump on PostgreSQL, SQLite's online
# backup otherwise), and back again: `make restore FILE=backups/…` asks before replacing.
backup: $(STAMP)
	$(BIN)/python manage.py backup

restore: $(STAMP)
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/coproseries-….dump"; exit 2; }
	$(BIN)/python manage.py restore "$(FILE)"

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles
