"""The seed documents are loaded without loss, in their own words and numbering."""

import pytest
from django.apps import apps
from django.core.management import call_command

from actions.models import Action, ActionUpdate, Measure, Status
from plans.models import (
    CategoryCount,
    CategoryTag,
    EmergingIssue,
    Partnership,
    Plan,
    Priority,
)
from reports.seeds import load_all_seeds

pytestmark = pytest.mark.django_db


def test_thanet_plan_has_its_4_priorities_12_issues_and_30_actions(thanet_plan):
    assert [p.title for p in thanet_plan.priorities.order_by("position")] == [
        "Safeguarding",
        "Drivers of Crime and Anti-Social Behaviour",
        "Reducing re-offending",
        "Engagement",
    ]
    assert thanet_plan.issues.count() == 12
    assert list(thanet_plan.issues.values_list("ref", flat=True)) == [str(n) for n in range(1, 13)]
    assert list(thanet_plan.actions.values_list("ref", flat=True)) == [str(n) for n in range(1, 31)]
    assert thanet_plan.issue_label == "Emerging issue"
    assert thanet_plan.action_label == "Proposed Actions"
    assert thanet_plan.document_status == "Draft"


def test_thanet_issue_and_action_wording_is_the_documents(thanet_plan):
    issue = thanet_plan.issues.get(ref="8")
    assert issue.title == "Widen agency support for offenders"
    assert issue.priority.title == "Reducing re-offending"
    action = thanet_plan.actions.get(ref="14")
    assert action.title.startswith("Pilot the use of 'Body Worn Video' devices by Police Officers")
    assert action.lead_agency.name == "Kent Police"
    action = thanet_plan.actions.get(ref="22")
    assert action.lead_agency.abbreviation == "KFRS"
    assert [m.text for m in action.measures.all()] == [
        "2 Courses delivered",
        "Reduction in re-offending of those that have completed courses",
    ]


def test_thanet_impact_ticks_are_other_priorities_of_the_plan(thanet_plan):
    ticks = {
        issue.ref: sorted(p.title for p in issue.impacts.all())
        for issue in thanet_plan.issues.prefetch_related("impacts")
    }
    assert ticks["1"] == [
        "Drivers of Crime and Anti-Social Behaviour",
        "Engagement",
        "Reducing re-offending",
    ]
    assert ticks["4"] == ["Drivers of Crime and Anti-Social Behaviour", "Engagement"]
    assert ticks["5"] == ["Drivers of Crime and Anti-Social Behaviour"]
    assert ticks["8"] == ["Drivers of Crime and Anti-Social Behaviour", "Safeguarding"]
    for issue in thanet_plan.issues.prefetch_related("impacts"):
        assert issue.priority not in issue.impacts.all()


def test_thanet_appendices_glossary_and_phone_numbers(thanet_plan):
    assert thanet_plan.contacts.count() == 19
    assert thanet_plan.contacts.get(name="Crimestoppers").phone == "0800 555 111"
    assert thanet_plan.glossary.count() == 22
    assert thanet_plan.glossary.filter(term="Multi Agency Risk Assessment Conference (MARAC)")
    kinds = list(thanet_plan.sections.values_list("kind", flat=True))
    assert kinds[:4] == ["foreword", "background", "achievements", "how_it_works"]
    assert "structure" in kinds
    foreword = thanet_plan.sections.get(kind="foreword")
    assert "Chief Inspector Simon Thompson" in foreword.body


def test_thanet_numeric_and_tbc_measures(thanet_plan):
    measure = Measure.objects.get(action__plan=thanet_plan, text="25 people triaged")
    assert measure.is_numeric and measure.target == 25
    tbc = Measure.objects.filter(action__plan=thanet_plan, text="TBC")
    assert tbc.count() == 2
    assert all(m.is_tbc for m in tbc)


def test_minutes_progress_is_recorded_as_updates_of_14_december_2015(thanet_plan):
    updates = ActionUpdate.objects.filter(action__plan=thanet_plan)
    assert updates.count() == 13
    assert set(updates.values_list("reported_on", flat=True)) == {
        __import__("datetime").date(2015, 12, 14)
    }
    pastors = updates.get(action__ref="15", status=Status.ON_TRACK)
    assert "The Community Pastor Scheme was still in place" in pastors.narrative
    assert pastors.period.slug == "q3"
    # Actions the minutes do not speak of have no update.
    assert not updates.filter(action__ref="1").exists()


def test_action_status_cache_agrees_with_latest_update():
    for action in Action.objects.prefetch_related("updates"):
        with_status = [u for u in action.updates.all() if u.status]
        with_status.sort(key=lambda u: (u.reported_on, u.created_at, u.pk))
        expected = with_status[-1].status if with_status else Status.NOT_STARTED
        assert action.status == expected, action


def test_ashford_tactical_plan_in_its_own_terms(ashford_plan):
    assert ashford_plan.issue_label == "Aim"
    assert ashford_plan.lead_label == "Main Partner"
    assert ashford_plan.measures_label == "Targets"
    assert ashford_plan.evidence_label == "Evidence"
    priorities = list(ashford_plan.priorities.order_by("position"))
    assert len(priorities) == 6
    assert [p.lead_display for p in priorities] == [
        "Domestic Abuse Forum",
        "KDATT",
        "Ashford Borough Council Community Safety Service",
        "Kent Police",
        "Kent Fire & Rescue",
        "Kent Police",
    ]
    assert ashford_plan.issues.count() == 13
    assert ashford_plan.actions.count() == 58
    assert not ashford_plan.actions.exclude(ref="").exists()  # Ashford does not number actions
    action = ashford_plan.actions.get(title="Attend all repeat victim ASB calls")
    assert action.lead_agency.name == "Kent Police"
    measure = action.measures.get()
    assert measure.text == "To attend all repeat victim ASB calls"
    assert measure.evidence == "Reduction in ASB and in criminal damage"
    joint = ashford_plan.actions.get(lead_wording="Kent Police & ABC Licensing")
    assert [a.name for a in joint.support_agencies.all()] == ["ABC Licensing"]
    assert ashford_plan.glossary.count() == 23


def test_medway_plan_has_themes_objectives_and_lettered_aims(medway_plan):
    assert medway_plan.refresh == "2019 Refresh"
    assert medway_plan.issue_label == "Objective"
    assert medway_plan.action_label == "Aim"
    assert medway_plan.priorities.count() == 6
    assert medway_plan.issues.count() == 20
    assert medway_plan.actions.count() == 62
    tobacco = medway_plan.issues.get(title="Tackling Illicit Tobacco")
    assert tobacco.ref == "4)"
    aims = list(tobacco.actions.order_by("number"))
    assert [a.ref for a in aims] == ["a", "b", "c"]
    assert aims[2].title.startswith("Number of intelligence reports received")
    assert aims[2].measures.get().target == 25
    gangs = medway_plan.priorities.get(title="Combating youth gang violence")
    assert gangs.lead_agency is None and not gangs.issues.exists()


def test_kent_agreement_and_its_member_districts(kent_plan):
    kent = kent_plan.partnership
    assert kent.kind == Partnership.Kind.COUNTY
    assert list(
        kent_plan.priorities.filter(kind=Priority.Kind.MAIN)
        .order_by("position")
        .values_list("title", flat=True)
    ) == [
        "Anti-Social Behaviour",
        "Domestic Abuse",
        "Substance Misuse",
        "Acquisitive Crime",
        "Violent Crime",
        "Road Safety",
    ]
    assert list(
        kent_plan.priorities.filter(kind=Priority.Kind.CROSS_CUTTING)
        .order_by("position")
        .values_list("title", flat=True)
    ) == [
        "Early intervention, prevention & education",
        "Reducing Re-Offending",
        "Safeguarding Children & Young People",
        "Supporting Victims and Vulnerable Households / Individuals",
    ]
    assert kent.members.count() == 11
    assert set(kent.members.values_list("slug", flat=True)) >= {"thanet", "ashford"}


def test_kent_matrix_keeps_marks_and_printed_counts(kent_plan):
    kent = kent_plan.partnership
    counts = CategoryCount.objects.filter(partnership=kent, period_label="2016/17")
    assert counts.count() == 26
    da = counts.get(category__name="Domestic Abuse (inc. sexual offences & serious violence)")
    assert da.districts_count == 10
    tags = CategoryTag.objects.filter(category=da.category, plan__partnership__county=kent)
    assert tags.count() == 10
    assert tags.get(plan__partnership__slug="ashford").level == CategoryTag.Level.NAMED
    assert tags.get(plan__partnership__slug="thanet").level == CategoryTag.Level.WITHIN_THEME
    assert not CategoryTag.objects.filter(plan__partnership__slug="dover").exists()


def test_every_seed_plan_is_published_except_provisional_district_priorities():
    assert set(Plan.objects.filter(published_at__isnull=False).values_list("slug", flat=True)) >= {
        "2015-16",
        "2013-14",
        "2016-2020",
        "2014-17",
    }
    assert not Plan.objects.filter(
        kind=Plan.Kind.STRATEGIC_ASSESSMENT, published_at__isnull=False
    ).exists()


def _row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"plans", "actions", "auth"}
    }


def test_loading_the_seeds_again_changes_nothing():
    before = _row_counts()
    report = load_all_seeds()
    assert report.created == []
    assert _row_counts() == before


def test_load_seeds_dry_run_saves_nothing(capsys):
    before = _row_counts()
    call_command("load_seeds", "--dry-run")
    assert "Dry run: nothing was saved." in capsys.readouterr().out
    assert _row_counts() == before


def test_load_seeds_refuses_demo_users_outside_demo_mode(settings):
    from django.core.management.base import CommandError

    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("load_seeds", "--demo-users")


def test_issue_numbers_are_the_document_order(thanet_plan):
    numbers = list(EmergingIssue.objects.filter(plan=thanet_plan).values_list("number", "ref"))
    assert numbers == [(n, str(n)) for n in range(1, 13)]
