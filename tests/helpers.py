"""Small helpers the tests share."""

import html
import re


def text_of(response) -> str:
    """A page's visible words: scripts and tags removed, entities decoded, spacing folded."""
    markup = response.content.decode()
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def pass_second_factor(client, user):
    """Mark the client's session as having passed the second factor, as signing in with a code
    does (django_otp keeps the device's id in the session): the user gets a confirmed app if
    they have none. Returns the device."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
