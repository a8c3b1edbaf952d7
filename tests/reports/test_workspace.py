"""The partnership page as the coordinator's home: what needs doing (plans not published,
the open round's missing updates by agency, meetings held without minutes, past meetings
still scheduled), then a link to every job; other roles see the partnership's plans."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from actions import services as action_services
from meetings import services as meeting_services
from meetings.models import Body, Meeting
from tests.conftest import count_queries
from tests.factories import (
    make_action,
    make_agency,
    make_issue,
    make_period,
    make_plan,
    make_priority,
)
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

d = datetime.date


@pytest.fixture
def home(frozen_today, partnership, plan, issue, lead_agency, officer):
    """Today 20 December 2015. The live plan's Q3 is open: its lead agency reported on one
    of two actions, another agency on none of one. A draft waits; the working party met on
    14 December without minutes yet, and a meeting of 1 December is still "scheduled"."""
    q3 = make_period(
        plan=plan,
        name="Q3 2015/16",
        slug="q3",
        start=d(2015, 10, 1),
        end=d(2015, 12, 31),
        due=d(2016, 1, 15),
    )
    police = make_agency(name="Kent Police (home test)", abbreviation="KP-H")
    done = make_action(issue=issue, title="Pilot body worn video", lead_agency=lead_agency)
    make_action(issue=issue, title="Deliver training", lead_agency=lead_agency)
    make_action(issue=issue, title="Map the hotspots", lead_agency=police)
    action_services.record_update(
        action=done, by=officer, status="on_track", rag="green", period=q3
    )
    draft = make_plan(
        partnership=partnership, title="Community Safety Plan 2016/17", status="draft"
    )
    body = meeting_services.create_body(
        partnership=partnership, name="Working Party", kind=Body.Kind.SCRUTINY_WORKING_PARTY
    )
    held = meeting_services.schedule_meeting(
        body=body, date=d(2015, 12, 14), status=Meeting.Status.HELD, by=None
    )
    minuted = meeting_services.schedule_meeting(
        body=body, date=d(2015, 11, 2), status=Meeting.Status.HELD, by=None
    )
    meeting_services.record_minute(meeting=minuted, title="Minutes", by=None)
    forgotten = meeting_services.schedule_meeting(body=body, date=d(2015, 12, 1), by=None)
    meeting_services.schedule_meeting(body=body, date=d(2016, 2, 1), by=None)  # to come
    return {
        "url": partnership.get_absolute_url(),
        "plan": plan,
        "q3": q3,
        "police": police,
        "draft": draft,
        "held": held,
        "forgotten": forgotten,
    }


def test_the_partnership_page_keeps_its_address(partnership):
    assert partnership.get_absolute_url() == f"/partnerships/{partnership.slug}/"
    assert reverse("reports:partnership", args=[partnership.slug]) == partnership.get_absolute_url()


def test_the_coordinator_sees_what_needs_doing(coordinator_client, home, lead_agency):
    response = coordinator_client.get(home["url"])
    page = text_of(response)
    assert "What needs doing" in page
    assert "Community Safety Plan 2016/17 is a draft: finish it" in page
    assert "Q3 2015/16: 2 updates missing" in page
    assert "1 of 3 actions of " in page and "updates are due by 15 January 2016" in page
    missing = response.context["to_do"].rounds[0].progress.agencies_missing
    assert [(a.name, len(a.missing), a.expected) for a in missing] == [
        (lead_agency.name, 1, 2),
        ("Kent Police (home test)", 1, 1),
    ]
    html = response.content.decode()
    assert f'href="{home["q3"].get_absolute_url()}#agency-{home["police"].pk}"' in html
    assert "Meetings held without minutes Working Party, 14 December 2015" in page
    assert "Past meetings still marked as scheduled" in page
    assert f'href="{reverse("meetings:edit", args=[home["forgotten"].pk])}"' in html
    assert "1 February 2016" not in page and "2 November 2015" not in page


def test_a_live_plan_without_an_open_round_asks_for_one(coordinator_client, home):
    action_services.close_reporting_period(period=home["q3"], by=None)
    response = coordinator_client.get(home["url"])
    assert f"{home['plan'].title}: no update round is open" in text_of(response)
    open_url = reverse(
        "actions:round-open", args=[home["plan"].partnership.slug, home["plan"].slug]
    )
    assert f'href="{open_url}"' in response.content.decode()


def test_the_coordinator_has_a_link_to_every_job(coordinator_client, home):
    html = coordinator_client.get(home["url"]).content.decode()
    slug = home["plan"].partnership.slug
    for url in [
        reverse("actions:import"),
        reverse("actions:list", args=[slug]),
        reverse("actions:rounds", args=[slug, home["plan"].slug]),
        reverse("meetings:bodies", args=[slug]),
        reverse("meetings:tracker", args=[slug]),
        reverse("plans:indicators", args=[slug]),
        reverse("reports:dashboard", args=[slug]),
    ]:
        assert f'href="{url}"' in html, url
    assert "/admin/" not in html


@pytest.mark.parametrize("role", ["officer", "board_member", "councillor", "outsider"])
def test_other_roles_do_not_get_the_coordinators_list(role, home, as_role, published_plan):
    page = text_of(as_role(role).get(home["url"]))
    assert "What needs doing" not in page and "Running the partnership" not in page
    assert "Plans" in page


def test_an_officer_finds_and_updates_actions_a_councillor_reads_them(home, as_role):
    assert "Find and update actions" in text_of(as_role("officer").get(home["url"]))
    assert "Actions and their progress" in text_of(as_role("councillor").get(home["url"]))


def test_with_nothing_waiting_the_list_says_so(coordinator_client, partnership, coordinator):
    page = text_of(coordinator_client.get(partnership.get_absolute_url()))
    assert "Nothing is waiting" in page


def test_the_home_keeps_a_flat_query_count_from_10_to_300_actions(
    coordinator_client, home, issue, officer
):
    """Two live plans with an open round each: their actions grow from 10 to 300."""
    agencies = [make_agency() for _ in range(5)]
    second = make_plan(partnership=home["plan"].partnership, title="A second live plan")
    second_q3 = make_period(
        plan=second, name="Q3", slug="q3", start=d(2015, 10, 1), end=d(2015, 12, 31)
    )
    issues = [(issue, home["q3"]), (make_issue(priority=make_priority(plan=second)), second_q3)]

    def grow(count):
        for n in range(count):
            on, period = issues[n % 2]
            action = make_action(issue=on, lead_agency=agencies[n % 5] if n % 4 else None)
            if n % 3 == 0:
                action_services.record_update(
                    action=action, by=officer, status="on_track", rag="green", period=period
                )

    grow(7)
    assert home["plan"].actions.count() + second.actions.count() == 10
    at_10 = count_queries(coordinator_client, home["url"])
    grow(290)
    assert home["plan"].actions.count() + second.actions.count() == 300
    assert count_queries(coordinator_client, home["url"]) == at_10


TEMPLATES = [
    Path(settings.BASE_DIR) / app
    for app in ["templates", "plans", "actions", "meetings", "reports"]
]


def test_no_page_links_to_the_admin():
    """Coordinators work in the app: no template links to /admin/ (the site administrators'
    tool)."""
    linking = []
    for root in TEMPLATES:
        for template in root.rglob("*.html"):
            if "admin" in template.relative_to(root).parts[:2]:
                continue  # the admin's own pages, for site administrators
            text = template.read_text()
            if re.search(r"""url ['"]admin:|/admin/""", text):
                linking.append(str(template.relative_to(settings.BASE_DIR)))
    assert linking == []
