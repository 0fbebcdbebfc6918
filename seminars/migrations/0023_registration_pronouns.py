"""A registrant's pronouns, if they give them, for their name badge."""

import coproseries.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("seminars", "0022_search_documents"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="pronouns",
            field=models.CharField(
                blank=True,
                help_text="For example she/her.",
                max_length=50,
                validators=[coproseries.text.single_line],
            ),
        ),
    ]
