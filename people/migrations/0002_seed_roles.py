from django.db import migrations

ROLES = [
    ("Academic", "academic", "Works in research or teaching at a university or institute."),
    (
        "Expert by experience",
        "expert-by-experience",
        "Brings lived experience of mental health services.",
    ),
    (
        "Peer support worker",
        "peer-support-worker",
        "Supports others from their own lived experience, paid or voluntary.",
    ),
    ("Carer", "carer", "Cares for, or has cared for, someone who uses mental health services."),
    ("Practitioner", "practitioner", "Works in health, social care or the voluntary sector."),
    ("Student", "student", "Studying at any level."),
    ("Policy maker", "policy-maker", "Shapes policy in government, the NHS or elsewhere."),
]


def seed_roles(apps, schema_editor):
    Role = apps.get_model("people", "Role")
    for position, (name, slug, description) in enumerate(ROLES, start=1):
        Role.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )


def unseed_roles(apps, schema_editor):
    Role = apps.get_model("people", "Role")
    Role.objects.filter(slug__in=[slug for _, slug, _ in ROLES], people__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(seed_roles, unseed_roles)]
