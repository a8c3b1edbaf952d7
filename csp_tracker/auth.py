"""Sign-in rules shared by every app."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

DEMO_GROUP = "Demo users"


def is_demo_user(user) -> bool:
    """Demo users are the seeded accounts printed by the demo; they are marked by a group."""
    return user.groups.filter(name=DEMO_GROUP).exists()


class DemoAwareModelBackend(ModelBackend):
    """The usual backend, except that demo accounts only sign in when DEMO_MODE is on."""

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        return settings.DEMO_MODE or not is_demo_user(user)

    # get_user() goes through user_can_authenticate() too, so a demo session also ends
    # when DEMO_MODE is turned off.
