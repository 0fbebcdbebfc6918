from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse

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
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "role"
        verbose_name_plural = "roles"

    def __str__(self):
        return self.name


class Person(models.Model):
    """Someone on the programme or writing recaps, with or without a login."""

    name = models.CharField(max_length=200, validators=[single_line])
    slug = models.SlugField(max_length=200, unique=True)
    pronouns = models.CharField(
        max_length=50, blank=True, help_text="For example she/her.", validators=[single_line]
    )
    affiliation = models.CharField(max_length=200, blank=True, validators=[single_line])
    bio = models.TextField(blank=True, help_text="Markdown. Written or approved by the person.")
    photo = models.ImageField(upload_to="people/", blank=True)
    website = models.URLField(blank=True)
    email = CanonicalEmailField(blank=True, help_text="Private: never shown on the public site.")
    roles = models.ManyToManyField(Role, blank=True, related_name="people")
    show_roles = models.BooleanField(
        "show roles publicly",
        default=True,
        help_text="The person chooses whether their roles appear on the public site.",
    )
    is_listed = models.BooleanField(
        "listed in the people directory",
        default=True,
        help_text="Unlisted people still appear on the programmes they took part in.",
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

    class Meta:
        ordering = ["name"]
        verbose_name = "person"
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:person_detail", kwargs={"slug": self.slug})

    @property
    def photo_alt(self):
        return photo_alt_text(self.name)
