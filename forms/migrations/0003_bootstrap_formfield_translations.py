"""Gives existing form fields the locale of their page and a translation key of their own."""

import uuid

from django.db import migrations


def bootstrap(apps, schema_editor):
    FormField = apps.get_model("forms", "FormField")
    for field in FormField.objects.select_related("page").iterator():
        field.locale_id = field.page.locale_id
        field.translation_key = uuid.uuid4()
        field.save(update_fields=["locale", "translation_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("forms", "0002_formpage_consent_retention_submissions"),
    ]

    operations = [
        migrations.RunPython(bootstrap, migrations.RunPython.noop),
    ]
