"""Whose voices are heard: the people on a programme and the time they lead, by role.

The programme is a list of talks and workshops whose people are prefetched (`people_links`).
For each role of the organisers' vocabulary, in its order, and a final "Not stated":

- people: how many different people on the programme hold the role;
- minutes: the total length of the items that at least one person holding the role leads or
  co-leads (an item counts once for a role, however many of its people hold it);
- share: those minutes as a whole percentage of the whole programme's time, which includes
  items with nobody named.

A person who does not show their roles publicly, or has none, counts under "Not stated" and
never under the roles they hold: these figures are public. A person with several roles counts
under each, so the rows can add up to more than the people and 100%.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import IntegerField, Value

from people.models import Person, Role

NOT_STATED = "Not stated"
NOT_STATED_ANCHOR = "not-stated"


def duration_words(minutes):
    """`90` as "1 hour 30 minutes": plain words, exact to the minute."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours:,} hour{'s' if hours != 1 else ''}")
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


def percentage(part, whole):
    """A whole percentage, halves rounded up (Python's round() would send 2.5 to 2)."""
    if not whole:
        return 0
    return (200 * part + whole) // (2 * whole)


class PersonRef(NamedTuple):
    pk: int


@dataclass(frozen=True)
class ItemShape:
    """What the balance of voices reads of a talk or workshop: its times and its people."""

    starts_at: object
    ends_at: object
    people: tuple  # of PersonRef


def item_shape(item):
    return ItemShape(item.starts_at, item.ends_at, tuple(PersonRef(p.pk) for p in item.people))


def item_minutes(item):
    return int((item.ends_at - item.starts_at).total_seconds() // 60)


@dataclass(frozen=True)
class VoiceRow:
    label: str  # the role's name, or "Not stated"
    people: int
    minutes: int
    share: int  # whole per cent of the programme's time
    # The row's entry in the glossary (`role-<slug>`, or `not-stated`): how it is shown,
    # not what it counts, so rows compare by their figures.
    glossary_anchor: str = field(default="", compare=False)

    @property
    def time_words(self):
        return duration_words(self.minutes)


@dataclass(frozen=True)
class Voices:
    rows: tuple[VoiceRow, ...]
    items: int
    people: int  # different people on the programme, each once
    minutes: int  # the whole programme's time
    people_with_several_roles: int

    @property
    def time_words(self):
        return duration_words(self.minutes)

    @property
    def any_role_stated(self):
        """Whether anyone on the programme is counted under a role, not only "Not stated"."""
        return any(row.people for row in self.rows[:-1])

    @property
    def people_by_role(self):
        """The rows with anyone in them, for a one-line summary."""
        return [row for row in self.rows if row.people]


@dataclass(frozen=True)
class RoleVocabulary:
    """The roles in order, and the public roles of the people on a programme."""

    roles: tuple[tuple[int, str, str], ...]  # (pk, name, slug)
    held: dict[int, frozenset[int]]  # person pk -> role pks, only for people showing roles


def role_vocabulary(people):
    """Every role, and which of them the given people publicly hold: one query.

    The vocabulary and the people's roles come back together as one UNION so that a seminar
    page stays within its budget of eight queries. Only people who show their roles are
    asked about: hidden roles are never read for these public figures.
    """
    shown = sorted({person.pk for person in people if person.show_roles})
    no_person = Value(None, output_field=IntegerField())
    vocabulary = Role.objects.order_by().values_list("pk", "name", "slug", "position", no_person)
    held = (
        Person.roles.through.objects.filter(person_id__in=shown)
        .order_by()
        .values_list("role_id", "role__name", "role__slug", "role__position", "person_id")
    )
    roles, holders = {}, {}
    for role_pk, name, slug, position, person_pk in vocabulary.union(held, all=True):
        roles[role_pk] = (position, name, role_pk, slug)
        if person_pk is not None:
            holders.setdefault(person_pk, set()).add(role_pk)
    return RoleVocabulary(
        roles=tuple((pk, name, slug) for _, name, pk, slug in sorted(roles.values())),
        held={person_pk: frozenset(pks) for person_pk, pks in holders.items()},
    )


def role_list():
    """Every role as `RoleVocabulary.roles` holds them, in their order: one query."""
    roles = Role.objects.order_by().values_list("position", "name", "pk", "slug")
    return tuple((pk, name, slug) for _, name, pk, slug in sorted(roles))


def voices_count(items, vocabulary):
    """The balance of voices on `items`, given the roles from `role_vocabulary`."""
    people_in = {pk: set() for pk, _, _ in vocabulary.roles} | {None: set()}
    minutes_in = dict.fromkeys(people_in, 0)
    everyone, total = set(), 0
    for item in items:
        minutes = item_minutes(item)
        total += minutes
        led = set()
        for person in item.people:
            everyone.add(person.pk)
            rows = vocabulary.held.get(person.pk) or {None}
            for row in rows:
                people_in[row].add(person.pk)
            led |= rows
        for row in led:
            minutes_in[row] += minutes
    labels = [
        *((pk, name, f"role-{slug}") for pk, name, slug in vocabulary.roles),
        (None, NOT_STATED, NOT_STATED_ANCHOR),
    ]
    return Voices(
        rows=tuple(
            VoiceRow(
                label=label,
                people=len(people_in[pk]),
                minutes=minutes_in[pk],
                share=percentage(minutes_in[pk], total),
                glossary_anchor=anchor,
            )
            for pk, label, anchor in labels
        ),
        items=len(items),
        people=len(everyone),
        minutes=total,
        people_with_several_roles=sum(1 for pk in everyone if len(vocabulary.held.get(pk, ())) > 1),
    )


def voices_for(items):
    """The balance of voices on a programme whose people are prefetched: one query."""
    items = list(items)
    people = [person for item in items for person in item.people]
    return voices_count(items, role_vocabulary(people))
