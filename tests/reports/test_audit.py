"""The coordinator's audit page: who changed what and when, from every record's history,
newest first, filtered by person, kind of record and dates; coordinators of the partnership
alone; restricted records named only to those who may see them."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from simple_history.models import registered_models

from csp_tracker.editing import save_with_history
from meetings import services as meeting_services
from meetings.models import Body
from plans.services import publish_plan
from reports import audit
from tests.conftest import ROLES, count_queries
from tests.factories import make_partnership
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

COORDINATORS_ONLY = {
    **dict.fromkeys(ROLES, 403),
    "anonymous": 302,
    "outsider": 404,
    "coordinator": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_only_the_partnerships_coordinators_see_its_audit_page(role, as_role, plan):
    response = as_role(role).get(reverse("reports:audit", args=[plan.partnership.slug]))
    assert response.status_code == COORDINATORS_ONLY[role], role


def test_a_site_administrator_needs_a_coordinators_membership(client, plan, django_user_model):
    admin = django_user_model.objects.create_superuser("site-admin", "a@example.org", "x")
    client.force_login(admin)
    response = client.get(reverse("reports:audit", args=[plan.partnership.slug]))
    assert response.status_code == 403


def test_every_audited_model_is_traced_to_its_partnership():
    """A model registered with history either appears on the audit page or is named as a
    shared list no partnership owns; a new model cannot slip past the trail."""
    # Many-to-many rows have no history of their own: they are kept with their owner's.
    labels = {m._meta.label for m in registered_models.values() if hasattr(m, "history")}
    assert labels - audit.NOT_AUDITED_HERE == set(audit.SOURCES)


def test_changes_are_listed_newest_first_with_who_what_and_which_fields(
    coordinator_client, coordinator, action
):
    with time_machine.travel(datetime.datetime(2027, 5, 1, 9, 30, tzinfo=datetime.UTC)):
        action.title = "Patrol the harbour arm"
        save_with_history(action, coordinator, reason="Agreed at the working party")
    with time_machine.travel(datetime.datetime(2027, 6, 2, 14, 0, tzinfo=datetime.UTC)):
        publish_plan(plan=action.plan, by=coordinator)
    response = coordinator_client.get(reverse("reports:audit", args=[action.plan.partnership.slug]))
    assert response.status_code == 200
    page = text_of(response)
    published = page.index("2 Jun 2027, 15:00")
    edited = page.index("1 May 2027, 10:30")
    assert published < edited  # newest first, in UK time
    row = page[edited:published] if edited < published else page[edited : edited + 300]
    assert coordinator.get_full_name() or coordinator.get_username() in row
    assert "Action Patrol the harbour arm" in row
    assert "Changed: title" in row
    assert "Reason: Agreed at the working party" in row


def test_the_page_is_filtered_by_person_kind_of_record_and_dates(
    coordinator_client, coordinator, officer, action, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 5, 1, 9, 0, tzinfo=datetime.UTC))
    action.title = "By the coordinator in May"
    save_with_history(action, coordinator)
    time_machine.move_to(datetime.datetime(2026, 7, 1, 9, 0, tzinfo=datetime.UTC))
    action.title = "By the officer in July"
    save_with_history(action, officer)
    url = reverse("reports:audit", args=[action.plan.partnership.slug])

    by_officer = text_of(coordinator_client.get(url, {"person": officer.pk}))
    assert "By the officer in July" in by_officer
    assert "By the coordinator in May" not in by_officer

    in_may = text_of(coordinator_client.get(url, {"since": "2026-05-01", "until": "2026-05-31"}))
    assert "By the coordinator in May" in in_may
    assert "By the officer in July" not in in_may

    plans_only = text_of(coordinator_client.get(url, {"record": "plans.Plan"}))
    assert "By the officer in July" not in plans_only
    assert "Plan" in plans_only

    refused = coordinator_client.get(url, {"since": "not a date"})
    assert refused.status_code == 422
    assert "Enter a valid date" in text_of(refused)


def test_another_partnerships_changes_are_not_shown(coordinator_client, coordinator, plan):
    other = make_partnership(name="Elsewhere CSP")
    meeting_services.create_body(
        partnership=other, name="Elsewhere board", kind=Body.Kind.EXECUTIVE_GROUP
    )
    page = text_of(coordinator_client.get(reverse("reports:audit", args=[plan.partnership.slug])))
    assert "Elsewhere board" not in page


def test_restricted_records_are_named_only_to_those_who_see_restricted_items(
    partnership, coordinator, officer
):
    body = meeting_services.create_body(
        partnership=partnership, name="Executive", kind=Body.Kind.EXECUTIVE_GROUP
    )
    meeting = meeting_services.schedule_meeting(
        body=body, date=datetime.date(2026, 3, 1), venue="Room 1", by=coordinator
    )
    meeting_services.add_agenda_item(
        meeting=meeting,
        code="D2",
        title="Domestic Homicide Review CANARY",
        restricted=True,
        by=coordinator,
    )
    filters = audit.AuditFilter(None, partnership=partnership)
    shown = [e.record for e in audit.audit_page(partnership, coordinator, filters, 1).object_list]
    assert "Domestic Homicide Review CANARY" in shown
    hidden = [e.record for e in audit.audit_page(partnership, officer, filters, 1).object_list]
    assert "Domestic Homicide Review CANARY" not in hidden
    assert audit.RESTRICTED_LABEL in hidden


@pytest.mark.parametrize("role", ["coordinator", "board_member", "officer"])
def test_the_partnership_page_links_the_audit_page_for_coordinators_only(role, as_role, plan):
    url = reverse("reports:partnership", args=[plan.partnership.slug])
    audit_url = reverse("reports:audit", args=[plan.partnership.slug])
    linked = audit_url in as_role(role).get(url).content.decode()
    assert linked == (role == "coordinator")


LATER = datetime.datetime(2027, 1, 5, 12, 0, tzinfo=datetime.UTC)


def _history_rows(objects, user, count):
    """`count` changes, taking the objects in turn, each a minute after the last."""
    for n in range(count):
        obj = objects[n % len(objects)]
        when = LATER + datetime.timedelta(minutes=len(obj.history.all()) + n)
        type(obj).history.bulk_history_create(
            [obj], update=True, default_user=user, default_date=when
        )


def test_the_audit_page_query_count_is_flat(coordinator_client, coordinator, action):
    """The queries grow with the kinds of record on a page (two each), never with its rows:
    10 or 300 changes of the same kinds cost the same."""
    objects = [action, action.plan, action.plan.partnership]
    url = reverse("reports:audit", args=[action.plan.partnership.slug]) + "?since=2027-01-01"
    _history_rows(objects, coordinator, 10)
    few = count_queries(coordinator_client, url)
    _history_rows(objects, coordinator, 290)
    many = count_queries(coordinator_client, url)
    assert many == few
    page = text_of(coordinator_client.get(url))
    assert "Showing 1 to 50 of 300 changes" in page
    assert "Page 1 of 6" in page
    assert "Showing 51 to 100" in text_of(coordinator_client.get(url + "&page=2"))


RESTRICTED_HISTORY = {
    "anonymous": False,
    "coordinator": True,
    "officer": False,
    "other_officer": False,
    "board_member": True,
    "councillor": False,
    "outsider": False,
}


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_restricted_records_in_the_history(role, request, partnership):
    from django.contrib.auth.models import AnonymousUser

    from csp_tracker import permissions

    user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    assert permissions.reads_restricted_history(user, partnership.pk) == RESTRICTED_HISTORY[role]
    assert permissions.can_view_audit(user, partnership.pk) == (role == "coordinator")
