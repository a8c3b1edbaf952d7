import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0006_add_membership_version_and_joined_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="approved",
            field=models.BooleanField(
                default=True,
                help_text="On the shared list for every partnership. A proposed agency waits for a site administrator to approve it or merge it into one already there.",
            ),
        ),
        migrations.AddField(
            model_name="agency",
            name="proposed_by",
            field=models.ForeignKey(
                blank=True,
                help_text="The partnership whose coordinator proposed it for the shared list.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="proposed_agencies",
                to="plans.partnership",
            ),
        ),
        migrations.AddField(
            model_name="historicalagency",
            name="approved",
            field=models.BooleanField(
                default=True,
                help_text="On the shared list for every partnership. A proposed agency waits for a site administrator to approve it or merge it into one already there.",
            ),
        ),
        migrations.AddField(
            model_name="historicalagency",
            name="proposed_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The partnership whose coordinator proposed it for the shared list.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="plans.partnership",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalPartnershipAgency",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("added_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "added_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="Blank where the partnership's records already named the agency.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "agency",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="plans.agency",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "partnership",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="plans.partnership",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical partnership's agency",
                "verbose_name_plural": "historical partnerships' agencies",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="PartnershipAgency",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("added_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "added_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="Blank where the partnership's records already named the agency.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="agencies_added",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="partnership_links",
                        to="plans.agency",
                    ),
                ),
                (
                    "partnership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="agency_links",
                        to="plans.partnership",
                    ),
                ),
            ],
            options={
                "verbose_name": "partnership's agency",
                "verbose_name_plural": "partnerships' agencies",
                "ordering": ["partnership", "agency__name"],
            },
        ),
        migrations.AddField(
            model_name="partnership",
            name="agencies",
            field=models.ManyToManyField(
                blank=True,
                related_name="partnerships",
                through="plans.PartnershipAgency",
                to="plans.agency",
            ),
        ),
        migrations.AddConstraint(
            model_name="partnershipagency",
            constraint=models.UniqueConstraint(
                fields=("partnership", "agency"), name="partnershipagency_once"
            ),
        ),
    ]
