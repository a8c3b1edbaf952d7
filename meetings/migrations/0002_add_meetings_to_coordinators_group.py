"""Coordinators record their partnership's meetings in the admin too (limited there to their
own partnerships by csp_tracker.admin.PartnershipScopedAdmin)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Coordinators"
EDITABLE = [
    "body",
    "minutenumbering",
    "meeting",
    "person",
    "attendance",
    "agendaitem",
    "minute",
    "declaration",
    "meetingaction",
]
VERBS = ("add", "change", "delete", "view")


def forwards(apps, schema_editor):
    config = apps.get_app_config("meetings")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for model in EDITABLE:
        for verb in VERBS:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label="meetings", codename=f"{verb}_{model}"
                )
            )


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="meetings"))


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("plans", "0003_add_coordinators_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
