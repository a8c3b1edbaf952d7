"""The admin sweep: every admin URL pattern, for every registered model, opened with the ids
of another partnership's records by a user of each role. Nobody but a site administrator gets
past the door, and the site administrator (who belongs to no partnership) sees none of that
partnership's drafts, unpublished meetings or restricted items.

A model registered in the admin without a record here, or a URL pattern this test cannot
fill in, fails the test: nothing new escapes the sweep.
"""

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, reverse

from tests.admin.conftest import SECRET

pytestmark = pytest.mark.django_db

#: For each registered model, the record of Otherplace to open (a key of the `other` fixture).
RECORDS = {
    "auth.user": "user",
    "auth.group": "group",
    "plans.partnership": "partnership",
    "plans.agency": "agency",
    "plans.membership": "membership",
    "plans.plan": "plan",
    "plans.priority": "priority",
    "plans.emergingissue": "issue",
    "plans.prioritycategory": "category",
    "plans.categorycount": "count",
    "plans.indicator": "indicator",
    "actions.action": "action",
    "actions.reportingperiod": "period",
    "actions.actionupdate": "update",
    "meetings.body": "body",
    "meetings.person": "person",
    "meetings.meeting": "meeting",
    "meetings.agendaitem": "item",
    "meetings.minute": "minute",
    "meetings.declaration": "declaration",
    "meetings.meetingaction": "arising",
}
#: The site administrators' own records: theirs to open and change.
SHARED = {
    "auth.user",
    "auth.group",
    "plans.partnership",
    "plans.agency",
    "plans.membership",
    "plans.prioritycategory",
}
#: Pages of the admin site itself, with no record in them.
SITE_PAGES = {
    "index",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "jsi18n",
    "autocomplete",
}
SWEEP_ROLES = ["anonymous", "coordinator", "officer", "board_member", "councillor", "site_admin"]


def admin_patterns():
    """(model or None, pattern) for every URL the admin serves, model admins' included."""
    prefixes = {f"{m._meta.app_label}/{m._meta.model_name}/": m for m in admin.site._registry}

    def walk(patterns, model=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefixes.get(str(pattern.pattern), model))
            elif isinstance(pattern, URLPattern):
                yield model, pattern

    return list(walk(admin.site.get_urls()))


def _label(model) -> str:
    return model._meta.label_lower


def fill(model, pattern, other):
    """The URLs of one admin pattern, filled with Otherplace's records."""
    name = pattern.name
    keys = set(pattern.pattern.regex.groupindex)
    if model is not None:
        record = other[RECORDS[_label(model)]]
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        route = str(pattern.pattern)
        if name and name.endswith("_simple_history"):  # a past version: ^(id)/history/(id)/$
            versions = type(record).history.filter(id=record.pk).values_list("history_id", flat=1)
            assert versions
            return [reverse(f"admin:{name}", args=[record.pk, v]) for v in versions]
        if keys == set():
            return [base + route]
        if keys in ({"object_id"}, {"id"}):
            return [base + route.replace(f"<path:{keys.pop()}>", str(record.pk))]
    if name == "app_list":
        return [reverse("admin:app_list", args=[app]) for app in ("plans", "actions", "meetings")]
    if name == "view_on_site":
        return [
            reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(r).pk, r.pk])
            for r in (other["plan"], other["meeting"], other["restricted_minute"])
        ]
    if name in SITE_PAGES:
        return [reverse(f"admin:{name}")]
    if name is None and pattern.pattern.regex.pattern.startswith("(?P<url>"):
        return [f"/admin/plans/plan/{other['plan'].pk}/nothing-here/"]
    raise AssertionError(f"The sweep cannot fill in admin URL {name!r} ({pattern.pattern})")


def autocomplete_urls():
    """An autocomplete request for every autocomplete field, searching for the secret."""
    urls = []
    for model, model_admin in admin.site._registry.items():
        inlines = [i(model, admin.site) for i in model_admin.inlines]
        for owner in [model_admin, *inlines]:
            for field in owner.autocomplete_fields:
                query = (
                    f"?app_label={owner.model._meta.app_label}"
                    f"&model_name={owner.model._meta.model_name}&field_name={field}&term="
                )
                urls.append(reverse("admin:autocomplete") + query)
                urls.append(reverse("admin:autocomplete") + query + SECRET)
    return urls


def every_url(other):
    urls = []
    for model, pattern in admin_patterns():
        urls += [(pattern.name, url) for url in fill(model, pattern, other)]
    urls += [("autocomplete", url) for url in autocomplete_urls()]
    return urls


def test_every_registered_model_has_a_record_in_the_sweep():
    registered = {_label(model) for model in admin.site._registry}
    assert registered == set(RECORDS)


def test_every_admin_url_pattern_is_filled_in(other):
    urls = every_url(other)
    names = {name for name, _ in urls}
    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        assert {f"{prefix}changelist", f"{prefix}add", f"{prefix}change"} <= names
        if hasattr(model, "history"):
            assert f"{prefix}simple_history" in names, model
    assert len(urls) > 150


def _wrong_answer(role, name, response) -> str | None:
    """What is wrong with the status of an admin URL's answer for the role, if anything."""
    status = response.status_code
    if name is None and status == 404:  # the admin's catch-all: nothing there, for anyone
        return None
    if role == "anonymous":
        if status != 302 or not response.url.startswith(reverse("login")):
            return "not sent to sign in"
    elif role != "site_admin":
        if status != 302 or "/admin/" in response.url:
            return "not sent to the workspace"
    elif status not in (200, 302, 403, 404, 405):
        return "unexpected status"
    return None


@pytest.mark.parametrize("role", SWEEP_ROLES)
def test_the_admin_sweep(role, request, client, other):
    """Every admin URL, as each role: only site administrators get in, and nothing of
    Otherplace's that they may not see in the app reaches them."""
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    failures = []
    for name, url in every_url(other):
        response = client.get(url)
        problem = _wrong_answer(role, name, response)
        if problem:
            failures.append((url, response.status_code, problem))
        if SECRET in response.content.decode(errors="replace"):
            failures.append((url, response.status_code, f"{SECRET} shown"))
    assert failures == [], "\n".join(map(str, failures))


def test_the_site_administrator_opens_shared_records_and_not_otherplaces_drafts(
    site_admin_client, other
):
    for label in SHARED:
        record = other[RECORDS[label]]
        app, model = label.split(".")
        url = reverse(f"admin:{app}_{model}_change", args=[record.pk])
        assert site_admin_client.get(url).status_code == 200, label
    for label in set(RECORDS) - SHARED:
        record = other[RECORDS[label]]
        app, model = label.split(".")
        change = reverse(f"admin:{app}_{model}_change", args=[record.pk])
        assert site_admin_client.get(change).status_code == 302, label  # "doesn't exist"
        if hasattr(type(record), "history"):
            history = reverse(f"admin:{app}_{model}_history", args=[record.pk])
            assert site_admin_client.get(history).status_code == 404, label
