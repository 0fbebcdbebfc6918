"""Functions that write: each one a unit of work with keyword-only arguments."""

from django.db import transaction

from seminars.models import Talk, TalkSpeaker, Workshop, WorkshopFacilitator


@transaction.atomic
def programme_item_set_people(*, item, people):
    """Make `people` the speakers of a talk or facilitators of a workshop, in that order."""
    if isinstance(item, Talk):
        link_model, item_field = TalkSpeaker, "talk"
    elif isinstance(item, Workshop):
        link_model, item_field = WorkshopFacilitator, "workshop"
    else:
        raise TypeError(f"Expected a Talk or a Workshop, not {type(item).__name__}.")
    link_model.objects.filter(**{item_field: item}).delete()
    link_model.objects.bulk_create(
        link_model(**{item_field: item}, person=person, position=position)
        for position, person in enumerate(people)
    )
