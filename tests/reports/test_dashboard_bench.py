"""The benchmark's national dataset obeys the models' rules, though it is written in bulk."""

import pytest
from django.urls import reverse

from actions.models import Action, ActionUpdate, Measure
from bench.national_dataset import build_national_dataset
from plans.models import Membership, Partnership
from tests.conftest import count_queries
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset():
    return build_national_dataset(partnerships=12, actions=8, updates=4, prefix="tbench")


def test_the_dataset_has_the_asked_for_size(dataset):
    assert (dataset.partnerships, dataset.actions, dataset.updates) == (12, 96, 384)
    counties = Partnership.objects.filter(slug__startswith="tbench-", kind="county")
    assert counties.count() == 2
    assert Partnership.objects.filter(county__in=counties).count() == 10


def test_each_actions_cached_status_is_that_of_its_latest_update(dataset):
    actions = Action.objects.filter(plan__partnership__slug__startswith="tbench-")
    for action in actions:
        latest = action.updates.exclude(status="").latest_first().first()
        assert (action.status, action.rag) == (
            (latest.status, latest.rag) if latest else ("not_started", "")
        )
        assert action.last_update_at == action.updates.latest_first().first().created_at


def test_readings_belong_to_numeric_measures_of_their_own_action(dataset):
    measures = Measure.objects.filter(action__plan__partnership__slug__startswith="tbench-")
    assert measures.filter(is_numeric=True, readings__isnull=False).exists()
    assert not measures.filter(is_numeric=False, readings__isnull=False).exists()
    updates = ActionUpdate.objects.filter(action__plan__partnership__slug__startswith="tbench-")
    assert updates.filter(status="", narrative="").count() == 0


def test_a_generated_dashboard_answers_with_as_many_queries_as_any(dataset, client):
    user = make_user()
    district = Partnership.objects.get(slug=dataset.slug(1))
    Membership.objects.create(user=user, partnership=district, role="board")
    client.force_login(user)
    # As the seeded dashboard's budget: 13 and the second factor's device (django-otp).
    assert count_queries(client, reverse("reports:dashboard", args=[district.slug])) <= 14
