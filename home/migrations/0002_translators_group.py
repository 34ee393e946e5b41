"""Creates the Translators group (see core/translator_role.py for what it may do).

The page permissions on the English tree are granted here when the English home page
exists already, and otherwise by the content loader once it has created it.
"""

from django.db import migrations

from core.translator_role import TRANSLATORS, ensure_translators_group


def create_translators_group(apps, schema_editor):
    ensure_translators_group(apps)


def remove_translators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=TRANSLATORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("topics", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_translators_group, remove_translators_group)]
