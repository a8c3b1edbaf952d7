"""The demo's users: one per role in Thanet CSP and a site administrator, usable only when
DEMO_MODE is on."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from csp_tracker.auth import DEMO_GROUP
from plans import services
from plans.models import Agency, Membership, Partnership

#: Shared by every demo account; printed by the demo, refused outside DEMO_MODE.
DEMO_PASSWORD = "csp-demo"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    role: str
    agency: str = ""
    site_admin: bool = False


DEMO_USERS = [
    DemoUser("thanet-coordinator", "Community safety coordinator", Membership.Role.COORDINATOR),
    DemoUser(
        "thanet-officer-police", "Kent Police officer", Membership.Role.OFFICER, "Kent Police"
    ),
    DemoUser(
        "thanet-officer-kfrs",
        "KFRS officer",
        Membership.Role.OFFICER,
        "Kent Fire and Rescue Service",
    ),
    DemoUser("thanet-board", "Executive board member", Membership.Role.BOARD),
    DemoUser("thanet-councillor", "Scrutiny councillor", Membership.Role.COUNCILLOR),
    # The admin's user: partnerships, memberships and the shared lists; a member of none.
    DemoUser("site-admin", "Site administrator (the admin)", "", site_admin=True),
]


@transaction.atomic
def create_demo_users(*, partnership_slug: str = "thanet") -> list[DemoUser]:
    """Create (or reset) the demo accounts, their Thanet memberships and the site
    administrator (who belongs to no partnership)."""
    partnership = Partnership.objects.get(slug=partnership_slug)
    group, _ = Group.objects.get_or_create(name=DEMO_GROUP)
    User = get_user_model()
    for spec in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=spec.username)
        user.first_name = spec.first_name
        user.last_name = "(demo)"
        user.set_password(DEMO_PASSWORD)
        user.is_superuser = user.is_staff = spec.site_admin
        user.save()
        user.groups.add(group)
        if spec.site_admin:
            continue
        agency = Agency.objects.get(name=spec.agency) if spec.agency else None
        membership = Membership.objects.filter(user=user, partnership=partnership).first()
        if membership is None:
            services.add_membership(
                user=user, partnership=partnership, role=spec.role, agency=agency
            )
    # The board member also sits on the county partnership, so that the demo shows Kent's
    # dashboard and its roll-up of the districts' priorities.
    county = partnership.county
    board = User.objects.get(username="thanet-board")
    if county is not None and not Membership.objects.filter(user=board, partnership=county):
        services.add_membership(user=board, partnership=county, role=Membership.Role.BOARD)
    return DEMO_USERS
