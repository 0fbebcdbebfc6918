from collections import defaultdict

from django.core.management.base import CommandError
from django.db import migrations

import people.email_identity
from people.email_identity import canonical_email


def _ids(pks):
    return ", ".join(map(str, pks))


def canonicalise_emails(apps, schema_editor):
    """Store every login's and person's email in canonical form (people.email_identity).

    Two logins whose addresses are one once canonical stop the migration, naming their ids
    (never their addresses): which of them is the person's own login cannot be told from
    here, and the wrong choice would hand one login to whoever holds the other. A superuser
    changes or deletes all but one of them, then migrates again. So does an address that
    grows past 254 characters once canonical (a ligature can): it is never cut short.
    """
    User = apps.get_model("people", "User")
    Person = apps.get_model("people", "Person")

    logins = defaultdict(list)
    for pk, email in User.objects.values_list("pk", "email").order_by("pk"):
        logins[canonical_email(email)].append((pk, email))
    people = {
        pk: (email, canonical_email(email))
        for pk, email in Person.objects.exclude(email="").values_list("pk", "email")
    }
    problems = [
        f"Logins {_ids(pk for pk, _ in rows)} are spellings of one address."
        for rows in logins.values()
        if len(rows) > 1
    ]
    if too_long := [rows[0][0] for canonical, rows in logins.items() if len(canonical) > 254]:
        problems.append(f"Logins {_ids(too_long)} grow past 254 characters.")
    if too_long := [pk for pk, (_, canonical) in people.items() if len(canonical) > 254]:
        problems.append(f"People {_ids(too_long)} have addresses that grow past 254 characters.")
    if problems:
        raise CommandError(
            "Some email addresses cannot be stored in canonical form. "
            + " ".join(problems)
            + " Change or delete them in the admin, then migrate again."
        )

    for canonical, [(pk, email)] in logins.items():
        if email != canonical:
            User.objects.filter(pk=pk).update(email=canonical)
    for pk, (email, canonical) in people.items():
        if email != canonical:
            Person.objects.filter(pk=pk).update(email=canonical)


class Migration(migrations.Migration):
    """Emails are compared in canonical form by our code, never by the database's
    case-insensitive matching, which makes "admın@…" (dotless ı) match "admin@…"."""

    dependencies = [("people", "0003_person_invited_at")]

    operations = [
        migrations.RemoveConstraint(model_name="user", name="people_user_email_ci_unique"),
        migrations.AlterField(
            model_name="person",
            name="email",
            field=people.email_identity.CanonicalEmailField(
                blank=True, help_text="Private: never shown on the public site.", max_length=254
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="email",
            field=people.email_identity.CanonicalEmailField(
                max_length=254, unique=True, verbose_name="email address"
            ),
        ),
        migrations.RunPython(canonicalise_emails, migrations.RunPython.noop),
    ]
