"""`manage.py load_demo`: the demo series, safe to run again and again.

It creates what is missing and changes nothing that exists: each object is found by its
natural key (a slug, a name, a seminar and a slug, an email address) and left as it is when
found, so that `make run` never undoes an organiser's edits to the demo, and never resets a
password (which would log everyone out).

The first seminar (Leeds, 5 January 2016) and its people are real: their text keeps to the
facts in DESIGN.md section 1, and the real people get a name and nothing else. Everything
else (upcoming seminars, venues, speakers, a registrant, logins) is fictional and says so,
and is dated relative to today so the site always has something coming up.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from fpdf import FPDF

from people.models import Person, Role, User
from people.payments.demo import demo_payments_ensure
from people.services import organisers_group_sync
from seminars.access.models import AccessProvision, AccessRequestStatus
from seminars.feedback.demo import feedback_demo_ensure
from seminars.models import (
    Break,
    Recap,
    Registration,
    Seminar,
    Series,
    Talk,
    Theme,
    Venue,
    Workshop,
)
from seminars.services import programme_item_set_people, programme_item_wishes_set

LONDON = ZoneInfo("Europe/London")

ORGANISER_EMAIL = "organiser@example.org"
ORGANISER_PASSWORD = "demo-organiser-password"
SPEAKER_EMAIL = "speaker@example.org"
SPEAKER_PASSWORD = "demo-speaker-password"
# The fictional person the demo speaker login belongs to.
SPEAKER_PERSON_SLUG = "ada-example"
# The fictional seminar that has already taken place: people came, and gave feedback.
PAST_SEMINAR_SLUG = "seminar-5-lived-experience-in-training"
# A fictional registrant marked as arrived at the first seminar (certificates are on).
DEMO_ATTENDEE_EMAIL = "zoe.attendee@example.org"

SERIES = {
    "slug": "re-imagining-professionalism-in-mental-health",
    "title": "Re-imagining professionalism in mental health: towards co-production",
    "strapline": "Who counts as a professional in mental health, and how can power be shared?",
    "funder": "Economic and Social Research Council (ESRC)",
    # Plain words, short sentences: each term links to the glossary where it first appears.
    "description": (
        "A series of one-day seminars about mental health care. We ask what it means to be "
        "a professional, and how the people who use services and the people who provide "
        "them can share power.\n\n"
        "Each seminar has talks and workshops. The speakers are a mix on purpose: "
        "[academics](/glossary/#role-academic), "
        "[experts by experience](/glossary/#role-expert-by-experience) "
        "(people who have used mental health services), "
        "[peer support workers](/glossary/#role-peer-support-worker), "
        "[carers](/glossary/#role-carer) and [practitioners](/glossary/#role-practitioner). "
        "After each seminar we write a [recap](/glossary/#recap): a short account for "
        "everyone who was there and everyone who was not."
    ),
    "short_name": "Re-imagining professionalism",
    # A reserved example address: the demo names no real inbox.
    "contact_email": "organisers@example.org",
    # A number Ofcom keeps for drama (Leeds), and an organisation that does not exist: the
    # demo names no real phone or controller. Organisers set their own in the admin.
    "contact_phone": "0113 496 0000",
    "data_controller": "Example Seminars Partnership (a fictional organisation, for the demo)",
}

# The demo's themes, by slug: (name, description). All but role models come from the facts
# of the first seminar (DESIGN §1); the fictional seminars carry them on.
THEMES = {
    "democratic-professionalism": (
        "Democratic professionalism",
        "Professionalism as a shared, democratic practice: power moving between the people "
        "who use services and the people who provide them, and professional work tied to "
        "participatory citizenship.",
    ),
    "regulation": (
        "Regulation",
        "Whether regulation helps co-production or gets in its way, and who a regulated "
        "profession leaves out.",
    ),
    "role-models": (
        "Role models",
        "Peer support workers, experts by experience and carers whose work shows others what "
        "a different kind of professional could be.",
    ),
    "language-and-labels": (
        "Language and labels",
        'The words used about services and the people in them: "service user", "user-led", '
        "and the user and provider binary that such terms can keep in place.",
    ),
    "mutuality-and-reciprocity": (
        "Mutuality and reciprocity",
        "Relationships in which support flows both ways, and what co-production asks of "
        'everyone in them; "recovery together" is one way of putting it.',
    ),
}

# Real people: a name and a slug, nothing more. No biographies are invented for them.
REAL_PEOPLE = {
    "albert-dzur": "Albert Dzur",
    "michael-guthrie": "Michael Guthrie",
    "annie-dransfield": "Annie Dransfield",
    "scott-bell": "Scott Bell",
}

FICTIONAL_NOTE = "A fictional speaker created for the demo site."
DEMO_CONSENT_DATE = dt.date(2026, 1, 5)
DEMO_CONSENT_NOTE = "fictional person: consent stands in for a real one (demo data)"

# slug: (name, pronouns, affiliation, role slugs, extra fields, rest of the bio)
FICTIONAL_PEOPLE = {
    "ada-example": (
        "Ada Example",
        "she/her",
        "Northbridge University (fictional)",
        ["academic"],
        {},
        "Ada researches how mental health services share decisions with the people who use them.",
    ),
    "bilal-sample": (
        "Bilal Sample",
        "he/him",
        "Northbridge Peer Network (fictional)",
        ["expert-by-experience", "peer-support-worker"],
        {},
        "Bilal draws on his own experience of mental health services in his work as a peer "
        "support worker.",
    ),
    "carys-placeholder": (
        "Carys Placeholder",
        "she/her",
        "Eastmoor Carers' Forum (fictional)",
        ["carer"],
        {},
        "Carys has cared for a family member for many years and speaks about carers' place "
        "in co-production.",
    ),
    "dev-fictional": (
        "Dev Fictional",
        "he/him",
        "Northbridge Community Mental Health Team (fictional)",
        ["practitioner"],
        {},
        "Dev is a community mental health nurse interested in shared care planning.",
    ),
    "efua-demo": (
        "Efua Demo",
        "she/her",
        "Northbridge University (fictional)",
        ["student"],
        {},
        "Efua is a postgraduate student writing about co-produced research.",
    ),
    "gwen-invented": (
        "Gwen Invented",
        "they/them",
        "Eastmoor Health Board (fictional)",
        ["policy-maker"],
        {},
        "Gwen works on how services are commissioned and what that means for co-production.",
    ),
    "hal-madeup": (
        "Hal Madeup",
        "they/them",
        "",
        ["expert-by-experience"],
        # Shows a person choosing not to have their roles shown publicly.
        {"show_roles": False},
        "Hal has chosen not to show their roles on this site.",
    ),
    # Credited with demo text, so that no words are put in a real person's mouth.
    "demo-editors": (
        "Demo editors",
        "",
        "",
        [],
        {},
        "It stands for the people who wrote the demo site's text, such as the 2016 recap.",
    ),
    "iris-pretend": (
        "Iris Pretend",
        "she/her",
        "Eastmoor Recovery College (fictional)",
        ["peer-support-worker"],
        # Shows someone who appears on a programme but not in the people directory.
        {"is_listed": False},
        "Iris co-leads courses at a recovery college.",
    ),
}

ACCESS_NOT_RECORDED = "Access information for this past seminar was not recorded."

# What the organisers of the upcoming demo seminar wrote under "Wellbeing and what to
# expect". The contact is fictional, with a number from Ofcom's range for drama (01632 960xxx);
# the support text names only the NHS's own routes, so that nobody is sent to a made-up line.
DEMO_WELLBEING = {
    "content_notes": (
        "*Demo text.* Some talks include first-hand accounts of being detained under the "
        "Mental Health Act, and mention self-harm. Speakers will say so before they begin, "
        "and you are welcome to step out at any time."
    ),
    "what_to_expect": (
        "*Demo text.* A relaxed day: talks and a panel in the morning, a small-group workshop "
        "in the afternoon.\n\n"
        "- A break of at least 15 minutes every 90 minutes, and lunch at 13:00.\n"
        "- The quiet room is open all day.\n"
        "- Ground rules for discussion: speak from your own experience, let people finish, "
        "and keep what others share in the workshop to yourself."
    ),
    "wellbeing_contact_name": "Alex Morgan (demo)",
    "wellbeing_contact_details": "01632 960 000, or at the registration desk all day",
    "support": (
        "*Demo text.* On the day, the wellbeing contact and the quiet room are there for you. "
        "Afterwards, your GP or NHS 111 can help; in an emergency, call 999."
    ),
    "easy_read": (
        "This is a pretend meeting for the demo website.\n\n"
        "The meeting is about peer support workers. Peer support workers have used mental "
        "health services. Now they help other people who use services.\n\n"
        "People will talk about who makes the decisions in mental health services.\n\n"
        "The meeting starts at 10 in the morning. It ends at half past 4 in the afternoon.\n\n"
        "There are breaks, and lunch. You can leave the room at any time."
    ),
}

FICTIONAL_VENUES = {
    "northbridge": {
        "name": "Northbridge Community Hall (fictional venue)",
        "address": "14 Fictional Road\nNorthbridge",
        "city": "Northbridge",
        "postcode": "NB1 4FX",
        "access_info": (
            "Step-free access through the main entrance on Fictional Road, with automatic "
            "doors. A hearing loop covers the main hall. A quiet room is open all day on the "
            "ground floor. Accessible toilets on every floor and gender-neutral toilets on the "
            "ground floor. Two accessible parking spaces by the entrance."
        ),
    },
    "eastmoor": {
        "name": "Eastmoor Arts Centre (fictional venue)",
        "address": "3 Riverside Walk\nEastmoor",
        "city": "Eastmoor",
        "postcode": "EM2 7QZ",
        "access_info": (
            "Level access from Riverside Walk and a lift to every floor. Hearing loop in the "
            "studio and at the reception desk. A quiet room with low lighting is available "
            "throughout the day. Accessible toilets on the ground and first floors. Assistance "
            "dogs are welcome."
        ),
    },
}

# What the fictional seminars provide, by the slugs the vocabulary was seeded with. Organisers
# own the vocabulary: a provision they have deleted is left out, never created again.
DEMO_PROVISIONS = {
    "peer-support": [
        "step-free-access", "hearing-loop", "quiet-room", "accessible-toilets", "regular-breaks",
        "relaxed-format",
    ],
    "hybrid": [
        "step-free-access", "hearing-loop", "bsl-interpretation", "live-captions", "quiet-room",
        "accessible-toilets", "captions-online",
    ],
    "draft": ["step-free-access", "accessible-toilets"],
}  # fmt: skip

# A fictional registrant, to show organisers an access request, a companion's place and
# pronouns on a name badge.
DEMO_REGISTRATION = {
    "name": "Rowan Example (fictional registrant)",
    "email": "rowan.example@example.org",
    "pronouns": "they/them",
    "organisation": "Northbridge Hearing Voices Group (fictional)",
    "access_requirements": "A seat near the front, to lip-read the speakers. (Demo data.)",
    "access_request_status": AccessRequestStatus.ARRANGED,
    "access_note": "Demo data: two seats kept at the front, inside the hearing loop.",
    "with_companion": True,
}
DEMO_REGISTRATION_NEEDS = ["hearing-loop", "regular-breaks"]

RECAP_BODY = """\
The first seminar of *Re-imagining professionalism in mental health: towards co-production*
met at the University of Leeds on 5 January 2016.

## Democratic professionalism

Albert Dzur opened the day with his theory of democratic professionalism. It asks for a
shift of power between the people called "service users" and the people called "service
providers", and it ties that shift to participatory citizenship.

## What should count as professionalism?

Michael Guthrie and Annie Dransfield then gave talks. The discussion that followed kept
coming back to three questions:

- What should count as professionalism in mental health?
- Should it include service users, carers and peer support workers?
- Does regulation help co-production, or get in its way?

## Mutuality and reciprocity

Scott Bell led a workshop on mutuality and reciprocity in co-productive relationships. The
workshop questioned the term "user-led" and the binary between service users and service
providers. "Recovery together" was proposed.

*Demo text: written by the demo site's editors from a short summary of the seminar; it is
not the original recap. The original recap was written by Pamela Fisher, and none of the
words here are hers.*
"""


class Command(BaseCommand):
    help = (
        "Load the demo series: the first seminar (2016), fictional upcoming seminars, people "
        "and a recap. Creates what is missing and changes nothing that exists, so it is safe "
        "to run again. Demo logins only when DEBUG is on."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            loaded = demo_load()
            logins = demo_logins_ensure() if settings.DEBUG else []
            if settings.DEBUG:
                demo_files_ensure()

        self.stdout.write(
            f"Loaded the series {loaded['series'].title!r}: "
            f"{len(loaded['seminars'])} seminars, {loaded['talks']} talks, "
            f"{loaded['workshops']} workshops, {loaded['people']} people, "
            f"{loaded['recaps']} recap(s), {loaded['themes']} themes."
        )
        for seminar in loaded["seminars"]:
            when = timezone.localtime(seminar.starts_at, LONDON).strftime("%d %B %Y")
            self.stdout.write(f"  {seminar.number}. {seminar.title} ({when}, {seminar.status})")
        if logins:
            self.stdout.write("Demo logins (DEBUG is on; the passwords they were made with):")
            for role, email, password in logins:
                self.stdout.write(f"  {role}: {email} / {password}")
            attendee = loaded["attendee"]
            self.stdout.write(
                f"  {attendee.name}'s private registration page (a certificate of "
                f"attendance): {settings.SITE_URL}{attendee.get_absolute_url()}"
            )
        else:
            self.stdout.write("Demo logins are only created when DJANGO_DEBUG is on.")


def demo_load(today=None):
    """Load the demo. The fictional seminars fall some weeks after `today` (default: today);
    a fixed `today` gives the same pages on every run, as the README's screenshots need."""
    today = today or timezone.localdate(timezone=LONDON)
    series = _series_ensure()
    people = _people_ensure()
    themes = _themes_ensure()
    seminars = [
        _seminar_leeds_2016(series, people, themes),
        _seminar_peer_support(series, people, themes, today),
        _seminar_hybrid(series, people, themes, today),
        _seminar_draft(series, people, themes, today),
        _seminar_past(series, people, themes),
    ]
    recaps = [_recap_leeds_2016(seminars[0], people, themes)]
    _registration_ensure(seminars[1])
    attendee = _attendee_leeds_2016(seminars[0])
    demo_payments_ensure(seminar=seminars[1], today=today)
    feedback_demo_ensure(seminars[-1])
    return {
        "series": series,
        "seminars": seminars,
        "attendee": attendee,
        "talks": Talk.objects.filter(seminar__in=seminars).count(),
        "workshops": Workshop.objects.filter(seminar__in=seminars).count(),
        "people": len(people),
        "recaps": len(recaps),
        "themes": len(themes),
    }


def demo_logins_ensure():
    """The demo organiser and speaker logins, made once with known passwords; logins that
    exist keep theirs (and their sessions), whatever was changed since."""
    organisers = organisers_group_sync()  # adds only permissions the group lacks
    organiser, created = _login_ensure(ORGANISER_EMAIL, ORGANISER_PASSWORD, is_staff=True)
    if created:
        organiser.groups.add(organisers)

    speaker, created = _login_ensure(SPEAKER_EMAIL, SPEAKER_PASSWORD, is_staff=False)
    person = Person.objects.get(slug=SPEAKER_PERSON_SLUG)
    if created and person.user_id is None:
        person.user = speaker
        person.save(update_fields=["user"])
    return [
        ("Organiser", ORGANISER_EMAIL, ORGANISER_PASSWORD),
        ("Speaker", SPEAKER_EMAIL, SPEAKER_PASSWORD),
    ]


def _login_ensure(email, password, *, is_staff):
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user, False
    return User.objects.create_user(email=email, password=password, is_staff=is_staff), True


def _series_ensure():
    fields = dict(SERIES)
    series, _ = Series.objects.get_or_create(slug=fields.pop("slug"), defaults=fields)
    return series


def _demo_consent(kind, given):
    """A fictional person's consent, recorded as an organiser would record a real one's."""
    return {
        f"{kind}_consent_at": DEMO_CONSENT_DATE if given else None,
        f"{kind}_consent_note": DEMO_CONSENT_NOTE if given else "",
    }


def _people_ensure():
    """Every demo person by slug: the real ones with a name only, the fictional ones in full."""
    people = {}
    for slug, name in REAL_PEOPLE.items():
        people[slug], _ = Person.objects.get_or_create(slug=slug, defaults={"name": name})

    roles = {role.slug: role for role in Role.objects.all()}
    wanted = {slug for person in FICTIONAL_PEOPLE.values() for slug in person[3]}
    if missing := sorted(wanted - roles.keys()):
        # Roles are organiser-owned data seeded by a migration; the demo never creates them.
        raise CommandError(f"Missing roles {', '.join(missing)}: run migrate or restore them.")
    for slug, (name, pronouns, affiliation, role_slugs, extra, bio) in FICTIONAL_PEOPLE.items():
        choices = {"show_roles": True, "is_listed": True, **extra}
        person, created = Person.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "pronouns": pronouns,
                "affiliation": affiliation,
                "bio": f"{FICTIONAL_NOTE} {bio}",
                **choices,
                **_demo_consent("roles", choices["show_roles"]),
                **_demo_consent("listing", choices["is_listed"]),
            },
        )
        if created:
            person.roles.set([roles[role_slug] for role_slug in role_slugs])
        people[slug] = person
    return people


def _themes_ensure():
    themes = {}
    for slug, (name, description) in THEMES.items():
        themes[slug], _ = Theme.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
    return themes


def _at(day, hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)), LONDON)


def _tuesday_after_weeks(today, weeks):
    """The first Tuesday on or after `weeks` from today: seminars fall on a weekday."""
    day = today + dt.timedelta(weeks=weeks)
    return day + dt.timedelta(days=(1 - day.weekday()) % 7)


def _seminar_ensure(series, *, slug, themes=(), provisions=(), **fields):
    seminar, created = Seminar.objects.get_or_create(
        slug=slug, defaults={"series": series, **fields}
    )
    if created:
        seminar.themes.set(themes)
        seminar.access_provisions.set(_provisions(provisions))
    return seminar


def _seminar_day(seminar):
    return timezone.localtime(seminar.starts_at, LONDON).date()


def _provisions(slugs):
    return list(AccessProvision.objects.filter(slug__in=slugs))


def _registration_ensure(seminar):
    """The fictional registrant's place, with their access request as organisers would
    have seen to it. Made directly, like an organiser's record: no email is sent. Made once:
    an organiser's later changes to it stay."""
    fields = dict(DEMO_REGISTRATION)
    active = Registration.objects.filter(purged_at__isnull=True).exclude(
        status=Registration.Status.CANCELLED
    )
    registration, created = active.get_or_create(
        seminar=seminar, email=fields.pop("email"), defaults=fields
    )
    if created:
        registration.access_needs.set(_provisions(DEMO_REGISTRATION_NEEDS))
    return registration


def _item_ensure(model, seminar, *, slug, people, themes=(), not_recorded=(), **fields):
    """A talk or workshop keyed on (seminar, slug), made with its people in order, its
    themes, and those of its people who asked not to be recorded. Made once: what an
    organiser changes later stays."""
    item, created = model.objects.get_or_create(seminar=seminar, slug=slug, defaults=fields)
    if created:
        programme_item_set_people(item=item, people=people)
        item.themes.set(themes)
        if not_recorded:
            programme_item_wishes_set(
                item=item,
                do_not_record=[person.pk for person in not_recorded],
                do_not_photograph=[],
            )
    return item


def _break_ensure(seminar, *, title, starts_at, ends_at):
    """A break keyed on (seminar, title)."""
    Break.objects.get_or_create(
        seminar=seminar, title=title, defaults={"starts_at": starts_at, "ends_at": ends_at}
    )


def _venue_ensure(*, name, **fields):
    venue, _ = Venue.objects.get_or_create(name=name, defaults=fields)
    return venue


def _seminar_leeds_2016(series, people, themes):
    venue = _venue_ensure(
        name="University of Leeds",
        city="Leeds",
        address="",
        postcode="",
        map_url="",
        access_info=ACCESS_NOT_RECORDED,
    )
    day = dt.date(2016, 1, 5)
    seminar = _seminar_ensure(
        series,
        slug="seminar-1-leeds-2016",
        number=1,
        title="Democratic professionalism and co-production",
        summary=(
            "The first seminar of the series: democratic professionalism, what should count "
            "as professionalism, and mutuality in co-productive relationships."
        ),
        description=(
            "The first seminar of the series, held at the University of Leeds.\n\n"
            "Albert Dzur opened with a talk on democratic professionalism. Michael Guthrie "
            "and Annie Dransfield gave talks, and Scott Bell led a workshop on mutuality and "
            "reciprocity.\n\n"
            "*The times on this programme are illustrative: the original timings were not "
            "recorded here.*"
        ),
        starts_at=_at(day, 10),
        ends_at=_at(day, 16),
        venue=venue,
        online_url="",
        status=Seminar.Status.PUBLISHED,
        capacity=None,
        registration_opens_at=None,
        registration_closes_at=None,
        waitlist_enabled=False,
        certificates_enabled=True,
        themes=[themes["democratic-professionalism"]],
    )
    discussion = (
        "The discussion after the talks by Michael Guthrie and Annie Dransfield asked what "
        "should count as professionalism, whether it should include service users, carers "
        "and peer support workers, and whether co-production is helped or hindered by "
        "regulation."
    )
    _item_ensure(
        Talk,
        seminar,
        slug="democratic-professionalism",
        title="Democratic professionalism",
        kind=Talk.Kind.TALK,
        abstract=(
            "Albert Dzur opened the series with his theory of democratic professionalism: a "
            'shift of power between "service users" and "service providers", tied to '
            "participatory citizenship."
        ),
        starts_at=_at(day, 10, 15),
        ends_at=_at(day, 11, 15),
        people=[people["albert-dzur"]],
        themes=[themes["democratic-professionalism"]],
    )
    _item_ensure(
        Talk,
        seminar,
        slug="talk-by-michael-guthrie",
        title="Talk by Michael Guthrie",
        abstract=discussion,
        starts_at=_at(day, 11, 30),
        ends_at=_at(day, 12, 15),
        people=[people["michael-guthrie"]],
        themes=[themes["regulation"]],
    )
    _item_ensure(
        Talk,
        seminar,
        slug="talk-by-annie-dransfield",
        title="Talk by Annie Dransfield",
        abstract=discussion,
        starts_at=_at(day, 12, 15),
        ends_at=_at(day, 13),
        people=[people["annie-dransfield"]],
        themes=[themes["regulation"]],
    )
    _item_ensure(
        Workshop,
        seminar,
        slug="mutuality-and-reciprocity",
        title="Mutuality and reciprocity in co-productive relationships",
        abstract=(
            'The workshop questioned the term "user-led" and the binary between service '
            'users and service providers. "Recovery together" was proposed.'
        ),
        starts_at=_at(day, 14),
        ends_at=_at(day, 15, 30),
        people=[people["scott-bell"]],
        themes=[themes["mutuality-and-reciprocity"], themes["language-and-labels"]],
    )
    return seminar


def _fictional_seminar_fields(number, day):
    """What the fictional seminars share: a full day, registration already open."""
    return {
        "number": number,
        "starts_at": _at(day, 10),
        "ends_at": _at(day, 16, 30),
        # Open from a fortnight ago by the real clock, whatever day the seminars fall on.
        "registration_opens_at": _at(
            timezone.localdate(timezone=LONDON) - dt.timedelta(weeks=2), 9
        ),
        "registration_closes_at": None,
        "waitlist_enabled": True,
    }


def _seminar_peer_support(series, people, themes, today):
    day = _tuesday_after_weeks(today, 5)
    seminar = _seminar_ensure(
        series,
        slug="seminar-2-peer-support-and-power",
        title="Peer support and power",
        summary="A fictional demo seminar on peer support work and who holds power in services.",
        description=(
            "*This is a fictional seminar created for the demo site.*\n\n"
            "What happens to the professional role when peer support workers join a team? "
            "Talks and a workshop from people who do the work, use services and study them."
        ),
        venue=_venue_ensure(**FICTIONAL_VENUES["northbridge"]),
        online_url="",
        status=Seminar.Status.PUBLISHED,
        capacity=40,
        themes=[themes["role-models"]],
        **DEMO_WELLBEING,
        provisions=DEMO_PROVISIONS["peer-support"],
        **_fictional_seminar_fields(2, day),
    )
    day = _seminar_day(seminar)  # its own, should it have been made on another day
    _item_ensure(
        Talk,
        seminar,
        slug="sharing-decisions",
        title="Sharing decisions: what changes for the professional?",
        kind=Talk.Kind.KEYNOTE,
        abstract="A fictional keynote on shared decision-making in mental health teams.",
        starts_at=_at(day, 10, 15),
        ends_at=_at(day, 11, 15),
        people=[people["ada-example"]],
        themes=[themes["democratic-professionalism"]],
    )
    _item_ensure(
        Talk,
        seminar,
        slug="peer-support-in-practice",
        title="Peer support in practice",
        kind=Talk.Kind.PANEL,
        abstract="A fictional panel: two peer support workers on what their role makes possible.",
        starts_at=_at(day, 11, 30),
        ends_at=_at(day, 12, 30),
        people=[people["bilal-sample"], people["iris-pretend"]],
        themes=[themes["role-models"]],
    )
    # Shows a speaker who asked not to be recorded: the programme says "Not recorded".
    _item_ensure(
        Talk,
        seminar,
        slug="a-carers-response",
        title="A carer's response",
        kind=Talk.Kind.RESPONSE,
        abstract="A fictional response from a carer's point of view.",
        starts_at=_at(day, 12, 30),
        ends_at=_at(day, 13),
        people=[people["carys-placeholder"]],
        not_recorded=[people["carys-placeholder"]],
    )
    _item_ensure(
        Workshop,
        seminar,
        slug="care-planning-together",
        title="Care planning together",
        abstract="A fictional workshop: writing a care plan as equals, and what gets in the way.",
        starts_at=_at(day, 14),
        ends_at=_at(day, 15, 30),
        capacity=20,
        people=[people["dev-fictional"], people["hal-madeup"]],
        themes=[themes["mutuality-and-reciprocity"]],
    )
    _break_ensure(seminar, title="Coffee", starts_at=_at(day, 11, 15), ends_at=_at(day, 11, 30))
    _break_ensure(seminar, title="Lunch", starts_at=_at(day, 13), ends_at=_at(day, 14))
    return seminar


def _seminar_hybrid(series, people, themes, today):
    day = _tuesday_after_weeks(today, 12)
    seminar = _seminar_ensure(
        series,
        slug="seminar-3-policy-learning-and-co-production",
        title="Policy, learning and co-production",
        summary="A fictional demo seminar, in person and online, on policy and education.",
        description=(
            "*This is a fictional seminar created for the demo site.*\n\n"
            "Can policy require co-production, and can it be taught? Join in person or online: "
            "the joining link is sent to registrants."
        ),
        venue=_venue_ensure(**FICTIONAL_VENUES["eastmoor"]),
        online_url="https://meet.example.org/coproseries-seminar-3",
        status=Seminar.Status.PUBLISHED,
        capacity=60,
        online_capacity=100,
        provisions=DEMO_PROVISIONS["hybrid"],
        **_fictional_seminar_fields(3, day),
    )
    day = _seminar_day(seminar)  # its own, should it have been made on another day
    _item_ensure(
        Talk,
        seminar,
        slug="can-policy-require-co-production",
        title="Can policy require co-production?",
        kind=Talk.Kind.TALK,
        abstract="A fictional talk on what commissioning can and cannot ask of services.",
        starts_at=_at(day, 10, 15),
        ends_at=_at(day, 11, 15),
        people=[people["gwen-invented"]],
        themes=[themes["regulation"]],
    )
    _item_ensure(
        Talk,
        seminar,
        slug="learning-alongside",
        title="Learning alongside experts by experience",
        kind=Talk.Kind.TALK,
        abstract="A fictional talk on co-taught courses, from a student's point of view.",
        starts_at=_at(day, 11, 30),
        ends_at=_at(day, 12, 30),
        people=[people["efua-demo"]],
        themes=[themes["role-models"]],
    )
    _item_ensure(
        Workshop,
        seminar,
        slug="recovery-together",
        title="Recovery together: carers and peers",
        abstract="A fictional workshop on mutual support between carers and peer workers.",
        starts_at=_at(day, 13, 30),
        ends_at=_at(day, 15),
        capacity=25,
        people=[people["bilal-sample"], people["carys-placeholder"]],
        themes=[themes["mutuality-and-reciprocity"], themes["language-and-labels"]],
    )
    # At the same time as the one above, so registrants choose between them.
    _item_ensure(
        Workshop,
        seminar,
        slug="teaching-together",
        title="Teaching together: planning a co-taught session",
        abstract="A fictional workshop: plan a teaching session with experts by experience.",
        starts_at=_at(day, 13, 30),
        ends_at=_at(day, 15),
        capacity=15,
        people=[people["efua-demo"]],
        themes=[themes["role-models"]],
    )
    _break_ensure(seminar, title="Coffee", starts_at=_at(day, 11, 15), ends_at=_at(day, 11, 30))
    _break_ensure(seminar, title="Lunch", starts_at=_at(day, 12, 30), ends_at=_at(day, 13, 30))
    return seminar


def _seminar_draft(series, people, themes, today):
    """Not yet published, so hidden from the public site."""
    day = _tuesday_after_weeks(today, 20)
    seminar = _seminar_ensure(
        series,
        slug="seminar-4-draft-regulation",
        title="Regulation and co-production",
        summary="A fictional draft seminar: organisers see it, the public does not.",
        description="*This is a fictional draft seminar created for the demo site.*",
        venue=_venue_ensure(**FICTIONAL_VENUES["northbridge"]),
        online_url="",
        status=Seminar.Status.DRAFT,
        capacity=40,
        provisions=DEMO_PROVISIONS["draft"],
        **_fictional_seminar_fields(4, day),
    )
    day = _seminar_day(seminar)  # its own, should it have been made on another day
    _item_ensure(
        Talk,
        seminar,
        slug="does-regulation-help",
        title="Does regulation help?",
        kind=Talk.Kind.TALK,
        abstract="A fictional talk, still being planned.",
        starts_at=_at(day, 10, 15),
        ends_at=_at(day, 11, 15),
        people=[people["ada-example"]],
        themes=[themes["regulation"]],
    )
    return seminar


def _attendee_leeds_2016(seminar):
    """A fictional person marked as arrived at the first seminar, so that its certificate of
    attendance can be seen: created once, never changed after (an organiser may have)."""
    attendee, _ = Registration.objects.get_or_create(
        seminar=seminar,
        email=DEMO_ATTENDEE_EMAIL,
        purged_at=None,
        defaults={
            "name": "Zoë Example",
            "organisation": "Northbridge Peer Network (fictional)",
            "status": Registration.Status.CONFIRMED,
            "created_at": seminar.starts_at - dt.timedelta(days=20),
            "attended_at": seminar.starts_at - dt.timedelta(minutes=10),
        },
    )
    return attendee


def demo_files_ensure():
    """Slides for the demo speaker's keynote, drawn now and published before the seminar.

    Only for a local demo (DEBUG, as the demo logins): the file goes to the media storage,
    which the suite's own demo loads leave alone.
    """
    talk = Talk.objects.get(
        seminar__slug="seminar-2-peer-support-and-power", slug="sharing-decisions"
    )
    if talk.slides:
        return talk
    pdf = FPDF(orientation="landscape")
    pdf.set_font("helvetica", size=28)
    for line in [talk.title, "Ada Example (fictional speaker)", "Demo slides: no real content"]:
        pdf.add_page()
        pdf.multi_cell(0, 20, line, align="C")
    content = bytes(pdf.output())
    talk.slides.save("slides.pdf", ContentFile(content), save=False)
    talk.slides_size = len(content)
    talk.slides_public_before = True
    talk.save(update_fields=["slides", "slides_size", "slides_public_before", "updated_at"])
    return talk


def _seminar_past(series, people, themes):
    """A fictional seminar that has taken place, on a fixed date (so that it is past by any
    clock, and the README's screenshots stay the same), with attendees' feedback."""
    day = dt.date(2025, 10, 14)
    seminar = _seminar_ensure(
        series,
        slug=PAST_SEMINAR_SLUG,
        title="Lived experience in professional training",
        summary="A fictional demo seminar that has taken place: who teaches the professionals?",
        description=(
            "*This is a fictional seminar created for the demo site.*\n\n"
            "Experts by experience increasingly teach on professional courses. What changes "
            "for the students, for the teachers and for the people who use services?"
        ),
        venue=_venue_ensure(**FICTIONAL_VENUES["eastmoor"]),
        online_url="",
        status=Seminar.Status.PUBLISHED,
        capacity=40,
        themes=[themes["role-models"]],
        **{
            **_fictional_seminar_fields(5, day),
            "registration_opens_at": _at(day, 9) - dt.timedelta(weeks=6),
        },
    )
    _item_ensure(
        Talk,
        seminar,
        slug="co-produced-teaching",
        title="Co-produced teaching: a first year",
        kind=Talk.Kind.KEYNOTE,
        abstract="A fictional keynote on a year of teaching alongside experts by experience.",
        starts_at=_at(day, 10, 15),
        ends_at=_at(day, 11, 15),
        people=[people["ada-example"]],
        themes=[themes["role-models"]],
    )
    _item_ensure(
        Talk,
        seminar,
        slug="what-peer-trainers-bring",
        title="What peer trainers bring",
        kind=Talk.Kind.TALK,
        abstract="A fictional talk from a peer trainer on teaching from experience.",
        starts_at=_at(day, 11, 30),
        ends_at=_at(day, 12, 30),
        people=[people["bilal-sample"]],
        themes=[themes["mutuality-and-reciprocity"]],
    )
    _item_ensure(
        Workshop,
        seminar,
        slug="writing-a-session-together",
        title="Writing a session together",
        abstract="A fictional workshop: plan a teaching session as equals.",
        starts_at=_at(day, 13, 30),
        ends_at=_at(day, 15),
        people=[people["dev-fictional"], people["iris-pretend"]],
    )
    return seminar


def _recap_leeds_2016(seminar, people, themes):
    recap, created = Recap.objects.get_or_create(
        slug="recap-seminar-1-leeds-2016",
        defaults={
            "seminar": seminar,
            "title": "Recap: democratic professionalism and co-production",
            "summary": (
                "Democratic professionalism, who should count as a professional, and "
                '"recovery together": the first seminar of the series.'
            ),
            "body": RECAP_BODY,
            "status": Recap.Status.PUBLISHED,
            "published_at": _at(dt.date(2016, 1, 20), 12),
        },
    )
    if not created:
        return recap
    recap.authors.set([people["demo-editors"]])
    recap.themes.set(
        [
            themes[slug]
            for slug in [
                "democratic-professionalism",
                "regulation",
                "mutuality-and-reciprocity",
                "language-and-labels",
            ]
        ]
    )
    return recap
