"""Reads of access provisions, shaped so that pages show them without a query per item."""

from seminars.models import with_json_links

PROVISION_FIELDS = ["id", "name", "slug", "description", "position"]


def with_access_provisions(queryset):
    """Seminars annotated with `access_provision_links`, what `access_provision_list` reads."""
    return with_json_links(
        queryset, "access_provisions", to_attr="access_provision_links", fields=PROVISION_FIELDS
    )


def with_access_needs(queryset):
    """Registrations annotated with `access_need_links`, what `access_need_list` reads."""
    return with_json_links(
        queryset, "access_needs", to_attr="access_need_links", fields=PROVISION_FIELDS
    )
