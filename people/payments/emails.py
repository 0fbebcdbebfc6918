"""The emails about payment offers and expense claims, all through seminars.emails.email_send.

Contributors are pointed to /profile/: the emails carry the terms in brief, never the items of
a claim (a personal assistant or care costs say something about a person's health), and the
organisers are told only that a claim is waiting, with a link to the admin.
"""

from django.conf import settings
from django.urls import reverse

from seminars.emails import email_send
from seminars.identity import series_identity


def person_address(person):
    """Where a contributor is written to: their own address, else their login's."""
    if person.email:
        return person.email
    return person.user.email if person.user_id else ""


def _send(*, offer, to, subject, template, context=None):
    email_send(
        to=[to],
        subject=subject,
        template=f"people/email/payments/{template}.txt",
        context={
            "offer": offer,
            "person": offer.person,
            "seminar": offer.seminar,
            "profile_url": f"{settings.SITE_URL}{reverse('people:profile')}",
            "offer_url": f"{settings.SITE_URL}{offer.get_absolute_url()}",
            "has_login": offer.person.user_id is not None,
            **(context or {}),
        },
        series=offer.seminar.series,
    )


def offer_email_send(*, offer):
    """Tell the person about a new or changed offer. False when they have no address."""
    to = person_address(offer.person)
    if not to:
        return False
    _send(
        offer=offer,
        to=to,
        subject=f"An offer of payment for your part in {offer.seminar.title}",
        template="offer",
    )
    return True


CLAIM_SUBJECTS = {
    "queried": "A question about your expense claim for {seminar}",
    "paid": "Your expense claim for {seminar} is paid",
}


def claim_email_send(*, claim, kind):
    """Tell the contributor their claim was queried or paid."""
    offer = claim.offer
    to = person_address(offer.person)
    if not to:
        return False
    _send(
        offer=offer,
        to=to,
        subject=CLAIM_SUBJECTS[kind].format(seminar=offer.seminar.title),
        template=f"claim_{kind}",
        context={"claim": claim, "claim_url": f"{settings.SITE_URL}{claim.get_absolute_url()}"},
    )
    return True


def claim_submitted_email_send(*, claim):
    """Tell the organisers (the series' contact address) that a claim waits for them."""
    admin_url = reverse("admin:people_expenseclaim_change", args=[claim.pk])
    _send(
        offer=claim.offer,
        to=series_identity().contact_email,
        subject=f"An expense claim to review: {claim.offer.seminar.title}",
        template="claim_submitted",
        context={"claim": claim, "admin_url": f"{settings.SITE_URL}{admin_url}"},
    )
