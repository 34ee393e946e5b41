"""Brings a WordPress export into Wagtail: pages, posts, forms, media, languages, redirects.

The order of work (``WordPressImporter.run``):

1. Read the whole file once (``wxr.scan``): a hostile or broken file stops here,
   before anything is written.
2. Attachments → Wagtail images and documents (from ``--uploads``, deduplicated by
   the file's hash), so content can point at them.
3. Contact Form 7 forms → ``FormPage`` in a "Formulare" folder, so shortcodes resolve.
4. Pages, parents before children, in WordPress' menu order → ``StandardPage``.
5. Posts → ``ArticlePage`` in the news index of their language, or the page type and
   parent a category mapping names.
6. Items whose links pointed at pages not yet imported are converted once more.
7. Redirects for category and tag archives, ``?lang=`` and the feed.

Each item is written in its own transaction: a broken item is reported and skipped,
never half-written. Every item is remembered in ``WordPressItem``; a second run skips
items whose WordPress text did not change, updates those that did, and leaves alone
pages editors changed in Wagtail since (``--force`` overwrites them). A dry run does
the same work inside one transaction that is rolled back, and stores no files.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import time
import uuid
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs, unquote, urlencode, urlparse

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify

from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, PageViewRestriction, Site
from wagtail.utils.file import hash_filelike

from wordpress_import import wxr
from wordpress_import.interfaces import ContactFormSource
from wordpress_import.models import WordPressItem
from wordpress_import.report import Progress, Report

# Bump when the import's own logic changes, so a re-run rewrites what it made before.
IMPORT_FORMAT = "1"

IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "webp"}
LIVE = {"publish"}
DRAFT = {"draft", "pending", "private", "future"}
# WordPress types that are not content of their own.
IGNORED_TYPES = {
    "revision": "a revision: only the current version is imported",
    "nav_menu_item": "a menu entry: menus follow the pages' “Show in menus” setting",
    "customize_changeset": "theme customiser data",
    "oembed_cache": "WordPress' cache of embeds",
    "custom_css": "theme styles",
    "wp_global_styles": "theme styles",
    "wp_template": "a theme template",
    "wp_template_part": "a theme template",
    "wp_navigation": "a menu",
    "wp_font_family": "a font",
    "wp_font_face": "a font",
    "flamingo_contact": "Flamingo's stored contacts (personal data; not imported)",
    "flamingo_inbound": "Flamingo's stored messages (personal data; not imported)",
    "wpcf7_contact_form_submission": "stored form submissions (personal data; not imported)",
}
GERMAN_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
RESIZED_IMAGE = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")
UPLOADS_MARKER = "/wp-content/uploads/"
FOLDER_TITLES = {"de": ("Formulare", "formulare"), "en": ("Forms", "forms")}
NEWS_TITLES = {"de": ("Aktuelles", "aktuelles"), "en": ("News", "news")}


class ImportSetupError(Exception):
    """A problem with the command's arguments: reported before anything is read or written."""


def make_slug(text, fallback="seite"):
    text = unquote(text or "").translate(GERMAN_LETTERS)
    return slugify(text)[:250].strip("-") or fallback


def old_path(url):
    """The path (and query) of an old address, normalised as Wagtail's redirects store it."""
    return Redirect.normalise_path(url)


def parse_wp_date(value):
    """A WordPress date ('2020-05-12 09:30:00', local or GMT) or None ('0000-00-00 00:00:00')."""
    try:
        return datetime.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
    except (AttributeError, ValueError):
        return None


@contextmanager
def deferred_indexes(enabled=True):
    """Updates the search index and Wagtail's reference index once per object, at the end.

    Creating and publishing a page saves it three or four times, and each save would
    update both indexes (most of an import's time). The saved objects are collected and
    indexed once, after the import's transactions; a dry run indexes nothing.
    """
    from django.db.models.signals import post_save

    from modelsearch import index as search_index
    from modelsearch import signal_handlers
    from modelsearch.tasks import insert_or_update_object_task
    from wagtail.models import ReferenceIndex
    from wagtail.signal_handlers import disable_reference_index_auto_update
    from wagtail.tasks import update_reference_index_task

    searched = [m for m in search_index.get_indexed_models() if getattr(m, "search_auto_update", True)]
    searched_set, referenced = set(searched), set(ReferenceIndex.tracked_models)
    pending = {}

    def collect(sender, instance, **kwargs):
        if kwargs.get("raw", False) or instance.pk is None:
            return
        key = (instance._meta.app_label, instance._meta.model_name, str(instance.pk))
        flags = pending.setdefault(key, [False, False])
        flags[0] = flags[0] or sender in searched_set
        flags[1] = flags[1] or sender in referenced

    for model in searched:
        post_save.disconnect(signal_handlers.post_save_signal_handler, sender=model)
    post_save.connect(collect, weak=False, dispatch_uid="wordpress_import_collect")
    try:
        with disable_reference_index_auto_update():
            yield pending
    finally:
        post_save.disconnect(dispatch_uid="wordpress_import_collect")
        for model in searched:
            post_save.connect(signal_handlers.post_save_signal_handler, sender=model)
    if not enabled:
        return
    entries = list(pending.items())
    for start in range(0, len(entries), 200):  # one commit per 200 objects, not one per update
        with transaction.atomic():
            for (app_label, model_name, pk), (search, reference) in entries[start : start + 200]:
                try:
                    with transaction.atomic():
                        if search:
                            insert_or_update_object_task.enqueue(app_label, model_name, pk)
                        if reference:
                            update_reference_index_task.enqueue(app_label, model_name, pk)
                except Exception:  # noqa: S112 - an object of a failed item no longer exists
                    continue


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


class CategoryTarget:
    """Posts in a category become pages of ``model`` under ``parent`` (``--category-map``)."""

    def __init__(self, model, parent):
        self.model = model
        self.parent = parent


def load_category_map(path):
    """Reads ``{"<category slug>": {"page_type": "topics.TopicPage", "parent": <page id>}}``."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ImportSetupError(f"cannot read the category mapping {path}: {error}") from None
    if not isinstance(data, dict):
        raise ImportSetupError(f"the category mapping {path} must be a JSON object of category slug → target")
    mapping = {}
    for slug, target in data.items():
        if not isinstance(target, dict) or "page_type" not in target or "parent" not in target:
            raise ImportSetupError(f'category "{slug}": give "page_type" (app.Model) and "parent" (a page ID)')
        try:
            model = apps.get_model(target["page_type"])
        except (LookupError, ValueError):
            raise ImportSetupError(f'category "{slug}": unknown page type "{target["page_type"]}"') from None
        if not issubclass(model, Page) or not hasattr(model, "body"):
            raise ImportSetupError(f'category "{slug}": {target["page_type"]} is not a page type with a body')
        parent = Page.objects.filter(pk=target["parent"]).first()
        if parent is None:
            raise ImportSetupError(f'category "{slug}": no page with ID {target["parent"]}')
        if model not in parent.specific_class.allowed_subpage_models():
            raise ImportSetupError(
                f'category "{slug}": a {model._meta.verbose_name} cannot be created under “{parent.title}”'
            )
        mapping[slug] = CategoryTarget(model, parent)
    return mapping


class Resolver:
    """Finds what the import made of old addresses and IDs (``interfaces.Resolver``).

    Lookups of items that exist in the export but are not imported yet are noted, so
    the importer converts the asking item again at the end.
    """

    def __init__(self, importer):
        self.importer = importer
        self.index = importer.index
        self.by_id = importer.by_id
        host = urlparse(self.index.source).netloc.lower()
        self.hosts = {host, host.removeprefix("www."), "www." + host.removeprefix("www.")} - {""}
        self.by_path = {}
        self.uploads = {}
        self.cf7_hashes = {}
        for item in self.index.items:
            if item.post_type in ("page", "post"):
                for url in (item.link, item.guid):
                    path = self.local_path(url)
                    if path and "?" not in path:
                        self.by_path.setdefault(path, item.post_id)
            elif item.post_type == "attachment":
                relative = importer.upload_path(item)
                if relative:
                    self.uploads[relative] = item.post_id
            elif item.post_type == "wpcf7_contact_form" and item.meta.get("_hash"):
                self.cf7_hashes[item.post_id] = item.meta["_hash"]
        self.current = None
        self.pending = set()

    def local_path(self, url):
        """The path of an address on the old site ('' for other sites)."""
        if not url:
            return ""
        parsed = urlparse(url.strip())
        if parsed.netloc and parsed.netloc.lower() not in self.hosts:
            return ""
        path = unquote(parsed.path or "/").rstrip("/") or "/"
        if parsed.query:
            query = parse_qs(parsed.query)
            for key in ("p", "page_id", "attachment_id"):
                if key in query:
                    return f"/?{key}={query[key][0]}"
        return path

    def _record(self, wp_id):
        return self.importer.records.get(wp_id)

    def page_for_wp_id(self, post_id):
        record = self._record(post_id)
        if record and record.page_id:
            return record.page
        item = self.by_id.get(post_id)
        if item is not None and item.post_type in ("page", "post") and self.current is not None:
            self.pending.add(self.current.post_id)
        return None

    def page_for_url(self, url):
        path = self.local_path(url)
        if not path:
            return None
        if path.startswith("/?"):
            key, _, value = path[2:].partition("=")
            try:
                return self.page_for_wp_id(int(value)) if key in ("p", "page_id") else None
            except ValueError:
                return None
        wp_id = self.by_path.get(path)
        return self.page_for_wp_id(wp_id) if wp_id else None

    def _attachment_for_url(self, url, resized=False):
        parsed = urlparse(url or "")
        if parsed.netloc and parsed.netloc.lower() not in self.hosts:
            return None
        path = unquote(parsed.path)
        if UPLOADS_MARKER in path:
            relative = path.split(UPLOADS_MARKER, 1)[1]
            wp_id = self.uploads.get(relative)
            if wp_id is None and resized:
                wp_id = self.uploads.get(RESIZED_IMAGE.sub("", relative))
            return self._record(wp_id) if wp_id else None
        local = self.local_path(url)
        if local.startswith("/?attachment_id="):
            return self._record(int(local.split("=", 1)[1]) if local.split("=", 1)[1].isdigit() else 0)
        return None

    def document_for_url(self, url):
        record = self._attachment_for_url(url)
        return record.document if record and record.document_id else None

    def image_for_url(self, url):
        record = self._attachment_for_url(url, resized=True)
        return record.image if record and record.image_id else None

    def image_for_attachment_id(self, attachment_id):
        record = self._record(attachment_id)
        return record.image if record and record.image_id else None

    def form_for_cf7(self, *, post_id=None, hash_prefix=None, title=None):
        candidates = []
        if hash_prefix and len(hash_prefix) >= 7:
            candidates += [wp_id for wp_id, value in self.cf7_hashes.items() if value.startswith(hash_prefix)]
        if post_id:
            candidates.append(post_id)
        if title:
            candidates += [
                item.post_id
                for item in self.index.items
                if item.post_type == "wpcf7_contact_form" and item.title.strip() == title.strip()
            ]
        for wp_id in candidates:
            record = self._record(wp_id)
            if record and record.page_id:
                return record.page.specific
        return None


class WordPressImporter:
    def __init__(
        self,
        path,
        uploads=None,
        parent_id=None,
        dry_run=False,
        category_map=None,
        force=False,
        progress=None,
        convert_content=None,
        convert_contact_form=None,
    ):
        self.path = Path(path)
        self.uploads = Path(uploads) if uploads else None
        self.dry_run = dry_run
        self.force = force
        self.progress = progress or Progress(enabled=False)
        self.report = Report(dry_run=dry_run, file=str(self.path))
        if self.uploads is not None and not self.uploads.is_dir():
            raise ImportSetupError(
                f"--uploads {self.uploads} is not a folder (copy wp-content/uploads from the old site)"
            )
        self.parent = None
        if parent_id is not None:
            self.parent = Page.objects.filter(pk=parent_id).first()
            if self.parent is None:
                raise ImportSetupError(f"--parent {parent_id}: there is no page with this ID")
            from home.models import StandardPage

            if StandardPage not in self.parent.specific_class.allowed_subpage_models():
                raise ImportSetupError(
                    f"--parent {parent_id}: “{self.parent.title}” cannot hold standard pages; "
                    "choose the home page or a standard page"
                )
        self.category_map = load_category_map(category_map) if category_map else {}
        if convert_content is None:
            from wordpress_import.content import convert_content
        if convert_contact_form is None:
            from wordpress_import.cf7 import convert_contact_form
        self.convert_content = convert_content
        self.convert_contact_form = convert_contact_form
        self.records = {}
        self._homes = {}
        self._news_indexes = {}
        self._forms_folder = None
        self._collection = None
        self._categories = {}

    # Running

    def run(self):
        self.index = wxr.scan(self.path, progress=lambda done, total: self.progress.update("Reading", done, total))
        self.by_id = self.index.by_id()
        self.report.source = self.index.source
        self.report.comments = sum(item.comments for item in self.index.items)
        self.records = {
            record.wp_id: record
            for record in WordPressItem.objects.filter(source=self.index.source).select_related("page")
        }
        self.resolver = Resolver(self)
        steps = self.steps()
        total = sum(len(items) for _handler, _kind, items in steps)
        with deferred_indexes(enabled=not self.dry_run):
            if self.dry_run:
                with rolled_back():
                    self._run_steps(steps, total)
            else:
                self._run_steps(steps, total)
        self.report.seconds = time.monotonic() - self.report.started
        return self.report

    def steps(self):
        attachments, forms, pages, posts = [], [], [], []
        for item in self.index.items:
            kind = item.post_type
            if kind in IGNORED_TYPES:
                self.report.skip(kind, item, IGNORED_TYPES[kind])
            elif item.status in ("trash", "auto-draft"):
                self.report.skip(kind, item, f"status “{item.status}”")
            elif kind == "attachment":
                attachments.append(item)
            elif kind == "wpcf7_contact_form":
                forms.append(item)
            elif kind == "page":
                pages.append(item)
            elif kind == "post":
                posts.append(item)
            else:
                self.report.skip(kind, item, f"the type “{kind}” has no counterpart in Wagtail")
        pages.sort(key=lambda item: (self.depth(item), self.is_translation(item), item.menu_order, item.post_id))
        posts.sort(key=lambda item: (self.is_translation(item), item.post_id))
        return [
            (self.import_attachment, "attachment", attachments),
            (self.import_form, "form", forms),
            (self.import_page, "page", pages),
            (self.import_post, "post", posts),
        ]

    def _run_steps(self, steps, total):
        done = 0
        for handler, kind, items in steps:
            for item in items:
                self.process(handler, kind, item)
                done += 1
                self.progress.update("Importing", done, total, " items")
        pending = sorted(self.resolver.pending)
        self.resolver.pending = set()
        for wp_id in pending:
            self.process(self.reconvert, self.by_id[wp_id].post_type, self.by_id[wp_id])
        self.process_global(self.archive_redirects)

    def process(self, handler, kind, item):
        self.resolver.current = item
        record = self.records.get(item.post_id)
        try:
            with transaction.atomic():
                handler(item)
        except Exception as error:
            # Its transaction was rolled back: forget what it created, also in the caches.
            if record is None:
                self.records.pop(item.post_id, None)
            else:
                self.records[item.post_id] = record
                record.refresh_from_db()
            self.forget_cached_pages()
            self.report.fail(kind, item, f"{type(error).__name__}: {error}")
        finally:
            self.resolver.current = None

    def forget_cached_pages(self):
        self._homes, self._news_indexes, self._categories = {}, {}, {}
        self._forms_folder = self._collection = None

    def process_global(self, handler):
        try:
            with transaction.atomic():
                handler()
        except Exception as error:
            self.report.issue("redirect", None, f"archive redirects not created: {error}")

    # Tree helpers

    def depth(self, item):
        depth, seen = 0, set()
        while item.parent and item.parent in self.by_id and item.parent not in seen:
            seen.add(item.post_id)
            item = self.by_id[item.parent]
            depth += 1
        return depth

    def is_translation(self, item):
        """Sort key: the default language's version first, so its translations can follow it."""
        return item.language not in ("", settings.LANGUAGE_CODE)

    def locale_for(self, item):
        code = (item.language or settings.LANGUAGE_CODE).lower()
        languages = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
        if code not in languages:
            code = code.split("-")[0].split("_")[0]
        if code not in languages:
            raise ValueError(
                f"the language “{item.language}” is not one of the site's languages ({sorted(languages)})"
            )
        return Locale.objects.get_or_create(language_code=code)[0]

    def home_for(self, locale):
        if locale.pk in self._homes:
            return self._homes[locale.pk]
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            raise ValueError("there is no default site with a home page to import into")
        root = site.root_page.specific
        home = root if root.locale_id == locale.pk else root.get_translation_or_none(locale)
        if home is None:
            home = root.copy_for_translation(locale)
            home.save_revision().publish()
            self.report.count("home page", "created")
        self._homes[locale.pk] = home
        return home

    def pages_root_for(self, locale):
        """Where top-level WordPress pages go: --parent (in this language) or the home page."""
        if self.parent is None:
            return self.home_for(locale)
        if self.parent.locale_id == locale.pk:
            return self.parent
        return self.parent.get_translation_or_none(locale) or self.home_for(locale)

    def news_index_for(self, locale):
        from news.models import NewsIndexPage

        if locale.pk in self._news_indexes:
            return self._news_indexes[locale.pk]
        home = self.home_for(locale)
        index = NewsIndexPage.objects.child_of(home).first()
        if index is None:
            default_home = self.home_for(Locale.get_default())
            source = NewsIndexPage.objects.child_of(default_home).first() if default_home.pk != home.pk else None
            title, slug = NEWS_TITLES.get(locale.language_code, NEWS_TITLES["de"])
            index = NewsIndexPage(title=title, slug=self.unique_slug(home, slug), locale=locale)
            if source is not None:
                index.translation_key = source.translation_key  # the translation of the German index
            home.add_child(instance=index)
            index.save_revision().publish()
            self.report.count("news index", "created")
        self._news_indexes[locale.pk] = index
        return index

    def forms_folder(self):
        """A draft "Formulare" page holding the converted forms (under --parent or the home page)."""
        if self._forms_folder is not None:
            return self._forms_folder
        from home.models import StandardPage

        locale = Locale.get_default()
        root = self.pages_root_for(locale)
        title, slug = FOLDER_TITLES.get(locale.language_code, FOLDER_TITLES["de"])
        folder = StandardPage.objects.child_of(root).filter(slug=slug).first()
        if folder is None:
            folder = StandardPage(
                title=title,
                slug=slug,
                locale=locale,
                live=False,
                intro="Formulare der alten Website, aus Contact Form 7 übernommen.",
            )
            root.add_child(instance=folder)
            folder.save_revision()
            self.report.count("forms folder", "created")
        self._forms_folder = folder
        return folder

    def unique_slug(self, parent, slug, exclude=None):
        siblings = Page.objects.child_of(parent)
        if exclude is not None:
            siblings = siblings.exclude(pk=exclude.pk)
        taken = set(siblings.filter(slug__startswith=slug).values_list("slug", flat=True))
        if slug not in taken:
            return slug
        n = 2
        while f"{slug}-{n}" in taken:
            n += 1
        return f"{slug}-{n}"

    # Items

    def digest(self, item):
        with open(self.path, "rb") as handle:
            handle.seek(item.start)
            data = handle.read(item.end - item.start)
        return hashlib.sha256(IMPORT_FORMAT.encode() + data).hexdigest()

    def existing(self, item, digest):
        """(record, outcome): 'unchanged' items are not touched, 'edited' ones not without --force."""
        record = self.records.get(item.post_id)
        if record is None:
            return None, "create"
        target = record.page_id or record.image_id or record.document_id
        if not target:
            return record, "create"
        if record.digest == digest and not self.force:
            return record, "unchanged"
        if record.page_id and record.revision_id and not self.force:
            latest = Page.objects.filter(pk=record.page_id).values_list("latest_revision_id", flat=True).first()
            if latest and latest != record.revision_id:
                return record, "edited"
        return record, "update"

    def remember(self, item, digest, **targets):
        record = self.records.get(item.post_id) or WordPressItem(source=self.index.source, wp_id=item.post_id)
        record.post_type = item.post_type
        record.title = item.title[:255]
        record.old_url = item.link[:500]
        record.digest = digest
        for name, value in targets.items():
            setattr(record, name, value)
        if record.page_id:
            record.revision_id = Page.objects.filter(pk=record.page_id).values_list("latest_revision_id", flat=True)[0]
        record.save()
        self.records[item.post_id] = record
        return record

    def upload_path(self, item):
        relative = item.meta.get("_wp_attached_file", "").strip()
        if not relative and UPLOADS_MARKER in item.attachment_url:
            relative = unquote(urlparse(item.attachment_url).path.split(UPLOADS_MARKER, 1)[1])
        return relative.lstrip("/")

    def import_attachment(self, item):
        digest = self.digest(item)
        record, outcome = self.existing(item, digest)
        if outcome == "unchanged":
            self.report.count("attachment", "unchanged")
            return
        relative = self.upload_path(item)
        if not relative:
            self.report.skip("attachment", item, "no file address in the export")
            return
        if self.uploads is None:
            self.report.issue("missing_media", item, f"{relative}: not imported (no --uploads folder given)")
            self.report.skip("attachment", item, "no --uploads folder given")
            return
        file_path = (self.uploads / relative).resolve()
        if self.uploads.resolve() not in file_path.parents or not file_path.is_file():
            self.report.issue("missing_media", item, f"{relative}: not found in {self.uploads}")
            self.report.skip("attachment", item, f"file missing: {relative}")
            return
        extension = file_path.suffix.lower().lstrip(".")
        is_image = extension in IMAGE_EXTENSIONS
        if not is_image and extension not in settings.WAGTAILDOCS_EXTENSIONS:
            self.report.issue("media", item, f"{relative}: the file type .{extension} is not allowed for documents")
            self.report.skip("attachment", item, f"file type .{extension} not allowed")
            return
        model = get_image_model() if is_image else get_document_model()
        with open(file_path, "rb") as handle:
            file_hash = hash_filelike(handle)
        title = item.title or PurePosixPath(relative).stem
        obj = model.objects.filter(file_hash=file_hash).first()
        created = obj is None
        if obj is None:
            obj = model(title=title[:255], collection=self.collection())
            if is_image:
                obj.description = item.meta.get("_wp_attachment_image_alt", "")[:255]
            if not self.dry_run:
                with open(file_path, "rb") as handle:
                    obj.file.save(PurePosixPath(relative).name, File(handle), save=False)
                obj.file_hash = file_hash
                if is_image:
                    obj.file_size = file_path.stat().st_size
                obj.save()
        if obj.pk is None:  # dry run: nothing stored
            outcome = "create" if outcome == "create" else outcome
        else:
            targets = {"image": obj} if is_image else {"document": obj}
            self.remember(item, digest, **targets)
            new_url = obj.file.url if is_image else obj.url
            for url in dict.fromkeys((item.attachment_url, item.link, item.guid)):
                self.redirect(url, link=new_url)
        self.report.count("attachment", "created" if outcome == "create" else "updated")
        if not created and outcome == "create":
            self.report.issue("duplicate", item, f"{relative} is the same file as “{obj.title}”; reused it")
        self.report.add_plan(outcome, "attachment", item, relative)

    def collection(self):
        if self._collection is None:
            root = Collection.get_first_root_node()
            self._collection = root.get_children().filter(name="WordPress").first()
            if self._collection is None:
                self._collection = root.add_child(name="WordPress")
        return self._collection

    def import_form(self, item):
        from forms.models import FormField, FormPage

        digest = self.digest(item)
        record, outcome = self.existing(item, digest)
        if outcome in ("unchanged", "edited"):
            self.skip_existing("form", item, outcome)
            return
        full = self.index.load(item)
        source = ContactFormSource(
            post_id=item.post_id,
            title=item.title,
            form=full.meta.get("_form", ""),
            mail=full.meta.get("_mail"),
            mail_2=full.meta.get("_mail_2"),
            messages=full.meta.get("_messages"),
            additional_settings=full.meta.get("_additional_settings", ""),
            hash=full.meta.get("_hash", ""),
            locale=full.meta.get("_locale", ""),
        )
        spec = self.convert_contact_form(source)
        for issue in spec.issues:
            self.report.issue(issue.kind, item, issue.detail)
        page_fields = {name: value for name, value in spec.page_fields.items() if hasattr(FormPage, name)}
        page_fields["title"] = (page_fields.get("title") or item.title or f"Formular {item.post_id}")[:255]
        folder = self.forms_folder()
        if outcome == "update":
            page = record.page.specific
            for name, value in page_fields.items():
                setattr(page, name, value)
        else:
            page = FormPage(locale=folder.locale, **page_fields)
            page.slug = self.unique_slug(folder, make_slug(item.slug or item.title, "formular"))
        page.form_fields = [
            FormField(sort_order=order, locale=folder.locale, **field) for order, field in enumerate(spec.fields)
        ]
        if outcome != "update":
            folder.add_child(instance=page)
        revision = page.save_revision()
        revision.publish()
        self.remember(item, digest, page=page)
        self.report.count("form", "created" if outcome == "create" else "updated")
        self.report.add_plan(outcome, "form", item, f"{folder.title} / {page.title}")

    def skip_existing(self, kind, item, outcome):
        if outcome == "unchanged":
            self.report.count(kind, "unchanged")
            self.report.add_plan("unchanged", kind, item)
        else:
            self.report.count(kind, "skipped")
            self.report.skipped.append(
                {
                    "type": kind,
                    "wp_id": item.post_id,
                    "title": item.title,
                    "reason": "changed in Wagtail since the last import; left alone (--force overwrites)",
                }
            )
            self.report.add_plan("keep", kind, item, "edited in Wagtail")

    def import_page(self, item):
        from home.models import StandardPage

        locale = self.locale_for(item)
        parent = self.parent_for_page(item, locale)
        self.import_content_page(item, "page", StandardPage, parent, locale)

    def parent_for_page(self, item, locale):
        if item.parent:
            record = self.records.get(item.parent)
            if record and record.page_id:
                parent = Page.objects.get(pk=record.page_id)  # fresh tree fields (numchild) for add_child
                if parent.locale_id != locale.pk:
                    parent = parent.get_translation_or_none(locale) or self.pages_root_for(locale)
                return parent
            if item.parent in self.by_id:
                self.report.issue(
                    "hierarchy", item, f"its WordPress parent #{item.parent} was not imported; placed at the top"
                )
        return self.pages_root_for(locale)

    def import_post(self, item):
        from news.models import ArticlePage

        locale = self.locale_for(item)
        for slug, _name in item.terms("category"):
            target = self.category_map.get(slug)
            if target is not None:
                parent = target.parent
                if parent.locale_id != locale.pk:
                    parent = parent.get_translation_or_none(locale) or parent
                self.import_content_page(item, "post", target.model, parent, locale)
                return
        self.import_content_page(item, "post", ArticlePage, self.news_index_for(locale), locale)

    def import_content_page(self, item, kind, model, parent, locale):
        digest = self.digest(item)
        record, outcome = self.existing(item, digest)
        if outcome in ("unchanged", "edited"):
            self.skip_existing(kind, item, outcome)
            return
        full = self.index.load(item)
        converted = self.convert_content(full.content, self.resolver)
        page = record.page.specific if outcome == "update" else None
        if page is not None and not isinstance(page, model):
            raise ValueError(f"it was imported as a {page.specific_class.__name__} before, now it would be a {model}")
        if page is None:
            page = model(locale=locale, live=False)
            key = self.translation_key(item)
            if key and not Page.objects.filter(translation_key=key, locale=locale).exists():
                page.translation_key = key
            elif key:
                self.report.issue("language", item, "its translation group already has a page in this language")
        self.fill_page(page, item, full, converted)
        if outcome == "update":
            if page.get_parent().pk != parent.pk:
                page.slug = self.unique_slug(parent, page.slug, exclude=page)
                page.move(parent, pos="last-child")
            else:
                page.slug = self.unique_slug(parent, page.slug, exclude=page)
        else:
            page.slug = self.unique_slug(parent, page.slug)
            parent.add_child(instance=page)
        self.apply_status(page, item)
        self.remember(item, digest, page=page)
        self.report.replace_issues(item, converted.issues, where=page.url or page.url_path)
        for url in (item.link, item.guid):
            self.redirect(url, page=page)
        for key in ("p", "page_id"):
            self.redirect(f"/?{key}={item.post_id}", page=page)
            if item.language:
                self.redirect(f"/?{key}={item.post_id}&lang={item.language}", page=page)
        self.report.count(kind, "created" if outcome == "create" else "updated")
        self.report.add_plan(outcome, kind, item, page.url_path)

    def reconvert(self, item):
        """Converts an item again once the pages its links pointed at exist."""
        record = self.records.get(item.post_id)
        if record is None or not record.page_id:
            return
        page = Page.objects.get(pk=record.page_id).specific  # fresh: publishing made a new instance live
        full = self.index.load(item)
        converted = self.convert_content(full.content, self.resolver)
        page.body = converted.blocks
        revision = page.save_revision()
        if page.live:
            revision.publish()
        record.revision_id = revision.pk
        record.save(update_fields=["revision_id", "updated_at"])
        self.report.replace_issues(item, converted.issues, where=page.url or page.url_path)

    def translation_key(self, item):
        """Polylang translations share one Wagtail translation key."""
        group = item.translation_group
        if not group:
            return None
        for other in self.index.items:
            if other.translation_group == group and other.post_id != item.post_id:
                record = self.records.get(other.post_id)
                if record and record.page_id:
                    return record.page.translation_key
        return uuid.uuid5(uuid.NAMESPACE_URL, f"{self.index.source}#{group}")

    def fill_page(self, page, item, full, converted):
        page.title = (item.title or f"(ohne Titel) #{item.post_id}")[:255]
        page.slug = make_slug(item.decoded_slug or item.title, f"seite-{item.post_id}")
        excerpt = " ".join(strip_tags(full.excerpt or "").split())
        if hasattr(page, "intro"):
            page.intro = excerpt
        page.search_description = (excerpt or converted.excerpt_text)[:300]
        page.body = converted.blocks
        date = parse_wp_date(item.date)
        if date and hasattr(page, "date"):
            page.date = date.date()
        if hasattr(page, "author_name"):
            page.author_name = self.index.authors.get(item.creator, item.creator)[:200]
        if hasattr(page, "categories") and page.__class__.__name__ == "ArticlePage":
            page.categories = [self.category(slug, name, page.locale) for slug, name in item.terms("category")]
            page.tags.set([name for _slug, name in item.terms("post_tag")][:50])
        published = parse_wp_date(item.date_gmt)
        if published and item.status in LIVE:
            page.first_published_at = timezone.make_aware(published, datetime.UTC)

    def category(self, slug, name, locale):
        from news.models import NewsCategory

        key = (slug, locale.pk)
        if key not in self._categories:
            category, created = NewsCategory.objects.get_or_create(
                slug=make_slug(slug, "kategorie")[:100], locale=locale, defaults={"name": (name or slug)[:100]}
            )
            if created:
                self.report.count("category", "created")
            self._categories[key] = category
        return self._categories[key]

    def apply_status(self, page, item):
        status = item.status
        if status == "future":
            moment = parse_wp_date(item.date_gmt)
            page.go_live_at = timezone.make_aware(moment, datetime.UTC) if moment else None
        if status == "publish" or (status == "future" and page.go_live_at and page.go_live_at > timezone.now()):
            revision = page.save_revision()
            revision.publish()
        else:
            if page.live:
                page.unpublish()
            page.save_revision()
            if status in ("private", "pending"):
                self.report.issue(
                    "status", item, f"was “{status}” in WordPress; imported as a draft to review", page.url_path
                )
        restrictions = PageViewRestriction.objects.filter(page=page, restriction_type=PageViewRestriction.PASSWORD)
        if item.password:
            if not restrictions.exists():
                PageViewRestriction.objects.create(
                    page=page, restriction_type=PageViewRestriction.PASSWORD, password=item.password
                )
                self.report.issue("status", item, "password-protected in WordPress; the same password protects it")
        else:
            restrictions.delete()

    # Redirects

    def redirect(self, url, page=None, link=""):
        """A permanent redirect from an old address on the old site to ``page`` or ``link``."""
        if not url:
            return
        parsed = urlparse(url.strip())
        if parsed.netloc and parsed.netloc.lower() not in self.resolver.hosts:
            return
        path = old_path(url)
        if path in ("", "/") or len(path) > 255:
            if len(path) > 255:
                self.report.issue("redirect", None, f"old address longer than 255 characters not redirected: {path}")
            return
        if page is not None and old_path(page.url or "") == path:
            return  # the new page answers at the old address itself
        wanted = {"redirect_page_id": page.pk if page else None, "redirect_link": "" if page else link}
        existing = Redirect.objects.filter(old_path=path, site=None).first()
        if existing is None:
            Redirect.objects.create(old_path=path, site=None, is_permanent=True, **wanted)
            self.report.redirects["created"] += 1
        elif any(getattr(existing, name) != value for name, value in wanted.items()) or not existing.is_permanent:
            for name, value in wanted.items():
                setattr(existing, name, value)
            existing.is_permanent = True
            existing.save()
            self.report.redirects["updated"] += 1
        else:
            self.report.redirects["already there"] += 1

    def archive_redirects(self):
        """Category, tag and language archives, and the feed, to the news index (or a mapped parent)."""
        terms = {(term.taxonomy, term.slug): term for term in self.index.terms}
        used = {}
        for item in self.index.items:
            if item.post_type != "post" or item.post_id not in self.records:
                continue
            locale_code = item.language or settings.LANGUAGE_CODE
            for domain in ("category", "post_tag"):
                for slug, _name in item.terms(domain):
                    used.setdefault((domain, slug), locale_code)
        for (domain, slug), language in used.items():
            locale = Locale.objects.filter(language_code=language).first() or Locale.get_default()
            term = terms.get((domain, slug))
            if domain == "category" and slug in self.category_map:
                target_page = self.category_map[slug].parent
                self.redirect(f"/category/{self.category_path(slug, terms)}/", page=target_page)
                continue
            index = self.news_index_for(locale)
            if domain == "category":
                target = f"{index.url}?{urlencode({'category': make_slug(slug, 'kategorie')})}"
                self.redirect(f"/category/{self.category_path(slug, terms)}/", link=target)
                if term and term.term_id:
                    self.redirect(f"/?cat={term.term_id}", link=target)
            else:
                target = f"{index.url}?{urlencode({'tag': slugify(slug)})}"
                self.redirect(f"/tag/{slug}/", link=target)
                self.redirect(f"/?tag={slug}", link=target)
        if self.records:
            for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
                locale = Locale.objects.filter(language_code=code).first()
                if locale and (home := self.home_for(locale)):
                    self.redirect(f"/?lang={code}", page=home)
            if any(item.post_type == "post" for item in self.index.items):
                index = self.news_index_for(Locale.get_default())
                self.redirect("/feed/", link=f"{index.url}feed/rss/")

    def category_path(self, slug, terms):
        """WordPress' archive path of a category: parents first (/category/eltern/kind/)."""
        parts, seen = [slug], {slug}
        term = terms.get(("category", slug))
        while term is not None and term.parent and term.parent not in seen:
            parts.insert(0, term.parent)
            seen.add(term.parent)
            term = terms.get(("category", term.parent))
        return "/".join(parts)
