"""Another partnership's records, each carrying a word no page of ours may show: the sweep
opens every admin URL with their ids."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from actions import services as action_services
from meetings import services as meeting_services
from meetings.models import Attendance, Body
from plans import services as plan_services
from plans.models import Membership
from tests.factories import (
    make_action,
    make_agency,
    make_issue,
    make_measure,
    make_membership,
    make_partnership,
    make_period,
    make_plan,
    make_priority,
    make_user,
)

#: What must never appear on a page for someone who is not a member of "Otherplace".
SECRET = "Zebracorn"


@pytest.fixture
def other():
    """Otherplace CSP: a draft plan with everything under it, an unpublished meeting with its
    record, and a published meeting whose restricted minute stays restricted."""
    partnership = make_partnership(name="Otherplace Community Safety Partnership", slug="other")
    coordinator = make_user(username="otherplace-coordinator")
    membership = make_membership(
        user=coordinator, partnership=partnership, role=Membership.Role.COORDINATOR
    )
    agency = make_agency(name="Otherplace Borough Council", abbreviation="OBC")
    plan = make_plan(partnership=partnership, title=f"{SECRET} plan", status="draft")
    plan_services.add_section(plan=plan, title=f"{SECRET} foreword")
    priority = make_priority(plan=plan, title=f"{SECRET} priority")
    second = make_priority(plan=plan, title=f"{SECRET} second priority")
    issue = make_issue(priority=priority, title=f"{SECRET} issue", impacts=[second])
    action = make_action(issue=issue, title=f"{SECRET} action", lead_agency=agency)
    measure = make_measure(action=action, text=f"{SECRET} measure")
    period = make_period(plan=plan, name=f"{SECRET} round")
    update = action_services.record_update(
        action=action, by=coordinator, status="on_track", rag="green", narrative=f"{SECRET} news"
    )
    plan_services.add_glossary_term(plan=plan, term=f"{SECRET} term", definition="A word")
    plan_services.add_contact(plan=plan, name=f"{SECRET} contact")
    category = plan_services.get_or_create_category("Otherplace category")
    tag = plan_services.tag_category(plan=plan, category=category, level="named")
    count = plan_services.record_category_count(
        partnership=partnership,
        period_label="2015/16",
        category=category,
        districts_count=1,
        source=f"{SECRET} source",
    )
    indicator = plan_services.define_indicator(partnership=partnership, name=f"{SECRET} KPI")
    value = plan_services.record_indicator_value(
        indicator=indicator, period_label="2015/16", value=3, note=f"{SECRET} note"
    )
    body = meeting_services.create_body(
        partnership=partnership, name=f"{SECRET} board", kind=Body.Kind.EXECUTIVE_GROUP
    )
    person = meeting_services.add_person(partnership=partnership, name=f"{SECRET} Person")
    meeting = meeting_services.schedule_meeting(
        body=body, date=datetime.date(2015, 12, 14), by=None, venue=f"{SECRET} hall"
    )
    attendance = meeting_services.record_attendance(
        meeting=meeting, kind=Attendance.Kind.PRESENT, person=person, by=None
    )
    item = meeting_services.add_agenda_item(meeting=meeting, title=f"{SECRET} item", by=None)
    minute = meeting_services.record_minute(meeting=meeting, title=f"{SECRET} minute", by=None)
    declaration = meeting_services.record_declaration(
        meeting=meeting, person=person, interest=f"{SECRET} interest", by=None
    )
    arising = meeting_services.add_meeting_action(
        meeting=meeting, owner=person, description=f"{SECRET} to do", by=None
    )
    public_body = meeting_services.create_body(
        partnership=partnership, name="Otherplace forum", kind=Body.Kind.EXECUTIVE_GROUP
    )
    public = meeting_services.schedule_meeting(
        body=public_body, date=datetime.date(2016, 1, 11), by=None, venue="Town hall"
    )
    restricted = meeting_services.record_minute(
        meeting=public, title=f"{SECRET} exempt minute", restricted=True, by=None
    )
    meeting_services.publish_meeting(meeting=public, by=None)
    return {
        "partnership": partnership,
        "membership": membership,
        "agency": agency,
        "plan": plan,
        "priority": priority,
        "issue": issue,
        "action": action,
        "measure": measure,
        "period": period,
        "update": update,
        "tag": tag,
        "count": count,
        "indicator": indicator,
        "value": value,
        "body": body,
        "person": person,
        "meeting": meeting,
        "attendance": attendance,
        "item": item,
        "minute": minute,
        "declaration": declaration,
        "arising": arising,
        "public_meeting": public,
        "restricted_minute": restricted,
        "category": category,
        "user": coordinator,
        "group": Group.objects.get(name="Coordinators"),
    }


@pytest.fixture
def site_admin():
    """A site administrator who belongs to no partnership."""
    return get_user_model().objects.create_superuser(
        "site-admin", "site-admin@example.org", "pass-word-123"
    )


@pytest.fixture
def site_admin_client(client, site_admin):
    client.force_login(site_admin)
    return client
