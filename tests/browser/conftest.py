"""Browser tests: Debian's Chromium driven by Playwright against the live test server."""

import os
import shutil
from pathlib import Path

import pytest

from plans.demo import DEMO_PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe" / "axe.min.js"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("Chromium is missing: apt-get install --no-install-recommends chromium")
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_FLAGS}


@pytest.fixture
def seeded(transactional_db, settings):
    """The seed documents and demo users, reloaded when a previous browser test flushed them
    (tests/conftest.py's transactional_db has already made the Coordinators group again)."""
    from accounts.demo import enrol_demo_users
    from plans.demo import create_demo_users
    from reports.seeds import load_all_seeds

    settings.DEMO_MODE = True
    load_all_seeds()
    create_demo_users()
    enrol_demo_users()


@pytest.fixture
def site(live_server, seeded):
    return live_server.url


def sign_in_on(page, site, username):
    """Sign `page` in as a demo user, passing the second step where the account has one."""
    page.goto(f"{site}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/sign-in/code/" in page.url:  # the demo accounts' fixed second factor
        from accounts.demo import current_code

        page.get_by_label("Code").fill(current_code(username))
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site}/")
    return page


@pytest.fixture
def sign_in(page, site):
    return lambda username: sign_in_on(page, site, username)


def axe_violations(page) -> list[dict]:
    """Run axe-core (vendored) in the page; WCAG 2.x A and AA rules."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: {
                    type: "tag",
                    values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
                },
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))
            }));
        }"""
    )


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], violations
