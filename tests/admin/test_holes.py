"""Regression tests, one for each admin hole issue 12 found, and the door itself: the admin
is the site administrators' tool, and a site administrator is not a partnership role."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from meetings import services as meeting_services
from meetings.models import Body, Minute
from plans.models import Agency, Membership, Partnership
from tests.factories import make_action, make_membership, make_partnership, make_plan, make_user

pytestmark = pytest.mark.django_db

D2 = "Domestic Homicide Reviews (DHRs) - update"


@pytest.fixture
def kent_d2():
    return Minute.objects.get(body__partnership__slug="kent", title=D2, restricted=True)


@pytest.fixture
def thanet_coordinator_client():
    """A client of its own (beside the site administrator's) for Thanet's coordinator."""
    user = make_user(username="thanet-coord")
    thanet = Partnership.objects.get(slug="thanet")
    make_membership(user=user, partnership=thanet, role=Membership.Role.COORDINATOR)
    client = Client()
    client.force_login(user)
    return client


def _history_url(obj, admin_name):
    version = type(obj).history.filter(id=obj.pk).latest("history_date")
    return reverse(f"admin:{admin_name}_simple_history", args=[obj.pk, version.history_id])


# The door.


def test_a_coordinator_opening_the_admin_is_sent_to_their_partnership_page(
    coordinator_client, coordinator, partnership
):
    response = coordinator_client.get(reverse("admin:plans_plan_changelist"))
    assert response.status_code == 302
    assert response.url == reverse("reports:partnership", args=[partnership.slug])
    words = [str(m) for m in get_messages(response.wsgi_request)]
    assert words == [
        "The admin is for site administrators. Everything a partnership does, "
        "its coordinators do here, in the service."
    ]


def test_a_member_of_several_partnerships_is_sent_to_the_list_of_partnerships(
    board_client, board_member
):
    make_membership(user=board_member, partnership=make_partnership(), role="board")
    response = board_client.get(reverse("admin:index"))
    assert response.url == reverse("plans:home")


def test_nobody_signed_out_sees_the_admins_own_sign_in_form(client, coordinator):
    response = client.get(reverse("admin:index"))
    assert response.url == f"{reverse('login')}?next=/admin/"
    response = client.get(reverse("admin:login"))
    assert response.url.startswith(reverse("login"))
    response = client.post(
        reverse("admin:login"), {"username": coordinator.username, "password": "pass-word-123"}
    )
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session  # the admin's form signs no one in


def test_a_site_administrator_reaches_the_admin(site_admin_client):
    page = site_admin_client.get(reverse("admin:index"))
    assert page.status_code == 200
    assert "Partnerships, people and shared lists" in page.content.decode()


def test_a_site_administrator_is_not_a_member_of_any_partnership_in_the_app(
    site_admin_client, plan, kent_d2
):
    """Drafts and restricted items still need a membership: the superuser flag is not one."""
    assert site_admin_client.get(plan.get_absolute_url()).status_code == 404
    page = site_admin_client.get(kent_d2.meeting.get_absolute_url()).content.decode()
    assert D2 not in page
    url = reverse("actions:edit", args=[make_action(plan=plan).pk])
    assert site_admin_client.get(url).status_code == 404


# Hole 1: history pages showed, and accepted a POST that overwrote, any partnership's records.


def test_the_history_of_kents_restricted_minute_d2_is_not_shown(
    site_admin_client, thanet_coordinator_client, kent_d2
):
    for client in (site_admin_client, thanet_coordinator_client):
        for url in (
            _history_url(kent_d2, "meetings_minute"),
            reverse("admin:meetings_minute_history", args=[kent_d2.pk]),
        ):
            response = client.get(url)
            assert response.status_code in (302, 404)
            assert D2 not in response.content.decode()


def test_a_post_to_ashfords_history_does_not_rename_it_or_detach_it_from_kent(
    site_admin_client, thanet_coordinator_client
):
    ashford = Partnership.objects.get(slug="ashford")
    before = (ashford.name, ashford.county_id)
    url = _history_url(ashford, "plans_partnership")
    posted = {"name": "Renamed", "short_name": "R", "slug": "renamed", "kind": "district"}
    assert thanet_coordinator_client.post(url, posted).status_code == 302
    assert site_admin_client.post(url, posted).status_code == 403  # no reverts, even for them
    ashford.refresh_from_db()
    assert (ashford.name, ashford.county_id) == before
    page = site_admin_client.get(url).content.decode()
    assert 'name="_save"' not in page  # nothing to submit on a past version


# Hole 2: a coordinator could add a partnership and pull a district into its roll-up.


def test_a_coordinator_cannot_add_a_partnership_in_the_admin(coordinator_client):
    before = Partnership.objects.count()
    url = reverse("admin:plans_partnership_add")
    assert coordinator_client.get(url).status_code == 302
    posted = {"name": "Mine", "short_name": "M", "slug": "mine", "kind": "county"}
    response = coordinator_client.post(url, posted)
    assert response.status_code == 302 and "/admin/" not in response.url
    assert Partnership.objects.count() == before


def test_only_a_site_administrator_adds_a_partnership(site_admin_client):
    page = site_admin_client.get(reverse("admin:plans_partnership_add"))
    assert page.status_code == 200


# Hole 3: many-to-many fields and inlines offered every partnership's records.


@pytest.fixture
def coordinating_admin(client, partnership):
    """A site administrator who also coordinates one partnership (and no other)."""
    user = make_user(username="coordinating-admin", is_superuser=True, is_staff=True)
    make_membership(user=user, partnership=partnership, role=Membership.Role.COORDINATOR)
    client.force_login(user)
    return client


def test_a_minutes_choices_of_actions_and_priorities_are_only_what_the_user_may_see(
    coordinating_admin, partnership, plan, other
):
    body = meeting_services.create_body(
        partnership=partnership, name="Our board", kind=Body.Kind.EXECUTIVE_GROUP
    )
    meeting = meeting_services.schedule_meeting(body=body, date=datetime.date(2015, 6, 1), by=None)
    minute = meeting_services.record_minute(meeting=meeting, title="Our minute", by=None)
    ours = make_action(plan=plan, title="Our action")
    url = reverse("admin:meetings_minute_change", args=[minute.pk])
    page = coordinating_admin.get(url)
    form = page.context["adminform"].form
    assert ours in form.fields["actions"].queryset
    assert other["action"] not in form.fields["actions"].queryset
    assert other["priority"] not in form.fields["priorities"].queryset
    assert other["meeting"] not in form.fields["meeting"].queryset
    assert "Zebracorn" not in page.content.decode()
    # A posted id of another partnership's record is refused, not probed for its title.
    response = coordinating_admin.post(
        reverse("admin:meetings_minute_add"),
        {"meeting": meeting.pk, "number": 9, "title": "Probe", "actions": [other["action"].pk]},
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Minute.objects.filter(title="Probe").exists()


def test_inline_choices_are_only_what_the_user_may_see(coordinating_admin, partnership, other):
    body = meeting_services.create_body(
        partnership=partnership, name="Our board", kind=Body.Kind.EXECUTIVE_GROUP
    )
    meeting = meeting_services.schedule_meeting(body=body, date=datetime.date(2015, 6, 1), by=None)
    page = coordinating_admin.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    for formset in page.context["inline_admin_formsets"]:
        for field in formset.formset.empty_form.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None:
                assert other["person"] not in queryset
                assert other["meeting"] not in queryset
    issue_page = coordinating_admin.get(
        reverse("admin:plans_emergingissue_change", args=[other["issue"].pk])
    )
    assert issue_page.status_code == 302  # another partnership's issue "doesn't exist"


def test_the_site_administrator_changes_only_what_they_coordinate(coordinating_admin, plan, other):
    from plans.models import Plan

    assert coordinating_admin.get(reverse("admin:plans_plan_change", args=[plan.pk])).context[
        "has_change_permission"
    ]
    published = make_plan(partnership=other["partnership"], title="Otherplace published")
    from plans.services import publish_plan

    publish_plan(plan=published, by=None)
    page = coordinating_admin.get(reverse("admin:plans_plan_change", args=[published.pk]))
    assert page.status_code == 200  # published: readable, as in the app
    assert not page.context["has_change_permission"]
    response = coordinating_admin.post(
        reverse("admin:plans_plan_change", args=[published.pk]), {"title": "Hijacked"}
    )
    assert response.status_code == 403
    assert Plan.objects.get(pk=published.pk).title == "Otherplace published"
    add = coordinating_admin.get(reverse("admin:plans_plan_add"))
    assert list(add.context["adminform"].form.fields["partnership"].queryset) == [plan.partnership]


# Hole 4: any coordinator could rename a shared agency for every partnership.


def test_a_coordinator_cannot_rename_a_shared_agency(coordinator_client, site_admin):
    police = Agency.objects.get(name="Kent Police")
    url = reverse("admin:plans_agency_change", args=[police.pk])
    posted = {"name": "Renamed Police", "abbreviation": "RP", "approved": "on"}
    assert coordinator_client.post(url, posted).status_code == 302
    police.refresh_from_db()
    assert police.name == "Kent Police"
    coordinator_client.force_login(site_admin)
    page = coordinator_client.get(url)
    assert page.context["has_change_permission"]  # the site administrator's to rename


# Hole 5: a county coordinator's new-minute form listed district plans' draft action titles.


def test_the_county_new_minute_form_lists_no_draft_district_actions(client):
    kent = Partnership.objects.get(slug="kent")
    district = make_partnership(county=kent)
    draft = make_plan(
        partnership=district,
        status="draft",
        period_start=datetime.date(2015, 4, 1),
        period_end=datetime.date(2016, 3, 31),
    )
    make_action(plan=draft, title="A district draft action")
    user = make_user(username="kent-coord")
    make_membership(user=user, partnership=kent, role=Membership.Role.COORDINATOR)
    client.force_login(user)
    meeting = Minute.objects.filter(body__partnership=kent).first().meeting
    page = client.get(reverse("meetings:minute-create", args=[meeting.pk]))
    assert page.status_code == 200
    assert "A district draft action" not in page.content.decode()
    assert client.get(reverse("actions:detail", args=[draft.actions.get().pk])).status_code == 404


def test_the_demo_has_a_site_administrator_who_belongs_to_no_partnership(client, settings):
    from plans.demo import DEMO_PASSWORD, create_demo_users

    settings.DEMO_MODE = True
    names = [user.username for user in create_demo_users()]
    assert "site-admin" in names
    assert client.login(username="site-admin", password=DEMO_PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200
    assert not Membership.objects.filter(user__username="site-admin").exists()
    client.login(username="thanet-coordinator", password=DEMO_PASSWORD)
    response = client.get(reverse("admin:index"))
    assert response.url == reverse("reports:partnership", args=["thanet"])


def test_a_record_cannot_be_added_under_another_partnerships_published_meeting(
    coordinating_admin, other
):
    """The minute's meeting decides its body: checked as saved, refused, nothing kept."""
    public = other["public_meeting"]
    response = coordinating_admin.post(
        reverse("admin:meetings_minute_add"),
        {"meeting": public.pk, "number": 50, "title": "Slipped in"},
    )
    assert response.status_code == 403, response.context["adminform"].form.errors
    assert not Minute.objects.filter(title="Slipped in").exists()


def test_delete_selected_removes_nothing_of_another_partnership(coordinating_admin, other):
    from meetings.models import AgendaItem

    item = meeting_services.add_agenda_item(
        meeting=other["public_meeting"], title="Public item", by=None
    )
    response = coordinating_admin.post(
        reverse("admin:meetings_agendaitem_changelist"),
        {"action": "delete_selected", "_selected_action": [item.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_a_readable_record_shows_no_link_to_a_draft_it_cites(site_admin_client, other):
    """A published minute citing a draft plan's action and priority, and a published agenda
    item whose paper is that draft: the site administrator reads them without the draft's
    titles."""
    public = other["public_meeting"]
    cited = meeting_services.record_minute(
        meeting=public,
        title="Progress on the plan",
        actions=[other["action"]],
        priorities=[other["priority"]],
        by=None,
    )
    paper = meeting_services.add_agenda_item(
        meeting=public, title="Progress report", paper_plan=other["plan"], by=None
    )
    for url in (
        reverse("admin:meetings_minute_change", args=[cited.pk]),
        _history_url(cited, "meetings_minute"),
        reverse("admin:meetings_agendaitem_change", args=[paper.pk]),
        reverse("admin:meetings_meeting_change", args=[public.pk]),
    ):
        page = site_admin_client.get(url)
        assert page.status_code == 200, url
        assert "Zebracorn" not in page.content.decode(), url
    assert (
        "Progress on the plan"
        in site_admin_client.get(
            reverse("admin:meetings_minute_change", args=[cited.pk])
        ).content.decode()
    )
