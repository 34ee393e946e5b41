"""``python manage.py import_wordpress EXPORT.xml [--uploads DIR] [--dry-run] [--parent PAGE_ID] [--report FILE]``."""

from django.core.management.base import BaseCommand, CommandError

from wordpress_import.importer import ImportSetupError, WordPressImporter
from wordpress_import.report import Progress
from wordpress_import.wxr import WXRError


class Command(BaseCommand):
    help = (
        "Imports a WordPress export (Tools → Export, a WXR file): pages, posts, Contact Form 7 forms, "
        "media from the uploads folder, Polylang languages and redirects from every old address. "
        "Safe to run again: unchanged items are skipped, changed ones updated."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="the WXR file exported by WordPress (Tools → Export → All content)")
        parser.add_argument(
            "--uploads", metavar="DIR", help="a copy of the old site's wp-content/uploads folder (never downloaded)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="print the full plan and the report; write nothing at all"
        )
        parser.add_argument(
            "--parent",
            metavar="PAGE_ID",
            type=int,
            help="put the top-level WordPress pages and the forms folder under this page (default: the home page)",
        )
        parser.add_argument("--report", metavar="FILE", help="also write the report as JSON to FILE")
        parser.add_argument(
            "--category-map",
            metavar="FILE",
            help='JSON mapping category slugs to {"page_type": "topics.TopicPage", "parent": PAGE_ID}; '
            "posts in a mapped category become such pages instead of news articles",
        )
        parser.add_argument(
            "--force", action="store_true", help="rewrite every item, also unchanged ones and pages edited in Wagtail"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        progress = Progress(stream=self.stderr, enabled=not options["no_progress"] and options["verbosity"] > 0)
        try:
            importer = WordPressImporter(
                options["export"],
                uploads=options["uploads"],
                parent_id=options["parent"],
                dry_run=options["dry_run"],
                category_map=options["category_map"],
                force=options["force"],
                progress=progress,
            )
            report = importer.run()
        except WXRError as error:
            raise CommandError(f"{options['export']}: {error}. Nothing was imported.") from None
        except ImportSetupError as error:
            raise CommandError(f"{error}. Nothing was imported.") from None
        if options["verbosity"] > 0:
            self.stdout.write(report.render(plan=options["dry_run"] or options["verbosity"] > 1))
        if options["report"]:
            report.write_json(options["report"])
            self.stdout.write(f"Report written to {options['report']}")
        if report.failed:
            self.stderr.write(self.style.WARNING(f"{len(report.failed)} item(s) failed and were skipped; see above."))
