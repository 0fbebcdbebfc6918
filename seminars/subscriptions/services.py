"""Subscribing to new-seminar emails, and announcing seminars to subscribers: each function
one unit of work with keyword-only arguments."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from people.email_identity import canonical_email
from seminars import selectors
from seminars.emails import subscriber_email_send
from seminars.models import Seminar
from seminars.subscriptions.models import SeminarNotice, Subscriber


def subscriber_email_canonical(email):
    return canonical_email(email)


@transaction.atomic
def subscriber_subscribe(*, email):
    """Ask `email` to confirm its subscription, or tell it that it already has one.

    The caller answers the same either way, so nobody can probe who subscribed. Asking
    again while unconfirmed sends the same link again and restarts the time to confirm.
    Returns the subscription.
    """
    email = subscriber_email_canonical(email)
    subscriber, created = Subscriber.objects.get_or_create(email=email)
    if subscriber.confirmed_at:
        subscriber_email_send(subscriber=subscriber, kind="already_subscribed")
        return subscriber
    if not created:
        subscriber.created_at = timezone.now()
        subscriber.save(update_fields=["created_at"])
    subscriber_email_send(subscriber=subscriber, kind="subscription_confirm")
    return subscriber


def subscriber_confirm(*, subscriber):
    """Confirm a subscription (double opt-in); confirming twice changes nothing."""
    Subscriber.objects.filter(pk=subscriber.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    subscriber.refresh_from_db(fields=["confirmed_at"])
    return subscriber


def subscriber_unsubscribe(*, subscriber):
    """Delete the subscription: the address is not kept once its owner wants no more email."""
    Subscriber.objects.filter(pk=subscriber.pk).delete()


def subscribers_purge_unconfirmed(*, created_before):
    """Delete subscriptions never confirmed and asked for before a moment; returns how many."""
    deleted, _ = Subscriber.objects.filter(
        confirmed_at__isnull=True, created_at__lt=created_before
    ).delete()
    return deleted


def seminar_notice_send(*, seminar, kind, now=None):
    """Email every confirmed subscriber about a seminar, once per seminar and kind.

    The notice row is claimed first, under a unique constraint, in the transaction that
    queues the emails (django-mailer): a second run, or one on another host at the same
    moment, fails to claim it and sends nothing. A new seminar whose registration is already
    open is announced in one email, which counts as both notices.
    Returns the number of subscribers emailed, or None when the notice had gone already.
    """
    now = now or timezone.now()
    registration_open = selectors.registration_window_closed(seminar, now=now) is None
    kinds = [kind]
    if kind == SeminarNotice.Kind.PUBLISHED and registration_open:
        kinds.append(SeminarNotice.Kind.REGISTRATION_OPEN)
    try:
        with transaction.atomic():
            claimed = [
                SeminarNotice.objects.create(seminar=seminar, kind=each, sent_at=now)
                for each in kinds
                if each == kind
                or not SeminarNotice.objects.filter(seminar=seminar, kind=each).exists()
            ]
            count = 0
            for subscriber in Subscriber.objects.confirmed().order_by("pk").iterator():
                subscriber_email_send(
                    subscriber=subscriber,
                    kind="new_seminar" if kind == SeminarNotice.Kind.PUBLISHED else kind,
                    seminar=seminar,
                    registration_open=registration_open,
                )
                count += 1
            for notice in claimed:
                notice.recipient_count = count
                notice.save(update_fields=["recipient_count"])
    except IntegrityError:
        return None
    return count


def seminars_due_notice(*, kind, now=None):
    """Published, upcoming seminars whose notice of `kind` has not gone yet."""
    now = now or timezone.now()
    due = Seminar.objects.filter(status=Seminar.Status.PUBLISHED, starts_at__gt=now).exclude(
        subscriber_notices__kind=kind
    )
    if kind == SeminarNotice.Kind.REGISTRATION_OPEN:
        due = due.exclude(registration_opens_at__gt=now).exclude(registration_closes_at__lte=now)
    return due.select_related("venue").order_by("starts_at", "pk")


def subscriber_notices_send(*, now=None):
    """Send every notice that is due: new seminars first, then registrations opening.

    Returns a list of (seminar, kind, count) for the notices this run sent.
    """
    now = now or timezone.now()
    sent = []
    for kind in [SeminarNotice.Kind.PUBLISHED, SeminarNotice.Kind.REGISTRATION_OPEN]:
        for seminar in list(seminars_due_notice(kind=kind, now=now)):
            count = seminar_notice_send(seminar=seminar, kind=kind, now=now)
            if count is not None:
                sent.append((seminar, kind, count))
    return sent
