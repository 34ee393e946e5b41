"""Lets the roles of the access app work with registrations.

Redakteure and Redaktionsleitung see, export and manage registrations (list, CSV,
mail to participants, cancel for someone); Datenschutz sees and deletes them.
"""

from django.db import migrations

from access.roles import CHIEF_EDITORS, DATA_PROTECTION, EDITORS, get_permission

GRANTS = {
    EDITORS: ("view", "change"),
    CHIEF_EDITORS: ("view", "change"),
    DATA_PROTECTION: ("view", "delete"),
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, actions in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for action in actions:
            group.permissions.add(get_permission(apps, "registrations", "registration", f"{action}_registration"))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="registrations")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0001_initial"),
        ("access", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
