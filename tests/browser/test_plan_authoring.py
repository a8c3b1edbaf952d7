"""A coordinator builds a small plan from nothing in a real browser: starts it, adds two
priorities, three emerging issues (one ticking the other priority) and five actions with
measures, then removes a mistake with a reason. No page on the way is the Django admin;
each page is checked with axe and must fit a 320 px screen."""

from playwright.sync_api import expect

from actions.models import Action, Measure
from plans.models import Plan
from tests.browser.conftest import assert_accessible


def assert_fits_a_small_screen(page):
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.url
    page.set_viewport_size({"width": 1280, "height": 800})


def checked(page):
    assert_accessible(page)
    assert_fits_a_small_screen(page)


def add_priority(page, title, *, check=False):
    page.get_by_role("link", name="Add priority").click()
    page.get_by_label("Priority title").fill(title)
    if check:
        checked(page)
    page.get_by_role("button", name="Add the priority").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Priority “{title}” added.")


def add_issue(page, under, title, *, ticks=(), check=False):
    page.get_by_role("link", name=f"Add emerging issue under {under}").click()
    page.get_by_label("Emerging issue title").fill(title)
    for tick in ticks:
        page.get_by_label(tick, exact=True).check()
    if check:
        checked(page)
    page.get_by_role("button", name="Add the emerging issue").click()
    expect(page.get_by_role("alert")).to_contain_text("added.")


def add_action(page, under, title, measure, *, target="", check=False):
    page.get_by_role("link", name=f"Add action under {under}").click()
    page.get_by_label("Action", exact=True).fill(title)
    page.get_by_label("Lead agency").select_option(label="Kent Police")
    page.get_by_label("Target date").fill("2028-03-31")
    page.get_by_label("Measure of success").fill(measure)
    if target:
        page.get_by_label("Measured by a number").check()
        page.get_by_label("Target", exact=True).fill(target)
        page.get_by_label("Unit").fill("referrals")
        page.get_by_label("Baseline").fill("10")
    if check:
        checked(page)
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("alert")).to_contain_text(f"“{title}” added.")


def test_a_coordinator_builds_a_plan_from_nothing(sign_in, site):
    page = sign_in("thanet-coordinator")
    visited = []
    page.on("request", lambda request: visited.append(request.url))

    page.goto(f"{site}/partnerships/thanet/")
    page.get_by_role("link", name="Start a new plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a new plan")
    checked(page)
    page.get_by_role("button", name="Start the plan").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the plan's title")
    assert_accessible(page)
    page.get_by_label("Title", exact=True).fill("Community Safety Plan 2027/28")
    page.get_by_label("Period starts").fill("2027-04-01")
    page.get_by_label("Period ends").fill("2028-03-31")
    page.get_by_label("Question of the “impacts other priorities” ticks").fill(
        "Which of the other current priorities does this impact upon?"
    )
    page.get_by_role("button", name="Start the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit this plan")
    expect(page.get_by_role("alert")).to_contain_text("has been started as a draft")
    checked(page)

    add_priority(page, "Domestic abuse", check=True)
    add_priority(page, "Anti-social behaviour")
    add_issue(page, "Domestic abuse", "Repeat victims", ticks=["Anti-social behaviour"], check=True)
    add_issue(page, "Domestic abuse", "Young people's relationships")
    add_issue(page, "Anti-social behaviour", "Street drinking in Margate")
    add_action(page, "Repeat victims", "Run MARAC fortnightly", "MARAC held", check=True)
    add_action(page, "Repeat victims", "Refer victims to IDVA", "Referrals", target="40")
    add_action(page, "Young people's relationships", "Schools programme", "Schools reached")
    add_action(page, "Street drinking in Margate", "Patrols in the town centre", "Patrols")
    add_action(page, "Street drinking in Margate", "Enforce the PSPO", "Fixed penalties")
    checked(page)

    plan = Plan.objects.get(partnership__slug="thanet", title="Community Safety Plan 2027/28")
    assert plan.status == Plan.Status.DRAFT
    assert [p.title for p in plan.priorities.order_by("position")] == [
        "Domestic abuse",
        "Anti-social behaviour",
    ]
    assert plan.issues.count() == 3
    repeat = plan.issues.get(title="Repeat victims")
    assert [p.title for p in repeat.impacts.all()] == ["Anti-social behaviour"]
    assert plan.actions.count() == 5
    assert Measure.objects.filter(action__plan=plan).count() == 5
    idva = Measure.objects.get(action__plan=plan, text="Referrals")
    assert (idva.is_numeric, idva.target, idva.unit, idva.baseline) == (True, 40, "referrals", 10)

    # Reorder without JavaScript's help: each move is a form.
    page.get_by_role("button", name="Move down Domestic abuse").click()
    expect(page.get_by_role("alert")).to_contain_text("“Domestic abuse” moved.")
    assert [p.title for p in plan.priorities.order_by("position")] == [
        "Anti-social behaviour",
        "Domestic abuse",
    ]

    # A removal says what goes with it and needs a reason.
    pspo = Action.objects.get(plan=plan, title="Enforce the PSPO")
    page.get_by_role("link", name=f"Remove action {pspo.ref_display}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Remove the action")
    checked(page)
    page.get_by_role("button", name="Remove the action").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why it is being removed")
    page.get_by_label("Why is it being removed?").fill("Duplicate of the patrols action")
    page.get_by_role("button", name="Remove the action").click()
    expect(page.get_by_role("alert")).to_contain_text("removed.")
    assert plan.actions.count() == 4
    expect(page.locator("#changes")).to_be_visible()
    expect(page.get_by_text("– “Duplicate of the patrols action”")).to_be_visible()
    page.screenshot(path="/tmp/authoring-workspace-1280.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    page.screenshot(path="/tmp/authoring-workspace-320.png", full_page=True)

    assert not [url for url in visited if "/admin/" in url]
