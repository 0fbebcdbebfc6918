from collections import defaultdict

from django.core.management.base import CommandError
from django.db import migrations

import people.email_identity
from people.email_identity import canonical_email


def canonicalise_emails(apps, schema_editor):
    """Store every registration's email in canonical form (people.email_identity).

    Two active registrations for one seminar whose addresses are one once canonical stop the
    migration, naming their ids (never their addresses): both hold someone's place and
    needs, so an organiser decides which to cancel, then migrates again. Cancelled and
    erased registrations never clash.
    """
    Registration = apps.get_model("seminars", "Registration")
    active = defaultdict(list)
    changes = []
    rows = Registration.objects.exclude(email="").values_list(
        "pk", "seminar_id", "email", "status", "purged_at"
    )
    for pk, seminar_id, email, status, purged_at in rows.order_by("pk").iterator(chunk_size=2000):
        canonical = canonical_email(email)
        if status != "cancelled" and purged_at is None:
            active[(seminar_id, canonical)].append(pk)
        if canonical != email:
            changes.append((pk, canonical))
    problems = [
        f"Registrations {', '.join(map(str, pks))} are active for one seminar and are "
        "spellings of one address."
        for pks in active.values()
        if len(pks) > 1
    ]
    if too_long := [pk for pk, canonical in changes if len(canonical) > 254]:
        problems.append(f"Registrations {', '.join(map(str, too_long))} grow past 254 characters.")
    if problems:
        raise CommandError(
            "Some registrations' email addresses cannot be stored in canonical form. "
            + " ".join(problems)
            + " Cancel all but one of each group, or change the addresses, in the admin, "
            "then migrate again."
        )
    for pk, canonical in changes:
        Registration.objects.filter(pk=pk).update(email=canonical)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_canonical_emails"),
        ("seminars", "0008_seminar_sequence"),
    ]

    operations = [
        migrations.AlterField(
            model_name="registration",
            name="email",
            field=people.email_identity.CanonicalEmailField(
                help_text="Stored in canonical form: one address, one registration.",
                max_length=254,
            ),
        ),
        migrations.RunPython(canonicalise_emails, migrations.RunPython.noop),
    ]
