"""Reading feedback: whether a registrant may answer, the organisers' results with small
counts hidden, and the approved comments a speaker sees."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from people.models import Role
from seminars.feedback.models import Answer, FeedbackResponse, FeedbackSettings, TalkComment
from seminars.models import Registration, Talk, TalkSpeaker

# Counts under this are hidden from organisers, so that nobody in a small group can be
# picked out by how they answered.
SMALL_COUNT = 5

NOT_YET, CLOSED, OPEN, ANSWERED = "not_yet", "closed", "open", "answered"


def registration_feedback_state(registration):
    """Whether this registration may give feedback: NOT_YET (the seminar has not ended),
    CLOSED (not an attendee: cancelled, or the seminar was), OPEN, or ANSWERED."""
    seminar = registration.seminar
    if seminar.ends_at >= timezone.now():
        confirmed = registration.status == Registration.Status.CONFIRMED
        return NOT_YET if confirmed and not seminar.is_cancelled else CLOSED
    row = (
        Registration.objects.attendees()
        .filter(pk=registration.pk, purged_at__isnull=True)
        .values_list("pk", "feedback_request__responded")
        .first()
    )
    if row is None:
        return CLOSED
    return ANSWERED if row[1] else OPEN


def seminar_feedback_question(seminar):
    settings = FeedbackSettings.objects.filter(seminar=seminar).first()
    return settings.question if settings else ""


def seminar_feedback_talks(seminar):
    """The seminar's talks with their speakers, for the form's choice of talk."""
    links = TalkSpeaker.objects.select_related("person")
    return list(
        Talk.objects.filter(seminar=seminar)
        .prefetch_related(Prefetch("speaker_links", queryset=links, to_attr="people_links"))
        .order_by("starts_at", "pk")
    )


def registration_feedback_data(registration):
    """A registrant's own named response, for the download of everything held about them;
    None when they have not answered, or answered anonymously."""
    response = (
        FeedbackResponse.objects.filter(registration=registration)
        .select_related("talk_comment__talk")
        .first()
    )
    if response is None:
        return None
    talk_comment = getattr(response, "talk_comment", None)
    return {
        "accessible": response.get_accessible_display(),
        "heard": response.get_heard_display(),
        "what_you_will_do_differently": response.differently,
        "answer_to_the_organisers_question": response.organiser_answer,
        "comment": response.comment,
        "comment_on_a_talk": (
            {"talk": talk_comment.talk.title, "comment": talk_comment.body}
            if talk_comment
            else None
        ),
        "submitted_on": response.submitted_on.isoformat(),
    }


@dataclass(frozen=True)
class Cell:
    count: int
    hidden: bool = False
    # Hidden although 5 or more: it would let a smaller hidden count be worked out.
    protects: bool = False


@dataclass(frozen=True)
class CountTable:
    """One question's counts: a row per answer, a column per involvement, with totals."""

    question: str
    columns: list  # column headings: the roles, "Not given"
    rows: list  # (answer label, [Cell per column], row total Cell)
    column_totals: list  # Cell per column
    total: int


def _hide_small_counts(cells, lines, hidden_from_start=()):
    """Which cells to hide: every count under SMALL_COUNT, and then, wherever a line of
    counts and its total has exactly one of them hidden (it could be worked out by
    subtraction), one more in that line, until no line has exactly one.

    `cells` maps a key to its count; each line is (keys of its parts, key of its total),
    the total None when it is the number of responses, which is always shown. The one more
    is the line's smallest shown part, else its total."""
    hidden = {key for key, count in cells.items() if count < SMALL_COUNT}
    hidden |= set(hidden_from_start)
    changed = True
    while changed:
        changed = False
        for parts, total in lines:
            members = [*parts, total] if total is not None else list(parts)
            if sum(key in hidden for key in members) != 1:
                continue
            shown = [key for key in parts if key not in hidden]
            if shown:
                hidden.add(min(shown, key=lambda key: cells[key]))
            elif total is not None:
                hidden.add(total)
            else:
                continue
            changed = True
    return hidden


def _involvement_totals(by_role, column_keys):
    """Which counts of respondents by involvement to hide: decided once, as every table
    shows them and must hide the same ones."""
    cells = {("column", key): by_role.get(key, 0) for key in column_keys}
    return _hide_small_counts(cells, [(list(cells), None)])


def _count_table(question, field, responses, column_keys, headings, hidden_columns):
    answers = [(choice.value, choice.label) for choice in Answer] + [("", "No answer")]
    counts = Counter((response[field], response["role_id"]) for response in responses)
    cells = {}
    for value, _label in answers:
        for key in column_keys:
            cells[("cell", value, key)] = counts[(value, key)]
        cells[("row", value)] = sum(counts[(value, key)] for key in column_keys)
    for key in column_keys:
        cells[("column", key)] = sum(counts[(value, key)] for value, _ in answers)
    lines = [
        ([("cell", value, key) for key in column_keys], ("row", value)) for value, _ in answers
    ]
    lines += [
        ([("cell", value, key) for value, _ in answers], ("column", key)) for key in column_keys
    ]
    lines.append(([("row", value) for value, _ in answers], None))  # the responses, shown
    lines.append(([("column", key) for key in column_keys], None))
    hidden = _hide_small_counts(cells, lines, hidden_from_start=hidden_columns)

    def cell(key):
        count = cells[key]
        return Cell(count, key in hidden, key in hidden and count >= SMALL_COUNT)

    return CountTable(
        question=question,
        columns=headings,
        rows=[
            (label, [cell(("cell", value, key)) for key in column_keys], cell(("row", value)))
            for value, label in answers
        ],
        column_totals=[cell(("column", key)) for key in column_keys],
        total=len(responses),
    )


def seminar_feedback_results(seminar):
    """What the organisers see of a seminar's feedback: counts for each yes/partly/no
    question by involvement, small counts hidden, and the written answers without names,
    in no particular order."""
    roles = list(Role.objects.all())
    responses = list(
        FeedbackResponse.objects.filter(seminar=seminar).values(
            "role_id", "accessible", "heard", "differently", "organiser_answer", "comment"
        )
    )
    column_keys = [role.pk for role in roles] + [None]
    headings = [role.name for role in roles] + ["Not given"]
    by_role = Counter(response["role_id"] for response in responses)
    hidden_columns = _involvement_totals(by_role, column_keys)
    fields = FeedbackResponse._meta
    tables = [
        _count_table(
            fields.get_field(field).verbose_name.capitalize(),
            field,
            responses,
            column_keys,
            headings,
            hidden_columns,
        )
        for field in ["accessible", "heard"]
    ]

    def written(field):
        return [response[field] for response in responses if response[field]]

    comments = TalkComment.objects.filter(talk__seminar=seminar).aggregate(
        pending=Count("pk", filter=Q(status=TalkComment.Status.PENDING)),
        approved=Count("pk", filter=Q(status=TalkComment.Status.APPROVED)),
        rejected=Count("pk", filter=Q(status=TalkComment.Status.REJECTED)),
    )
    return {
        "response_count": len(responses),
        "tables": tables,
        "differently": written("differently"),
        "organiser_answers": written("organiser_answer"),
        "comments": written("comment"),
        "talk_comments": comments,
    }


def speaker_talk_comments(person):
    """Approved comments about a speaker's talks, newest talk first; never a name."""
    return list(
        TalkComment.objects.filter(
            status=TalkComment.Status.APPROVED, talk__speaker_links__person=person
        )
        .select_related("talk", "talk__seminar")
        .order_by("-talk__starts_at", "talk", "-submitted_on", "pk")
    )
