"""Small helpers the tests share."""

import html
import re


def text_of(response) -> str:
    """A page's visible words: scripts and tags removed, entities decoded, spacing folded."""
    markup = response.content.decode()
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def inputs(markup: str) -> list[dict]:
    """The page's <input> elements as dicts of their attributes (a bare attribute is "")."""
    found = []
    for tag in re.findall(r"<input\b[^>]*>", markup):
        attrs = dict(re.findall(r'([\w-]+)(?:="([^"]*)")?', tag[len("<input") :]))
        found.append({k: html.unescape(v) for k, v in attrs.items()})
    return found


def is_checked(markup: str, name: str, value: str) -> bool:
    """Whether the radio or checkbox `name` with `value` is checked in the markup."""
    return any(
        i.get("name") == name and i.get("value") == value and "checked" in i for i in inputs(markup)
    )


def element_text(markup: str, element_id: str) -> str:
    """The visible words of the element with this id (up to its first closing tag of the
    same name)."""
    match = re.search(rf'<(\w+)\b[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</\1>', markup, re.S)
    if match is None:
        raise AssertionError(f"No element with id {element_id!r}")
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", match.group(2)))).strip()


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
