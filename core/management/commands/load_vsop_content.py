from django.core.management.base import BaseCommand, CommandError

from core.content_loader import CONTENT_DIR, ContentError, ContentLoader


class Command(BaseCommand):
    help = (
        "Builds the VSOP website from the data files in content/. Safe to run again: "
        "pages and snippets that exist are left as editors changed them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Overwrite existing pages and snippets with the content of the files and publish them.",
        )
        parser.add_argument("files", nargs="*", help=f"Data files to load (default: all *.json in {CONTENT_DIR}).")

    def handle(self, *args, files=None, update=False, **options):
        loader = ContentLoader(files=files or None, update=update, stdout=self.stdout)
        try:
            report = loader.load()
        except ContentError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"VSOP content: {report.summary()}."))
