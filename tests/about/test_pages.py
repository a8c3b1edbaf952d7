"""The accessibility statement and the privacy notice: public, in the operator's own details,
with what each must say, and linked from the footer of every page."""

import datetime

import pytest
from django.urls import reverse

from tests.helpers import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(settings):
    settings.OPERATOR_NAME = "Thanet District Council"
    settings.OPERATOR_EMAIL = "community.safety@thanet.gov.uk"
    settings.OPERATOR_PHONE = "01843 577000"
    settings.OPERATOR_ADDRESS = "Cecil Street, Margate, CT9 1XZ"
    settings.OPERATOR_DPO_EMAIL = "dpo@thanet.gov.uk"
    settings.OPERATOR_ICO_REGISTRATION = "Z5907478"
    settings.ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 11, 30)
    return settings


def test_the_accessibility_statement_follows_govuks_sample(client, operator):
    page = text_of(client.get(reverse("about:accessibility")))
    for words in [
        "Accessibility statement for CSP Tracker",
        "This website is run by Thanet District Council.",
        "How accessible this website is",
        "Feedback and contact information",
        "in a different format like accessible PDF, large print, easy read, audio recording or "
        "braille",
        "email community.safety@thanet.gov.uk",
        "call 01843 577000",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Equality and Human Rights Commission (EHRC)",
        "Equality Advisory and Support Service (EASS)",
        "Equality Commission for Northern Ireland (ECNI)",
        "Compliance status",
        "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA",
        "Non-compliance with the accessibility regulations",
        "1.4.10 (Reflow)",
        "by 31 March 2027",
        "Preparation of this accessibility statement",
        "This statement was prepared on 30 November 2026.",
    ]:
        assert words in page, words


def test_the_privacy_notice_says_what_is_held_why_for_how_long_and_whom_to_ask(client, operator):
    page = text_of(client.get(reverse("about:privacy")))
    for words in [
        "Thanet District Council runs this service and is the data controller",
        "Z5907478",
        "email dpo@thanet.gov.uk",
        "About officers, coordinators, board members and councillors",
        "About members and others named in minutes and papers",
        "declarations of interest",
        "Crime and Disorder Act 1998",
        "UK GDPR Article 6(1)(e)",
        "How long we keep it",
        "for 12 months after your last membership ends",
        "Your rights",
        "Information Commissioner's Office (ICO)",
        "0303 123 1113",
    ]:
        assert words in page, words


def test_the_demo_names_itself_when_no_operator_is_configured(client):
    page = text_of(client.get(reverse("about:privacy")))
    assert "The CSP Tracker demonstration runs this service" in page
    assert "csp-tracker@example.org" in page


@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse("plans:home"),
        lambda: reverse("login"),
        lambda: reverse("about:accessibility"),
        lambda: "/no-such-page/",
    ],
)
def test_every_page_links_both_from_its_footer(client, url):
    response = client.get(url())
    footer = response.content.decode().split('<footer class="govuk-footer">', 1)[1]
    assert f'href="{reverse("about:accessibility")}">Accessibility statement</a>' in footer
    assert f'href="{reverse("about:privacy")}">Privacy notice</a>' in footer
