"""The "Coordinators" group: what a coordinator may do in the admin (limited there to their
own partnerships by csp_tracker.admin.PartnershipScopedAdmin)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Coordinators"
#: app label → models coordinators build plans with; progress reports they may only view.
EDITABLE = {
    "plans": [
        "partnership",
        "agency",
        "membership",
        "plan",
        "plansection",
        "priority",
        "prioritycategory",
        "categorytag",
        "emergingissue",
        "issueimpact",
        "glossaryterm",
        "contact",
        "indicator",
        "indicatorvalue",
    ],
    "actions": ["action", "measure", "reportingperiod"],
}
VIEW_ONLY = {"actions": ["actionupdate", "measurereading"]}


def forwards(apps, schema_editor):
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    wanted = []
    for app_label, models in EDITABLE.items():
        for model in models:
            for verb in ("add", "change", "delete", "view"):
                wanted.append((app_label, f"{verb}_{model}"))
    for app_label, models in VIEW_ONLY.items():
        wanted += [(app_label, f"view_{model}") for model in models]
    for app_label, codename in wanted:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_add_cross_table_triggers"),
        ("actions", "0002_add_cross_table_triggers"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
