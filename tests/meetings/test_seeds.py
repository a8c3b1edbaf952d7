"""The seeded meetings say what their documents say: numbering, wording, attendance,
decisions, actions arising and the restricted item, nothing added."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings

from actions.seeds import LoadReport
from meetings import seeds
from meetings.models import AgendaItem, Body, Meeting, MeetingAction, Minute
from meetings.pages import meeting_record
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SOURCES = Path(settings.BASE_DIR).parent / "shared" / "seeds"


def _words(text: str) -> str:
    """Text reduced to its words: the PDF's bullets, bold marks and line breaks dropped."""
    text = re.sub(r"^\s*- ", " ", text, flags=re.M)
    text = text.replace("·", " ").replace("*", "")
    return re.sub(r"\s+", " ", text).strip()


def _source(name: str) -> str:
    path = SOURCES / name
    if not path.exists():
        pytest.skip(f"{path} is not on this machine")
    return _words(path.read_text(encoding="utf-8"))


def test_thanets_minutes_run_96_to_101_in_the_documents_words(seeded_thanet):
    minutes = list(seeded_thanet.minutes.order_by("number"))
    assert [(m.number, m.title) for m in minutes] == [
        (96, "APOLOGIES FOR ABSENCE"),
        (97, "DECLARATION OF INTERESTS"),
        (98, "MINUTES OF PREVIOUS MEETING"),
        (99, "THANET COMMUNITY SAFETY PLAN UPDATE FOR 2015 - 2016"),
        (100, "CRIME STATISTICS UPDATE"),
        (101, "ENGAGING WITH PARTNERS AND THE COMMUNITY"),
    ]
    assert seeded_thanet.body.name == "Community Safety Partnership Working Party"
    assert seeded_thanet.body.kind == Body.Kind.SCRUTINY_WORKING_PARTY
    assert seeded_thanet.start_time == datetime.time(19, 0)
    assert seeded_thanet.concluded_at == datetime.time(20, 30)


def test_every_seeded_minute_is_the_documents_text(seeded_thanet, kent_october):
    sources = {
        seeded_thanet: _source("thanet-csp-working-party-minutes-2015-12-14.txt"),
        kent_october: _source("kent-csp-agenda-pack-2016-03-16.txt"),
    }
    for meeting, source in sources.items():
        for minute in meeting.minutes.all():
            for text in [minute.title, minute.discussion, minute.resolution]:
                assert _words(text) in source, (minute.number, text[:60])


def test_thanets_attendance_prints_as_the_minutes_do(seeded_thanet):
    groups = {
        g.label: g.printed for g in meeting_record(seeded_thanet, make_user()).attendance_groups
    }
    assert groups == {
        "Present": "Councillor Jeffrey Elenor (Chairman); "
        "Councillors Bambridge, Campbell, Dennis, Dixon and Falcon",
        "In attendance": "Chief Inspector Sharon Adley and Inspector Pearson",
        "Apologies": "Councillor Curran",
    }


def test_minute_99_cites_the_plan_actions_it_reports_on(seeded_thanet, thanet_plan):
    minute = seeded_thanet.minutes.get(number=99)
    refs = sorted(minute.actions.values_list("ref", flat=True), key=int)
    assert refs == ["7", "13", "14", "15", "17", "20", "22"]
    assert {a.plan_id for a in minute.actions.all()} == {thanet_plan.pk}
    assert minute.priorities.count() == 4


def test_thanets_one_action_arising_is_mr_cassells_undertaking_in_minute_99(seeded_thanet):
    """Members' suggestion about Alcohol Anonymous stays in the minute's words: the minutes give
    it to nobody, so it is not an action arising owned by "The Partnership"."""
    rows = list(seeded_thanet.actions_arising.select_related("owner", "minute").order_by("pk"))
    assert [(r.minute.number, r.owner_display, r.status) for r in rows] == [
        (99, "Martyn Cassell", MeetingAction.Status.OPEN),
    ]
    assert "Crown Court" in rows[0].description
    assert "Alcohol Anonymous" in seeded_thanet.minutes.get(number=99).discussion


def test_kents_notes_run_104_to_114_with_their_decisions(kent_october):
    minutes = list(kent_october.minutes.order_by("number"))
    assert [m.number for m in minutes] == list(range(104, 115))
    assert [m.item_code for m in minutes] == [
        "A3", "B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "C1", "D2"
    ]  # fmt: skip
    assert minutes[0].resolution == (
        "that the minutes of the meeting held on the 19 March 2015 were an accurate record "
        "and that they be signed by the Chairman."
    )
    assert all(m.resolution for m in minutes)
    assert kent_october.record_label == "Notes"
    restricted = [m.number for m in minutes if m.restricted]
    assert restricted == [114]


def test_kents_attendance_prints_as_the_notes_do(kent_october):
    groups = {
        g.label: g.printed for g in meeting_record(kent_october, make_user()).attendance_groups
    }
    assert groups["Present"].startswith("Mr P M Hill, OBE (Chairman), Mr Rivers (Vice-Chairman), ")
    assert groups["Present"].endswith("Mr S Thompson and Mr N Wilkinson")
    assert groups["Also present"] == "Mr J Pennycook"
    assert groups["In attendance"] == (
        "Mr S Peerbux (Head of Community Safety), Ms D Exall (Strategic Relationship Adviser), "
        "Ms C Gatward (Office of the Kent Police and Crime Commissioner) and "
        "Mrs A Taylor (Scrutiny Research Officer)"
    )


def test_kents_march_agenda_has_its_codes_and_d2_is_restricted(kent_march, kent_october):
    items = list(AgendaItem.objects.filter(meeting=kent_march).order_by("position"))
    assert [i.code for i in items] == [
        "A1", "A2", "A3", "B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "C1", "D2"
    ]  # fmt: skip
    assert [i.code for i in items if i.restricted] == ["D2"]
    by_code = {i.code: i for i in items}
    assert by_code["D2"].title == "Domestic Homicide Reviews (DHRs) - update"
    assert by_code["A3"].paper_meeting == kent_october
    assert by_code["A3"].pages == "Pages 3 - 6"
    assert by_code["B2"].paper_plan.slug == "2014-17"
    assert "13 October 2016" in by_code["C1"].notes
    assert Meeting.objects.get(body=kent_march.body, date=datetime.date(2016, 10, 13)).status == (
        Meeting.Status.SCHEDULED
    )


def test_kents_october_actions_arising_are_matters_arising_in_march(kent_march, kent_october):
    matters = meeting_record(kent_march, make_user()).matters_arising
    assert [m.minute.number for m in matters] == [106, 108, 109, 110]
    assert all(m.meeting == kent_october for m in matters)


def test_loading_the_meetings_again_changes_nothing():
    before = (Meeting.objects.count(), Minute.objects.count(), MeetingAction.objects.count())
    report = LoadReport()
    seeds.load_all(report=report)
    assert report.created == []
    assert len(report.unchanged) == 4
    assert (Meeting.objects.count(), Minute.objects.count(), MeetingAction.objects.count()) == (
        before
    )
