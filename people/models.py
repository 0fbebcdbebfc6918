from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse

from coproseries.markdown import FORMATTING_HELP
from coproseries.text import single_line
from people.email_identity import CanonicalEmailField, canonical_email
from people.images import photo_alt_text


class EmailUserManager(UserManager):
    """Users are identified by their email address in canonical form (people.email_identity)."""

    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        return canonical_email(email or "")

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)

    def staff_with_email(self, email):
        """Staff and superuser logins whose email is `email`, in canonical equality."""
        return self.filter(
            models.Q(is_staff=True) | models.Q(is_superuser=True), email=canonical_email(email)
        )

    def get_by_natural_key(self, username):
        # Equality of canonical forms, never the database's case-insensitive match: that
        # would let "admın@…" (another mailbox) log in as "admin@…".
        return self.get(email=canonical_email(username))


class User(AbstractUser):
    """A login. Public information about a person lives on `Person`, not here."""

    username = None
    email = CanonicalEmailField("email address", unique=True)

    objects = EmailUserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]
        verbose_name = "user"
        verbose_name_plural = "users"

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        self.email = canonical_email(self.email)


class Role(models.Model):
    """How someone describes their involvement. Organisers own this vocabulary."""

    name = models.CharField(max_length=100, unique=True, validators=[single_line])
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(
        "plain-language description",
        blank=True,
        help_text="What the role means, in one or two short sentences anyone can follow. "
        "Shown in the glossary, which the role's name links to wherever it appears.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "role"
        verbose_name_plural = "roles"

    def __str__(self):
        return self.name


CONSENT_NOTE_MIGRATION = "recorded before consent tracking (migration)"
CONSENT_NOTE_PROFILE = "given by the person on their profile"


class PersonQuerySet(models.QuerySet):
    def listed(self):
        """People with a public page: only those who agreed to be listed (see is_listed)."""
        return self.filter(is_listed=True)


class Person(models.Model):
    """Someone on the programme or writing recaps, with or without a login.

    Nothing about a person is public before they agree: roles are shown, and the person is
    listed, only once their consent is recorded (a date and how it was given). Database
    constraints hold that rule, so every public surface reads the one flag of each.
    """

    name = models.CharField(max_length=200, validators=[single_line])
    slug = models.SlugField(max_length=200, unique=True)
    pronouns = models.CharField(
        max_length=50, blank=True, help_text="For example she/her.", validators=[single_line]
    )
    affiliation = models.CharField(max_length=200, blank=True, validators=[single_line])
    bio = models.TextField(
        blank=True, help_text=f"{FORMATTING_HELP} Written or approved by the person."
    )
    photo = models.ImageField(upload_to="people/", blank=True)
    website = models.URLField(blank=True)
    email = CanonicalEmailField(blank=True, help_text="Private: never shown on the public site.")
    roles = models.ManyToManyField(Role, blank=True, related_name="people")
    show_roles = models.BooleanField(
        "show roles publicly",
        default=False,
        help_text="Only once the person has agreed: record below when and how they did.",
    )
    roles_consent_at = models.DateField(
        "roles: consent given on",
        null=True,
        blank=True,
        help_text="The date the person agreed to show their roles.",
    )
    roles_consent_note = models.CharField(
        "roles: how consent was given",
        max_length=200,
        blank=True,
        help_text="For example “by email, 3 March”.",
    )
    is_listed = models.BooleanField(
        "listed in the people directory",
        default=False,
        help_text="Only once the person has agreed: record below when and how they did. "
        "Unlisted people still appear by name on the programmes they took part in.",
    )
    listing_consent_at = models.DateField(
        "listing: consent given on",
        null=True,
        blank=True,
        help_text="The date the person agreed to be listed in the people directory.",
    )
    listing_consent_note = models.CharField(
        "listing: how consent was given",
        max_length=200,
        blank=True,
        help_text="For example “on the speaker form, 3 March”.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    invited_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the last invitation was sent."
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "person"
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(show_roles=False)
                | (models.Q(roles_consent_at__isnull=False) & ~models.Q(roles_consent_note="")),
                name="person_roles_shown_only_with_consent",
            ),
            models.CheckConstraint(
                condition=models.Q(is_listed=False)
                | (models.Q(listing_consent_at__isnull=False) & ~models.Q(listing_consent_note="")),
                name="person_listed_only_with_consent",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:person_detail", kwargs={"slug": self.slug})

    @property
    def photo_alt(self):
        return photo_alt_text(self.name)

    @property
    def login_status(self):
        """For organisers: "Accepted" (logged in), "Invited 3 Mar 2027", "Has a login", "No
        email" or "Not invited". Reads the login: select or prefetch `user` in lists."""
        if self.user_id and self.user.last_login:
            return "Accepted"
        if self.invited_at:
            return f"Invited {self.invited_at:%d %b %Y}"
        if self.user_id:
            return "Has a login"
        return "No email" if not self.email else "Not invited"

    @property
    def may_be_invited(self):
        """Whether an invitation makes sense: an address, and no login used yet."""
        return bool(self.email) and self.login_status != "Accepted"


# Contributors' payment offers and expense claims live in their own package, by concern;
# importing them here makes them models of this app.
from people.payments.models import ExpenseClaim, ExpenseItem, InvolvementOffer  # noqa: E402, F401
