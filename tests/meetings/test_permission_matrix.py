"""Every role × every meetings URL: 200, 302 to sign in, 403 or 404 (the pattern of
tests/test_permission_matrix.py). The body `body` has a published meeting; `private_body` has
only an unpublished one, so it is its partnership's own."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings import services
from meetings.models import Body, Meeting
from tests.conftest import ROLES
from tests.meetings.pdfs import blank_pdf

pytestmark = pytest.mark.django_db

ALL_200 = dict.fromkeys(ROLES, 200)
MEMBERS_ONLY = {**ALL_200, "anonymous": 404, "outsider": 404}
# Recording: coordinators of the partnership; other members and readers of a published
# meeting 403; anonymous to sign in; who may not read it at all 404.
RECORDERS = {**dict.fromkeys(ROLES, 403), "anonymous": 302, "coordinator": 200}
RECORDERS_PRIVATE = {**RECORDERS, "outsider": 404}
# A restricted item: absent (404) for whoever may not see restricted items.
RESTRICTED = {
    **dict.fromkeys(ROLES, 404),
    "coordinator": 200,
    "board_member": 200,
}
RECORDERS_RESTRICTED = {**RESTRICTED, "anonymous": 302, "board_member": 403}
# The admin is for site administrators: every partnership role is sent to its workspace.
ADMIN = dict.fromkeys(ROLES, 302)


@pytest.fixture
def objects(body, meeting, partnership, person, media):
    private_body = services.create_body(
        partnership=partnership, name="Executive Group", kind=Body.Kind.EXECUTIVE_GROUP
    )
    private = services.schedule_meeting(body=private_body, date=datetime.date(2016, 1, 11), by=None)
    minute = services.record_minute(meeting=meeting, title="UPDATE", by=None)
    arising = services.add_meeting_action(meeting=meeting, description="Report back", by=None)
    row = services.record_attendance(meeting=meeting, person=person, kind="present", by=None)
    item = services.add_agenda_item(meeting=meeting, title="Update", by=None)
    secret = services.add_agenda_item(meeting=meeting, title="Exempt", restricted=True, by=None)
    upload = SimpleUploadedFile("update.pdf", blank_pdf(2), content_type="application/pdf")
    paper = services.upload_paper(item=item, upload=upload, by=None)
    upload = SimpleUploadedFile("exempt.pdf", blank_pdf(1), content_type="application/pdf")
    secret_paper = services.upload_paper(item=secret, upload=upload, by=None)
    private_item = services.add_agenda_item(meeting=private, title="Private", by=None)
    upload = SimpleUploadedFile("private.pdf", blank_pdf(1), content_type="application/pdf")
    private_paper = services.upload_paper(item=private_item, upload=upload, by=None)
    unapproved = services.schedule_meeting(
        body=body, date=datetime.date(2016, 1, 4), status=Meeting.Status.HELD, by=None
    )
    services.publish_meeting(meeting=unapproved, by=None)
    services.record_minute(meeting=unapproved, title="Apologies", by=None)
    return {
        "item": item,
        "secret": secret,
        "paper": paper,
        "secret_paper": secret_paper,
        "private_item": private_item,
        "private_paper": private_paper,
        "unapproved": unapproved,
        "partnership": partnership,
        "body": body,
        "meeting": meeting,
        "private_body": private_body,
        "private": private,
        "minute": minute,
        "arising": arising,
        "attendance": row,
    }


def _pk(name, key):
    return lambda f: reverse(name, args=[f[key].pk])


URLS = {
    "bodies": (lambda f: reverse("meetings:bodies", args=[f["partnership"].slug]), ALL_200),
    "body": (_pk("meetings:body", "body"), ALL_200),
    "body (unpublished)": (_pk("meetings:body", "private_body"), MEMBERS_ONLY),
    "ical": (_pk("meetings:ical", "body"), ALL_200),
    "ical (unpublished body)": (_pk("meetings:ical", "private_body"), MEMBERS_ONLY),
    "meeting": (_pk("meetings:detail", "meeting"), ALL_200),
    "meeting (unpublished)": (_pk("meetings:detail", "private"), MEMBERS_ONLY),
    "minutes pdf": (_pk("reports:minutes-pdf", "meeting"), ALL_200),
    "minutes pdf (unpublished)": (_pk("reports:minutes-pdf", "private"), MEMBERS_ONLY),
    "agenda pdf": (_pk("reports:agenda-pdf", "meeting"), ALL_200),
    "agenda pdf (unpublished)": (_pk("reports:agenda-pdf", "private"), MEMBERS_ONLY),
    "tracker": (lambda f: reverse("meetings:tracker", args=[f["partnership"].slug]), ALL_200),
    "tracker csv": (
        lambda f: reverse("meetings:tracker-csv", args=[f["partnership"].slug]),
        ALL_200,
    ),
    "search": (
        lambda f: reverse("meetings:search", args=[f["partnership"].slug]) + "?q=UPDATE",
        ALL_200,
    ),
    "record a meeting": (_pk("meetings:create", "body"), RECORDERS),
    "record a meeting (unpublished body)": (
        _pk("meetings:create", "private_body"),
        RECORDERS_PRIVATE,
    ),
    "edit meeting": (_pk("meetings:edit", "meeting"), RECORDERS),
    "edit meeting (unpublished)": (_pk("meetings:edit", "private"), RECORDERS_PRIVATE),
    "publish meeting": (_pk("meetings:publication", "private"), RECORDERS_PRIVATE),
    "withdraw meeting": (_pk("meetings:publication", "meeting"), RECORDERS),
    "add minute": (_pk("meetings:minute-create", "meeting"), RECORDERS),
    "edit minute": (_pk("meetings:minute-edit", "minute"), RECORDERS),
    "record action done": (_pk("meetings:action-done", "arising"), RECORDERS),
    "approve minutes": (_pk("meetings:approval", "unapproved"), RECORDERS),
    "papers": (_pk("meetings:papers", "item"), RECORDERS),
    "papers (unpublished)": (_pk("meetings:papers", "private_item"), RECORDERS_PRIVATE),
    "papers (restricted item)": (_pk("meetings:papers", "secret"), RECORDERS_RESTRICTED),
    "paper": (_pk("meetings:paper", "paper"), ALL_200),
    "paper (unpublished)": (_pk("meetings:paper", "private_paper"), MEMBERS_ONLY),
    "paper (restricted item)": (_pk("meetings:paper", "secret_paper"), RESTRICTED),
    "admin bodies": (lambda f: reverse("admin:meetings_body_changelist"), ADMIN),
    "admin meetings": (lambda f: reverse("admin:meetings_meeting_changelist"), ADMIN),
    "admin minutes": (lambda f: reverse("admin:meetings_minute_changelist"), ADMIN),
    "admin actions arising": (
        lambda f: reverse("admin:meetings_meetingaction_changelist"),
        ADMIN,
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(URLS))
def test_role_gets_the_expected_answer(name, role, objects, as_role):
    make_url, expected = URLS[name]
    response = as_role(role).get(make_url(objects))
    assert response.status_code == expected[role], (name, role)
    if response.status_code == 302 and not name.startswith("admin"):
        assert response.url.startswith(reverse("login"))


# An empty POST: refused by permission first (302, 403, 404), by validation (422) after;
# the two without fields to validate go back to the page (302).
POSTS = {
    "attendance": _pk("meetings:attendance", "meeting"),
    "agenda": _pk("meetings:agenda", "meeting"),
    "declarations": _pk("meetings:declarations", "meeting"),
    "actions arising": _pk("meetings:actions-arising", "meeting"),
    "minute": _pk("meetings:minute-create", "meeting"),
    "edit minute": _pk("meetings:minute-edit", "minute"),
    "record a meeting": _pk("meetings:create", "body"),
    "edit meeting": _pk("meetings:edit", "meeting"),
    "action done": _pk("meetings:action-done", "arising"),
    "numbering": _pk("meetings:numbering", "body"),
    "attendance (unpublished)": _pk("meetings:attendance", "private"),
    "publication": _pk("meetings:publication", "private"),
    "attendance removal": lambda f: reverse(
        "meetings:attendance-removal", args=[f["meeting"].pk, f["attendance"].pk]
    ),
    "approve minutes": _pk("meetings:approval", "unapproved"),
    "upload paper": _pk("meetings:papers", "item"),
    "attach progress report": _pk("meetings:paper-progress", "item"),
    "attach progress report (restricted item)": _pk("meetings:paper-progress", "secret"),
    "remove paper": _pk("meetings:paper-removal", "paper"),
    "remove paper (restricted item)": _pk("meetings:paper-removal", "secret_paper"),
}
VALIDATED = {**RECORDERS, "coordinator": 422}
POST_EXPECTED = dict.fromkeys(POSTS, VALIDATED)
POST_EXPECTED["attendance (unpublished)"] = {**RECORDERS_PRIVATE, "coordinator": 422}
POST_EXPECTED["publication"] = {**RECORDERS_PRIVATE, "coordinator": 422}
POST_EXPECTED["attendance removal"] = {**RECORDERS, "coordinator": 302}
POST_EXPECTED["remove paper"] = {**RECORDERS, "coordinator": 302}
POST_EXPECTED["attach progress report (restricted item)"] = {
    **RECORDERS_RESTRICTED,
    "coordinator": 422,
}
POST_EXPECTED["remove paper (restricted item)"] = {**RECORDERS_RESTRICTED, "coordinator": 302}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(POSTS))
def test_role_posting_gets_the_expected_answer(name, role, objects, as_role):
    response = as_role(role).post(POSTS[name](objects), {})
    assert response.status_code == POST_EXPECTED[name][role], (name, role)


def test_the_post_only_urls_refuse_a_get(coordinator_client, objects):
    for name in [
        "attendance",
        "agenda",
        "declarations",
        "actions arising",
        "numbering",
        "attach progress report",
        "remove paper",
    ]:
        assert coordinator_client.get(POSTS[name](objects)).status_code == 405
