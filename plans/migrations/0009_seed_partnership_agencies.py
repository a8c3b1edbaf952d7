"""Each partnership's list of agencies starts with those its records already name: its plans'
action leads and supporters, priority leads and progress updates, and its members' agencies.
Re-runnable: an agency already on the list is left as it is."""

from django.db import migrations


def named_by_records(apps) -> set[tuple[int, int]]:
    """(partnership id, agency id) for every agency the partnerships' records name."""
    Action = apps.get_model("actions", "Action")
    ActionUpdate = apps.get_model("actions", "ActionUpdate")
    Priority = apps.get_model("plans", "Priority")
    Membership = apps.get_model("plans", "Membership")
    pairs = set()
    pairs |= set(
        Action.objects.filter(lead_agency__isnull=False).values_list(
            "plan__partnership_id", "lead_agency_id"
        )
    )
    pairs |= set(
        Action.support_agencies.through.objects.values_list(
            "action__plan__partnership_id", "agency_id"
        )
    )
    pairs |= set(
        ActionUpdate.objects.filter(agency__isnull=False).values_list(
            "action__plan__partnership_id", "agency_id"
        )
    )
    pairs |= set(
        Priority.objects.filter(lead_agency__isnull=False).values_list(
            "plan__partnership_id", "lead_agency_id"
        )
    )
    pairs |= set(
        Membership.objects.filter(agency__isnull=False).values_list("partnership_id", "agency_id")
    )
    return pairs


REASON = "Named by the partnership's records"


def forwards(apps, schema_editor):
    PartnershipAgency = apps.get_model("plans", "PartnershipAgency")
    HistoricalPartnershipAgency = apps.get_model("plans", "HistoricalPartnershipAgency")
    listed = set(PartnershipAgency.objects.values_list("partnership_id", "agency_id"))
    for partnership_id, agency_id in sorted(named_by_records(apps) - listed):
        link = PartnershipAgency.objects.create(partnership_id=partnership_id, agency_id=agency_id)
        # A migration's models record no history of themselves; the app's models do, when
        # this runs with them (as its test does): then their row is given the reason.
        recorded = HistoricalPartnershipAgency.objects.filter(
            id=link.pk, history_type="+", history_date__gte=link.added_at
        )
        if recorded.exists():
            recorded.update(history_change_reason=REASON)
            continue
        HistoricalPartnershipAgency.objects.create(
            id=link.pk,
            partnership_id=partnership_id,
            agency_id=agency_id,
            added_at=link.added_at,
            history_date=link.added_at,
            history_type="+",
            history_change_reason=REASON,
        )


def backwards(apps, schema_editor):
    """Take off the lists what this migration put there (no one added those)."""
    apps.get_model("plans", "PartnershipAgency").objects.filter(added_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0008_add_invitations"),
        ("actions", "0002_add_cross_table_triggers"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
