"""Races the database closes (PostgreSQL only: threads, each with its own connection)."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from dangshi.orgs.scope import scope_for
from dangshi.outreach import services
from dangshi.outreach.models import Attendance, Lecturer
from tests.outreach import helpers as h


def _run(n, target):
    barrier, errors = threading.Barrier(n), []

    def work(i):
        try:
            barrier.wait()
            target(i)
        except Exception as exc:  # noqa: BLE001 - collected for the assert
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_scans_sign_in_once(world):
    activity = h.activity(world)
    member = world.members["member_a"]
    results = []
    errors = _run(4, lambda i: results.append(services.attendance_sign(activity=activity, member=member,
                                                                     token=activity.signin_token)[1]))
    assert not errors
    assert Attendance.objects.filter(activity=activity, member=member).count() == 1
    assert results.count(True) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_appointments_take_distinct_letter_numbers(world):
    admin = world.users["admin_a"]
    lecturers = [h.lecturer(world, name=f"宣讲员{i}") for i in range(4)]
    errors = _run(4, lambda i: services.lecturer_appoint(scope=scope_for(admin), actor=admin, lecturer=lecturers[i],
                                                         on=timezone.localdate()))
    assert not errors
    numbers = list(Lecturer.objects.values_list("letter_no", flat=True))
    assert len(set(numbers)) == 4 and None not in numbers
