"""The rehearsal's data, written by a `manage.py shell` process into its own database:
one upcoming seminar with a speaker who can log in, and a published recap (for the feeds)."""

from tests.factories import PersonFactory, RecapFactory, SeminarFactory, TalkFactory, UserFactory

SEMINAR_SLUG = "rehearsal-seminar"
SPEAKER_EMAIL = "speaker@example.org"
SPEAKER_PASSWORD = "a-long-test-password"  # noqa: S105 (test data)


def run():
    seminar = SeminarFactory(
        slug=SEMINAR_SLUG, title="A rehearsal seminar", capacity=1000, days_from_now=10
    )
    user = UserFactory(email=SPEAKER_EMAIL, password=SPEAKER_PASSWORD)
    speaker = PersonFactory(
        name="Sam Speaker", slug="sam-speaker", user=user, email=SPEAKER_EMAIL, is_listed=True
    )
    TalkFactory(seminar=seminar, title="Sharing power in practice", speakers=[speaker])
    RecapFactory(title="What the first seminar heard", authors=[speaker])
