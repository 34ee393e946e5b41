"""Lets the roles of the access app work with registrations.

Redakteure and Redaktionsleitung see, export and manage registrations (list, CSV,
mail to participants, cancel for someone); Datenschutz sees and deletes them.
"""

from django.db import migrations

# Frozen here (not imported from access.roles) so the migration keeps meaning what it meant.
GRANTS = {
    "Redakteure": ("view", "change"),
    "Redaktionsleitung": ("view", "change"),
    "Datenschutz": ("view", "delete"),
}


def get_permission(apps, app_label, model, codename):
    """The permission, created when its content type exists but post_migrate has not run yet."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ").capitalize()}
    )
    return permission


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
        ("registrations", "0002_initial"),
        ("access", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
