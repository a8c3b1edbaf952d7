"""The import's services: bulk writes that keep the same rules and the same history."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from actions import services
from actions.models import Action, ActionUpdate, Measure, Rag, Status
from csp_tracker.editing import StaleEdit
from tests.factories import make_action, make_agency, make_measure, make_user

pytestmark = pytest.mark.django_db

REASON = "Imported from plan.xlsx by importer"


@pytest.fixture
def importer():
    return make_user(username="importer")


def _spec(issue, number, **extra):
    return {"issue": issue, "number": number, "ref": str(number), "title": f"Action {number}"}


def test_new_actions_are_added_with_supporters_measures_progress_and_history(issue, importer):
    kfrs, police = make_agency(), make_agency()
    specs = [
        {
            **_spec(issue, 1),
            "lead_agency": kfrs,
            "support_agencies": [police],
            "measures": ["Sessions held", "People reached"],
            "update": {"status": Status.ON_TRACK, "rag": Rag.GREEN, "narrative": "Begun."},
        },
        {**_spec(issue, 2), "measures": [], "update": None},
    ]
    first, second = services.add_actions_from_import(specs=specs, by=importer, reason=REASON)
    first.refresh_from_db()
    assert (first.lead_agency, first.status, first.rag) == (kfrs, Status.ON_TRACK, Rag.GREEN)
    assert [m.text for m in first.measures.all()] == ["Sessions held", "People reached"]
    update = first.updates.get()
    assert (update.author, update.narrative, update.source) == (importer, "Begun.", REASON)
    assert first.last_update_at == update.created_at
    record = first.history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        importer,
        REASON,
    )
    assert [a.agency for a in record.support_agencies.all()] == [police]
    assert Measure.history.filter(action_id=first.pk, history_user=importer).count() == 2
    assert second.status == Status.NOT_STARTED and not second.updates.exists()


def test_new_actions_obey_the_rules_of_a_progress_report(issue, importer):
    spec = {
        **_spec(issue, 1),
        "update": {"status": Status.DELAYED, "rag": Rag.RED, "narrative": ""},
    }
    with pytest.raises(ValidationError, match="Explain why the action is delayed"):
        services.add_actions_from_import(specs=[spec], by=importer, reason=REASON)
    assert not Action.objects.filter(issue=issue).exists()


def test_changed_details_are_saved_with_one_history_record_each(action, importer):
    other = make_agency()
    [changed] = services.update_actions_from_import(
        changes=[
            {
                "action": action,
                "version": action.version,
                "title": "A clearer title",
                "support_agencies": [other],
                "target_date": datetime.date(2016, 1, 31),
            }
        ],
        by=importer,
        reason=REASON,
    )
    changed.refresh_from_db()
    assert changed.title == "A clearer title"
    assert changed.version == action.version + 1
    assert list(changed.support_agencies.all()) == [other]
    record = changed.history.order_by("-history_id").first()
    assert (record.history_user, record.history_change_reason) == (importer, REASON)
    assert [a.agency for a in record.support_agencies.all()] == [other]
    assert record.target_date == datetime.date(2016, 1, 31)


def test_changed_details_are_refused_if_the_action_changed_since_the_preview(action, importer):
    services.edit_action(action=action, by=importer, version=action.version, title="Meanwhile")
    with pytest.raises(StaleEdit):
        services.update_action_from_import(
            action=action, by=importer, version=action.version, title="From the file"
        )
    action.refresh_from_db()
    assert action.title == "Meanwhile"


def test_imported_progress_sets_the_status_and_a_note_leaves_it(action, importer):
    other = make_action(plan=action.plan)
    services.record_updates_from_import(
        updates=[
            {
                "action": action,
                "based_on": None,
                "status": Status.COMPLETED,
                "rag": Rag.GREEN,
                "narrative": "Done.",
            },
            {"action": other, "based_on": None, "status": "", "rag": "", "narrative": "Noted."},
        ],
        by=importer,
        reason=REASON,
    )
    action.refresh_from_db()
    other.refresh_from_db()
    assert (action.status, action.rag) == (Status.COMPLETED, Rag.GREEN)
    assert other.status == Status.NOT_STARTED
    for a in (action, other):
        latest = a.updates.latest_first().first()
        assert a.last_update_at == latest.created_at
        assert a.history.order_by("-history_id").first().history_change_reason == REASON


def test_imported_progress_is_refused_if_someone_reported_since_the_preview(action, importer):
    services.record_update(action=action, by=importer, narrative="Meanwhile.")
    with pytest.raises(StaleEdit):
        services.record_updates_from_import(
            updates=[
                {
                    "action": action,
                    "based_on": None,
                    "status": Status.ON_TRACK,
                    "rag": Rag.GREEN,
                    "narrative": "",
                }
            ],
            by=importer,
            reason=REASON,
        )
    assert ActionUpdate.objects.filter(action=action).count() == 1


def test_measure_texts_are_kept_added_removed_and_reordered(action, importer):
    first = make_measure(action=action, text="First")
    make_measure(action=action, text="Second")
    third = make_measure(action=action, text="Third", is_numeric=True, target=Decimal(5))
    services.set_measure_texts(action=action, texts=["Third", "First", "New"], by=importer)
    measures = list(action.measures.order_by("position"))
    assert [(m.position, m.text) for m in measures] == [(1, "Third"), (2, "First"), (3, "New")]
    assert (measures[0].pk, measures[0].target) == (third.pk, Decimal(5))
    assert measures[1].pk == first.pk
    removed = Measure.history.filter(text="Second", history_type="-").get()
    assert removed.history_user == importer


def test_a_measure_with_readings_is_not_removed(action, importer):
    measure = make_measure(action=action, text="Counted", is_numeric=True, target=Decimal(5))
    services.record_update(
        action=action,
        by=importer,
        status=Status.ON_TRACK,
        rag=Rag.GREEN,
        readings={measure: Decimal(2)},
    )
    with pytest.raises(ValidationError, match="has readings recorded"):
        services.set_measure_texts(action=action, texts=[], by=importer)
    assert action.measures.count() == 1
