import hashlib

from django.db import migrations, models


def fill_digests(apps, schema_editor):
    Registration = apps.get_model("seminars", "Registration")
    batch = []
    for registration in Registration.objects.only("pk", "token").iterator(chunk_size=2000):
        registration.token_digest = hashlib.sha256(registration.token.encode()).hexdigest()
        batch.append(registration)
        if len(batch) == 2000:
            Registration.objects.bulk_update(batch, ["token_digest"])
            batch = []
    Registration.objects.bulk_update(batch, ["token_digest"])


class Migration(migrations.Migration):
    """Private links are looked up by the SHA-256 of their token, never by the token."""

    dependencies = [("seminars", "0004_registration_created_index")]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="token_digest",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(fill_digests, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="registration",
            name="token_digest",
            field=models.CharField(
                editable=False, help_text="SHA-256 of the token.", max_length=64, unique=True
            ),
        ),
    ]
