"""Many people registering for one seminar at the same moment.

Each registration runs in its own thread on its own database connection, as separate web
workers would, so the tests commit for real (transaction=True) and rely on PostgreSQL's row
lock on the seminar, or on SQLite's write lock taken as each transaction begins (the SQLite
test database is a file, so that threads really share it). The flush that ends a
transactional test is limited to the seminars and mailer tables (`available_apps`): flushing
everything would also delete the roles seeded by a data migration, which later tests expect
to find. (serialized_rollback would reload them, but clashes with the rows that an earlier
transactional test's flush re-creates.)
"""

import datetime as dt
import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import connection
from django.urls import get_resolver

from seminars import services
from seminars.models import Registration
from tests.factories import SeminarFactory, WorkshopFactory

pytestmark = pytest.mark.django_db(transaction=True, available_apps=["seminars", "mailer"])

CAPACITY = 5


@pytest.fixture(autouse=True, scope="module")
def _urls_loaded():
    """Import the URLconf while every app is installed: `available_apps` installs only two,
    and emails reverse URLs, whose first import loads the people app's models."""
    get_resolver().url_patterns  # noqa: B018 (loading them is the point)


def _run_at_once(count, register):
    """Call `register(i)` for i in range(count), each in its own thread, released together.

    Returns one outcome per call, in call order: what it returned or the exception it raised.
    """
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def worker(i):
        try:
            barrier.wait(timeout=30)
            outcomes[i] = register(i)
        except Exception as error:  # reported by the test, whatever it is
            outcomes[i] = error
        finally:
            # The thread's own connection: close it, or the test database cannot be dropped.
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a registration never finished"
    return outcomes


def _register(seminar, email):
    return services.registration_create(seminar=seminar, name="Ann Example", email=email)


def _stored_statuses(seminar):
    return Counter(seminar.registrations.values_list("status", flat=True))


def _subjects():
    return Counter(message.subject for message in mail.outbox)


def test_registration_create_40_at_once_fills_capacity_and_waitlists_the_rest():
    seminar = SeminarFactory(title="Full house", capacity=CAPACITY, waitlist_enabled=True)

    outcomes = _run_at_once(40, lambda i: _register(seminar, f"person{i}@example.org"))

    assert [o for o in outcomes if not isinstance(o, Registration)] == []
    assert _stored_statuses(seminar) == {"confirmed": 5, "waitlisted": 35}
    assert Counter(o.status for o in outcomes) == {"confirmed": 5, "waitlisted": 35}
    assert len({o.email for o in outcomes}) == 40
    # First come, first served: every confirmed place was taken before anyone waited.
    confirmed = seminar.registrations.filter(status=Registration.Status.CONFIRMED)
    waiting = seminar.registrations.filter(status=Registration.Status.WAITLISTED)
    assert max(r.created_at for r in confirmed) < min(r.created_at for r in waiting)
    assert _subjects() == {
        "Your place at Full house": 5,
        "You are on the waiting list for Full house": 35,
    }


def test_registration_create_20_at_once_with_the_same_email_stores_one_registration():
    seminar = SeminarFactory(title="Full house", capacity=CAPACITY, waitlist_enabled=True)

    outcomes = _run_at_once(20, lambda i: _register(seminar, "Ann@Example.org"))

    assert [o for o in outcomes if not isinstance(o, Registration)] == []
    (registration,) = seminar.registrations.all()
    assert (registration.email, registration.status) == ("ann@example.org", "confirmed")
    assert {o.pk for o in outcomes} == {registration.pk}
    assert _subjects() == {
        "Your place at Full house": 1,
        "Your registration for Full house": 19,
    }


def test_registration_create_40_at_once_without_waitlist_refuses_all_beyond_capacity():
    seminar = SeminarFactory(title="Full house", capacity=CAPACITY, waitlist_enabled=False)

    outcomes = _run_at_once(40, lambda i: _register(seminar, f"person{i}@example.org"))

    assert Counter(type(o).__name__ for o in outcomes) == {
        "Registration": 5,
        "RegistrationRefused": 35,
    }
    assert {str(o) for o in outcomes if isinstance(o, services.RegistrationRefused)} == {
        "This seminar is full."
    }
    assert _stored_statuses(seminar) == {"confirmed": 5}
    assert _subjects() == {"Your place at Full house": 5}


def _hybrid(**fields):
    return SeminarFactory(
        title="Full house",
        online_url="https://meet.example.org/room",
        waitlist_enabled=True,
        **fields,
    )


def test_registration_create_racing_for_the_last_in_person_place_leaves_online_alone():
    seminar = _hybrid(capacity=1, online_capacity=None)

    outcomes = _run_at_once(
        10,
        lambda i: services.registration_create(
            seminar=seminar,
            name="Ann Example",
            email=f"person{i}@example.org",
            attendance="online" if i % 2 else "in_person",
        ),
    )

    assert [o for o in outcomes if not isinstance(o, Registration)] == []
    assert Counter(seminar.registrations.values_list("attendance", "status")) == {
        ("in_person", "confirmed"): 1,
        ("in_person", "waitlisted"): 4,
        ("online", "confirmed"): 5,
    }


def _parallel_workshops(seminar, capacity):
    """Two workshops at the same time, the first with `capacity` places."""
    starts = seminar.starts_at + dt.timedelta(hours=2)
    small = WorkshopFactory(seminar=seminar, starts_at=starts, capacity=capacity)
    WorkshopFactory(seminar=seminar, starts_at=starts)
    return small


def test_registration_create_racing_for_the_last_workshop_place_gives_it_once():
    seminar = SeminarFactory(title="Full house", capacity=None)
    workshop = _parallel_workshops(seminar, capacity=1)

    outcomes = _run_at_once(
        10,
        lambda i: services.registration_create(
            seminar=seminar, name="Ann Example", email=f"person{i}@example.org", workshop=workshop
        ),
    )

    assert Counter(type(o).__name__ for o in outcomes) == {
        "Registration": 1,
        "WorkshopUnavailable": 9,
    }
    assert list(seminar.registrations.values_list("workshop", flat=True)) == [workshop.pk]


def test_registration_details_update_racing_for_the_last_workshop_place_gives_it_once():
    seminar = SeminarFactory(title="Full house", capacity=None)
    workshop = _parallel_workshops(seminar, capacity=1)
    registrations = [_register(seminar, f"person{i}@example.org") for i in range(8)]

    outcomes = _run_at_once(
        8,
        lambda i: services.registration_details_update(
            registration=registrations[i],
            organisation="",
            access_requirements="",
            dietary_requirements="",
            workshop=workshop,
        ),
    )

    assert Counter(type(o).__name__ for o in outcomes) == {
        "Registration": 1,
        "WorkshopUnavailable": 7,
    }
    assert seminar.registrations.filter(workshop=workshop).count() == 1


def test_registration_details_update_racing_to_the_last_in_person_place_moves_one():
    seminar = _hybrid(capacity=1, online_capacity=None)
    online = [
        services.registration_create(
            seminar=seminar, name="Ann", email=f"person{i}@example.org", attendance="online"
        )
        for i in range(8)
    ]

    outcomes = _run_at_once(
        8,
        lambda i: services.registration_details_update(
            registration=online[i],
            organisation="",
            access_requirements="",
            dietary_requirements="",
            attendance="in_person",
        ),
    )

    assert Counter(type(o).__name__ for o in outcomes) == {
        "Registration": 1,
        "RegistrationChangeRefused": 7,
    }
    assert Counter(seminar.registrations.values_list("attendance", "status")) == {
        ("in_person", "confirmed"): 1,
        ("online", "confirmed"): 7,
    }


def _places_taken(seminar):
    confirmed = seminar.registrations.filter(status=Registration.Status.CONFIRMED)
    return confirmed.count() + confirmed.filter(with_companion=True).count()


def test_registration_create_with_companions_at_once_never_overfills_the_room():
    """Half bring a companion (two places each): the room fills to exactly its capacity, a
    companion never squeezes into the last single place, and that place goes to someone
    who needs only one."""
    seminar = SeminarFactory(title="Full house", capacity=CAPACITY, waitlist_enabled=True)

    outcomes = _run_at_once(
        12,
        lambda i: services.registration_create(
            seminar=seminar,
            name="Ann Example",
            email=f"person{i}@example.org",
            with_companion=i % 2 == 0,
        ),
    )

    assert [o for o in outcomes if not isinstance(o, Registration)] == []
    assert _places_taken(seminar) == CAPACITY
    assert seminar.registrations.count() == 12
    assert set(_stored_statuses(seminar)) == {"confirmed", "waitlisted"}


def test_registration_details_update_racing_to_add_companions_for_the_last_place_gives_it_once():
    seminar = SeminarFactory(title="Full house", capacity=CAPACITY)
    registrations = [_register(seminar, f"person{i}@example.org") for i in range(CAPACITY - 1)]

    outcomes = _run_at_once(
        CAPACITY - 1,
        lambda i: services.registration_details_update(
            registration=registrations[i],
            organisation="",
            access_requirements="",
            dietary_requirements="",
            with_companion=True,
        ),
    )

    assert Counter(type(o).__name__ for o in outcomes) == {
        "Registration": 1,
        "RegistrationChangeRefused": CAPACITY - 2,
    }
    assert seminar.registrations.filter(with_companion=True).count() == 1
    assert _places_taken(seminar) == CAPACITY
