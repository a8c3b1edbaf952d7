"""The meetings admin, for a site administrator who also coordinates a partnership: scoped
to it, with flat query counts; the Coordinators group's data migration still runs both ways."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse

from meetings import services
from tests.conftest import count_queries

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:meetings_body_changelist",
    "admin:meetings_person_changelist",
    "admin:meetings_meeting_changelist",
    "admin:meetings_agendaitem_changelist",
    "admin:meetings_minute_changelist",
    "admin:meetings_declaration_changelist",
    "admin:meetings_meetingaction_changelist",
]
MIGRATION = importlib.import_module("meetings.migrations.0002_add_meetings_to_coordinators_group")


@pytest.fixture
def coordinator(coordinator):
    """The partnership's coordinator, here also a site administrator: only they reach the
    admin, and there they change their own partnership's records alone."""
    coordinator.is_superuser = True
    coordinator.save(update_fields=["is_superuser"])
    return coordinator


@pytest.fixture
def superuser_client(coordinator_client):
    return coordinator_client


@pytest.mark.parametrize("name", CHANGELISTS)
def test_changelist_query_count_does_not_grow_with_rows(superuser_client, name, meeting, person):
    url = reverse(name)
    one = count_queries(superuser_client, url)
    for i in range(6):
        services.add_agenda_item(meeting=meeting, title=f"Item {i}", by=None)
        services.record_minute(meeting=meeting, title=f"Minute {i}", by=None)
        services.add_meeting_action(meeting=meeting, owner=person, description="Do", by=None)
        services.record_declaration(meeting=meeting, person=person, interest="An interest", by=None)
    assert count_queries(superuser_client, url) <= one


def test_a_coordinator_sees_only_their_partnerships_meetings(coordinator_client, meeting):
    """Their own meetings, and others' only as published (as the app shows them)."""
    from meetings.models import Body
    from tests.factories import make_partnership

    theirs = services.create_body(
        partnership=make_partnership(), name="Elsewhere board", kind=Body.Kind.EXECUTIVE_GROUP
    )
    unpublished = services.schedule_meeting(body=theirs, date=datetime.date(2016, 1, 4), by=None)
    page = coordinator_client.get(reverse("admin:meetings_meeting_changelist")).content.decode()
    assert reverse("admin:meetings_meeting_change", args=[meeting.pk]) in page
    url = reverse("admin:meetings_meeting_change", args=[unpublished.pk])
    assert url not in page
    assert "Elsewhere board" not in page
    assert coordinator_client.get(url).status_code == 302  # "doesn't exist"


def test_the_coordinators_group_may_record_meetings_in_the_admin():
    group = Group.objects.get(name="Coordinators")
    codenames = set(
        group.permissions.filter(content_type__app_label="meetings").values_list(
            "codename", flat=True
        )
    )
    for model in MIGRATION.EDITABLE:
        assert {f"add_{model}", f"change_{model}", f"view_{model}"} <= codenames


def test_the_data_migration_can_run_again_and_back():
    MIGRATION.backwards(apps, None)
    group = Group.objects.get(name="Coordinators")
    assert not group.permissions.filter(content_type__app_label="meetings").exists()
    MIGRATION.forwards(apps, None)
    MIGRATION.forwards(apps, None)
    assert group.permissions.filter(content_type__app_label="meetings").count() == 36
