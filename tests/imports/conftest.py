"""The importers: a coordinator of Thanet (whose seeded plan the files often name)."""

import pytest

from plans.models import Membership, Partnership
from tests.factories import make_membership, make_user


@pytest.fixture
def thanet_coordinator():
    user = make_user(username="thanet-importer", first_name="Ima", last_name="Porter")
    thanet = Partnership.objects.get(slug="thanet")
    make_membership(user=user, partnership=thanet, role=Membership.Role.COORDINATOR)
    return user


@pytest.fixture
def thanet_client(client, thanet_coordinator):
    client.force_login(thanet_coordinator)
    return client
