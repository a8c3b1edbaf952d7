"""The cast and the shared tools of the test suite.

The seed documents are loaded once into the test database (every test can read them);
each test runs in a transaction that is rolled back, so the seeds stay as loaded.
"""

import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import Membership, Plan
from plans.services import publish_plan
from tests.factories import (
    make_action,
    make_agency,
    make_issue,
    make_membership,
    make_partnership,
    make_plan,
    make_priority,
    make_user,
)

Role = Membership.Role


@pytest.fixture
def transactional_db(transactional_db):
    """pytest-django's transactional_db, with the rows data migrations made.

    A transactional test empties every table when it ends, the Coordinators group of
    plans/migrations/0003 included; whichever transactional test runs next gets it back.
    """
    from django.apps import apps

    importlib.import_module("plans.migrations.0003_add_coordinators_group").forwards(apps, None)


@pytest.fixture(autouse=True)
def _fast_and_plain_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: the rate limits' counters (csp_tracker/ratelimit.py)
    are one reader's, and every test's client is the same address."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """`client.force_login(user)` and `client.login(...)` sign in as a real sign-in with
    password and code would: a user who must use a second factor
    (permissions.needs_second_factor) gets a verified session. Tests of the second step
    itself use `password_only_login`."""
    from django.test import Client

    from csp_tracker.permissions import needs_second_factor
    from tests.helpers import pass_second_factor

    real = Client.force_login
    real_login = Client.login

    def force_login(self, user, backend=None):
        real(self, user, backend)
        if needs_second_factor(user):
            pass_second_factor(self, user)

    def login(self, **credentials):
        from django.contrib.auth import get_user_model

        signed_in = real_login(self, **credentials)
        if signed_in:
            user = get_user_model().objects.get(pk=self.session["_auth_user_id"])
            if needs_second_factor(user):
                pass_second_factor(self, user)
        return signed_in

    monkeypatch.setattr(Client, "force_login", force_login)
    monkeypatch.setattr(Client, "login", login)
    return real


@pytest.fixture
def password_only_login(_force_login_passes_the_second_factor):
    """Sign a client in without the second factor: password_only_login(client, user)."""
    return lambda client, user: _force_login_passes_the_second_factor(client, user)


@pytest.fixture(scope="session", autouse=True)
def _documents_cache(tmp_path_factory):
    """The PDFs the tests lay out are kept apart from a checkout's own (var/documents), in a
    directory of this run: shared by its tests, like a server's workers share theirs."""
    from django.test import override_settings

    with override_settings(DOCUMENT_CACHE_DIR=tmp_path_factory.mktemp("pdf")):
        yield


@pytest.fixture
def layouts(settings, tmp_path, monkeypatch):
    """An empty document store of the test's own, and the list of the documents' HTML laid
    out during the test (a PDF served from the store adds nothing)."""
    from reports import pdf

    settings.DOCUMENT_CACHE_DIR = tmp_path / "pdf"
    laid_out = []
    real = pdf.write_pdf

    def counting(html, stylesheets=("css/print.css",)):
        laid_out.append(html)
        return real(html, stylesheets)

    monkeypatch.setattr(pdf, "write_pdf", counting)
    return laid_out


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the seed documents once for the whole run."""
    from reports.seeds import load_all_seeds

    with django_db_blocker.unblock():
        load_all_seeds()


def count_queries(client, url) -> int:
    """How many queries a GET of the page runs (it must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@pytest.fixture
def partnership():
    return make_partnership()


@pytest.fixture
def lead_agency():
    return make_agency(name="Kent Fire and Rescue Service (test)", abbreviation="KFRS-T")


@pytest.fixture
def support_agency():
    return make_agency()


@pytest.fixture
def plan(partnership):
    """A live, unpublished plan with one priority, one issue and no actions yet."""
    return make_plan(partnership=partnership)


@pytest.fixture
def published_plan(partnership, coordinator):
    plan = make_plan(partnership=partnership)
    return publish_plan(plan=plan, by=coordinator)


@pytest.fixture
def priority(plan):
    return make_priority(plan=plan, title="Safeguarding")


@pytest.fixture
def issue(priority):
    return make_issue(priority=priority)


@pytest.fixture
def action(issue, lead_agency, support_agency):
    return make_action(issue=issue, lead_agency=lead_agency, support_agencies=[support_agency])


def _member(partnership, role, agency=None, **extra):
    user = make_user(username=f"{role}-{partnership.slug}-{agency.pk if agency else ''}")
    make_membership(user=user, partnership=partnership, role=role, agency=agency, **extra)
    return user


@pytest.fixture
def coordinator(partnership):
    return _member(partnership, Role.COORDINATOR)


@pytest.fixture
def officer(partnership, lead_agency):
    """An officer of the agency that leads `action`."""
    return _member(partnership, Role.OFFICER, lead_agency)


@pytest.fixture
def support_officer(partnership, support_agency):
    """An officer of the agency that supports `action`."""
    return _member(partnership, Role.OFFICER, support_agency)


@pytest.fixture
def other_officer(partnership):
    """An officer of an agency with nothing to do with `action`."""
    return _member(partnership, Role.OFFICER, make_agency())


@pytest.fixture
def board_member(partnership):
    return _member(partnership, Role.BOARD)


@pytest.fixture
def councillor(partnership):
    return _member(partnership, Role.COUNCILLOR)


@pytest.fixture
def outsider():
    """A coordinator of another partnership."""
    return _member(make_partnership(), Role.COORDINATOR)


def _client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def coordinator_client(client, coordinator):
    return _client_for(client, coordinator)


@pytest.fixture
def officer_client(client, officer):
    return _client_for(client, officer)


@pytest.fixture
def board_client(client, board_member):
    return _client_for(client, board_member)


@pytest.fixture
def councillor_client(client, councillor):
    return _client_for(client, councillor)


@pytest.fixture
def outsider_client(client, outsider):
    return _client_for(client, outsider)


@pytest.fixture
def thanet_plan():
    return Plan.objects.get(partnership__slug="thanet", slug="2015-16")


@pytest.fixture
def ashford_plan():
    return Plan.objects.get(partnership__slug="ashford", slug="2013-14")


@pytest.fixture
def medway_plan():
    return Plan.objects.get(partnership__slug="medway", slug="2016-2020")


@pytest.fixture
def kent_plan():
    return Plan.objects.get(partnership__slug="kent", slug="2014-17")


# The roles, by fixture name, that the permission matrices walk through.
ROLES = [
    "anonymous",
    "coordinator",
    "officer",
    "other_officer",
    "board_member",
    "councillor",
    "outsider",
]


@pytest.fixture
def as_role(request, client):
    """A client signed in as the named role (or anonymous): as_role("board_member")."""

    def sign_in(role):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return sign_in
