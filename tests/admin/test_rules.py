"""The admin's rules in csp_tracker/permissions.py, for every role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from csp_tracker import permissions
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db


def _user(role, request):
    return AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)


@pytest.mark.parametrize("role", ROLES)
def test_no_partnership_role_reaches_the_admin(role, request):
    user = _user(role, request)
    assert not permissions.can_use_admin(user)
    assert not permissions.can_change_shared_lists(user)
    assert not permissions.can_merge_agencies(user)
    assert permissions.admin_changeable_partnerships(user) == set()


def test_a_site_administrator_reaches_the_admin_and_keeps_the_shared_lists(site_admin):
    assert permissions.can_use_admin(site_admin)
    assert permissions.can_change_shared_lists(site_admin)
    assert permissions.can_merge_agencies(site_admin)
    assert permissions.admin_changeable_partnerships(site_admin) == set()


def test_an_inactive_superuser_does_not(site_admin):
    site_admin.is_active = False
    assert not permissions.can_use_admin(site_admin)


def test_a_site_administrator_is_no_coordinator_board_member_or_reader(site_admin, partnership):
    """The superuser flag grants no partnership role anywhere in the app."""
    pid = partnership.pk
    assert not permissions.can_manage_partnership(site_admin, pid)
    assert not permissions.sees_restricted(site_admin, pid)
    assert not permissions.can_view_dashboard(site_admin, pid)
    assert not permissions.is_member(site_admin, pid)
    assert not permissions.member_partnerships(site_admin).exists()
    assert not permissions.restricted_partnerships(site_admin).exists()


def test_a_site_administrator_who_coordinates_changes_that_partnership_alone(
    site_admin, partnership
):
    from plans.models import Membership
    from tests.factories import make_membership

    make_membership(user=site_admin, partnership=partnership, role=Membership.Role.COORDINATOR)
    site_admin._csp_memberships = None
    assert permissions.admin_changeable_partnerships(site_admin) == {partnership.pk}
    assert permissions.can_manage_partnership(site_admin, partnership.pk)
