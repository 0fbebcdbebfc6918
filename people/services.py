from django.contrib.auth.models import Group, Permission
from django.db.models import Q

ORGANISERS_GROUP = "Organisers"

# Organisers run the programme: every model of the seminars app, plus people and roles.
# Logins, groups and permissions stay with superusers, so that an organiser cannot grant
# themselves more than this.
ORGANISER_MODELS = {
    "seminars": None,  # every model in the app
    "people": {"person", "role"},
}


def organisers_group_sync(*, using="default"):
    """Create the Organisers group and give it every organiser permission that exists."""
    group, _ = Group.objects.using(using).get_or_create(name=ORGANISERS_GROUP)
    wanted = Q(pk__in=[])
    for app_label, models in ORGANISER_MODELS.items():
        app_filter = Q(content_type__app_label=app_label)
        if models is not None:
            app_filter &= Q(content_type__model__in=models)
        wanted |= app_filter
    permissions = Permission.objects.using(using).filter(wanted)
    group.permissions.add(*permissions)
    return group
