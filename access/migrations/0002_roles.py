"""Creates the roles Redakteure, Redaktionsleitung, Übersetzer and Datenschutz (access/roles.py).

Wagtail's "Editors" and "Moderators" and the former "Translators" group are renamed,
so their members keep them; the "Moderators approval" workflow gets a German name.
"""

from django.db import migrations

from access.roles import RENAMED, ensure_roles, rename_workflow


def create_roles(apps, schema_editor):
    ensure_roles(apps)
    rename_workflow(apps)


def restore_names(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for old, new in RENAMED.items():
        Group.objects.filter(name=new).update(name=old)


class Migration(migrations.Migration):
    dependencies = [
        ("wagtailadmin", "0006_formstate"),
        ("access", "0001_role"),
        ("home", "0001_initial"),
        ("topics", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(create_roles, restore_names)]
