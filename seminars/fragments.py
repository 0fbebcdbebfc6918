"""The public pages that show many things, made of pieces the page cache keeps one by one
(coproseries/pagecache): after an edit, only the pieces of what changed are made again, so
the first visitor after an edit does not wait for the whole page.

Each piece is kept under the tag of the one seminar it shows (seminars/freshness.py), and is
made in one go with the other missing pieces: the same queries as the whole page, however
many are missing.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string

from coproseries import pagecache
from seminars import selectors
from seminars.calendar import seminar_event
from seminars.freshness import person_tag, recap_tag, seminar_tag
from seminars.models import Seminar
from seminars.voices import RoleVocabulary, item_shape, role_list, role_vocabulary, voices_count


def _seminar_tags(seminar):
    return [seminar_tag(seminar.pk)]


_TAGS = {"seminar": seminar_tag, "person": person_tag, "recap": recap_tag}


def cards(objects, template_name, **extra):
    """Each of `objects` (seminars, people or recaps) drawn by `template_name`, which names
    it by its kind (`seminar`, `person`, `recap`) and may read `extra` too, and nothing
    else: the drawings are kept under the tags of the objects."""
    suffix = ",".join(f"{name}={value}" for name, value in sorted(extra.items()))

    def make(missing):
        return [
            render_to_string(template_name, {obj._meta.model_name: obj, **extra}) for obj in missing
        ]

    return pagecache.fragment_many(
        objects,
        key=lambda obj: f"card:{template_name}:{obj._meta.model_name}:{obj.pk}:{suffix}",
        tags=lambda obj: [_TAGS[obj._meta.model_name](obj.pk)],
        make=make,
    )


def calendar_events(seminars):
    """Each seminar's calendar event, written (`event.to_ical()`)."""

    def make(missing):
        selectors.programmes_load(missing)
        return [
            seminar_event(seminar, programme=selectors.seminar_programme(seminar)).to_ical()
            for seminar in missing
        ]

    return pagecache.fragment_many(
        seminars,
        key=lambda seminar: f"calendar-event:{seminar.pk}",
        tags=_seminar_tags,
        make=make,
    )


@dataclass(frozen=True)
class _SeminarVoices:
    html: str  # the seminar's entry on the voices page
    items: tuple  # its talks and workshops (voices.ItemShape), for the series' figures
    held: dict  # the public roles of its people, person pk -> role pks


def series_voices():
    """The balance of voices across the series, and each seminar's entry: in six queries
    when no entry is kept, two when all are.

    The series' figures count every public seminar that is not cancelled, past and
    upcoming. Cancelled seminars are still listed, with their own figures.
    """
    seminars = list(Seminar.objects.public().order_by("-starts_at", "-pk"))
    vocabularies = []

    def make(missing):
        selectors.programmes_load(missing)
        programmes = [(seminar, selectors.seminar_programme(seminar)) for seminar in missing]
        vocabulary = role_vocabulary(
            [person for _, items in programmes for item in items for person in item.people]
        )
        vocabularies.append(vocabulary)
        entries = []
        for seminar, items in programmes:
            counts = voices_count(items, vocabulary) if items else None
            html = render_to_string(
                "includes/voices_seminar.html", {"seminar": seminar, "seminar_counts": counts}
            )
            people = {person.pk for item in items for person in item.people}
            held = {pk: roles for pk, roles in vocabulary.held.items() if pk in people}
            entries.append(_SeminarVoices(html, tuple(item_shape(i) for i in items), held))
        return entries

    entries = pagecache.fragment_many(
        seminars, key=lambda seminar: f"voices:{seminar.pk}", tags=_seminar_tags, make=make
    )
    held = {}
    for entry in entries:
        held.update(entry.held)
    roles = vocabularies[0].roles if vocabularies else role_list()
    counted = [
        item
        for seminar, entry in zip(seminars, entries, strict=True)
        if not seminar.is_cancelled
        for item in entry.items
    ]
    return {
        "voices": voices_count(counted, RoleVocabulary(roles=roles, held=held)),
        "seminar_voices": [entry.html for entry in entries],
    }
