from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PeopleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "people"
    verbose_name = "People"

    def ready(self):
        # Permissions are themselves created on post_migrate, app by app, so the group is
        # brought up to date after each app's: a data migration would miss models added later.
        post_migrate.connect(sync_organisers_group, dispatch_uid="people_sync_organisers_group")


def sync_organisers_group(sender, using="default", **kwargs):
    from people.services import organisers_group_sync

    organisers_group_sync(using=using)
