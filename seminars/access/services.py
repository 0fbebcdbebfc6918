"""Writes about access requests. Capacity (a companion's place) is counted with the other
places, under the seminar's lock, in seminars.services."""

from seminars.access.models import AccessRequestStatus
from seminars.models import Registration


def access_request_status_for(*, access_needs, access_requirements):
    """The status of a request just made or changed by the registrant: new whenever they
    asked for anything, so organisers look at it again; empty when they asked for nothing."""
    if list(access_needs) or access_requirements.strip():
        return AccessRequestStatus.NEW
    return ""


# What erasing a registration empties of its access request (its needs are links, deleted
# by `access_needs_erase`).
ACCESS_REQUEST_ERASED = {"access_request_status": "", "access_note": "", "with_companion": False}


def access_needs_erase(*, registration_ids):
    """Delete the access needs ticked on these registrations."""
    Registration.access_needs.through.objects.filter(registration_id__in=registration_ids).delete()
