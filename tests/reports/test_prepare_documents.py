"""manage.py prepare_documents: the published plans' PDFs laid out before their first reader."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_documents_prepared_are_served_to_every_reader_without_a_layout(
    client, thanet_plan, layouts
):
    from django.test import Client

    from plans.models import Membership, Partnership
    from tests.factories import make_membership, make_user

    councillor = make_user(username="thanet-scrutiny")
    thanet = Partnership.objects.get(slug="thanet")
    make_membership(user=councillor, partnership=thanet, role=Membership.Role.COUNCILLOR)
    member = Client()
    member.force_login(councillor)
    out = io.StringIO()
    call_command("prepare_documents", "--partnership", "thanet", stdout=out)
    prepared = len(layouts)
    assert prepared >= 2  # the plan and at least one progress report
    assert "Community Safety Plan 2015/2016: the plan" in out.getvalue()
    assert "documents ready" in out.getvalue()

    base = reverse("reports:plan-pdf", args=["thanet", thanet_plan.slug])
    progress = reverse("reports:progress-pdf", args=["thanet", thanet_plan.slug])
    for reader in (client, member):  # the public and a Thanet councillor
        for url in (base, progress, progress + "?period=q3"):
            response = reader.get(url)
            assert response.status_code == 200, url
    assert len(layouts) == prepared  # nobody waited for a layout

    call_command("prepare_documents", "--partnership", "thanet", stdout=io.StringIO())
    assert len(layouts) == prepared  # a second run lays nothing out again


def test_an_unknown_partnership_is_refused():
    with pytest.raises(CommandError, match="No partnership nowhere"):
        call_command("prepare_documents", "--partnership", "nowhere", stdout=io.StringIO())
