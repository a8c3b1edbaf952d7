"""Restricted (exempt) items: a canary word written into every restricted thing is absent for
every reader who may not see restricted items, from every page, list, search, feed, export
and PDF; and present for those who may (so the test is not vacuous)."""

import datetime
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from meetings import services
from plans.models import Membership
from tests.conftest import ROLES, _member
from tests.factories import make_action
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

CANARY = "Canary7731"
SEES = {"coordinator", "board_member", "granted_councillor"}


@pytest.fixture
def granted_councillor(partnership):
    """A councillor granted sight of restricted items."""
    return _member(partnership, Membership.Role.COUNCILLOR, sees_restricted=True)


@pytest.fixture
def scene(meeting, next_meeting, person, plan, published_plan):
    """A published meeting with a restricted item, minute, declaration and action arising, all
    carrying the canary; its action arising comes back at the next meeting, whose agenda pack
    attaches this meeting's minutes."""
    cited = make_action(plan=published_plan)
    services.add_agenda_item(meeting=meeting, code="A1", title="Apologies", by=None)
    services.add_agenda_item(
        meeting=meeting,
        section=f"D - {CANARY} restricted items",
        code="D2",
        title=f"Domestic Homicide Review {CANARY}",
        presenter=f"{CANARY} presenter",
        notes=f"{CANARY} notes",
        restricted=True,
        by=None,
    )
    services.record_minute(meeting=meeting, title="Apologies", by=None)
    minute = services.record_minute(
        meeting=meeting,
        item_code="D2",
        title=f"Review {CANARY}",
        discussion=f"The {CANARY} discussion.",
        resolution=f"that the {CANARY} review be noted.",
        actions=[cited],
        by=None,
    )
    services.record_declaration(
        meeting=meeting, person=person, item_code="D2", interest=f"{CANARY} interest", by=None
    )
    services.add_meeting_action(
        meeting=meeting, minute=minute, description=f"Circulate the {CANARY} report", by=None
    )
    services.add_agenda_item(
        meeting=next_meeting, code="A3", title="Minutes", paper_meeting=meeting, by=None
    )
    return {"meeting": meeting, "next": next_meeting, "action": cited}


def _pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return done.stdout.decode()


def _everything(client, scene) -> dict[str, str]:
    """What each page, list, search, feed, export and document shows this reader."""
    meeting, later = scene["meeting"], scene["next"]
    slug = meeting.body.partnership.slug
    pages = {
        "meeting": meeting.get_absolute_url(),
        "next meeting (matters arising)": later.get_absolute_url(),
        "body": meeting.body.get_absolute_url(),
        "bodies": reverse("meetings:bodies", args=[slug]),
        "tracker": reverse("meetings:tracker", args=[slug]) + "?status=",
        # The query is part of the canary, so the page echoing it back is no leak.
        "search": reverse("meetings:search", args=[slug]) + f"?q={CANARY[:-2]}",
        "action page": scene["action"].get_absolute_url(),
    }
    seen = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        seen[name] = response.content.decode()
    csv = client.get(reverse("meetings:tracker-csv", args=[slug]) + "?status=")
    seen["tracker csv"] = csv.content.decode()
    feed = client.get(reverse("meetings:ical", args=[meeting.body.pk]))
    seen["ical"] = feed.content.decode()
    for name, target in [("minutes pdf", meeting), ("agenda pdf", meeting), ("pack", later)]:
        kind = "minutes" if name == "minutes pdf" else "agenda"
        response = client.get(reverse(f"reports:{kind}-pdf", args=[target.pk]))
        seen[name] = _pdf_text(response.content)
    return seen


@pytest.mark.parametrize("role", [*ROLES, "granted_councillor"])
def test_restricted_items_are_absent_for_whoever_may_not_see_them(role, scene, as_role):
    seen = _everything(as_role(role), scene)
    if role in SEES:
        # The feed is for calendar apps and never carries restricted content.
        shown = {name for name, text in seen.items() if CANARY in text}
        assert shown == set(seen) - {"ical", "bodies", "body"}
    else:
        leaks = [name for name, text in seen.items() if CANARY in text]
        assert leaks == []


def test_the_action_page_hides_a_restricted_minute_that_discussed_it(client, scene):
    page = text_of(client.get(scene["action"].get_absolute_url()))
    assert "Discussed at" not in page


def test_the_outsiders_admin_shows_none_of_it(outsider_client, outsider, scene):
    """Even a site administrator who coordinates another partnership (the only kind of
    coordinator the admin lets in)."""
    outsider.is_superuser = True
    outsider.save(update_fields=["is_superuser"])
    for name in ["agendaitem", "minute", "declaration", "meetingaction"]:
        response = outsider_client.get(reverse(f"admin:meetings_{name}_changelist"))
        assert response.status_code == 200, name
        assert CANARY not in response.content.decode(), name


def test_a_restricted_item_of_an_unpublished_meeting_stays_out_of_the_feed(
    board_client, body, scene
):
    private = services.schedule_meeting(body=body, date=datetime.date(2016, 1, 11), by=None)
    services.add_agenda_item(meeting=private, title=f"Draft {CANARY}", by=None)
    feed = board_client.get(reverse("meetings:ical", args=[body.pk])).content.decode()
    assert CANARY not in feed
    assert "20160111" not in feed


def test_a_cached_pdf_never_reaches_a_reader_who_may_see_less(scene, as_role, layouts):
    """The documents cache is keyed by the document's HTML: the coordinator's minutes (with the
    restricted item) are laid out and kept, and the public then get their own, without it."""
    url = reverse("reports:minutes-pdf", args=[scene["meeting"].pk])
    assert CANARY in _pdf_text(as_role("coordinator").get(url).content)
    assert CANARY in _pdf_text(as_role("coordinator").get(url).content)  # served again
    assert CANARY not in _pdf_text(Client().get(url).content)
    assert [CANARY in html for html in layouts] == [True, False]


def test_a_pack_carrying_restricted_minutes_is_marked_not_for_publication(scene, as_role):
    """The next meeting's agenda has nothing restricted, but the minutes it attaches do: the
    pack's running header says so to those who may see them, and the public get neither."""
    url = reverse("reports:agenda-pdf", args=[scene["next"].pk])
    board = _pdf_text(as_role("board_member").get(url).content)
    assert CANARY in board
    assert "contains restricted items, not for publication" in board
    public = _pdf_text(Client().get(url).content)
    assert CANARY not in public
    assert "restricted items" not in public
