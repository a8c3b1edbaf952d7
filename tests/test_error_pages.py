"""Error pages a reader may meet: in the service's own layout and words, never Django's bare
"Not Found"."""

import pytest
from django.template.loader import render_to_string

from plans.models import Indicator
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def test_a_page_that_is_not_there_says_so_and_offers_a_way_on(client):
    response = client.get("/partnerships/nowhere/")
    assert response.status_code == 404
    page = text_of(response)
    assert "Page not found" in page
    assert "Sign in" in page  # a member may see what the public cannot
    assert "govuk-service-navigation" in response.content.decode()  # the service's layout


def test_what_a_role_may_not_do_is_refused_in_words(coordinator_client):
    """A coordinator of another partnership may read Ashford's published plan but not its
    indicators, which are for Ashford's members."""
    ashford = Indicator.objects.filter(partnership__slug="ashford").first()
    response = coordinator_client.get(ashford.get_absolute_url())
    assert response.status_code == 403
    page = text_of(response)
    assert "You cannot do this" in page
    assert "community safety coordinator" in page


def test_the_server_error_page_needs_nothing_from_the_request():
    page = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in page
