"""Browser tests: Playwright drives Debian's chromium against Django's live server.

Each test commits for real (the live server answers from another thread), so the roles and
access provisions that data migrations seed are seeded again after every flush.
"""

import importlib
import os
import re
from pathlib import Path

import pytest
from django.apps import apps

# Playwright's synchronous API runs an event loop in the test's thread; Django would otherwise
# refuse the ORM calls that tests make between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.vocabularies import access_provisions_seed  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db, settings, mail_queue):
    """The live server, with links in emails pointing at it, and the roles and access
    provisions seeded again."""
    seed_roles = importlib.import_module("people.migrations.0002_seed_roles").seed_roles
    seed_roles(apps, None)
    access_provisions_seed(apps)
    # As `migrate` leaves them: in plain words (for the glossary).
    importlib.import_module(
        "people.migrations.0007_plain_role_descriptions_and_formatting_help"
    ).plain_descriptions(apps, None)
    settings.SITE_URL = live_server.url
    settings.REGISTRATION_RATE_LIMIT = settings.LOGIN_RATE_LIMIT = 1000
    return live_server


def _context(browser, base_url, *, javascript=True, viewport=DESKTOP, bypass_csp=False):
    # Journeys run under the site's Content-Security-Policy; the accessibility checks bypass
    # it (bypass_csp=True) to inject axe-core, a script the pages themselves never carry.
    return browser.new_context(
        base_url=base_url,
        java_script_enabled=javascript,
        viewport=viewport,
        accept_downloads=True,
        locale="en-GB",
        bypass_csp=bypass_csp,
    )


def _csp_violations(page):
    """Collect what the Content-Security-Policy blocked, as chromium reports it."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


@pytest.fixture
def page(browser, site):
    context = _context(browser, site.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations = _csp_violations(page)
    yield page
    context.close()
    assert violations == []


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def any_page(request, browser, site):
    """A page with JavaScript on, then the same test again with JavaScript off."""
    context = _context(browser, site.url, javascript=request.param)
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations = _csp_violations(page)
    yield page
    context.close()
    assert violations == []


@pytest.fixture
def new_page(browser, site):
    """Open more pages, each in its own context: another person on another device."""
    contexts = []

    def open_page(**options):
        context = _context(browser, site.url, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def queued_links(to, path_pattern):
    """The links in the mail queue's messages to an address whose path matches a pattern."""
    from mailer.models import Message

    found = []
    for message in Message.objects.order_by("id"):
        email = message.email
        if to in email.to:
            found += re.findall(r"https?://\S*" + path_pattern + r"\S*", email.body)
    return found
