"""What sign-in keeps beyond Django's user and django-otp's devices: password reset links."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from csp_tracker import links


class PasswordReset(models.Model):
    """A password reset asked for by email: its link works once, for an hour."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="resets")
    nonce = models.CharField(max_length=32, default=links.new_nonce)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Password reset for {self.user} at {self.created_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def lifetime() -> datetime.timedelta:
        return datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)

    def token(self) -> str:
        """The link's token: never logged or shown anywhere but the email."""
        return links.make_token("password_reset", pk=self.pk, nonce=self.nonce)
