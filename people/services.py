import logging

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import construct_change_message
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from coproseries.storage import STORAGE_ERRORS, storage_error_reason
from people.email_identity import canonical_email
from people.models import CONSENT_NOTE_PROFILE, Person, User
from people.tokens import invitation_token
from seminars import freshness
from seminars.emails import email_send
from seminars.identity import series_identity
from seminars.models import Series, Talk, Workshop

logger = logging.getLogger(__name__)

ORGANISERS_GROUP = "Organisers"

# Organisers run the programme: every model of the seminars app, plus people and roles
# (and the payment offers and expense claims of people/payments/),
# and they may read the change log (who edited which profile). Logins, groups and
# permissions stay with superusers, so that an organiser cannot grant themselves more.
ORGANISER_MODELS = {
    "seminars": None,  # every model in the app
    "people": {"person", "role", "involvementoffer", "expenseclaim", "expenseitem"},
}
ORGANISER_EXTRA_PERMISSIONS = [("admin", "view_logentry")]


def organisers_group_sync(*, using="default"):
    """Create the Organisers group and give it every organiser permission that exists."""
    group, _ = Group.objects.using(using).get_or_create(name=ORGANISERS_GROUP)
    wanted = Q(pk__in=[])
    for app_label, models in ORGANISER_MODELS.items():
        app_filter = Q(content_type__app_label=app_label)
        if models is not None:
            app_filter &= Q(content_type__model__in=models)
        wanted |= app_filter
    for app_label, codename in ORGANISER_EXTRA_PERMISSIONS:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    permissions = Permission.objects.using(using).filter(wanted)
    group.permissions.add(*permissions)
    return group


class PhotoNotStored(Exception):
    """The media storage refused the new photo (disk full, storage away): nothing was saved."""


class InvitationError(Exception):
    """An invitation cannot be sent; the message says why, for the organiser."""


INVITATION_VALID_DAYS = 7
# What an organiser's preview shows where the one-time link will be: it is made on sending.
INVITATION_LINK_PLACEHOLDER = "[the one-time link, made when you send the invitation]"
INVITATION_NOTE_MAX_LENGTH = 300


def invitation_login(*, person):
    """The address an invitation to `person` goes to and the login it would attach (None for
    a new one), or InvitationError saying why it cannot be sent. Writes nothing.

    The login is the one whose email is the person's, in canonical equality (never a
    look-alike: "admın@…" does not reach "admin@…"). A staff login is never reached this
    way unless a superuser has linked it to this person.
    """
    email = canonical_email(person.email or "")
    if not email:
        raise InvitationError(f"{person.name} has no email address to invite.")
    user = User.objects.filter(email=email).first()
    if user is None:
        return email, None
    if (user.is_staff or user.is_superuser) and person.user_id != user.pk:
        raise InvitationError(
            f"{email} is the address of a staff login: only a superuser may link it to "
            f"{person.name}, in the person’s “user” field."
        )
    if Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise InvitationError(f"{email} is already the login of someone else.")
    return user.email, user


def _programme_items(person):
    """The person's talks and workshops, drafts included (an invitation often comes before
    the programme is public), soonest seminar first."""
    items = [
        *Talk.objects.filter(speaker_links__person=person).select_related("seminar__series"),
        *Workshop.objects.filter(facilitator_links__person=person).select_related(
            "seminar__series"
        ),
    ]
    return sorted(items, key=lambda item: (item.seminar.starts_at, item.starts_at))


def invitation_email_render(*, person, link, note=""):
    """The subject and body of an invitation: the series and the person's talks and
    workshops by name, and the organiser's note, so that it reads as coming from people the
    person knows. Organisers preview exactly this, with `link` a placeholder."""
    items = _programme_items(person)
    series = items[0].seminar.series if items else Series.objects.order_by("pk").first()
    identity = series_identity()
    context = {
        "person": person,
        "series_title": series.title if series else identity.name,
        "items": [
            {
                "kind": (item.get_kind_display() if hasattr(item, "kind") else "Workshop"),
                "title": item.title,
                "seminar": item.seminar.title,
                "day": timezone.localtime(item.seminar.starts_at).date(),
            }
            for item in items
        ],
        "note": note,
        "site_url": settings.SITE_URL,
        "contact_email": identity.contact_email,
        "link": link,
        "valid_days": INVITATION_VALID_DAYS,
    }
    subject = f"You are invited to edit your speaker profile for {identity.name}"
    return subject, render_to_string("people/email/invitation.txt", context)


@transaction.atomic
def person_invite(*, person, note=""):
    """Give a person a login for their email address and send a one-time link to set a
    password, with the organiser's `note` (one line, plain text).

    The link goes to the login's own address (see `invitation_login`). Re-inviting sends a
    fresh link. Returns the user.
    """
    email, user = invitation_login(person=person)
    if user is None:
        user = User.objects.create_user(email=email, password=None)
    person.user = user
    person.invited_at = timezone.now()
    person.save(update_fields=["user", "invited_at"])
    link = reverse(
        "people:invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token.make_token(user),
        },
    )
    subject, body = invitation_email_render(
        person=person, link=f"{settings.SITE_URL}{link}", note=note
    )
    email_send(to=[user.email], subject=subject, body=body)
    return user


def _log_change(*, user, obj, form):
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[obj],
        action_flag=CHANGE,
        change_message=construct_change_message(form, [], False),
        single_object=True,
    )


def _record_own_consent(person):
    """The person's own yes on /profile/ is their consent; their no withdraws it.

    A yes already recorded (by an organiser, or earlier here) keeps its date and note.
    """
    today = timezone.localdate()
    for flag, at, note in (
        ("show_roles", "roles_consent_at", "roles_consent_note"),
        ("is_listed", "listing_consent_at", "listing_consent_note"),
    ):
        if getattr(person, flag) and not (getattr(person, at) and getattr(person, note)):
            setattr(person, at, today)
            setattr(person, note, CONSENT_NOTE_PROFILE)
        elif not getattr(person, flag):
            setattr(person, at, None)
            setattr(person, note, "")


@transaction.atomic
def person_profile_save(*, form, user):
    """Save a person's own profile edit, replace their photo cleanly, and log the change.

    The new photo is written before the row: if the storage fails, the transaction saves
    nothing and the old photo stays (its file is deleted only once a replacement is saved).
    """
    person = form.instance
    _record_own_consent(person)
    old_photo = Person.objects.filter(pk=person.pk).values_list("photo", flat=True).first()
    try:
        person = form.save()
    except STORAGE_ERRORS as error:
        logger.error("A profile photo could not be stored: %s", storage_error_reason(error))
        raise PhotoNotStored from error
    if old_photo and old_photo != person.photo.name:
        storage = person.photo.storage
        # Robust: a storage that fails to delete leaves an orphan file, not a failed save.
        transaction.on_commit(lambda: storage.delete(old_photo), robust=True)
    if form.has_changed():
        _log_change(user=user, obj=person, form=form)
    return person


@transaction.atomic
def programme_item_edit(*, form, user):
    """Save a speaker's edit of their own talk or workshop, and log it for organisers."""
    item = form.save()
    if form.has_changed():
        _log_change(user=user, obj=item, form=form)
    return item


@transaction.atomic
def person_recording_wishes_save(*, person, user, wishes):
    """Save what a person asks of their own talks and workshops (`wishes`: {row: {wish:
    bool}}, from RecordingWishesForm), and log each change on its item for organisers.

    Only rows that are the person's own are written, whatever `wishes` holds.
    """
    for link, values in wishes.items():
        if link.person_id != person.pk:
            continue
        changed = [wish for wish, value in values.items() if getattr(link, wish) != value]
        if not changed:
            continue
        type(link).objects.filter(pk=link.pk, person=person).update(
            **{wish: values[wish] for wish in changed}
        )
        freshness.refresh(link)  # "Not recorded" on the programme; updates send no signals
        for wish in changed:
            setattr(link, wish, values[wish])
        fields = [str(type(link)._meta.get_field(wish).verbose_name) for wish in changed]
        LogEntry.objects.log_actions(
            user_id=user.pk,
            queryset=[link.item],
            action_flag=CHANGE,
            change_message=[
                {
                    "changed": {
                        "name": str(type(link)._meta.verbose_name),
                        "object": str(link),
                        "fields": fields,
                    }
                }
            ],
            single_object=True,
        )
