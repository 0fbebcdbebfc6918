"""A photo chosen at "Preview" on /profile/, kept until the profile is saved.

A browser cannot put a chosen file back into a re-shown form, so the photo that Preview
checked (already the clean square JPEG that photo_process makes) waits in the person's
session. The re-shown form carries a one-off token for it in a hidden field: only a submit
of that form uses the photo, never a form opened afresh later. Sessions are in the database,
so the photo waits on whichever host answers next.
"""

import base64
import secrets

from django.core.files.base import ContentFile

SESSION_KEY = "profile_kept_photo"
FIELD_NAME = "kept_photo"


def kept_photo_get(request, *, person):
    """The photo kept for `person` when the submitted form names it, else None."""
    kept = request.session.get(SESSION_KEY)
    token = request.POST.get(FIELD_NAME, "")
    if not kept or kept["person"] != person.pk or not token:
        return None
    if not secrets.compare_digest(kept["token"], token):
        return None
    return ContentFile(base64.b64decode(kept["jpeg"]), name=kept["name"])


def kept_photo_store(request, *, person, photo):
    """Keep a checked photo for the next submit; returns what the template shows of it."""
    photo.seek(0)
    data = photo.read()
    kept = {
        "person": person.pk,
        "token": secrets.token_urlsafe(16),
        "name": photo.name,
        "jpeg": base64.b64encode(data).decode("ascii"),
    }
    request.session[SESSION_KEY] = kept
    return {"token": kept["token"], "src": f"data:image/jpeg;base64,{kept['jpeg']}"}


def kept_photo_forget(request):
    request.session.pop(SESSION_KEY, None)
