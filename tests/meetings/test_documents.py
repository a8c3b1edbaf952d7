"""The minutes and the agenda pack as PDFs, in the form councils publish them; words checked in
the text pdftotext extracts, and the documents' queries flat."""

import datetime
import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from actions import services as action_services
from meetings import services
from meetings.models import Meeting
from plans.models import Plan
from tests.conftest import count_queries
from tests.factories import make_action, make_agency, make_measure, make_period, make_plan

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    )
    return re.sub(r"\s+", " ", done.stdout.decode())


def test_thanets_minutes_pdf_reads_as_the_council_published_them(client, seeded_thanet):
    response = client.get(reverse("reports:minutes-pdf", args=[seeded_thanet.pk]))
    assert 'filename="thanet-csp-2015-12-14-minutes.pdf"' in response["Content-Disposition"]
    text = pdf_text(response)
    for words in [
        "COMMUNITY SAFETY PARTNERSHIP WORKING PARTY",
        "Minutes of the meeting held on 14 December 2015 at 7.00 pm in the Austen Room, "
        "Council Offices, Cecil Street, Margate, Kent.",
        "Present: Councillor Jeffrey Elenor (Chairman); Councillors Bambridge, Campbell, Dennis, "
        "Dixon and Falcon",
        "In attendance: Chief Inspector Sharon Adley and Inspector Pearson",
        "96. APOLOGIES FOR ABSENCE Apologies were received from Councillor Curran.",
        "99. THANET COMMUNITY SAFETY PLAN UPDATE FOR 2015 - 2016",
        "101. ENGAGING WITH PARTNERS AND THE COMMUNITY",
        "Meeting concluded: 8.30 pm",
    ]:
        assert words in text, words
    assert text.index("96. APOLOGIES") < text.index("101. ENGAGING")
    assert "Page 1 of" in text


def test_thanets_minutes_pdf_keeps_the_minutes_own_form(client, seeded_thanet):
    """No weekday the minutes do not print; the apologies under item 96, where the minutes
    put them, not with who was present; the actions arising after the last item."""
    text = pdf_text(client.get(reverse("reports:minutes-pdf", args=[seeded_thanet.pk])))
    assert "Monday" not in text
    assert "Apologies:" not in text
    assert text.count("Councillor Curran") == 1
    opening = text[: text.index("96. APOLOGIES")]
    assert "Inspector Pearson" in opening and "Curran" not in opening
    last_item = text.index("101. ENGAGING WITH PARTNERS AND THE COMMUNITY")
    concluded = text.index("Meeting concluded: 8.30 pm")
    arising = text.index("Actions arising from these minutes")
    assert last_item < text.index("Members were pleased with the approach") < concluded < arising
    assert "Find out if the guidance domestics abuse notes" in text[arising:]
    assert "Alcohol Anonymous" not in text[arising:]


def test_kents_notes_pdf_prints_resolved_in_bold(client, kent_october):
    response = client.get(reverse("reports:minutes-pdf", args=[kent_october.pk]))
    text = pdf_text(response)
    assert "Notes of the meeting held on Wednesday, 14 October 2015 in the Darent Room" in text
    assert "RESOLVED that the dates of the meetings in 2016 be noted." in text
    assert "114." not in text  # item D2 is restricted


def test_resolved_text_is_bold_in_the_documents_html(kent_october):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    from meetings.pages import meeting_record
    from reports.documents import minutes_context

    html = render_to_string(
        "reports/minutes.html", minutes_context(meeting_record(kent_october, AnonymousUser()))
    )
    assert "<strong>RESOLVED that the KCSP note the DHR recommendations</strong>" in html


def test_the_agenda_pack_has_the_agenda_then_its_papers(client, kent_march):
    response = client.get(reverse("reports:agenda-pdf", args=[kent_march.pk]))
    assert 'filename="kent-csp-2016-03-16-agenda.pdf"' in response["Content-Disposition"]
    text = pdf_text(response)
    for words in [
        "Agenda",
        "KENT COMMUNITY SAFETY PARTNERSHIP",
        "Wednesday 16 March 2016, at 10.00 am",
        # The pages each item's papers really take in this pack: the agenda is page 1.
        "A3 Notes of meeting held on 14 October 2015 Pages 2 - 5",
        "B2 Kent Community Safety Agreement 2014-17 Page 6",
        "Notes of the meeting held on 14 October 2015",
        "104. Notes of meeting held on 19 March 2015",
        "Kent Community Safety Agreement 2014-17: progress",
    ]:
        assert words in text, words
    # The printed pack's page numbers for reports this pack does not contain are gone.
    assert "B8 Crime Stoppers Update Presentation Pages" not in text
    assert "Pages 35 - 54" not in text
    assert text.index("C1 Date of next meeting") < text.index("104. Notes of meeting")
    assert "Domestic Homicide Reviews (DHRs) - update" not in text


def test_the_board_sees_the_restricted_item_marked_in_the_pack(board_client, kent_march):
    board_client.force_login(_kent_board())
    text = pdf_text(board_client.get(reverse("reports:agenda-pdf", args=[kent_march.pk])))
    assert "D2 Domestic Homicide Reviews (DHRs) - update (restricted – not for publication)" in text
    assert "contains restricted items, not for publication" in text
    assert "114. Domestic Homicide Reviews (DHRs) - update" in text


def _kent_board():
    from plans.models import Membership, Partnership
    from tests.factories import make_membership, make_user

    user = make_user()
    kent = Partnership.objects.get(slug="kent")
    make_membership(user=user, partnership=kent, role=Membership.Role.BOARD)
    return user


def test_the_documents_queries_do_not_grow_with_the_record(board_client, meeting, plan):
    urls = [
        reverse("reports:minutes-pdf", args=[meeting.pk]),
        reverse("reports:agenda-pdf", args=[meeting.pk]),
    ]

    def add(n):
        for i in range(n):
            person = services.find_or_add_person(
                partnership=meeting.body.partnership, name=f"Councillor {meeting.pk}{n}{i}"
            )
            services.record_attendance(meeting=meeting, person=person, kind="present", by=None)
            services.add_agenda_item(meeting=meeting, title=f"Item {n}{i}", by=None)
            minute = services.record_minute(
                meeting=meeting, title=f"Minute {n}{i}", actions=[make_action(plan=plan)], by=None
            )
            services.add_meeting_action(meeting=meeting, minute=minute, description="Do", by=None)

    add(1)
    before = [count_queries(board_client, url) for url in urls]
    add(5)
    assert [count_queries(board_client, url) for url in urls] == before


def _earlier_meeting(body, day, plan) -> Meeting:
    """A held, published meeting of the body, with attendance, a minute and an action arising."""
    earlier = services.schedule_meeting(body=body, date=day, status=Meeting.Status.HELD, by=None)
    services.publish_meeting(meeting=earlier, by=None)
    person = services.find_or_add_person(partnership=body.partnership, name=f"Councillor {day}")
    services.record_attendance(meeting=earlier, person=person, kind="present", by=None)
    minute = services.record_minute(
        meeting=earlier, title=f"Minute of {day}", actions=[make_action(plan=plan)], by=None
    )
    services.add_meeting_action(
        meeting=earlier, minute=minute, owner=person, description=f"Do by {day}", by=None
    )
    return earlier


def _plan_with_progress(partnership, by) -> Plan:
    """An unpublished plan with a round, and an action with a measure and an update in it."""
    plan = make_plan(partnership=partnership)
    period = make_period(plan=plan)
    action = make_action(plan=plan, support_agencies=[make_agency()])
    make_measure(action=action)
    action_services.record_update(
        action=action,
        by=by,
        status="on_track",
        rag="green",
        narrative="Going well.",
        period=period,
        reported_on=period.start,
    )
    return plan


def _pack_queries(client, later) -> int:
    return count_queries(client, reverse("reports:agenda-pdf", args=[later.pk]))


def test_the_agenda_packs_queries_do_not_grow_with_attached_minutes(
    board_client, next_meeting, plan
):
    body = next_meeting.body
    days = [datetime.date(2015, 9, 1) + datetime.timedelta(weeks=n) for n in range(6)]
    first, *others = [_earlier_meeting(body, day, plan) for day in days]
    services.add_agenda_item(meeting=next_meeting, title="Minutes", paper_meeting=first, by=None)
    one = _pack_queries(board_client, next_meeting)
    for earlier in others:
        services.add_agenda_item(meeting=next_meeting, title="More", paper_meeting=earlier, by=None)
    assert _pack_queries(board_client, next_meeting) == one


#: What each attached progress report still reads on its own, in
#: reports.documents.as_at and progress_document (one plan at a time): the plan's rounds; its
#: actions as at the day, their support agencies and their measures; the latest updates; and
#: plan_outline's priorities, their issues, the issues' impact ticks, and the plan's sections,
#: glossary and contacts.
PROGRESS_REPORT_QUERIES = 11


def test_the_agenda_pack_reads_each_progress_report_in_a_fixed_number_of_queries(
    board_client, coordinator, next_meeting, partnership
):
    first, *others = [_plan_with_progress(partnership, coordinator) for _ in range(4)]
    services.add_agenda_item(meeting=next_meeting, title="Progress", paper_plan=first, by=None)
    one = _pack_queries(board_client, next_meeting)
    for plan in others:
        services.add_agenda_item(meeting=next_meeting, title="More", paper_plan=plan, by=None)
    several = _pack_queries(board_client, next_meeting)
    assert several - one == len(others) * PROGRESS_REPORT_QUERIES


def test_a_paper_the_reader_may_not_see_is_absent_from_the_pack(
    client, coordinator, meeting, next_meeting, partnership
):
    plan = _plan_with_progress(partnership, coordinator)
    draft = services.schedule_meeting(body=meeting.body, date=datetime.date(2015, 11, 2), by=None)
    services.record_minute(meeting=draft, title="Draft minute not yet published", by=None)
    services.add_agenda_item(
        meeting=next_meeting, title="Papers", paper_meeting=draft, paper_plan=plan, by=None
    )
    services.add_agenda_item(meeting=next_meeting, title="Minutes", paper_meeting=meeting, by=None)
    url = reverse("reports:agenda-pdf", args=[next_meeting.pk])
    public = pdf_text(client.get(url))
    assert "Minutes of the meeting held on 14 December 2015" in public
    for words in ["2 November 2015", "Draft minute", plan.title]:
        assert words not in public, words
    client.force_login(coordinator)
    member = pdf_text(client.get(url))
    for words in [
        "Minutes of the meeting held on 2 November 2015",
        "Draft minute not yet published",
        f"{plan.title}: progress",
        "Minutes of the meeting held on 14 December 2015",
    ]:
        assert words in member, words


def test_papers_in_one_pack_keep_their_own_section_ids(
    board_client, coordinator, next_meeting, partnership, layouts
):
    """Each attached report's sections (summary, exceptions, priorities) and each attached
    minutes' items are anchors of their own, so links and bookmarks go to the right paper."""
    import collections
    import re

    for title in ["Progress", "More progress"]:
        plan = _plan_with_progress(partnership, coordinator)
        services.add_agenda_item(meeting=next_meeting, title=title, paper_plan=plan, by=None)
    earlier = services.schedule_meeting(
        body=next_meeting.body, date=datetime.date(2015, 11, 2), by=None
    )
    services.record_minute(meeting=earlier, title="Apologies", by=None)
    for title in ["Minutes", "Minutes again, for the record"]:
        services.add_agenda_item(meeting=next_meeting, title=title, paper_meeting=earlier, by=None)
    response = board_client.get(reverse("reports:agenda-pdf", args=[next_meeting.pk]))
    assert response.status_code == 200
    # The agenda, then each paper laid out as a part of the pack: within each, and across them
    # (one PDF in the end), no id is used twice.
    assert len(layouts) == 5
    every = [re.findall(r'\bid="([^"]+)"', html) for html in layouts]
    ids = collections.Counter(i for found in every for i in found)
    assert [i for i, n in ids.items() if n > 1] == []
    summaries = {i for ids in every for i in ids if i.endswith("summary")}
    assert len(summaries) == 2
