import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def joined_when_first_recorded(apps, schema_editor):
    """A membership older than this field joined when its history first records it."""
    Membership = apps.get_model("plans", "Membership")
    HistoricalMembership = apps.get_model("plans", "HistoricalMembership")
    first = dict(
        HistoricalMembership.objects.filter(history_type="+")
        .order_by("-history_date")
        .values_list("id", "history_date")
    )
    for membership in Membership.objects.filter(pk__in=list(first)):
        if membership.joined_at != first[membership.pk]:
            membership.joined_at = first[membership.pk]
            membership.save(update_fields=["joined_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0005_indicators_by_stated_period"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalmembership",
            name="joined_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, help_text="Member since."
            ),
        ),
        migrations.AddField(
            model_name="historicalmembership",
            name="version",
            field=models.PositiveIntegerField(default=1, help_text="Raised on every edit."),
        ),
        migrations.AddField(
            model_name="membership",
            name="joined_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, help_text="Member since."
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="version",
            field=models.PositiveIntegerField(default=1, help_text="Raised on every edit."),
        ),
        migrations.RunPython(joined_when_first_recorded, migrations.RunPython.noop),
    ]
