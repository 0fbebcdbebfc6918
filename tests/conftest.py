import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connections
from django.test import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from coproseries import pagecache
from people.services import ORGANISERS_GROUP
from tests.factories import UserFactory

# Property-based tests: the same examples on every run and every machine (derandomize), no
# example database written into the tree, and few enough examples to keep the suite quick.
# Examples share one test's database transaction and fixtures, hence the suppressed checks.
hypothesis_settings.register_profile(
    "coproseries",
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis_settings.load_profile("coproseries")


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: unknown under -p no:xdist
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup` keeps the production rehearsal's tests on one worker."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from tests.xdist_groups import DirectoryGroupScheduling

    return DirectoryGroupScheduling(config, log)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Let each connection ask, once, whether its SQLite has JSON functions (pages annotate
    themes as JSON) before any test counts queries: the answer is kept for the process, so
    it would otherwise land in whichever test came first."""
    with django_db_blocker.unblock():
        for connection in connections.all():
            connection.features.supports_json_field  # noqa: B018 (the probe is the point)


@pytest.fixture(scope="session", autouse=True)
def _in_process_cache():
    """The suite's default cache lives in the test process, not in the database.

    The site's default (the database cache, coproseries/cache.py) would add its own queries
    to every literal query count, and would need the database in tests that have none.
    Tests of the shared cache name it (`caches["database"]`) or run processes with the
    site's own settings (tests/processes.py).
    """
    with override_settings(
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "database": django_settings.CACHES["database"],
        }
    ):
        yield


@pytest.fixture
def organiser(db):
    """A staff user in the Organisers group: not a superuser."""
    user = UserFactory(email="organiser@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    return user


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Django's production hasher spends about half a second a password on purpose; tests
    log in hundreds of times. What is compared is the same; the site keeps the default."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Rate limits live in the cache: every test starts with none used.

    Windows as long as a year keep a test from straddling two of them (fixed windows
    start again on the clock's boundaries).
    """
    year = 365 * 24 * 3600
    settings.REGISTRATION_RATE_WINDOW = settings.LOGIN_RATE_WINDOW = year
    settings.SEARCH_RATE_WINDOW = year
    # The burst limit only where a test is about it: over a year it would be the only one.
    settings.SEARCH_BURST_LIMIT = 10**6
    cache.clear()
    pagecache.LOCAL.clear()  # the page cache's copies in this process
    yield
    cache.clear()
    pagecache.LOCAL.clear()


@pytest.fixture
def mail_queue(settings):
    """Send mail the production way: queued in the database by django-mailer.

    `send_mail` then drains the queue into Django's in-memory outbox.
    """
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings
