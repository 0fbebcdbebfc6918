from django.db import models

from coproseries.text import single_line


class AccessProvision(models.Model):
    """Something a seminar can provide so that people can take part: step-free access, a
    hearing loop, live captions. Organisers own this vocabulary: seminars tick what they
    provide, and registrants what they need, from the same list."""

    name = models.CharField(max_length=100, unique=True, validators=[single_line])
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(
        "short description (optional)",
        max_length=200,
        blank=True,
        validators=[single_line],
        help_text="Shown in brackets after the name on seminar pages and the registration "
        "form: “for hearing aids with a T setting”.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "access provision"
        verbose_name_plural = "access provisions"

    def __str__(self):
        return self.name


def _provisions_from_links(links):
    """Provisions rebuilt from a JSON annotation of their fields (see `with_json_links`), in
    the vocabulary's order."""
    provisions = [AccessProvision(**link) for link in links or []]
    return sorted(provisions, key=lambda provision: (provision.position, provision.name))


class AccessProvided(models.Model):
    """What a seminar provides for access."""

    access_provisions = models.ManyToManyField(
        AccessProvision,
        blank=True,
        related_name="seminars",
        verbose_name="access provisions",
        help_text="What this seminar provides. Shown near the top of its page and in the "
        "seminar list.",
    )

    class Meta:
        abstract = True

    @property
    def access_provision_list(self):
        """The provisions in the vocabulary's order. Selectors annotate them
        (`with_access_provisions`); without it this costs a query per seminar."""
        if not hasattr(self, "access_provision_links"):
            return list(self.access_provisions.all())
        return _provisions_from_links(self.access_provision_links)


class AccessRequestStatus(models.TextChoices):
    """Where the organisers are with what a registrant asked for."""

    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    ARRANGED = "arranged", "Arranged"
    CANNOT_ARRANGE = "cannot_arrange", "Cannot arrange"


# What the registrant reads on their private page after the status: never the organisers'
# note.
STATUS_FOR_REGISTRANT = {
    AccessRequestStatus.NEW: "the organisers have your request, and will get in touch if "
    "they need to know more.",
    AccessRequestStatus.CONTACTED: "the organisers have been in touch with you about it.",
    AccessRequestStatus.ARRANGED: "the organisers have arranged what you asked for.",
    AccessRequestStatus.CANNOT_ARRANGE: "the organisers cannot arrange everything you asked "
    "for. If they have not told you why, please contact them.",
}


class AccessRequested(models.Model):
    """What a registrant asks for, beyond their place: access needs from the vocabulary (the
    free text stays on the registration as `access_requirements`), where the organisers are
    with them, and a companion or personal assistant who needs no registration of their own.

    Health data: organisers and the registrant only, and erased with the registration."""

    access_needs = models.ManyToManyField(
        AccessProvision,
        blank=True,
        related_name="registrations",
        verbose_name="access needs",
    )
    access_request_status = models.CharField(
        "access request",
        max_length=20,
        choices=AccessRequestStatus,
        blank=True,
        help_text="Where you are with the access needs asked for; the registrant sees it. "
        "Empty when none were asked for. Back to “New” whenever the registrant changes them.",
    )
    access_note = models.TextField(
        "organisers' note on access",
        blank=True,
        max_length=2000,
        help_text="For organisers only: the registrant does not see it. Erased with the "
        "registration.",
    )
    with_companion = models.BooleanField(
        "brings a companion or personal assistant",
        default=False,
        help_text="In person only: they take a second place in the room. Ticked here, it is "
        "not checked against the capacity.",
    )

    class Meta:
        abstract = True

    @property
    def access_need_list(self):
        """The needs ticked, in the vocabulary's order. The registrant's pages annotate them
        (`with_access_needs`); without it this costs a query."""
        if not hasattr(self, "access_need_links"):
            return list(self.access_needs.all())
        return _provisions_from_links(self.access_need_links)

    @property
    def has_access_request(self):
        return bool(self.access_request_status)

    @property
    def access_request_message(self):
        return STATUS_FOR_REGISTRANT.get(self.access_request_status, "")
