"""csp_tracker/links.py: a token carries one record's id and nonce, for one purpose, for a
while; anything else is refused without saying what it was for."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from csp_tracker import links

DAY = datetime.timedelta(days=1)


def test_a_token_gives_back_its_id_and_nonce():
    nonce = links.new_nonce()
    token = links.make_token("invitation", pk=42, nonce=nonce)
    assert links.read_token("invitation", token, max_age=DAY) == (42, nonce)
    assert "/" not in token  # it sits in a URL path


def test_a_token_for_one_purpose_is_refused_for_another():
    token = links.make_token("invitation", pk=42, nonce="n")
    with pytest.raises(links.BadLink):
        links.read_token("password_reset", token, max_age=DAY)


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature altered
        lambda t: "WzQzLCJuIl0" + t[t.index(":") :],  # another id, same signature
        lambda t: t.split(":")[0],  # the signature cut off
        lambda t: "",
        lambda t: "not a token at all",
    ],
)
def test_a_damaged_or_forged_token_is_refused(change):
    token = links.make_token("invitation", pk=42, nonce="n")
    with pytest.raises(links.BadLink) as refused:
        links.read_token("invitation", change(token), max_age=DAY)
    assert not isinstance(refused.value, links.ExpiredLink)


def test_an_old_token_is_refused_but_says_what_it_was_for():
    token = links.make_token("invitation", pk=42, nonce="n")
    later = timezone.now() + DAY + datetime.timedelta(seconds=1)
    with time_machine.travel(later), pytest.raises(links.ExpiredLink) as expired:
        links.read_token("invitation", token, max_age=DAY)
    assert (expired.value.pk, expired.value.nonce) == (42, "n")


def test_a_token_signed_with_another_key_is_refused(settings):
    token = links.make_token("invitation", pk=42, nonce="n")
    settings.SECRET_KEY = "another-secret-key-entirely-0123456789-abcdefghijklmnopqrstuvwxyz"
    with pytest.raises(links.BadLink):
        links.read_token("invitation", token, max_age=DAY)


def test_nonces_differ():
    assert len({links.new_nonce() for _ in range(50)}) == 50


def test_a_purpose_is_a_word():
    with pytest.raises(ValueError):
        links.make_token("", pk=1, nonce="n")
