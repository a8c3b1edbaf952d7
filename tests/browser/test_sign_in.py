"""Signing in as a person does: a coordinator sets up a second factor, signs out, signs in
with password and code, then with a recovery code; the idle warning appears before the
session ends and "Stay signed in" keeps it. Axe on every page; every page fits 320 px."""

import base64
import datetime
import re
import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from plans.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible


def fits_320(page):
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.url
    page.set_viewport_size({"width": width, "height": 800})


def code_for(secret: str, username: str) -> str:
    """What the person's app shows now (the next code if this one was just used)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    totp = TOTP(key, device.step, device.t0, device.digits, device.drift)
    if totp.t() <= device.last_t:
        totp.drift = device.last_t + 1 - totp.t() + device.drift
    return f"{totp.token():06d}"


def password_step(page, site, username="thanet-coordinator"):
    page.goto(f"{site}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_coordinator_sets_up_two_factor_and_signs_in_with_it(page, site):
    TOTPDevice.objects.filter(user__username="thanet-coordinator").delete()  # a new coordinator
    password_step(page, site)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_text("Your role lets you see restricted content")).to_be_visible()
    assert_accessible(page)
    fits_320(page)
    secret = page.locator("#secret code").inner_text().replace(" ", "")
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    page.goto(f"{site}/partnerships/thanet/")  # nothing else opens before the second factor
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")

    page.get_by_label("Code from your app").fill("000000")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the 6-digit code")
    time.sleep(1.2)  # django-otp slows down the next try after a wrong code
    device = TOTPDevice.objects.get(user__username="thanet-coordinator")
    totp = TOTP(base64.b32decode(secret + "=" * (-len(secret) % 8)), device.step)
    page.get_by_label("Code from your app").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Two-factor sign-in is on")).to_be_visible()
    codes = page.get_by_role("list", name="Recovery codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    fits_320(page)
    page.get_by_role("link", name="I have saved my codes, continue").click()
    page.get_by_role("button", name=re.compile("Sign out")).click()

    password_step(page, site)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    assert_accessible(page)
    fits_320(page)
    page.get_by_label("Code").fill(code_for(secret, "thanet-coordinator"))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site}/")
    page.get_by_role("button", name=re.compile("Sign out")).click()

    password_step(page, site)
    page.get_by_text("I do not have my phone").click()
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site}/")
    expect(page.get_by_text("You signed in with a recovery code")).to_be_visible()
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_text("9 recovery codes left")).to_be_visible()
    assert_accessible(page)
    fits_320(page)


def test_the_idle_warning_lets_the_person_stay_signed_in(page, site, sign_in, settings):
    settings.SESSION_IDLE_TIMEOUT = datetime.timedelta(seconds=10)
    settings.SESSION_WARNING_BEFORE = datetime.timedelta(seconds=7)
    sign_in("thanet-officer-kfrs")
    loaded = time.monotonic()
    page.goto(f"{site}/account/")
    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    expect(dialog).to_be_visible(timeout=8000)
    assert_accessible(page)
    fits_320(page)
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    time.sleep(max(0, 11 - (time.monotonic() - loaded)))  # past the first deadline
    page.goto(f"{site}/account/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")

    # Without "Stay signed in" the session ends, and the sign-in page says why.
    expect(dialog).to_be_visible(timeout=8000)
    time.sleep(10.5)
    expect(page.get_by_role("heading", name="You have been signed out")).to_be_visible()
    page.goto(f"{site}/account/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_text("had not used CSP Tracker for 10 seconds")).to_be_visible()


def test_the_browser_tests_sign_in_passes_the_demo_second_factor(sign_in, site):
    page = sign_in("thanet-board")
    page.goto(f"{site}/account/")
    expect(page.get_by_text("On: an authenticator app")).to_be_visible()
