"""django-axes's backend, for sign-ins that come with a request."""

from axes.backends import AxesStandaloneBackend


class ThrottledBackend(AxesStandaloneBackend):
    """Refuses a locked-out username or address before any password is checked. A sign-in
    without a request (a shell, the test client's login) has no address to count and is
    passed on to the next backend; every sign-in page passes its request (Django's
    AuthenticationForm does, the admin's included)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
