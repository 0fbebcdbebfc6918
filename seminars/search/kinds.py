"""What search looks through: five kinds of public item, each with its searched fields."""

from dataclasses import dataclass

from django.db.models import QuerySet

from people.models import Person
from seminars.models import Recap, Seminar, Talk, Workshop
from seminars.selectors import talk_people, workshop_people

HITS_PER_KIND = 20


@dataclass(frozen=True)
class Kind:
    """A kind of item. The indexes (migration 0022) weigh the title most, then the summary
    (for people, their affiliation), then the body; a seminar's themes count as its summary.
    Only these public fields are searched."""

    key: str
    label: str
    title_field: str
    summary_field: str | None
    body_field: str
    date_field: str | None
    shown_fields: tuple  # what the results page reads, and all that is loaded
    prefetches: tuple = ()

    @property
    def snippet_fields(self):
        return [name for name in (self.summary_field, self.body_field) if name]

    def queryset(self) -> QuerySet:
        return _PUBLIC_QUERYSETS[self.key]()

    def results_queryset(self) -> QuerySet:
        """The public items, with only the fields their results show."""
        return self.queryset().only(*self.shown_fields)

    @property
    def table(self):
        return self.queryset().model._meta.db_table

    def ordering(self, rank):
        """Best first, then the newest, then by title."""
        date = [f"-{self.date_field}"] if self.date_field else []
        return [rank, *date, self.title_field, "pk"]


_PUBLIC_QUERYSETS = {
    "seminars": lambda: Seminar.objects.public(),
    "talks": lambda: Talk.objects.filter(seminar__in=Seminar.objects.public()).select_related(
        "seminar"
    ),
    "workshops": lambda: Workshop.objects.filter(
        seminar__in=Seminar.objects.public()
    ).select_related("seminar"),
    "people": lambda: Person.objects.listed(),
    "recaps": lambda: Recap.objects.public().select_related("seminar"),
}

SEMINAR_SHOWN = ("title", "slug", "starts_at", "status")
PROGRAMME_ITEM_SHOWN = (
    "title",
    "slug",
    "starts_at",
    *(f"seminar__{name}" for name in SEMINAR_SHOWN),
)

KINDS = (
    Kind("seminars", "Seminars", "title", "summary", "description", "starts_at", SEMINAR_SHOWN),
    Kind(
        "talks",
        "Talks",
        "title",
        None,
        "abstract",
        "starts_at",
        PROGRAMME_ITEM_SHOWN,
        (talk_people,),
    ),
    Kind(
        "workshops",
        "Workshops",
        "title",
        None,
        "abstract",
        "starts_at",
        PROGRAMME_ITEM_SHOWN,
        (workshop_people,),
    ),
    Kind("people", "People", "name", "affiliation", "bio", None, ("name", "slug", "affiliation")),
    Kind(
        "recaps",
        "Recaps",
        "title",
        "summary",
        "body",
        "published_at",
        ("title", "slug", "published_at", "seminar__title", "seminar__slug"),
    ),
)
