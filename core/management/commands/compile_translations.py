from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand

import polib


class Command(BaseCommand):
    help = (
        "Compiles the interface translations (locale/ and each project app's locale/) to .mo files. "
        "Does what `compilemessages` does without needing GNU gettext on the machine."
    )

    def handle(self, *args, **options):
        compiled = 0
        project_apps = [
            Path(config.path) / "locale"
            for config in apps.get_app_configs()
            if Path(config.path).parent == Path(settings.BASE_DIR)
        ]
        for locale_path in [*settings.LOCALE_PATHS, *project_apps]:
            for po_path in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                compiled += 1
        self.stdout.write(f"Interface translations: {compiled} catalogue(s) compiled.")
