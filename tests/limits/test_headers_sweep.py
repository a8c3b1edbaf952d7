"""Every URL pattern, enumerated from the resolver, answered to the public and to a signed-in
coordinator: no answer names the server software, and (once the sign-in work's no-store
lands) no signed-in answer may be kept by a browser or proxy."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from reports import pdf

pytestmark = pytest.mark.django_db

#: Words that would name the software behind an answer.
SOFTWARE = re.compile(r"gunicorn|wsgiserver|python|django|werkzeug|nginx|apache", re.I)


def patterns(resolver=None, prefix=""):
    """Every URL pattern as a path template ("partnerships/<slug:slug>/audit/")."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                yield prefix + "admin/"
                continue
            yield from patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _fill(route: str, f) -> str:
    """The route with real objects' values in it (a wrong kind of id is a 404, which must
    carry the same headers)."""
    values = {
        "slug": f["plan"].partnership.slug,
        "plan_slug": f["plan"].slug,
        "round_slug": "q1",
        "fmt": "csv",
        "token": "not-a-token",
    }

    def value(match):
        kind, name = match.group(1), match.group(2)
        if kind == "int":
            return str(f["action"].pk)
        return values.get(name, "x")

    return "/" + re.sub(r"<(\w+):(\w+)>", value, route).lstrip("^").rstrip("$")


@pytest.fixture
def urls(plan, action):
    found = sorted({_fill(route, {"plan": plan, "action": action}) for route in patterns()})
    assert len(found) > 50
    return found


@pytest.fixture(autouse=True)
def _quick_pdfs(monkeypatch):
    monkeypatch.setattr(pdf, "write_pdf", lambda html, stylesheets=(): b"%PDF-1.7\n%%EOF")


def test_no_answer_names_the_server_software(urls, coordinator):
    public, signed_in = Client(), Client()
    signed_in.force_login(coordinator)
    for url in urls:
        for client in (public, signed_in):
            response = client.get(url)
            server = response.get("Server", "")
            assert server == "csp-tracker", (url, server)
            assert not SOFTWARE.search(response.get("X-Powered-By", "")), url


@pytest.mark.skipif(
    "accounts" not in settings.INSTALLED_APPS,
    reason="Cache-Control: no-store for signed-in pages comes with the sign-in work (accounts)",
)
def test_no_signed_in_answer_may_be_stored(urls, coordinator):
    signed_in = Client()
    signed_in.force_login(coordinator)
    for url in urls:
        response = signed_in.get(url)
        assert "no-store" in response.get("Cache-Control", ""), url
