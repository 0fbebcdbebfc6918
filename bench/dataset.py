"""What the bench loads: the data (seed_scale or the demo), the pages, a signed-in speaker.

Runs in the bench process, with the servers' settings and database.
"""

import datetime as dt
from dataclasses import dataclass

from bench.knobs import CAPACITY, RUSH_CAPACITY, SCALE
from bench.server import HOST, log

RUSH_SLUG = "registration-rush"
BURST_SLUG = "registration-burst"


@dataclass
class Target:
    name: str
    path: str
    # "page": cached for anonymous visitors; "form" and "search": never cached.
    kind: str = "page"
    queries: int = 0
    bytes: int = 0
    status: int = 0


def migrate(*, static=False):
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if static:
        # DEBUG off serves static files through the manifest storage: it needs them collected.
        call_command("collectstatic", verbosity=0, interactive=False)


def demo_load():
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)


def seed_load():
    from django.core.management import call_command

    call_command("seed_scale", scale=SCALE, verbosity=1)


def bench_seminars_add():
    """Two upcoming seminars of the bench's own, each with a waiting list: one for the rush
    (RUSH_CAPACITY places) and one for the burst (CAPACITY places)."""
    from django.utils import timezone

    from seminars.models import Seminar, Series, Venue

    series = Series.objects.create(title="Bench series", slug="bench-series")
    venue = Venue.objects.create(name="Bench Hall", city="Benchbury")
    starts_at = timezone.now().replace(microsecond=0) + dt.timedelta(days=30)
    seminars = [
        ("Registration rush", RUSH_SLUG, RUSH_CAPACITY),
        ("Registration burst", BURST_SLUG, CAPACITY),
    ]
    for number, (title, slug, capacity) in enumerate(seminars, start=1):
        Seminar.objects.create(
            series=series,
            number=number,
            title=title,
            slug=slug,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=6),
            venue=venue,
            status=Seminar.Status.PUBLISHED,
            capacity=capacity,
            waitlist_enabled=True,
        )


def busiest_seminar():
    from django.db.models import Count

    from seminars.models import Seminar

    return (
        Seminar.objects.public()
        .annotate(items=Count("talks", distinct=True) + Count("workshops", distinct=True))
        .order_by("-items", "pk")
        .first()
    )


def busiest_person():
    from django.db.models import Count

    from people.models import Person

    return (
        Person.objects.listed()
        .annotate(items=Count("talks", distinct=True) + Count("workshops", distinct=True))
        .order_by("-items", "pk")
        .first()
    )


def _longest(queryset, field):
    from django.db.models.functions import Length

    return queryset.annotate(length=Length(field)).order_by("-length", "pk").first()


def _open_form_path():
    """The registration form of the first upcoming public seminar that shows one: the
    seed's or the demo's own, with its programme, before the bench's bare burst seminar
    (GETs register nobody)."""
    from django.db.models import Case, Value, When
    from django.urls import reverse

    from seminars.models import Seminar

    upcoming = (
        Seminar.objects.public()
        .upcoming()
        .exclude(slug=RUSH_SLUG)
        .annotate(bench=Case(When(slug=BURST_SLUG, then=Value(1)), default=Value(0)))
        .order_by("bench", "starts_at", "pk")
    )
    for seminar in upcoming[:20]:
        path = reverse("seminars:registration_create", kwargs={"slug": seminar.slug})
        status, content, _ = _get(path)
        if status == 200 and b"csrfmiddlewaretoken" in content:
            return path
    return None


def page_targets():
    """Every public page, each at its heaviest: the seminar and the person with the most on
    their programme, the longest recap, the theme with the most items; the registration
    form of an upcoming seminar; and a search for two words the seed data uses everywhere."""
    from django.urls import reverse

    from seminars.models import Recap, Theme

    seminar, person = busiest_seminar(), busiest_person()
    recap = _longest(Recap.objects.public(), "body")
    theme = Theme.objects.public().order_by("-item_count", "pk").first()
    targets = [
        Target("home", "/"),
        Target("seminar list", reverse("seminars:seminar_list")),
        Target("seminar page", seminar.get_absolute_url()),
        Target(
            "seminar calendar",
            reverse("seminars:seminar_calendar", kwargs={"slug": seminar.slug}),
        ),
        Target("calendar", reverse("seminars:calendar_feed")),
        Target("seminars feed", reverse("seminars:seminar_feed")),
        Target("people", reverse("people:person_list")),
        Target("person page", person.get_absolute_url()),
        Target("voices", reverse("seminars:voices")),
        Target("recaps", reverse("seminars:recap_list")),
        Target("recap page", recap.get_absolute_url()) if recap else None,
        Target("recaps feed", reverse("seminars:recap_feed")),
        Target("themes", reverse("seminars:theme_list")),
        Target("theme page", theme.get_absolute_url()) if theme else None,
        Target("glossary", reverse("seminars:glossary")),
        Target("privacy", reverse("seminars:privacy")),
        Target("accessibility", reverse("seminars:accessibility")),
        Target("subscribe", reverse("seminars:subscribe")),
        Target("sitemap", "/sitemap.xml"),
    ]
    form = _open_form_path()
    if form:
        targets.append(Target("registration form", form, kind="form"))
    targets.append(Target("search", reverse("seminars:search") + "?q=peer+support", kind="search"))
    return [target for target in targets if target is not None]


def _get(path, session=None):
    from django.conf import settings
    from django.test import Client

    client = Client()
    if session:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    response = client.get(path, HTTP_HOST=f"{HOST}:8765")
    return response.status_code, response.content, response


def profile(target, session=None):
    """The queries and bytes of a render as the uncached server makes one: the page cache
    off, after one request that has filled whatever else is cached (the site's identity)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    with override_settings(PAGE_CACHE=False, PUBLIC_PAGE_CACHE_SECONDS=0):
        _get(target.path, session)
        with CaptureQueriesContext(connection) as queries:
            status, content, _ = _get(target.path, session)
    target.queries, target.bytes, target.status = len(queries), len(content), status
    if status != 200:
        log(f"{target.path} answered {status}")
    return target


def speaker_session(person):
    """A session cookie for `person`, signed in (a login of their own is made if they have
    none): what a speaker's browser sends once logged in."""
    from django.conf import settings
    from django.test import Client

    from people.models import User

    user = person.user
    if user is None:
        user = User.objects.create_user(email=f"bench-speaker-{person.pk}@example.org")
        person.user = user
        person.save(update_fields=["user"])
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def demo_speaker():
    from people.models import Person
    from seminars.management.commands.load_demo import SPEAKER_PERSON_SLUG

    return Person.objects.get(slug=SPEAKER_PERSON_SLUG)


def edited_seminar(avoid_person, avoid_seminar):
    """A past seminar shown on none of the pages the bench loads while it edits it: not the
    busiest seminar, nothing by the busiest person, no recap, not the newest."""
    from seminars.models import Seminar

    candidates = (
        Seminar.objects.public()
        .past()
        .exclude(pk=avoid_seminar.pk)
        .exclude(talks__speakers=avoid_person)
        .exclude(workshops__facilitators=avoid_person)
        .filter(recaps__isnull=True)
    )
    fallback = Seminar.objects.public().exclude(pk=avoid_seminar.pk).order_by("starts_at", "pk")
    return candidates.order_by("starts_at", "pk").first() or fallback.first()


def seminar_edit(pk, number):
    """Save a seminar as the admin's change form does (every field, through `save()`), with
    its description changed."""
    from seminars.models import Seminar

    seminar = Seminar.objects.get(pk=pk)
    base = seminar.description.split("\n\n(Bench edit")[0]
    seminar.description = f"{base}\n\n(Bench edit {number}.)"
    seminar.save()


def stored_registrations(slug):
    from seminars.models import Registration

    statuses = list(
        Registration.objects.filter(seminar__slug=slug).values_list("status", flat=True)
    )
    return {
        "confirmed": statuses.count(Registration.Status.CONFIRMED),
        "waitlisted": statuses.count(Registration.Status.WAITLISTED),
        "stored": len(statuses),
    }


def postgres_version():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0].split()[0]
