"""Two-factor sign-in: set up with a QR code or the key as text, sign in with the app's code or
a recovery code, required for whoever can see restricted content, reset by a site
administrator."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from csp_tracker.permissions import needs_second_factor
from plans.models import Membership
from tests.accounts.conftest import code_for, give_code, sign_in
from tests.factories import make_membership, make_partnership, make_user
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def enrol(client, user):
    """Set up an app through the pages; returns (device, recovery codes shown)."""
    page = client.get(reverse("accounts:two-factor"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(reverse("accounts:two-factor"), {"code": code_for(device)})
    assert done.status_code == 200, text_of(done)
    codes = re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())
    return TOTPDevice.objects.get(pk=device.pk), codes


def test_who_must_use_a_second_factor(coordinator, board_member, councillor, officer):
    partnership = make_partnership()
    granted = make_user()
    make_membership(
        user=granted, partnership=partnership, role=Membership.Role.COUNCILLOR, sees_restricted=True
    )
    admin = make_user(is_superuser=True, is_staff=True)
    assert [needs_second_factor(u) for u in (coordinator, board_member, granted, admin)] == [
        True
    ] * 4
    assert [needs_second_factor(u) for u in (councillor, officer)] == [False, False]


def test_a_coordinator_without_a_second_factor_must_set_one_up(
    client, coordinator, plan, password_only_login
):
    assert sign_in(client, coordinator.username).status_code == 302
    page = client.get(plan.get_absolute_url())
    assert page.status_code == 302
    assert page.url.startswith(reverse("accounts:two-factor"))
    enrol_page = client.get(page.url)
    text = text_of(enrol_page)
    assert "Your role lets you see restricted content" in text
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", enrol_page.content.decode()).group(1)
    assert len(secret.replace(" ", "")) == 32
    assert 'src="data:image/svg+xml;base64,' in enrol_page.content.decode()


def test_enrolment_checks_the_code_then_shows_recovery_codes_once(client, officer):
    client.force_login(officer)
    client.get(reverse("accounts:two-factor"))
    wrong = client.post(reverse("accounts:two-factor"), {"code": "123456"})
    assert wrong.status_code == 422
    assert "Enter the 6-digit code your app shows now" in text_of(wrong)
    assert not TOTPDevice.objects.filter(user=officer, confirmed=True).exists()
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=40)):
        device, codes = enrol(client, officer)
    assert device.confirmed
    assert len(codes) == 10 and len(set(codes)) == 10
    on = client.get(reverse("accounts:two-factor"))
    assert "Two-factor sign-in is on" in text_of(on)
    assert not any(code in on.content.decode() for code in codes)


def test_sign_in_with_password_and_code_then_with_a_recovery_code(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("logout"))
    TOTPDevice.objects.filter(user=coordinator).delete()
    client.force_login(coordinator)  # verified by the fixture's device; now enrol a real one
    TOTPDevice.objects.filter(user=coordinator).delete()
    device, codes = enrol(client, coordinator)
    client.post(reverse("logout"))

    first = sign_in(client, coordinator.username)
    assert first.url.startswith(reverse("accounts:sign-in-code"))
    assert "_auth_user_id" not in client.session  # nothing is signed in by the password alone
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=60)):
        done = give_code(client, code_for(device))
        assert done.status_code == 302
        assert client.get(reverse("plans:home")).status_code == 200
        client.post(reverse("logout"))

        sign_in(client, coordinator.username)
        recovered = give_code(client, codes[0])
        assert recovered.status_code == 302
        home = client.get(recovered.url)
        assert "You signed in with a recovery code" in text_of(home)
        assert "you have 9 left" in text_of(home)
        client.post(reverse("logout"))

        sign_in(client, coordinator.username)
        assert give_code(client, codes[0]).status_code == 422  # each code works once


def test_the_second_step_expires_and_needs_the_first(client, coordinator, app_of):
    app_of(coordinator)
    assert client.get(reverse("accounts:sign-in-code")).url == reverse("login")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, coordinator.username)
        clock.shift(datetime.timedelta(minutes=6))
        assert give_code(client, "123456").url == reverse("login")


def test_new_recovery_codes_replace_the_old(client, coordinator):
    client.force_login(coordinator)
    old = enrol_codes = None
    TOTPDevice.objects.filter(user=coordinator).delete()
    _, enrol_codes = enrol(client, coordinator)
    old = set(enrol_codes)
    page = client.post(reverse("accounts:recovery-codes"))
    new = set(re.findall(r"<li><code>(\w+)</code></li>", page.content.decode()))
    assert len(new) == 10 and not (new & old)
    stored = set(
        StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True)
    )
    assert stored == new


def test_someone_not_required_may_turn_it_off(client, officer):
    client.force_login(officer)
    enrol(client, officer)
    assert client.post(reverse("accounts:two-factor-off")).status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()


def test_a_site_administrator_resets_a_lost_second_factor(client, coordinator, app_of):
    app_of(coordinator)
    admin = make_user(is_superuser=True, is_staff=True)
    client.force_login(admin)
    done = client.post(
        reverse("accounts:second-factor-resets"), {"username": coordinator.username.upper()}
    )
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert "second factor has been removed" in text_of(client.get(done.url))
    missing = client.post(reverse("accounts:second-factor-resets"), {"username": "nobody"})
    assert missing.status_code == 422
    assert "There is no account with the username nobody" in text_of(missing)


def test_a_coordinator_cannot_reset_anothers_second_factor(coordinator_client, board_member):
    TOTPDevice.objects.create(user=board_member, confirmed=True)
    refused = coordinator_client.post(
        reverse("accounts:second-factor-resets"), {"username": board_member.username}
    )
    assert refused.status_code == 403
    assert TOTPDevice.objects.filter(user=board_member).exists()


def test_both_steps_lead_to_the_page_asked_for_and_nowhere_else(client, coordinator, app_of, plan):
    device = app_of(coordinator)
    wanted = plan.get_absolute_url() + "?tab=actions&x=1"
    first = client.post(
        reverse("login"),
        {"username": coordinator.username, "password": "pass-word-123", "next": wanted},
    )
    assert first.url == reverse("accounts:sign-in-code") + "?next=" + (
        wanted.replace("/", "%2F").replace("?", "%3F").replace("=", "%3D").replace("&", "%26")
    )
    page = client.get(first.url)
    assert f'value="{wanted.replace("&", "&amp;")}"' in page.content.decode()
    done = client.post(reverse("accounts:sign-in-code"), {"code": code_for(device), "next": wanted})
    assert done.url == wanted
    client.post(reverse("logout"))
    app_of(coordinator)
    sign_in(client, coordinator.username)
    elsewhere = client.post(
        reverse("accounts:sign-in-code"),
        {
            "code": code_for(TOTPDevice.objects.filter(user=coordinator).last()),
            "next": "https://evil.example/",
        },
    )
    assert elsewhere.url == reverse("plans:home")
