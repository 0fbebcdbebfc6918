"""What each edit changes on the public pages, for the page cache (coproseries/pagecache.py).

A detail page depends on one tag, replaced whenever anything the page shows is edited:

- `seminar:<pk>`: the seminar's page and .ics: the seminar, its series, venue, themes and
  access provisions, its talks, workshops and breaks with their people (names, whether
  listed, the roles counted in its balance of voices) and themes, its recaps (titles,
  authors, themes);
- `person:<pk>`: a person's page: the person and their roles, their talks and workshops
  (with the seminars, the other people on them and their themes), their recaps (with the
  other authors);
- `recap:<pk>`: a recap's page: the recap, its authors, its seminar, its themes.

Every edit also replaces `content`, on which the pages that show many things depend (lists,
feeds, the calendar, themes, voices, the sitemap); they are rebuilt from fragments kept
under the tags above. The people list and the recaps (list and feed) show only people or
only recaps: they depend on `people-list` and `recap-list`, replaced by edits to people and
to recaps (and their authors). An edit to the series, a role, a theme or an access provision (the
vocabulary every page may show) replaces `everything`.

Registrations, subscriptions, notices, feedback and logins are not shown on public pages,
so a burst of them leaves every page in the cache. A saved registration replaces only
`registrations:<seminar pk>`: the pages that show the seminar's places left count them
again at their next request, and are made again only if the places changed.

The clock changes pages too: a seminar ending (lists, its balance of voices), a recap's
publication time, slides that become public when their item starts. The next such moment is
kept in the cache; the first request after it replaces the tags of what changed then.
"""

import copy
import datetime as dt

from django.apps import apps
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.utils import timezone

from coproseries import pagecache
from coproseries.pagecache import EVERYTHING
from seminars import selectors

# Not shown on any public page (registrations change places left: `registrations_tag`).
NOT_CONTENT = {
    "registration",
    "registration_access_needs",
    "subscriber",
    "seminarnotice",
    "registrantmessage",
    "seminarchange",
    "feedbacksettings",
    "feedbackrequest",
    "feedbackresponse",
    "talkcomment",
    "user",
    "user_groups",
    "user_user_permissions",
    "involvementoffer",
    "expenseclaim",
    "expenseitem",
}
# Shown on every page that shows a seminar, a person or a recap, and rarely edited.
VOCABULARY = {"series", "role", "theme", "accessprovision"}
# Models whose foreign keys say which pages show them: an edit may move them between pages.
MOVABLE = {"talk", "workshop", "break", "talkspeaker", "workshopfacilitator", "recap"}


# The lists that show only people, or only recaps: an edit to a seminar leaves them alone.
PEOPLE_LIST = "people-list"
RECAP_LIST = "recap-list"


def seminar_tag(pk):
    return f"seminar:{pk}"


def person_tag(pk):
    return f"person:{pk}"


def recap_tag(pk):
    return f"recap:{pk}"


def _model(name):
    return apps.get_model("people" if name == "person" else "seminars", name)


def _item_people(item_model, item_pks):
    link = _model("talkspeaker" if item_model == "talk" else "workshopfacilitator")
    links = link.objects.filter(**{f"{item_model}_id__in": item_pks})
    return set(links.values_list("person_id", flat=True))


def _seminar_tags(seminar_pks):
    """The pages that show seminars: theirs, their people's, their recaps'."""
    seminar_pks = {pk for pk in seminar_pks if pk is not None}
    if not seminar_pks:
        return set()
    people = set()
    for kind in ("talk", "workshop"):
        items = _model(kind).objects.filter(seminar_id__in=seminar_pks).values_list("pk", flat=True)
        people |= _item_people(kind, list(items))
    recaps = _model("recap").objects.filter(seminar_id__in=seminar_pks).values_list("pk", flat=True)
    return (
        {seminar_tag(pk) for pk in seminar_pks}
        | {person_tag(pk) for pk in people}
        | {recap_tag(pk) for pk in recaps}
    )


def _item_tags(kind, item):
    return {seminar_tag(item.seminar_id)} | {person_tag(pk) for pk in _item_people(kind, [item.pk])}


def _link_tags(kind, link):
    item = _model(kind).objects.filter(pk=getattr(link, f"{kind}_id")).first()
    tags = {person_tag(link.person_id)}
    return tags | (_item_tags(kind, item) if item is not None else set())


def _recap_tags(recap):
    authors = recap.authors.values_list("pk", flat=True) if recap.pk else []
    tags = {RECAP_LIST, recap_tag(recap.pk), *(person_tag(pk) for pk in authors)}
    return tags | ({seminar_tag(recap.seminar_id)} if recap.seminar_id else set())


def _person_tags(person):
    """A person's page, and every page that shows their name: the seminars they are on, the
    people beside them there, their recaps and co-authors."""
    seminars, people = set(), {person.pk}
    for kind in ("talk", "workshop"):
        link = _model("talkspeaker" if kind == "talk" else "workshopfacilitator")
        items = list(link.objects.filter(person=person).values_list(f"{kind}_id", flat=True))
        seminars |= set(
            _model(kind).objects.filter(pk__in=items).values_list("seminar_id", flat=True)
        )
        people |= _item_people(kind, items)
    recaps = list(person.recaps.values_list("pk", "seminar_id"))
    authors = _model("recap").authors.through.objects.filter(recap_id__in=[pk for pk, _ in recaps])
    people |= set(authors.values_list("person_id", flat=True))
    seminars |= {seminar for _, seminar in recaps if seminar}
    return (
        {PEOPLE_LIST, *({RECAP_LIST} if recaps else set())}
        | {person_tag(pk) for pk in people}
        | {recap_tag(pk) for pk, _ in recaps}
        | {seminar_tag(pk) for pk in seminars}
    )


def tags_for(instance):
    """The tags of every page that shows `instance`, as the database holds it now."""
    name = instance._meta.model_name
    if name == "seminar":
        return _seminar_tags([instance.pk])
    if name in {"talk", "workshop"}:
        return _item_tags(name, instance)
    if name == "talkspeaker":
        return _link_tags("talk", instance)
    if name == "workshopfacilitator":
        return _link_tags("workshop", instance)
    if name == "break":
        return {seminar_tag(instance.seminar_id)}
    if name == "recap":
        return _recap_tags(instance)
    if name == "person":
        return _person_tags(instance)
    if name == "venue":
        return _seminar_tags(instance.seminars.values_list("pk", flat=True))
    return {EVERYTHING}  # the vocabulary, and any content model not named above


def _changed(tags):
    pagecache.bump(tags)
    clock_refresh()


def refresh(instance):
    """Refresh the pages that show `instance`, after writes that send no signals
    (`bulk_create`, `bulk_update`, `QuerySet.update`)."""
    _changed(tags_for(instance))


def _before_save(sender, instance, **kwargs):
    if instance.pk is not None:
        stored = sender._default_manager.filter(pk=instance.pk).first()
        instance._pagecache_tags = tags_for(stored) if stored is not None else set()


def _after_save(sender, instance, **kwargs):
    _changed(tags_for(instance) | getattr(instance, "_pagecache_tags", set()))


def _before_delete(sender, instance, **kwargs):
    _changed(tags_for(instance))


def _m2m_tags(instance, model, pk_set):
    tags = set()
    if instance._meta.model_name not in VOCABULARY:
        tags |= tags_for(instance)
    if model._meta.model_name not in VOCABULARY and pk_set:
        for other in model._default_manager.filter(pk__in=pk_set):
            tags |= tags_for(other)
    return tags


def _m2m_changed(sender, instance, action, model, pk_set, **kwargs):
    tags = _m2m_tags(instance, model, pk_set)
    if action.startswith("pre_"):
        instance._pagecache_m2m_tags = tags
        return
    _changed(tags | getattr(instance, "_pagecache_m2m_tags", set()))


def connect_signals():
    """Listen to each content model by name: a receiver for every sender would stop Django
    deleting registrations in bulk (it must then load each row to send its signal)."""
    pagecache.set_clock_hook(clock_passed)
    post_save.connect(
        _registration_saved,
        sender=apps.get_model("seminars", "Registration"),
        dispatch_uid="freshness_registration_save",
    )
    for label in ("seminars", "people"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            name = model._meta.model_name
            if name in NOT_CONTENT:
                continue
            uid = f"freshness_{model._meta.label_lower}"
            m2m_changed.connect(_m2m_changed, sender=model, dispatch_uid=f"{uid}_m2m")
            if model._meta.auto_created:
                continue
            if name in MOVABLE:
                pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}_before")
            post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}_save")
            pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"{uid}_delete")


# The clock


def _moments_after(now):
    """Public seminars' ends, recaps' publication times and the starts of items whose
    slides become public then: each a moment at which a page changes by itself."""
    seminars = _model("seminar").objects.public()
    moments = seminars.filter(ends_at__gt=now).order_by().values_list("ends_at")
    recaps = _model("recap").objects.filter(status="published", published_at__gt=now)
    moments = moments.union(recaps.order_by().values_list("published_at"), all=True)
    for kind in ("talk", "workshop"):
        items = (
            _model(kind)
            .objects.filter(seminar__in=seminars, starts_at__gt=now, slides_public_before=False)
            .exclude(slides="")
        )
        moments = moments.union(items.order_by().values_list("starts_at"), all=True)
    return moments


def clock_refresh(now=None):
    """Keep the next moment at which a page changes by itself."""
    now = now or timezone.now()
    first = _moments_after(now).order_by("ends_at")[:1]
    moment = first[0][0] if first else None
    pagecache.clock_set(moment.timestamp() if moment else None)


def clock_passed(due):
    """Replace the tags of what changed by itself since `due` (a timestamp; None when the
    moment was lost, and so what changed is unknown), and keep the next moment."""
    now = timezone.now()
    if due is None:
        tags = {EVERYTHING}
    else:
        since = dt.datetime.fromtimestamp(due, dt.UTC)
        seminars = set(
            _model("seminar")
            .objects.public()
            .filter(ends_at__gte=since, ends_at__lte=now)
            .values_list("pk", flat=True)
        )
        for kind in ("talk", "workshop"):
            items = _model(kind).objects.filter(starts_at__gte=since, starts_at__lte=now)
            seminars |= set(items.exclude(slides="").values_list("seminar_id", flat=True))
        tags = _seminar_tags(seminars)
        for recap in _model("recap").objects.filter(
            status="published", published_at__gte=since, published_at__lte=now
        ):
            tags |= _recap_tags(recap)
    pagecache.bump(tags)
    clock_refresh(now)


# Places left


def registrations_tag(seminar_pk):
    """Replaced by every saved registration of the seminar: what its places left (and its
    workshops' places) can change with. No page's content depends on it."""
    return f"registrations:{seminar_pk}"


def _registration_saved(sender, instance, **kwargs):
    # Deleting a registration needs no receiver: only cancelled ones can be deleted (the
    # admin says cancel first), and those hold no place; a receiver would also make Django
    # load every row of a bulk deletion to send its signal.
    pagecache.bump([registrations_tag(instance.seminar_id)], content=False)


# What says whether and how one can register; nothing private (the joining link is only
# said to exist, which makes a seminar with a venue hybrid).
AVAILABILITY_FIELDS = [
    "id",
    "status",
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
    "capacity",
    "online_capacity",
    "waitlist_enabled",
    "venue_id",
]


def _snapshot(seminar):
    """The seminar as far as its availability goes: kept with a page, so that places can be
    counted again without fetching the seminar."""
    from seminars.models import Seminar

    snapshot = Seminar(**{name: getattr(seminar, name) for name in AVAILABILITY_FIELDS})
    snapshot.online_url = "https://online.invalid/" if seminar.online_url else ""
    return snapshot


def _counted(seminar, counts):
    counted = copy.copy(seminar)
    counted.__dict__.update(counts)
    return selectors.registration_availability(counted)


@pagecache.register_live("availability")
def _availability_live(seminar):
    counts, _ = selectors.registration_tally(seminar.pk)
    return _counted(seminar, counts)


def shows_availability(seminar, availability):
    """Record that the page being rendered shows `availability`, from `seminar` annotated
    with its registration counts (`with_registration_counts`)."""
    tag = registrations_tag(seminar.pk)
    pagecache.live("availability", _snapshot(seminar), value=availability, tag=tag)


def _workshop_places(capacity, taken):
    places_left = None if capacity is None else max(capacity - taken, 0)
    return places_left, places_left == 0


@pagecache.register_live("registration_form")
def _registration_form_live(seminar, workshops):
    counts, taken = selectors.registration_tally(seminar.pk)
    places = tuple(
        (pk, *_workshop_places(capacity, taken.get(pk, 0))) for pk, capacity in workshops
    )
    return _counted(seminar, counts), places


def shows_registration_form(seminar, availability, workshops):
    """Record that the page being rendered is the registration form as `availability` and
    `workshops` (from `places.workshop_choices`) make it."""
    value = availability, tuple((w.pk, w.places_left, w.is_full) for w in workshops)
    offered = tuple((w.pk, w.capacity) for w in workshops)
    tag = registrations_tag(seminar.pk)
    pagecache.live("registration_form", _snapshot(seminar), offered, value=value, tag=tag)
