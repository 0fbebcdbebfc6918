import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory
from django.views.defaults import server_error

from tests.html import text, texts

ROOT = Path(__file__).resolve().parent.parent


def _settings_value(expression, **env):
    """Import settings in a fresh interpreter with the given environment, print an expression."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.pop("DATABASE_URL", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", f"from coproseries import settings; print({expression})"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_settings_default_to_debug_off():
    result = _settings_value(
        "settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.SECURE_SSL_REDIRECT",
        DJANGO_SECRET_KEY="x" * 60,
    )
    assert result.stdout.strip() == "False True True"


def test_settings_with_debug_on_default_to_local_sqlite_in_london():
    result = _settings_value(
        "settings.DEBUG, settings.DATABASES['default']['ENGINE'], settings.TIME_ZONE, "
        "settings.LANGUAGE_CODE",
        DJANGO_DEBUG="1",
    )
    assert result.stdout.strip() == "True django.db.backends.sqlite3 Europe/London en-gb"


def test_settings_read_postgres_from_database_url():
    result = _settings_value(
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME']",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/coproseries",
        DJANGO_DEBUG="1",
    )
    assert result.stdout.strip() == "django.db.backends.postgresql coproseries"


def test_settings_without_debug_require_a_secret_key():
    result = _settings_value("settings.DEBUG", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off." in result.stderr


@pytest.mark.parametrize("command", [["runserver", "--noreload", "127.0.0.1:0"], ["migrate"]])
def test_site_without_debug_or_secret_key_refuses_to_start_and_says_why(command):
    """Nothing in the environment: DEBUG is off, so the site needs a secret key it lacks."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.pop("DATABASE_URL", None)

    result = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        "coproseries will not start: DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off. "
        'Set it to a long random value (python -c "import secrets; '
        'print(secrets.token_urlsafe(50))"), or set DJANGO_DEBUG=1 for local development only.\n',
    )


def test_settings_without_debug_are_production_safe():
    result = _settings_value(
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, settings.ALLOWED_HOSTS",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="seminars.example.org",
    )
    assert result.stdout.strip() == "True True True 31536000 ['seminars.example.org']"


def test_server_error_page_is_ours_and_needs_no_context():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    soup = BeautifulSoup(response.content, "html.parser")
    assert text(soup, "h1") == "Something went wrong"
    # Nothing may have been saved: the page does not claim otherwise.
    assert texts(soup, "main p")[:2] == [
        "Sorry: the site could not finish what you asked. If you were sending a form, it may "
        "not have been saved, so please try again in a few minutes.",
        "If you were registering for a seminar: you are registered once you get the "
        "confirmation email. Registering again with the same email address never makes a "
        "second registration.",
    ]
    assert "has been lost" not in response.content.decode()


@pytest.mark.django_db
def test_not_found_page_is_ours(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    soup = BeautifulSoup(response.content, "html.parser")
    assert text(soup, "h1") == "Page not found"


@pytest.mark.django_db
def test_a_web_worker_loads_every_view_and_template_before_its_first_request():
    """What gunicorn imports in each worker (`coproseries.wsgi`) leaves nothing for the
    first visitor to wait for: every view imported, every template compiled; fpdf2 (0.4 s
    to import) only when a certificate is asked for."""
    from tests.processes import ROOT, process_environment

    script = (
        "import sys, coproseries.wsgi\n"
        "from django.template import engines\n"
        "loader = engines['django'].engine.template_loaders[0]\n"
        "print(len(loader.get_template_cache))\n"
        "print(sorted(m for m in ('seminars.certificates.views', 'people.views', 'fpdf')"
        " if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=process_environment(DJANGO_DEBUG="1"),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    compiled, modules = result.stdout.splitlines()

    templates = len(list((ROOT / "templates").rglob("*.html")))
    assert int(compiled) >= templates
    assert modules == "['people.views', 'seminars.certificates.views']"
