"""The minutes and the agenda pack as PDFs, in the form councils publish them; words checked in
the text pdftotext extracts, and the documents' queries flat."""

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from meetings import services
from tests.conftest import count_queries
from tests.factories import make_action

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
    response = client.get(reverse("meetings:minutes-pdf", args=[seeded_thanet.pk]))
    assert 'filename="thanet-2015-12-14-minutes.pdf"' in response["Content-Disposition"]
    text = pdf_text(response)
    for words in [
        "COMMUNITY SAFETY PARTNERSHIP WORKING PARTY",
        "Minutes of the meeting held on Monday 14 December 2015 at 7.00 pm in the Austen Room, "
        "Council Offices, Cecil Street, Margate, Kent.",
        "Present: Councillor Jeffrey Elenor (Chairman); Councillors Bambridge, Campbell, Dennis, "
        "Dixon and Falcon",
        "In attendance: Chief Inspector Sharon Adley and Inspector Pearson",
        "Apologies: Councillor Curran",
        "96. APOLOGIES FOR ABSENCE",
        "99. THANET COMMUNITY SAFETY PLAN UPDATE FOR 2015 - 2016",
        "101. ENGAGING WITH PARTNERS AND THE COMMUNITY",
        "Meeting concluded: 8.30 pm",
    ]:
        assert words in text, words
    assert text.index("96. APOLOGIES") < text.index("101. ENGAGING")
    assert "Page 1 of" in text


def test_kents_notes_pdf_prints_resolved_in_bold(client, kent_october):
    response = client.get(reverse("meetings:minutes-pdf", args=[kent_october.pk]))
    text = pdf_text(response)
    assert "Notes of the meeting held on Wednesday 14 October 2015 in the Darent Room" in text
    assert "RESOLVED that the dates of the meetings in 2016 be noted." in text
    assert "114." not in text  # item D2 is restricted


def test_resolved_text_is_bold_in_the_documents_html(kent_october):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    from meetings.pages import meeting_record
    from reports.meeting_views import minutes_context

    html = render_to_string(
        "reports/minutes.html", minutes_context(meeting_record(kent_october, AnonymousUser()))
    )
    assert "<strong>RESOLVED that the KCSP note the DHR recommendations</strong>" in html


def test_the_agenda_pack_has_the_agenda_then_its_papers(client, kent_march):
    response = client.get(reverse("meetings:agenda-pdf", args=[kent_march.pk]))
    assert 'filename="kent-2016-03-16-agenda.pdf"' in response["Content-Disposition"]
    text = pdf_text(response)
    for words in [
        "Agenda",
        "KENT COMMUNITY SAFETY PARTNERSHIP",
        "Wednesday 16 March 2016, at 10.00 am",
        "A3 Notes of meeting held on 14 October 2015 Pages 3 - 6",
        "B8 Crime Stoppers Update Presentation Pages 35 - 54",
        "Notes of the meeting held on 14 October 2015",
        "104. Notes of meeting held on 19 March 2015",
        "Kent Community Safety Agreement 2014-17: progress",
    ]:
        assert words in text, words
    assert text.index("C1 Date of next meeting") < text.index("104. Notes of meeting")
    assert "Domestic Homicide Reviews (DHRs) - update" not in text


def test_the_board_sees_the_restricted_item_marked_in_the_pack(board_client, kent_march):
    board_client.force_login(_kent_board())
    text = pdf_text(board_client.get(reverse("meetings:agenda-pdf", args=[kent_march.pk])))
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
        reverse("meetings:minutes-pdf", args=[meeting.pk]),
        reverse("meetings:agenda-pdf", args=[meeting.pk]),
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
