import datetime as dt
import hashlib
import secrets
from datetime import timedelta
from operator import attrgetter

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Aggregate, Count, Exists, F, JSONField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.dateparse import parse_datetime

from coproseries.markdown import FORMATTING_HELP
from coproseries.text import single_line
from people.email_identity import CanonicalEmailField
from people.models import Person, Role
from seminars.access.models import AccessProvided, AccessRequested
from seminars.materials.storage import slides_upload_to


class Series(models.Model):
    title = models.CharField(max_length=200, validators=[single_line])
    slug = models.SlugField(max_length=200, unique=True)
    strapline = models.CharField(max_length=300, blank=True, validators=[single_line])
    description = models.TextField(blank=True, help_text=FORMATTING_HELP)
    funder = models.CharField(max_length=200, blank=True, validators=[single_line])
    short_name = models.CharField(
        max_length=60,
        blank=True,
        validators=[single_line],
        help_text="Shown in every page's header and title, for example “Co-production "
        "seminars”. Empty means the title.",
    )
    contact_email = models.EmailField(
        "organisers' contact address",
        blank=True,
        help_text="Shown in every page's footer and on error pages, and the Reply-To of every "
        "email. Empty means the site's sending address.",
    )
    contact_phone = models.CharField(
        "organisers' phone (optional)",
        max_length=40,
        blank=True,
        validators=[single_line],
        help_text="Shown beside it.",
    )
    data_controller = models.CharField(
        "data controller (optional)",
        max_length=200,
        blank=True,
        validators=[single_line],
        help_text="The organisation legally responsible for the personal data this site "
        "holds, named in the privacy notice: usually the university or charity that runs the "
        "series. Empty means “the organisers of” the series.",
    )

    class Meta:
        ordering = ["title"]
        verbose_name = "series"
        verbose_name_plural = "series"

    def __str__(self):
        return self.title


class Venue(models.Model):
    name = models.CharField(max_length=200, validators=[single_line])
    address = models.TextField(blank=True)
    city = models.CharField(max_length=100, blank=True, validators=[single_line])
    postcode = models.CharField(max_length=20, blank=True, validators=[single_line])
    map_url = models.URLField("map link", blank=True)
    access_info = models.TextField(
        "access information",
        blank=True,
        help_text="Step-free access, hearing loop, quiet room, toilets. Shown publicly.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "venue"
        verbose_name_plural = "venues"

    def __str__(self):
        return f"{self.name}, {self.city}" if self.city else self.name


class JSONArrayAgg(Aggregate):
    """The aggregated rows as one JSON array, on SQLite and PostgreSQL alike."""

    function = "JSON_ARRAYAGG"  # the SQL standard's name
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def _count_of_links(model, items):
    """How many of `items` (a queryset of `model`) carry each theme, as a subquery."""
    item_field = model._meta.model_name  # the auto-created through table's name for it
    counted = (
        model.themes.through.objects.filter(theme=OuterRef("pk"), **{f"{item_field}__in": items})
        .order_by()
        .values("theme")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted), 0)


class ThemeQuerySet(models.QuerySet):
    def with_counts(self, *, public_only=True):
        """Annotate `seminar_count`, `talk_count`, `workshop_count`, `recap_count` and
        `item_count`, in the same query: public items only unless `public_only` is False."""
        seminars = Seminar.objects.all()
        talks, workshops, recaps = Talk.objects.all(), Workshop.objects.all(), Recap.objects.all()
        if public_only:
            seminars = Seminar.objects.public()
            talks = talks.filter(seminar__in=Seminar.objects.public())
            workshops = workshops.filter(seminar__in=Seminar.objects.public())
            recaps = Recap.objects.public()
        return self.annotate(
            seminar_count=_count_of_links(Seminar, seminars),
            talk_count=_count_of_links(Talk, talks),
            workshop_count=_count_of_links(Workshop, workshops),
            recap_count=_count_of_links(Recap, recaps),
        ).annotate(
            item_count=F("seminar_count") + F("talk_count") + F("workshop_count") + F("recap_count")
        )

    def public(self):
        """Themes with at least one public item, counted: a theme only drafts carry would
        give away what the drafts are about."""
        return self.with_counts().filter(item_count__gt=0)


class Theme(models.Model):
    """A subject the series keeps returning to, followed across seminars, talks, workshops
    and recaps."""

    name = models.CharField(max_length=100, unique=True, validators=[single_line])
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(
        blank=True, help_text=f"{FORMATTING_HELP} Shown on the theme's page."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "theme"
        verbose_name_plural = "themes"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("seminars:theme_detail", kwargs={"slug": self.slug})

    def counts_in_words(self):
        """ "2 seminars, 3 talks and 1 recap", from the `with_counts()` annotations."""
        counts = [
            (self.seminar_count, "seminar", "seminars"),
            (self.talk_count, "talk", "talks"),
            (self.workshop_count, "workshop", "workshops"),
            (self.recap_count, "recap", "recaps"),
        ]
        parts = [f"{count} {one if count == 1 else many}" for count, one, many in counts if count]
        if not parts:
            return "Nothing yet"
        return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def with_json_links(queryset, relation, *, to_attr, fields):
    """Annotate each row with `to_attr`: the objects its many-to-many `relation` links to,
    as a JSON list of their `fields` (None when there are none), so that a page of items
    shows them without a query of its own."""
    field = queryset.model._meta.get_field(relation)
    item_field, linked_field = field.m2m_field_name(), field.m2m_reverse_field_name()
    links = (
        field.remote_field.through.objects.filter(**{item_field: OuterRef("pk")})
        .order_by()
        .values(item_field)
        .annotate(
            links=JSONArrayAgg(JSONObject(**{name: f"{linked_field}__{name}" for name in fields}))
        )
        .values("links")
    )
    return queryset.annotate(**{to_attr: Subquery(links, output_field=JSONField())})


def with_theme_links(queryset):
    """Annotate each row with `theme_links`, its themes as a JSON list of names and slugs."""
    return with_json_links(queryset, "themes", to_attr="theme_links", fields=["name", "slug"])


class Themed(models.Model):
    """What carries themes: seminars, talks, workshops and recaps."""

    themes = models.ManyToManyField(Theme, blank=True, related_name="%(class)ss")

    class Meta:
        abstract = True

    @property
    def theme_list(self):
        """The item's themes by name. Selectors annotate `theme_links` (`with_theme_links`);
        without it this costs a query per item."""
        if not hasattr(self, "theme_links"):
            return list(self.themes.all())
        themes = [Theme(name=link["name"], slug=link["slug"]) for link in self.theme_links or []]
        return sorted(themes, key=attrgetter("name"))


class SeminarQuerySet(models.QuerySet):
    def public(self):
        """Seminars the public may see: published ones, and cancelled ones shown as such."""
        return self.filter(status__in=[Seminar.Status.PUBLISHED, Seminar.Status.CANCELLED])

    def upcoming(self):
        """Seminars that have not yet ended (one in progress is still upcoming), soonest first."""
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")

    def past(self):
        """Seminars that have ended, newest first."""
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at", "-pk")

    def with_breaks(self):
        """Annotate `break_slots`, each seminar's breaks as a JSON list, so that a page shows
        them without a query of its own (`Seminar.break_list` reads it)."""
        slots = (
            Break.objects.filter(seminar=OuterRef("pk"))
            .order_by()
            .values("seminar")
            .annotate(
                slots=JSONArrayAgg(
                    JSONObject(pk="pk", title="title", starts_at="starts_at", ends_at="ends_at")
                )
            )
            .values("slots")
        )
        return self.annotate(break_slots=Subquery(slots, output_field=JSONField()))

    def with_registration_counts(self):
        """Annotate `confirmed_count` and `waitlisted_count`, the confirmed registrations in
        each attendance mode (`in_person_confirmed_count`, `online_confirmed_count`), and the
        companions or personal assistants they bring (`companion_count`, each a place in the
        room), without a join per row."""

        def count_of(status, **attendance):
            counted = (
                Registration.objects.filter(seminar=OuterRef("pk"), status=status, **attendance)
                .order_by()
                .values("seminar")
                .annotate(total=Count("pk"))
                .values("total")
            )
            return Coalesce(Subquery(counted), 0)

        confirmed = Registration.Status.CONFIRMED
        return self.annotate(
            confirmed_count=count_of(confirmed),
            waitlisted_count=count_of(Registration.Status.WAITLISTED),
            in_person_confirmed_count=count_of(
                confirmed, attendance=Registration.Attendance.IN_PERSON
            ),
            online_confirmed_count=count_of(confirmed, attendance=Registration.Attendance.ONLINE),
            companion_count=count_of(
                confirmed, attendance=Registration.Attendance.IN_PERSON, with_companion=True
            ),
        )

    def with_not_to_photograph_count(self):
        """Annotate `not_to_photograph_count`: the people with a place who asked not to be
        photographed (`RegistrationQuerySet.not_to_photograph`)."""
        counted = (
            Registration.objects.not_to_photograph()
            .filter(seminar=OuterRef("pk"))
            .order_by()
            .values("seminar")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return self.annotate(not_to_photograph_count=Coalesce(Subquery(counted), 0))


# The years a seminar's dates may fall in. Anything outside is a typo (0203 for 2030), and
# calendars cannot be built for the very first or last years a datetime can hold.
SEMINAR_YEARS = range(1900, 2201)


class Seminar(Themed, AccessProvided):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CANCELLED = "cancelled", "Cancelled"

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="seminars")
    number = models.PositiveSmallIntegerField(help_text="Its place in the series: 1, 2, …")
    title = models.CharField(max_length=200, validators=[single_line])
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(max_length=500, blank=True, validators=[single_line])
    description = models.TextField(blank=True, help_text=FORMATTING_HELP)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.ForeignKey(
        Venue,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seminars",
        help_text="Leave empty for an online-only seminar.",
    )
    online_url = models.URLField(
        "online joining link",
        blank=True,
        help_text="Private: sent only to registrants, never shown on the public site.",
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    capacity = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=(
            "Places available: in the room when the seminar is hybrid (a venue and an online "
            "link). Leave empty for no limit."
        ),
    )
    online_capacity = models.PositiveIntegerField(
        "online capacity",
        null=True,
        blank=True,
        help_text=(
            "Online places, when the seminar is hybrid; online people have their own waiting "
            "list. Leave empty for no limit."
        ),
    )
    waitlist_cutoff_hours = models.PositiveIntegerField(
        "stop offering freed places (hours before the start)",
        default=24,
        help_text=(
            "From this many hours before the start, a cancelled place is no longer offered to "
            "the waiting list automatically. Organisers can still offer places by hand."
        ),
    )
    registration_opens_at = models.DateTimeField(null=True, blank=True)
    registration_closes_at = models.DateTimeField(null=True, blank=True)
    waitlist_enabled = models.BooleanField("waiting list when full", default=True)
    sequence = models.PositiveIntegerField(
        "calendar revision",
        default=0,
        help_text="Raised whenever registrants are told of a change, so that their calendar "
        "apps take the new version (the SEQUENCE of the seminar's calendar event).",
    )
    programme_updated_at = models.DateTimeField(
        "programme updated",
        null=True,
        blank=True,
        editable=False,
        help_text="When a talk or workshop was last added, moved, changed or dropped while "
        "the seminar was published. Shown on its page.",
    )
    # Wellbeing and what to expect: written by the organisers, every part optional. The site
    # adds no words of its own: an empty field shows nothing.
    content_notes = models.TextField(
        blank=True,
        help_text="Topics that may be distressing (for example self-harm, detention), so that "
        f"people can prepare or choose what to join. {FORMATTING_HELP}",
    )
    what_to_expect = models.TextField(
        "what to expect on the day",
        blank=True,
        help_text=f"The format, breaks, and ground rules for discussion. {FORMATTING_HELP}",
    )
    wellbeing_contact_name = models.CharField(
        "wellbeing contact on the day",
        max_length=200,
        blank=True,
        validators=[single_line],
        help_text="The name of the person people can go to on the day.",
    )
    wellbeing_contact_details = models.CharField(
        "how to reach the wellbeing contact",
        max_length=200,
        blank=True,
        validators=[single_line],
        help_text="For example a phone number, or “at the registration desk all day”.",
    )
    support = models.TextField(
        "where to find support",
        blank=True,
        help_text="Where people can find support during and after the seminar, in your own "
        f"words. {FORMATTING_HELP}",
    )
    easy_read = models.TextField(
        "easy read summary",
        blank=True,
        help_text="Short sentences and everyday words. Shown beside the description, under its "
        f"own heading “Easy read”. {FORMATTING_HELP}",
    )
    certificates_enabled = models.BooleanField(
        "certificates of attendance",
        default=False,
        help_text="People marked as arrived can download a certificate of attendance (PDF) "
        "from their private registration page once the seminar has ended.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = SeminarQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = "seminar"
        verbose_name_plural = "seminars"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="seminars_seminar_ends_after_starts",
                violation_error_message="A seminar must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__isnull=True)
                | Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="seminars_seminar_registration_closes_after_opens",
                violation_error_message="Registration must close after it opens.",
            ),
            models.UniqueConstraint(
                fields=["series", "number"],
                name="seminars_seminar_unique_number_in_series",
                violation_error_message="The series already has a seminar with this number.",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="seminar_status_starts")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("seminars:seminar_detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        errors = {
            name: (
                f"Please check the year: it must be between {SEMINAR_YEARS[0]} and "
                f"{SEMINAR_YEARS[-1]}."
            )
            for name in [
                "starts_at",
                "ends_at",
                "registration_opens_at",
                "registration_closes_at",
            ]
            if getattr(self, name) is not None
            and timezone.localtime(getattr(self, name)).year not in SEMINAR_YEARS
        }
        if self.wellbeing_contact_details.strip() and not self.wellbeing_contact_name.strip():
            errors["wellbeing_contact_name"] = (
                "Please give the name of the wellbeing contact, so that people know whom "
                "they are reaching."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def is_hybrid(self):
        """In a room and online at once: each way of attending has its own places."""
        return bool(self.venue_id and self.online_url)

    @property
    def only_attendance(self):
        """How everyone attends a seminar that is not hybrid."""
        if self.venue_id is None:
            return Registration.Attendance.ONLINE
        return Registration.Attendance.IN_PERSON

    def capacity_for(self, attendance):
        """The places for one way of attending; None for no limit. A seminar that is not
        hybrid has one pool of places, whatever a registration's attendance says."""
        if self.is_hybrid and attendance == Registration.Attendance.ONLINE:
            return self.online_capacity
        return self.capacity

    @property
    def break_list(self):
        """The seminar's breaks in time order. `Seminar.objects.with_breaks()` annotates
        them; without it this costs a query."""
        if not hasattr(self, "break_slots"):
            return list(self.breaks.all())
        breaks = [
            Break(
                pk=slot["pk"],
                seminar=self,
                title=slot["title"],
                starts_at=_json_datetime(slot["starts_at"]),
                ends_at=_json_datetime(slot["ends_at"]),
            )
            for slot in self.break_slots or []
        ]
        return sorted(breaks, key=attrgetter("starts_at", "pk"))

    def waitlist_offers_end_at(self):
        """From this moment a freed place is no longer offered to the waiting list."""
        return self.starts_at - timedelta(hours=self.waitlist_cutoff_hours)

    @property
    def has_wellbeing(self):
        """Whether the organisers wrote any part of "Wellbeing and what to expect"."""
        return any(
            value.strip()
            for value in [
                self.content_notes,
                self.what_to_expect,
                self.wellbeing_contact_name,
                self.support,
            ]
        )


def _json_datetime(value):
    """A datetime as JSON aggregation gives it: ISO with an offset (PostgreSQL) or the naive
    UTC text SQLite stores."""
    moment = parse_datetime(value)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, dt.UTC)


def seminar_hours_text(seminar):
    """The seminar's hours in UK time, as organisers read them: "10:00 to 16:30 on Monday
    29 March 2027" (or from one day to another, for a seminar over midnight)."""
    starts, ends = timezone.localtime(seminar.starts_at), timezone.localtime(seminar.ends_at)
    if starts.date() == ends.date():
        return f"{starts:%H:%M} to {ends:%H:%M} on {starts:%A} {starts.day} {starts:%B %Y}"
    return (
        f"{starts:%H:%M} on {starts:%A} {starts.day} {starts:%B %Y} to "
        f"{ends:%H:%M} on {ends:%A} {ends.day} {ends:%B %Y}"
    )


def within_seminar_hours(item, *, exclude=None):
    """Refuse a programme slot (talk, workshop or break) outside its seminar's hours.

    Only where its times are being validated (`exclude`, as `Model.clean_fields` has it):
    an organiser's form, not a speaker's edit of an abstract, which must stay possible for
    an item saved before the check (or whose seminar has moved since)."""
    if exclude and {"starts_at", "ends_at"} & set(exclude):
        return
    try:
        seminar = item.seminar  # a seminar being added is set, though not saved
    except Seminar.DoesNotExist:
        return
    if None in (item.starts_at, item.ends_at) or item.ends_at <= item.starts_at:
        return  # the constraint's message says what is wrong
    if None in (seminar.starts_at, seminar.ends_at) or seminar.ends_at <= seminar.starts_at:
        return  # the seminar's own form says what is wrong with its times
    errors = {}
    message = (
        f"The seminar runs from {seminar_hours_text(seminar)} (UK time): this "
        f"{item._meta.verbose_name} must {{}} within those hours."
    )
    if not seminar.starts_at <= item.starts_at < seminar.ends_at:
        errors["starts_at"] = message.format("start")
    if not seminar.starts_at < item.ends_at <= seminar.ends_at:
        errors["ends_at"] = message.format("end")
    if errors:
        raise ValidationError(errors)


class ProgrammeItem(Themed):
    """What talks and workshops share: a slot on a seminar's programme."""

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="%(class)ss")
    title = models.CharField(max_length=300, validators=[single_line])
    slug = models.SlugField(max_length=200)
    abstract = models.TextField(blank=True, help_text=FORMATTING_HELP)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    room = models.CharField(max_length=100, blank=True, validators=[single_line])
    slides_url = models.URLField("slides link", blank=True)
    recording_url = models.URLField("recording link", blank=True)
    slides = models.FileField(
        "slides (PDF)",
        blank=True,
        max_length=255,
        upload_to=slides_upload_to,
        help_text="A PDF of up to 20 MB, shown on the programme from the item's start.",
    )
    slides_size = models.PositiveBigIntegerField("slides size (bytes)", null=True, blank=True)
    slides_public_before = models.BooleanField(
        "publish slides before the seminar",
        default=False,
        help_text="Show the slides on the programme now, not only from the item's start.",
    )
    transcript_url = models.URLField(
        "transcript or captions link",
        blank=True,
        help_text="A transcript of the recording, or its captions file.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="%(app_label)s_%(class)s_ends_after_starts",
                violation_error_message="An item must end after it starts.",
            ),
            models.UniqueConstraint(
                fields=["seminar", "slug"],
                name="%(app_label)s_%(class)s_unique_slug_per_seminar",
                violation_error_message="This seminar already has an item with this slug.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.seminar.get_absolute_url()}#{self.anchor}"

    def clean_fields(self, exclude=None):
        super().clean_fields(exclude)
        within_seminar_hours(self, exclude=exclude)

    @property
    def anchor(self):
        return f"{self._meta.model_name}-{self.slug}"

    @property
    def slides_published(self):
        """Whether the public may see the uploaded slides: from the item's start, or before
        it when the speaker (or an organiser) chose so."""
        if not self.slides:
            return False
        return self.slides_public_before or timezone.now() >= self.starts_at

    @property
    def people(self):
        """Speakers or facilitators in programme order.

        Selectors prefetch these into `people_links`; without it this costs a query per item.
        """
        return [link.person for link in self._people_links()]

    @property
    def not_recorded(self):
        """Whether anyone on the item asked not to be recorded. The public sees only this,
        never who asked."""
        return any(link.do_not_record for link in self._people_links())

    def _people_links(self):
        links = getattr(self, "people_links", None)
        if links is None:
            links = getattr(self, self.people_link_name).select_related("person")
        return links


class Talk(ProgrammeItem):
    class Kind(models.TextChoices):
        KEYNOTE = "keynote", "Keynote"
        TALK = "talk", "Talk"
        PANEL = "panel", "Panel"
        RESPONSE = "response", "Response"

    kind = models.CharField(max_length=20, choices=Kind, default=Kind.TALK)
    speakers = models.ManyToManyField(
        Person, through="TalkSpeaker", related_name="talks", blank=True
    )

    class Meta(ProgrammeItem.Meta):
        verbose_name = "talk"
        verbose_name_plural = "talks"

    people_link_name = "speaker_links"
    people_label = "Speaker"


class Workshop(ProgrammeItem):
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Empty for no limit.")
    facilitators = models.ManyToManyField(
        Person, through="WorkshopFacilitator", related_name="workshops", blank=True
    )

    class Meta(ProgrammeItem.Meta):
        verbose_name = "workshop"
        verbose_name_plural = "workshops"

    people_link_name = "facilitator_links"
    people_label = "Facilitator"


class RecordingWishes(models.Model):
    """What one speaker or facilitator asks of one talk or workshop: set by the person on
    /profile/ or by an organiser. Organisers see who asked; the public programme says only
    that an item is not recorded."""

    do_not_record = models.BooleanField(
        "please do not record",
        default=False,
        help_text="No audio or video recording of this item.",
    )
    do_not_photograph = models.BooleanField(
        "please do not photograph",
        default=False,
        help_text="No photographs of this person at this item.",
    )

    class Meta:
        abstract = True

    @property
    def item(self):
        """The talk or workshop this row is about."""
        return getattr(self, self.item_field)

    @property
    def wishes_in_words(self):
        """ "Please do not record; please do not photograph", or "" when neither."""
        wishes = [
            wish
            for wish, asked in [
                ("please do not record", self.do_not_record),
                ("please do not photograph", self.do_not_photograph),
            ]
            if asked
        ]
        return "; ".join(wishes).capitalize()


class TalkSpeaker(RecordingWishes):
    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="speaker_links")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "speaker"
        verbose_name_plural = "speakers"
        constraints = [
            models.UniqueConstraint(fields=["talk", "person"], name="seminars_talkspeaker_unique")
        ]

    def __str__(self):
        return f"{self.person} at {self.talk}"

    item_field = "talk"  # the item this row belongs to, for code that handles both kinds


class WorkshopFacilitator(RecordingWishes):
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="facilitator_links"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "facilitator"
        verbose_name_plural = "facilitators"
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "person"], name="seminars_workshopfacilitator_unique"
            )
        ]

    def __str__(self):
        return f"{self.person} at {self.workshop}"

    item_field = "workshop"


class Break(models.Model):
    """A pause on a seminar's programme (coffee, lunch): a time and a title, nobody on it."""

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="breaks")
    title = models.CharField(
        max_length=100, default="Break", validators=[single_line], help_text="Coffee, lunch, …"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = "break"
        verbose_name_plural = "breaks"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="seminars_break_ends_after_starts",
                violation_error_message="A break must end after it starts.",
            ),
        ]

    is_break = True  # for templates that list breaks among talks and workshops

    def __str__(self):
        return self.title

    def clean_fields(self, exclude=None):
        super().clean_fields(exclude)
        within_seminar_hours(self, exclude=exclude)


class RecapQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status=Recap.Status.PUBLISHED, published_at__lte=timezone.now())


class Recap(Themed):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    seminar = models.ForeignKey(
        Seminar, null=True, blank=True, on_delete=models.SET_NULL, related_name="recaps"
    )
    title = models.CharField(max_length=300, validators=[single_line])
    slug = models.SlugField(max_length=200, unique=True)
    authors = models.ManyToManyField(Person, related_name="recaps", blank=True)
    summary = models.CharField(max_length=500, blank=True, validators=[single_line])
    body = models.TextField(help_text=FORMATTING_HELP)
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        default=timezone.now, help_text="Shown as the recap's date; a future date waits until then."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = RecapQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "recap"
        verbose_name_plural = "recaps"
        indexes = [models.Index(fields=["status", "published_at"], name="recap_status_published")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("seminars:recap_detail", kwargs={"slug": self.slug})


def new_registration_token():
    """256 random bits: the secret in a registrant's private link."""
    return secrets.token_urlsafe(32)


def registration_token_digest(token):
    """What a private link is looked up by. The database compares digests, never the token,
    so how long a lookup takes tells nothing about any real token."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def registration_token_fields():
    """A new token and its digest, for code that writes rows without `save()`."""
    token = new_registration_token()
    return {"token": token, "token_digest": registration_token_digest(token)}


PREFER_NOT_TO_SAY = "Prefer not to say"


class RegistrationQuerySet(models.QuerySet):
    def with_token(self, token):
        """The registration whose private link carries `token`, compared in constant time;
        None when there is none."""
        registration = self.filter(token_digest=registration_token_digest(token)).first()
        if registration is None or not constant_time_compare(registration.token, token):
            return None
        return registration

    def attendees(self):
        """Who came to a seminar that has taken place: confirmed registrations of published
        seminars that have ended. Asked for feedback (seminars/feedback/).

        When organisers used check-in at the door for a seminar (anyone marked as arrived),
        only those marked count among the in-person places, walk-ins included: nobody who
        stayed away is asked how it went. Online places cannot be checked in at the door, so
        they always count; so does every confirmed place of a seminar without check-in."""
        checked_in = Registration.objects.filter(
            seminar=OuterRef("seminar"), attended_at__isnull=False
        )
        return self.filter(
            status=Registration.Status.CONFIRMED,
            seminar__status=Seminar.Status.PUBLISHED,
            seminar__ends_at__lt=timezone.now(),
        ).filter(
            Q(attended_at__isnull=False)
            | Q(attendance=Registration.Attendance.ONLINE)
            | ~Exists(checked_in)
        )

    def not_to_photograph(self):
        """The people with a place who asked not to be photographed: whom a sign-in sheet
        or a photographer's briefing marks."""
        return self.filter(
            status=Registration.Status.CONFIRMED, do_not_photograph=True, purged_at__isnull=True
        )


class Registration(AccessRequested):
    """One attendee's place (or waiting-list spot) at a seminar. No account needed.

    Access and dietary requirements are health-related personal data: only organisers and
    the registrant (through the private manage link) ever see them.
    """

    class Attendance(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        WAITLISTED = "waitlisted", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"

    seminar = models.ForeignKey(Seminar, on_delete=models.PROTECT, related_name="registrations")
    name = models.CharField(max_length=200, validators=[single_line])
    # Empty only once erased, or for someone added at the door who gave none (a walk-in):
    # see the constraints. Forms ask for it, but for a walk-in's.
    email = CanonicalEmailField(
        max_length=254, help_text="Stored in canonical form: one address, one registration."
    )
    # For their name badge: as long as a speaker's (people.Person.pronouns).
    pronouns = models.CharField(
        max_length=50, blank=True, help_text="For example she/her.", validators=[single_line]
    )
    organisation = models.CharField(max_length=200, blank=True, validators=[single_line])
    role = models.ForeignKey(
        Role,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
        verbose_name="involvement",
    )
    # Answering "Prefer not to say" is not the same as skipping the question.
    role_declined = models.BooleanField(
        "prefers not to say",
        default=False,
        help_text="They chose “Prefer not to say” when asked how they describe their "
        "involvement, rather than leaving it unanswered.",
    )
    access_requirements = models.TextField(blank=True, max_length=2000)
    dietary_requirements = models.TextField(blank=True, max_length=1000)
    do_not_photograph = models.BooleanField(
        "does not want to be photographed",
        default=False,
        help_text="Asked at registration; the registrant can change it through their private link.",
    )
    attendance = models.CharField(max_length=20, choices=Attendance, default=Attendance.IN_PERSON)
    workshop = models.ForeignKey(
        Workshop,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
        help_text="The parallel workshop chosen, when the seminar's workshops have places.",
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.CONFIRMED)
    token = models.CharField(
        max_length=64, unique=True, default=new_registration_token, editable=False
    )
    token_digest = models.CharField(
        max_length=64, unique=True, editable=False, help_text="SHA-256 of the token."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    details_updated_at = models.DateTimeField(
        "details updated",
        null=True,
        blank=True,
        help_text="When the registrant last changed their details through their private link.",
    )
    purged_at = models.DateTimeField(
        null=True, blank=True, help_text="When the personal details were erased."
    )
    attended_at = models.DateTimeField(
        "arrived",
        null=True,
        blank=True,
        help_text="When they were marked as arrived at the door; empty until then.",
    )
    is_walk_in = models.BooleanField(
        "walk-in",
        default=False,
        help_text="Added at the door by an organiser, without registering beforehand.",
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "registration"
        verbose_name_plural = "registrations"
        constraints = [
            models.UniqueConstraint(
                fields=["seminar", "email"],
                condition=~Q(status="cancelled") & Q(purged_at__isnull=True) & ~Q(email=""),
                name="seminars_registration_one_active_per_email",
                violation_error_message="This email address is already registered.",
            ),
            models.CheckConstraint(
                condition=Q(role__isnull=True) | Q(role_declined=False),
                name="seminars_registration_role_or_declined",
                violation_error_message="Choose an involvement or “Prefer not to say”, not both.",
            ),
            models.CheckConstraint(
                condition=~Q(email="") | Q(is_walk_in=True) | Q(purged_at__isnull=False),
                name="seminars_registration_email_unless_walk_in",
                violation_error_message="Enter an email address.",
            ),
        ]
        indexes = [
            models.Index(fields=["seminar", "status", "created_at"], name="registration_queue"),
            # The admin lists all registrations in this order (and its date drill-down reads
            # the first and last): without it, every page sorts the whole table.
            models.Index(fields=["created_at", "id"], name="registration_created"),
        ]

    def __str__(self):
        return f"{self.name or 'Erased registration'} for {self.seminar}"

    def save(self, *args, **kwargs):
        # The digest is the token's lookup key: it must never disagree with the token.
        self.token_digest = registration_token_digest(self.token)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "token" in update_fields:
            kwargs["update_fields"] = {*update_fields, "token_digest"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("seminars:registration_manage", kwargs={"token": self.token})

    @property
    def is_active(self):
        return self.status != self.Status.CANCELLED

    @property
    def involvement(self):
        """How they describe their involvement: a role's name, "Prefer not to say", or ""
        when they did not answer. Select `role` with the registration."""
        if self.role_id is not None:
            return self.role.name
        return PREFER_NOT_TO_SAY if self.role_declined else ""


# Models kept in their own packages, by concern; imported here so that Django finds them.
from seminars.feedback.models import (  # noqa: E402, F401
    FeedbackRequest,
    FeedbackResponse,
    FeedbackSettings,
    TalkComment,
)
from seminars.notices.models import SeminarChange  # noqa: E402, F401
from seminars.registrant_messages.models import RegistrantMessage  # noqa: E402, F401
from seminars.subscriptions.models import SeminarNotice, Subscriber  # noqa: E402, F401
