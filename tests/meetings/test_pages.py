"""The meetings pages: the seeds rendered back in their own words, upcoming and past meetings,
the tracker and search, the action page's "Discussed at", and flat query counts."""

import datetime
import itertools

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from meetings import services
from meetings.models import AgendaItem, Body, Meeting
from plans.models import Membership
from tests.conftest import _member, count_queries
from tests.factories import make_action, make_partnership, make_plan, make_priority
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def test_the_seeded_thanet_meeting_reads_as_its_minutes(client, seeded_thanet):
    page = text_of(client.get(seeded_thanet.get_absolute_url()))
    for words in [
        "Community Safety Partnership Working Party: Monday 14 December 2015",
        "7.00 pm (concluded 8.30 pm)",
        "Austen Room, Council Offices, Cecil Street, Margate, Kent",
        "Present Councillor Jeffrey Elenor (Chairman); "
        "Councillors Bambridge, Campbell, Dennis, Dixon and Falcon",
        "In attendance Chief Inspector Sharon Adley and Inspector Pearson",
        "Apologies Councillor Curran",
        "96. APOLOGIES FOR ABSENCE",
        "101. ENGAGING WITH PARTNERS AND THE COMMUNITY",
        "Mr Cassell said that he would find out and advise Members.",
        "Meeting concluded: 8.30 pm",
        "Martyn Cassell",
    ]:
        assert words in page, words


def test_the_kent_meeting_shows_resolved_in_bold_and_its_items(client, kent_october):
    response = client.get(kent_october.get_absolute_url())
    assert (
        "<strong>RESOLVED that the KCSP thank Mr Pennycook for his presentation and that any "
        "further questions be emailed to him.</strong>"
    ) in response.content.decode()
    page = text_of(response)
    assert "104. Notes of meeting held on 19 March 2015" in page
    assert "(Item B5)" in page
    assert "Mr J Pennycook" in page


def test_the_march_agenda_lists_its_items_and_papers(client, kent_march):
    page = text_of(client.get(kent_march.get_absolute_url()))
    for words in [
        "A. Committee Business",
        "A3 Notes of meeting held on 14 October 2015",
        "Notes of 14 October 2015",
        "Progress report: Kent Community Safety Agreement 2014-17",
        "Presented by Simon Thompson (Kent Police – Head of Partnerships and Communities)",
        "Matters arising",
        "Brief senior managers from the relevant agencies and report back to the KCSP.",
        "Tea/Coffee will be available 15 minutes before the meeting.",
    ]:
        assert words in page, words
    # The pages the printed pack gave are not the app's pack: the agenda pack says its own.
    assert "Pages 3 - 6" not in page


@pytest.fixture
def foreign_papers(next_meeting):
    """An item of next_meeting's agenda attaching another partnership's unpublished plan and
    meeting, as a site administrator may in the admin (which does not ask the services whether
    the papers are the partnership's own); and a board member of that other partnership."""
    other = make_partnership()
    plan = make_plan(partnership=other, title="Elsewhere Safety Plan")
    body = services.create_body(
        partnership=other, name="Elsewhere group", kind=Body.Kind.EXECUTIVE_GROUP
    )
    earlier = services.schedule_meeting(body=body, date=datetime.date(2015, 11, 2), by=None)
    item = services.add_agenda_item(meeting=next_meeting, title="Elsewhere", by=None)
    AgendaItem.objects.filter(pk=item.pk).update(paper_plan=plan, paper_meeting=earlier)
    return _member(other, Membership.Role.BOARD)


def test_a_paper_is_linked_when_the_reader_may_read_it_whoever_holds_the_meeting(
    board_client, foreign_papers, next_meeting
):
    # The agenda pack attaches the same papers: both read them through visible_to.
    links = ["Progress report: Elsewhere Safety Plan", "Minutes of 2 November 2015"]
    page = text_of(board_client.get(next_meeting.get_absolute_url()))
    assert "Elsewhere" in page  # the item itself, open to the meeting's readers
    for words in links:
        assert words not in page, words
    board_client.force_login(foreign_papers)
    page = text_of(board_client.get(next_meeting.get_absolute_url()))
    for words in links:
        assert words in page, words


@time_machine.travel(datetime.date(2016, 6, 1))
def test_a_bodys_page_splits_upcoming_and_past_meetings(client, kent_march):
    page = text_of(client.get(kent_march.body.get_absolute_url()))
    upcoming = page[page.index("Upcoming meetings") : page.index("Past meetings")]
    past = page[page.index("Past meetings") :]
    assert "Thursday 13 October 2016" in upcoming
    assert "Wednesday 16 March 2016" in past
    assert past.index("16 March 2016") < past.index("14 October 2015")  # latest first


def test_the_partnerships_meetings_list_its_bodies(client):
    page = text_of(client.get(reverse("meetings:bodies", args=["thanet"])))
    assert "Community Safety Partnership Working Party" in page
    assert "14 December 2015" in page


@time_machine.travel(datetime.datetime(2016, 1, 5, 12, 0), tick=False)
def test_the_bodies_page_shows_the_next_and_latest_meeting_each_reader_may_read(
    councillor_client, meeting, next_meeting
):
    """Between the published 14 December and 22 February meetings the partnership has an
    unpublished one on 11 January: its members see it as next, the public the February one."""
    body = meeting.body
    services.schedule_meeting(body=body, date=datetime.date(2016, 1, 11), by=None)
    services.schedule_meeting(body=body, date=datetime.date(2015, 10, 14), by=None)
    url = reverse("meetings:bodies", args=[body.partnership.slug])
    row = next(r for r in text_of(councillor_client.get(url)).splitlines() if body.name in r)
    assert "11 January 2016" in row and "14 December 2015" in row
    row = next(r for r in text_of(Client().get(url)).splitlines() if body.name in r)
    assert "22 February 2016" in row and "14 December 2015" in row
    assert "11 January" not in row


def test_unpublished_meetings_are_the_partnerships_own(councillor_client, body):
    meeting = services.schedule_meeting(body=body, date=datetime.date(2016, 1, 11), by=None)
    public = Client()
    assert public.get(meeting.get_absolute_url()).status_code == 404
    assert public.get(body.get_absolute_url()).status_code == 404
    page = text_of(councillor_client.get(body.get_absolute_url()))
    assert "Monday 11 January 2016" in page
    assert "not published" in page


def test_the_action_page_lists_the_minutes_that_discussed_it(client, seeded_thanet, thanet_plan):
    action = thanet_plan.actions.get(ref="14")
    page = text_of(client.get(action.get_absolute_url()))
    assert (
        "Discussed at Community Safety Partnership Working Party, 14 December 2015, minute 99: "
        "THANET COMMUNITY SAFETY PLAN UPDATE FOR 2015 - 2016"
    ) in page
    other = thanet_plan.actions.get(ref="1")
    assert "Discussed at" not in text_of(client.get(other.get_absolute_url()))


def test_the_action_pages_query_count_does_not_grow_with_minutes(
    board_client, meeting, next_meeting, plan
):
    action = make_action(plan=plan)
    url = action.get_absolute_url()
    services.record_minute(meeting=meeting, title="First", actions=[action], by=None)
    one = count_queries(board_client, url)
    for day in range(5):
        later = services.schedule_meeting(
            body=meeting.body, date=datetime.date(2016, 3, 1 + day), by=None
        )
        services.record_minute(meeting=later, title="Again", actions=[action], by=None)
    assert count_queries(board_client, url) == one


_names = itertools.count(1)


def _fill(meeting, n, plan):
    person = services.find_or_add_person(partnership=meeting.body.partnership, name="Mr A")
    earlier = meeting.body.meetings.filter(date__lt=meeting.date).first()
    for i in range(n):
        services.add_agenda_item(
            meeting=meeting, title=f"Item {i}", paper_plan=plan, paper_meeting=earlier, by=None
        )
        name = services.find_or_add_person(
            partnership=meeting.body.partnership, name=f"Councillor {next(_names)}"
        )
        services.record_attendance(meeting=meeting, person=name, kind="present", by=None)
        minute = services.record_minute(
            meeting=meeting,
            title=f"Minute {i}",
            priorities=[make_priority(plan=plan)],
            actions=[make_action(plan=plan)],
            by=None,
        )
        services.record_declaration(meeting=meeting, person=person, interest=f"I{i}", by=None)
        services.add_meeting_action(
            meeting=meeting, minute=minute, owner=person, description=f"Do {i}", by=None
        )


def test_the_meeting_pages_query_count_does_not_grow_with_its_record(
    coordinator_client, meeting, next_meeting, plan
):
    _fill(meeting, 1, plan)
    urls = [meeting.get_absolute_url(), next_meeting.get_absolute_url()]
    before = [count_queries(coordinator_client, url) for url in urls]
    _fill(meeting, 6, plan)
    assert [count_queries(coordinator_client, url) for url in urls] == before


def test_lists_query_counts_do_not_grow_with_meetings(board_client, meeting, plan):
    _fill(meeting, 1, plan)
    slug = meeting.body.partnership.slug
    urls = [
        meeting.body.get_absolute_url(),
        reverse("meetings:bodies", args=[slug]),
        reverse("meetings:tracker", args=[slug]),
        reverse("meetings:tracker-csv", args=[slug]) + "?status=",
        reverse("meetings:search", args=[slug]) + "?q=Do",
        reverse("meetings:ical", args=[meeting.body.pk]),
    ]
    before = [count_queries(board_client, url) for url in urls]
    for day in range(4):
        other = services.schedule_meeting(
            body=meeting.body, date=datetime.date(2016, 1, 4 + day), by=None
        )
        services.publish_meeting(meeting=other, by=None)
        _fill(other, 2, plan)
    assert [count_queries(board_client, url) for url in urls] == before


def test_the_tracker_shows_open_actions_and_filters_by_status_and_body(
    board_client, meeting, next_meeting, person
):
    services.add_meeting_action(meeting=meeting, description="Still to do", by=None)
    done = services.add_meeting_action(meeting=meeting, description="Already done", by=None)
    services.record_action_done(
        action=done, by=None, outcome="Sent", version=1, at_meeting=next_meeting
    )
    url = reverse("meetings:tracker", args=[meeting.body.partnership.slug])
    page = text_of(board_client.get(url))
    assert "Still to do" in page and "Already done" not in page
    page = text_of(board_client.get(url, {"status": "done"}))
    assert "Already done" in page and "Still to do" not in page
    assert "Recorded at the meeting of 22 February 2016" in page
    page = text_of(board_client.get(url, {"status": "", "body": meeting.body.pk}))
    assert "Still to do" in page and "Already done" in page


def test_the_tracker_answers_htmx_with_its_results_only(board_client, meeting):
    services.add_meeting_action(meeting=meeting, description="Still to do", by=None)
    url = reverse("meetings:tracker", args=[meeting.body.partnership.slug])
    response = board_client.get(url, {"status": "open"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="results"')
    assert "Still to do" in body


def test_the_tracker_exports_csv_safe_from_formulas(board_client, meeting):
    services.add_meeting_action(meeting=meeting, description="=HYPERLINK(1)", by=None)
    response = board_client.get(
        reverse("meetings:tracker-csv", args=[meeting.body.partnership.slug])
    )
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Body,Meeting,Minute,Action arising")
    assert "'=HYPERLINK(1)" in lines[1]


def test_search_finds_minutes_agenda_items_and_actions_arising(client, kent_march):
    url = reverse("meetings:search", args=["kent"])
    page = text_of(client.get(url, {"q": "Community Wardens"}))
    assert "106. Community Wardens - Verbal update" in page
    assert "Receive a further update on the Community Wardens" in page
    page = text_of(client.get(url, {"q": "Crime Stoppers"}))
    assert "B8 Crime Stoppers Update Presentation" in page


def test_a_cancelled_meeting_says_so(client, body):
    meeting = services.schedule_meeting(
        body=body, date=datetime.date(2016, 1, 11), status=Meeting.Status.CANCELLED, by=None
    )
    services.publish_meeting(meeting=meeting, by=None)
    assert "Cancelled" in text_of(client.get(meeting.get_absolute_url()))


def test_a_past_meeting_not_marked_held_is_no_longer_scheduled(coordinator_client, meeting):
    body = meeting.body
    with time_machine.travel(datetime.datetime(2016, 1, 5, 12, 0), tick=False):
        before = services.schedule_meeting(body=body, date=datetime.date(2016, 1, 20), by=None)
        assert "Scheduled" in text_of(coordinator_client.get(before.get_absolute_url()))
    with time_machine.travel(datetime.datetime(2016, 2, 1, 12, 0), tick=False):
        page = text_of(coordinator_client.get(before.get_absolute_url()))
        assert "Date passed: awaiting minutes" in page
        listed = text_of(coordinator_client.get(body.get_absolute_url()))
        assert "Date passed: awaiting minutes" in listed
