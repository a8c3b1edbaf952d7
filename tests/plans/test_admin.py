"""The plans admin, for a site administrator who also coordinates a partnership: scoped to it,
flat query counts. (tests/admin/ holds the sweep and the door.)"""

import pytest
from django.urls import reverse

from tests.conftest import count_queries
from tests.factories import make_action, make_agency, make_issue, make_plan, make_priority

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:plans_partnership_changelist",
    "admin:plans_agency_changelist",
    "admin:plans_membership_changelist",
    "admin:plans_plan_changelist",
    "admin:plans_priority_changelist",
    "admin:plans_emergingissue_changelist",
    "admin:plans_prioritycategory_changelist",
    "admin:plans_categorycount_changelist",
    "admin:plans_indicator_changelist",
    "admin:actions_action_changelist",
    "admin:actions_reportingperiod_changelist",
    "admin:actions_actionupdate_changelist",
]


@pytest.fixture
def coordinator(coordinator):
    """The partnership's coordinator, here also a site administrator: only they reach the
    admin, and there they change their own partnership's records alone."""
    coordinator.is_superuser = True
    coordinator.save(update_fields=["is_superuser"])
    return coordinator


@pytest.fixture
def superuser_client(coordinator_client):
    return coordinator_client


@pytest.mark.parametrize("name", CHANGELISTS)
def test_changelist_query_count_does_not_grow_with_rows(superuser_client, name, plan):
    url = reverse(name)
    one = count_queries(superuser_client, url)
    issue = make_issue(priority=make_priority(plan=plan))
    for _ in range(8):
        make_action(issue=issue, support_agencies=[make_agency()])
    make_plan(partnership=plan.partnership)
    assert count_queries(superuser_client, url) <= one + 0


@pytest.fixture
def others_plan():
    """Another partnership's unpublished plan."""
    return make_plan(title="Another partnership's draft")


def test_coordinator_sees_only_their_partnerships_plans(coordinator_client, plan, others_plan):
    page = coordinator_client.get(reverse("admin:plans_plan_changelist")).content.decode()
    assert plan.title in page
    assert others_plan.title not in page


def test_coordinator_cannot_open_another_partnerships_plan(coordinator_client, others_plan):
    url = reverse("admin:plans_plan_change", args=[others_plan.pk])
    response = coordinator_client.get(url)
    assert response.status_code == 302  # "doesn't exist", back to the admin index


def test_coordinator_can_build_a_plan_down_the_hierarchy(coordinator_client, plan):
    for name in ["plan", "priority", "emergingissue"]:
        assert coordinator_client.get(reverse(f"admin:plans_{name}_add")).status_code == 200
    assert coordinator_client.get(reverse("admin:actions_action_add")).status_code == 200
    assert (
        coordinator_client.get(reverse("admin:plans_plan_change", args=[plan.pk])).status_code
        == 200
    )


def test_progress_reports_cannot_be_changed_in_the_admin(superuser_client, thanet_plan):
    from actions.models import ActionUpdate

    update = ActionUpdate.objects.filter(action__plan=thanet_plan).first()
    assert superuser_client.get(reverse("admin:actions_actionupdate_add")).status_code == 403
    url = reverse("admin:actions_actionupdate_change", args=[update.pk])
    response = superuser_client.post(url, {"narrative": "rewritten"})
    assert response.status_code == 403
    url = reverse("admin:actions_actionupdate_delete", args=[update.pk])
    assert superuser_client.post(url, {"post": "yes"}).status_code == 403


def test_coordinator_cannot_post_a_record_into_another_partnership(coordinator_client):
    from plans.models import Partnership, Plan

    kent = Partnership.objects.get(slug="kent")
    response = coordinator_client.post(
        reverse("admin:plans_plan_add"),
        {"partnership": kent.pk, "title": "Not ours", "slug": "not-ours"},
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Plan.objects.filter(slug="not-ours").exists()


def _posted_as_shown(page) -> dict:
    """What the admin change page would post if saved unchanged, inlines included."""
    adminform = page.context["adminform"].form
    data = {
        name: adminform[name].value() if adminform[name].value() is not None else ""
        for name in adminform.fields
    }
    for formset in page.context["inline_admin_formsets"]:
        fs = formset.formset
        for name in fs.management_form.fields:
            data[f"{fs.prefix}-{name}"] = fs.management_form[name].value()
        for form in fs.forms:
            for name in form.fields:
                current = form[name].value()
                data[form.add_prefix(name)] = "" if current is None else current
    return data


def test_an_admin_edit_raises_the_version_so_open_forms_go_stale(superuser_client, partnership):
    """An indicator and its values edited in the admin are versioned as the services
    version them: an indicator form opened before the edit is then refused as stale."""
    from plans import services

    indicator = services.define_indicator(partnership=partnership, name="ASB incidents")
    services.record_indicator_value(indicator=indicator, period_label="2015/16", value=6160)
    value = indicator.values.order_by("pk").first()
    url = reverse("admin:plans_indicator_change", args=[indicator.pk])
    page = superuser_client.get(url)
    data = _posted_as_shown(page)
    for formset in page.context["inline_admin_formsets"]:
        fs = formset.formset
        data[fs.forms[0].add_prefix("note")] = "Corrected in the admin."
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    indicator.refresh_from_db()
    value.refresh_from_db()
    assert (indicator.version, value.version) == (2, 2)


def test_a_plans_status_moves_on_one_step_at_a_time_in_the_admin(coordinator_client, plan):
    """draft → agreed → live → closed: the admin offers only the next step, refuses a skip
    with the lifecycle's own message, and refuses publishing a draft; nothing is saved."""
    from plans.models import Plan

    plan = make_plan(partnership=plan.partnership, status=Plan.Status.DRAFT)
    url = reverse("admin:plans_plan_change", args=[plan.pk])
    page = coordinator_client.get(url)
    offered = [value for value, _ in page.context["adminform"].form.fields["status"].choices]
    assert offered == ["draft", "agreed"]
    data = _posted_as_shown(page)

    response = coordinator_client.post(url, {**data, "status": "closed"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    response = coordinator_client.post(
        url, {**data, "published_at_0": "2026-11-23", "published_at_1": "10:00:00"}
    )
    assert "A draft plan cannot be published; agree it first." in response.content.decode()
    plan.refresh_from_db()
    assert (plan.status, plan.published_at) == (Plan.Status.DRAFT, None)

    response = coordinator_client.post(url, {**data, "status": "agreed"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.AGREED
    page = coordinator_client.get(url)
    offered = [value for value, _ in page.context["adminform"].form.fields["status"].choices]
    assert offered == ["agreed", "live"]


def test_the_lifecycle_service_refuses_a_skip_or_a_step_back(plan):
    from django.core.exceptions import ValidationError

    from plans import services
    from plans.models import Plan

    plan = make_plan(partnership=plan.partnership, status=Plan.Status.DRAFT)
    with pytest.raises(ValidationError, match="A draft plan cannot become live."):
        services.check_status_change(plan, Plan.Status.LIVE)
    plan = services.advance_plan(plan=plan, to=Plan.Status.AGREED, by=None)
    with pytest.raises(ValidationError, match="An agreed plan|A agreed plan"):
        services.advance_plan(plan=plan, to=Plan.Status.DRAFT, by=None)
    with pytest.raises(ValidationError):
        services.advance_plan(plan=plan, to=Plan.Status.AGREED, by=None)
