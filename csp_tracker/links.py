"""Signed, expiring, single-purpose links: an invitation to join a partnership today, and any
link sent by email that must work for one person, for one purpose, for a while.

A token carries a record's id and its nonce, signed with SECRET_KEY and a salt named for the
purpose (a token made for one purpose is refused for another) and stamped with the time it
was made (refused once older than `max_age`). It works once because of the record, not the
token: the service that uses it marks the record used, and changing the record's nonce (a
link sent again) makes every earlier token stale. Never log or show a token: it is a
password for as long as it lives.
"""

import datetime
import secrets

from django.core import signing


class BadLink(Exception):
    """A token that was damaged, forged or made for another purpose: nothing can be read."""


class ExpiredLink(BadLink):
    """An authentic token older than its purpose allows; `pk` and `nonce` say what it was for,
    so that the page can say whom to ask for a new one."""

    def __init__(self, *, pk: int, nonce: str):
        super().__init__("The link has expired.")
        self.pk = pk
        self.nonce = nonce


def new_nonce() -> str:
    """A fresh random value for a record's nonce: changing it retires the record's old links."""
    return secrets.token_urlsafe(16)


def make_token(purpose: str, *, pk: int, nonce: str) -> str:
    """The token for one record's link of a purpose ("invitation"), safe in a URL path."""
    return signing.dumps([pk, nonce], salt=_salt(purpose))


def read_token(purpose: str, token: str, *, max_age: datetime.timedelta) -> tuple[int, str]:
    """The record id and nonce a token of this purpose carries.

    Raises ExpiredLink for an authentic token older than `max_age`, BadLink for anything else
    that is not a token of this purpose.
    """
    try:
        payload = signing.loads(token, salt=_salt(purpose))
    except signing.BadSignature:
        raise BadLink("The link is damaged.") from None
    if not (
        isinstance(payload, list)
        and len(payload) == 2
        and isinstance(payload[0], int)
        and isinstance(payload[1], str)
    ):
        raise BadLink("The link is damaged.")
    pk, nonce = payload
    try:
        signing.loads(token, salt=_salt(purpose), max_age=max_age)
    except signing.SignatureExpired:
        raise ExpiredLink(pk=pk, nonce=nonce) from None
    return pk, nonce


def _salt(purpose: str) -> str:
    if not purpose or not purpose.isidentifier():
        raise ValueError(f"A link's purpose is a word: {purpose!r}")
    return f"csp_tracker.links.{purpose}"
