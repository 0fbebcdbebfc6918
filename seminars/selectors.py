"""Reads that cross models, shaped for the public pages with a fixed number of queries."""

from dataclasses import dataclass
from operator import attrgetter

from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import dateformat, timezone

from seminars.access.selectors import with_access_provisions
from seminars.models import (
    Recap,
    Registration,
    Seminar,
    Series,
    Talk,
    TalkSpeaker,
    Theme,
    Workshop,
    WorkshopFacilitator,
    with_theme_links,
)
from seminars.places import ATTENDANCE_ADJECTIVES, attendance_modes
from seminars.voices import voices_for


def talk_people():
    """A talk's speakers in programme order, into `people_links` (what `item.people` reads)."""
    return Prefetch(
        "speaker_links",
        queryset=TalkSpeaker.objects.select_related("person").order_by("position", "pk"),
        to_attr="people_links",
    )


def workshop_people():
    """A workshop's facilitators in programme order, into `people_links`."""
    return Prefetch(
        "facilitator_links",
        queryset=WorkshopFacilitator.objects.select_related("person").order_by("position", "pk"),
        to_attr="people_links",
    )


def _public_recaps(to_attr="public_recaps"):
    return Prefetch(
        "recaps",
        queryset=with_theme_links(Recap.objects.public().prefetch_related("authors")),
        to_attr=to_attr,
    )


def _programme(*, themes=False):
    """The prefetches that give seminars their talks and workshops with their people (and
    the items' themes, for pages that show them): what `seminar_programme` reads."""
    talks = Talk.objects.prefetch_related(talk_people())
    workshops = Workshop.objects.prefetch_related(workshop_people())
    if themes:
        talks, workshops = with_theme_links(talks), with_theme_links(workshops)
    return [Prefetch("talks", queryset=talks), Prefetch("workshops", queryset=workshops)]


def _seminar_cards(seminars):
    """Seminars with what their cards show: venue, themes and access provisions."""
    return with_access_provisions(with_theme_links(seminars.select_related("venue")))


def seminar_list_upcoming():
    """Every public seminar not yet ended, soonest first: a series has only a few."""
    return list(_seminar_cards(Seminar.objects.public().upcoming()))


def seminar_list_past():
    """Public seminars that have ended, newest first, for a paginated list."""
    return _seminar_cards(Seminar.objects.public().past())


def calendar_seminars():
    """Every public seminar, for the subscribable calendar; `programmes_load` gives the
    programmes of those whose events are not kept in the page cache."""
    return Seminar.objects.public().select_related("series", "venue").order_by("starts_at", "pk")


def programmes_load(seminars):
    """Give `seminars` (a list) their programmes, as `seminar_programme` reads them."""
    prefetch_related_objects(seminars, *_programme())


def seminar_detail_queryset(*, drafts=False):
    """Public seminars for their pages; with `drafts`, every seminar (organisers' previews)."""
    seminars = Seminar.objects.all() if drafts else Seminar.objects.public()
    return _seminar_cards(
        seminars.with_registration_counts()
        .select_related("series", "venue")
        .with_breaks()
        .prefetch_related(*_programme(themes=True), _public_recaps())
    )


def seminar_programme(seminar):
    """Talks and workshops of a seminar interleaved by start time (talks first on a tie)."""
    items = [*seminar.talks.all(), *seminar.workshops.all()]
    return sorted(items, key=attrgetter("starts_at", "ends_at"))


def seminar_timeline(seminar, programme):
    """The seminar's day in time order: its programme (`seminar_programme`) with its breaks
    (annotated, as `seminar_detail_queryset` does)."""
    return sorted([*programme, *seminar.break_list], key=attrgetter("starts_at", "ends_at"))


def planning_timeline(seminar):
    """The whole day as saved, drafts included, for organisers planning it in the admin:
    talks, workshops and breaks in time order, with the people on each."""
    prefetch_related_objects([seminar], *_programme())
    return seminar_timeline(seminar, seminar_programme(seminar))


def seminar_programme_loaded(seminar):
    """`seminar_programme` for a seminar loaded without the programme's prefetches."""
    prefetch_related_objects([seminar], *_programme())
    return seminar_programme(seminar)


def seminar_voices(programme, *, past=False):
    """The balance of voices on a seminar page's programme; None when it has no items, or
    when the seminar is over and no one on it stated a role: a table in which every row is
    "Not stated" tells a reader nothing, and no one will now be asked."""
    if not programme:
        return None
    voices = voices_for(programme)
    return voices if voices.any_role_stated or not past else None


def planning_voices(seminar):
    """The balance of voices on a seminar's talks and workshops as saved, whatever its
    status: organisers see it in the admin while planning."""
    prefetch_related_objects([seminar], *_programme())
    return voices_for(seminar_programme(seminar))


def person_programme(person):
    """A person's public talks and workshops, newest seminar first."""
    talks = Talk.objects.filter(speaker_links__person=person, seminar__in=Seminar.objects.public())
    workshops = Workshop.objects.filter(
        facilitator_links__person=person, seminar__in=Seminar.objects.public()
    )
    items = [
        *with_theme_links(talks.select_related("seminar").prefetch_related(talk_people())),
        *with_theme_links(workshops.select_related("seminar").prefetch_related(workshop_people())),
    ]
    return sorted(items, key=attrgetter("starts_at"), reverse=True)


def person_recaps(person):
    return list(recap_list_queryset().filter(authors=person))


def recap_list_queryset(*, drafts=False):
    """Public recaps; with `drafts`, every recap (organisers' previews)."""
    recaps = Recap.objects.all() if drafts else Recap.objects.public()
    return with_theme_links(recaps.select_related("seminar").prefetch_related("authors"))


def theme_list():
    """Every theme with something public on it, with its counts of public items."""
    return list(Theme.objects.public())


def theme_detail_queryset():
    return Theme.objects.public()


@dataclass(frozen=True)
class ThreadEntry:
    """One item on a theme's thread: a seminar, talk, workshop or recap, and its date."""

    kind: str
    when: object
    item: object
    other_themes: list

    @property
    def label(self):
        if self.kind == "talk":
            return self.item.get_kind_display()
        return self.kind.capitalize()

    @property
    def seminar(self):
        """The public seminar the item belongs to, if any (a seminar belongs to itself)."""
        if self.kind == "seminar":
            return self.item
        seminar = self.item.seminar
        if seminar is None or seminar.status == Seminar.Status.DRAFT:
            return None
        return seminar


# On the same moment, a seminar comes before its programme, and a recap last.
_THREAD_ORDER = {"seminar": 0, "talk": 1, "workshop": 2, "recap": 3}


def theme_thread(theme):
    """Everything public on a theme across the series, oldest first, so that the discussion
    reads as it unfolded: seminars and their talks and workshops by start, recaps by date."""
    public_seminars = Seminar.objects.public()
    sources = [
        ("seminar", "starts_at", public_seminars.select_related("venue")),
        (
            "talk",
            "starts_at",
            Talk.objects.filter(seminar__in=public_seminars)
            .select_related("seminar")
            .prefetch_related(talk_people()),
        ),
        (
            "workshop",
            "starts_at",
            Workshop.objects.filter(seminar__in=public_seminars)
            .select_related("seminar")
            .prefetch_related(workshop_people()),
        ),
        (
            "recap",
            "published_at",
            Recap.objects.public().select_related("seminar").prefetch_related("authors"),
        ),
    ]
    entries = []
    for kind, date_field, items in sources:
        for item in with_theme_links(items.filter(themes=theme).order_by()):
            others = [other for other in item.theme_list if other.slug != theme.slug]
            entries.append(ThreadEntry(kind, getattr(item, date_field), item, others))
    return sorted(entries, key=lambda entry: (entry.when, _THREAD_ORDER[entry.kind], entry.item.pk))


def home_context():
    upcoming = list(
        _seminar_cards(Seminar.objects.public().upcoming().with_registration_counts())[:6]
    )
    next_seminar = next((seminar for seminar in upcoming if not seminar.is_cancelled), None)
    return {
        "series": Series.objects.order_by("pk").first(),
        "next_seminar": next_seminar,
        "next_availability": next_seminar and registration_availability(next_seminar),
        "upcoming": [seminar for seminar in upcoming if seminar != next_seminar],
        "latest_recaps": list(recap_list_queryset()[:3]),
    }


@dataclass(frozen=True)
class Availability:
    """Whether, and how, someone can register for a seminar right now.

    For a hybrid seminar asked about as a whole, `modes` holds the availability of each way
    of attending (in person, online), each with its own places and waiting list.
    """

    code: str  # open, waitlist, full, not_yet, closed, past, cancelled
    message: str
    places_left: int | None = None
    modes: tuple = ()
    headline: str = ""  # the message without the modes' sentences, to list them after it
    attendance: str = ""  # the way of attending this is about, for one mode of a hybrid

    @property
    def can_register(self):
        return self.code in {"open", "waitlist"}

    @property
    def joins_waitlist(self):
        return self.code == "waitlist"

    @property
    def label(self):
        return Registration.Attendance(self.attendance).label if self.attendance else ""


def registration_closes_at(seminar):
    return seminar.registration_closes_at or seminar.starts_at


def registration_window_closed(seminar, *, now=None):
    """Why registration is shut whatever the places: an Availability, or None when open."""
    now = now or timezone.now()
    if seminar.is_cancelled:
        return Availability("cancelled", "This seminar has been cancelled, so you cannot register.")
    if seminar.ends_at < now:
        return Availability("past", "This seminar has already taken place.")
    if seminar.registration_opens_at and now < seminar.registration_opens_at:
        opens = dateformat.format(timezone.localtime(seminar.registration_opens_at), "j F Y, H:i")
        return Availability("not_yet", f"Registration opens on {opens} (UK time).")
    if now >= registration_closes_at(seminar):
        return Availability("closed", "Registration for this seminar has closed.")
    return None


REGISTRATION_COUNTS = [
    "confirmed_count",
    "waitlisted_count",
    "in_person_confirmed_count",
    "online_confirmed_count",
    "companion_count",
]


def registration_tally(seminar_pk):
    """One seminar's confirmed and waiting registrations, as ({what `with_registration_counts`
    annotates}, {workshop pk: registrations holding a place in it}), in one small query.

    Written out in SQL because the page cache runs it on every request for a page that shows
    places left (seminars/freshness.py): the ORM would spend longer building the query than
    the database spends answering it.
    """
    meta = Registration._meta
    quote = connection.ops.quote_name
    status, attendance, companion, workshop, seminar = (
        quote(meta.get_field(name).column)
        for name in ["status", "attendance", "with_companion", "workshop", "seminar"]
    )
    sql = (
        f"SELECT {status}, {attendance}, {companion}, {workshop}, COUNT(*) "
        f"FROM {quote(meta.db_table)} WHERE {seminar} = %s AND {status} IN (%s, %s) "
        "GROUP BY 1, 2, 3, 4"
    )
    confirmed, waitlisted = Registration.Status.CONFIRMED, Registration.Status.WAITLISTED
    with connection.cursor() as cursor:
        cursor.execute(sql, [seminar_pk, confirmed, waitlisted])
        rows = cursor.fetchall()
    counts = dict.fromkeys(REGISTRATION_COUNTS, 0)
    taken = {}
    for row_status, row_attendance, with_companion, workshop_pk, number in rows:
        if workshop_pk is not None:
            taken[workshop_pk] = taken.get(workshop_pk, 0) + number
        if row_status == waitlisted:
            counts["waitlisted_count"] += number
            continue
        counts["confirmed_count"] += number
        if row_attendance == Registration.Attendance.ONLINE:
            counts["online_confirmed_count"] += number
        else:
            counts["in_person_confirmed_count"] += number
            if with_companion:
                counts["companion_count"] += number
    return counts, taken


def _annotated_places_taken(seminar, attendance=None):
    """The places confirmed registrations take, companions included, in one way of attending
    when the seminar is hybrid: from `with_registration_counts()`."""
    if not seminar.is_hybrid:
        return seminar.confirmed_count + seminar.companion_count
    if attendance == Registration.Attendance.ONLINE:
        return seminar.online_confirmed_count
    return seminar.in_person_confirmed_count + seminar.companion_count


def _places(count):
    return f"{count} {'place' if count == 1 else 'places'}"


def _single_pool(seminar, places_taken):
    if seminar.capacity is None:
        return Availability("open", "Registration is open.")
    places_left = max(seminar.capacity - places_taken, 0)
    if places_left:
        return Availability(
            "open", f"Registration is open: {_places(places_left)} left.", places_left
        )
    if seminar.waitlist_enabled:
        return Availability(
            "waitlist", "This seminar is full. You can join the waiting list.", places_left
        )
    return Availability("full", "This seminar is full.", places_left)


def _mode(seminar, attendance, places_taken):
    """One way of attending a hybrid seminar: its places, in a sentence of its own."""
    label = Registration.Attendance(attendance).label
    where = ATTENDANCE_ADJECTIVES[attendance]
    capacity = seminar.capacity_for(attendance)
    if capacity is None:
        return Availability("open", f"{label}: places available.", None, attendance=attendance)
    places_left = max(capacity - places_taken, 0)
    if places_left:
        return Availability(
            "open", f"{label}: {_places(places_left)} left.", places_left, attendance=attendance
        )
    if seminar.waitlist_enabled:
        return Availability(
            "waitlist",
            f"{label}: full. You can join the {where} waiting list.",
            0,
            attendance=attendance,
        )
    return Availability("full", f"{label}: full.", 0, attendance=attendance)


COMPANION_WAITS = (
    "Only one place is left, and you and your companion or personal assistant need two, so "
    "you are on the waiting list. You will be offered both places together as soon as two "
    "are free."
)
COMPANION_REFUSED = (
    "Only one place is left, so there is no room for a companion or personal assistant as "
    "well, and this seminar has no waiting list. You can register without one, or contact "
    "the organisers."
)


def _room_for(seminar, availability, places_needed):
    """Someone bringing a companion needs two places. With only one left they join the
    waiting list (the kinder answer: they are offered both places together as soon as two
    are free), or, when there is no waiting list, are told plainly why they cannot register
    with one. The last place stays for someone who needs only one."""
    places_left = availability.places_left
    if availability.code != "open" or places_left is None or places_left >= places_needed:
        return availability
    if seminar.waitlist_enabled:
        return Availability(
            "waitlist", COMPANION_WAITS, places_left, attendance=availability.attendance
        )
    return Availability("full", COMPANION_REFUSED, places_left, attendance=availability.attendance)


def registration_availability(
    seminar, *, places_taken=None, attendance=None, places_needed=1, now=None
):
    """Why a seminar can or cannot take registrations, in words for the public.

    For a hybrid seminar, `attendance` asks about one way of attending (`places_taken` then
    counts that way's confirmed places); without it, the answer covers both ways, each in
    `modes`. `places_taken` (a companion's place included) defaults to the
    `with_registration_counts()` annotations. `places_needed` is two for a registration
    that brings a companion to the room.
    """
    closed = registration_window_closed(seminar, now=now)
    if closed is not None:
        return closed
    if not seminar.is_hybrid:
        if places_taken is None:
            places_taken = _annotated_places_taken(seminar)
        return _room_for(seminar, _single_pool(seminar, places_taken), places_needed)
    if attendance is not None:
        if places_taken is None:
            places_taken = _annotated_places_taken(seminar, attendance)
        mode = _mode(seminar, attendance, places_taken)
        if mode.code == "full":
            where = ATTENDANCE_ADJECTIVES[attendance]
            message = (
                f"The {where} places are full and there is no waiting list. You may still be "
                "able to register to attend the other way."
            )
            return Availability("full", message, 0, attendance=attendance)
        return _room_for(seminar, mode, places_needed)
    modes = tuple(
        _mode(seminar, mode, _annotated_places_taken(seminar, mode))
        for mode in attendance_modes(seminar)
    )
    codes = {mode.code for mode in modes}
    code = "open" if "open" in codes else "waitlist" if "waitlist" in codes else "full"
    limited = [mode.places_left for mode in modes]
    places_left = None if None in limited else sum(limited)
    opening = {
        "open": "Registration is open.",
        "waitlist": "This seminar is full. You can join a waiting list.",
        "full": "This seminar is full.",
    }[code]
    message = " ".join([opening, *(mode.message for mode in modes)])
    return Availability(code, message, places_left, modes=modes, headline=opening)


def in_person_places_left(availability):
    """The places left in the room, from an availability of the whole seminar: None when
    there is no limit or nobody attends in person."""
    if availability.modes:
        for mode in availability.modes:
            if mode.attendance == Registration.Attendance.IN_PERSON:
                return mode.places_left
        return None
    return availability.places_left


def registration_shows_online_link(registration):
    """The private joining link goes only to confirmed registrants attending online."""
    return bool(
        registration.seminar.online_url
        and registration.status == Registration.Status.CONFIRMED
        and registration.attendance == Registration.Attendance.ONLINE
    )


def speaker_programme(person):
    """A speaker's own talks and workshops, drafts included, split into upcoming and past.

    Each item carries `own_link`, the person's own row on it: what they asked of it (not to
    be recorded, not to be photographed).
    """
    links = [
        *TalkSpeaker.objects.filter(person=person).select_related("talk__seminar"),
        *WorkshopFacilitator.objects.filter(person=person).select_related("workshop__seminar"),
    ]
    items = []
    for link in links:
        item = link.item
        item.own_link = link
        items.append(item)
    now = timezone.now()
    upcoming = sorted((i for i in items if i.seminar.ends_at >= now), key=attrgetter("starts_at"))
    past = sorted(
        (i for i in items if i.seminar.ends_at < now), key=attrgetter("starts_at"), reverse=True
    )
    return {"upcoming_items": upcoming, "past_items": past}
