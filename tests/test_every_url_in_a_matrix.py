"""Every named URL of the app is walked by a role × URL permission matrix.

The matrices live beside the features they check (one per app area); this test keeps a new
URL from landing without one. A matrix names a URL ("meetings:detail", to reverse), or, for the
pages an object links to, through the object's get_absolute_url().
"""

import re
from pathlib import Path

from django.urls import URLResolver, get_resolver

TESTS = Path(__file__).resolve().parent
MATRICES = [
    TESTS / "test_permission_matrix.py",
    TESTS / "actions" / "test_coordinator_matrix.py",
    TESTS / "meetings" / "test_permission_matrix.py",
    TESTS / "plans" / "test_indicators_matrix.py",
    TESTS / "plans" / "test_people_matrix.py",
    TESTS / "plans" / "test_authoring_matrix.py",
    TESTS / "reports" / "test_dashboard_matrix.py",
    TESTS / "reports" / "test_document_pages.py",
    TESTS / "reports" / "test_audit.py",
    TESTS / "imports" / "test_pages.py",
    TESTS / "test_auth.py",  # sign in and sign out
    TESTS / "accounts" / "test_accounts_matrix.py",
]
# URLs the matrices reach through get_absolute_url() rather than by name.
BY_OBJECT = {
    "actions:detail": 'f["action"].get_absolute_url()',
    "actions:plan": 'f["plan"].get_absolute_url()',
}


def url_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":  # Django's own, checked by the admin rows
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif pattern.name:
            yield namespace + pattern.name


def test_every_named_url_is_in_a_permission_matrix():
    source = "\n".join(path.read_text() for path in MATRICES)
    named = set(re.findall(r'"([\w-]+:[\w-]+|login|logout)"', source))
    names = set(url_names())
    assert len(names) > 40
    missing = {
        name for name in names if name not in named and BY_OBJECT.get(name, "\0") not in source
    }
    assert missing == set()
