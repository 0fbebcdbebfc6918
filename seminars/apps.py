from django.apps import AppConfig


class SeminarsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "seminars"
    verbose_name = "Seminars"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from seminars.freshness import connect_signals
        from seminars.identity import identity_refresh

        connect_signals()
        series = self.get_model("Series")
        post_save.connect(identity_refresh, sender=series, dispatch_uid="series_identity_save")
        post_delete.connect(identity_refresh, sender=series, dispatch_uid="series_identity_del")
