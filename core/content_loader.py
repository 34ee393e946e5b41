"""Builds the site from the JSON data files in ``content/``.

The files are read in name order (``10-site.json``, ``20-forms.json``, …). Each may hold:

``snippets``
    ``{"key", "model", "fields", "lookup"}``: a snippet in the default language, found
    again by the ``lookup`` fields (default ``["name"]``) so a second run changes nothing.
``pages``
    A tree of ``{"key", "model", "slug", "title", "fields", "children", "live",
    "show_in_menus", "site_root", "parent"}``. ``parent`` names the key of a page loaded
    before (another file's page); without it, the page hangs under its enclosing entry,
    or under the tree root. A page is found again by its slug under its parent.
``settings``
    Per-language models with one row per locale (the site settings), found by locale.

Field values are stored as given: text and HTML as strings, StreamFields as lists of
``{"type", "value"}``, inline children (authors, partners, form fields) as lists of
dicts. ``{"ref": "key"}`` anywhere in a value points at another entry: it becomes the
object for a foreign key and its primary key inside a StreamField.

Existing pages and snippets are left as they are (editors may have changed them),
unless ``update=True``, which writes the file's fields over them and publishes.

After the German content, ``core.translations_loader`` creates the other languages as
wagtail-localize translations from ``content/translations/<language>.po``.
"""

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import ForeignKey

from modelcluster.models import get_all_child_relations
from wagtail import blocks as wagtail_blocks
from wagtail.fields import StreamField
from wagtail.models import Locale, Orderable, Page, Site

from core.translations_loader import TranslationLoader
from core.upstream import list_item_is_in_block_format

CONTENT_DIR = Path(settings.BASE_DIR) / "content"
WAGTAIL_WELCOME_TITLE = "Welcome to your new Wagtail site!"


class ContentError(Exception):
    """The data file asks for something that cannot be built; the message says what."""


class UnresolvedRef(Exception):
    pass


@dataclass
class LoadReport:
    created: list = field(default_factory=list)
    existing: list = field(default_factory=list)
    updated: list = field(default_factory=list)

    def summary(self):
        return f"{len(self.created)} created, {len(self.updated)} updated, {len(self.existing)} already there"


def public_address():
    """Host name and port of ``WAGTAILADMIN_BASE_URL`` (e.g. https://www.vsop.de → www.vsop.de, 443)."""
    url = urlsplit(settings.WAGTAILADMIN_BASE_URL or "http://localhost")
    return url.hostname or "localhost", url.port or (443 if url.scheme == "https" else 80)


class ContentLoader:
    def __init__(self, files=None, update=False, stdout=None):
        self.files = files if files is not None else sorted(CONTENT_DIR.glob("*.json"))
        self.update = update
        self.stdout = stdout
        self.objects = {}  # key -> model instance
        self.pending = []  # (page, fields, live) whose refs name pages created later
        self.report = LoadReport()

    def log(self, message):
        if self.stdout is not None:
            self.stdout.write(message)

    # Entry point

    @transaction.atomic
    def load(self):
        for code, _name in settings.LANGUAGES:
            Locale.objects.get_or_create(language_code=code)
        self.locale = Locale.get_default()
        data = [self.read(path) for path in self.files]
        for document in data:
            for entry in document.get("snippets", []):
                self.load_snippet(entry)
        for document in data:
            for entry in document.get("pages", []):
                parent = self.objects[f"page:{entry['parent']}"] if entry.get("parent") else None
                self.load_page(entry, parent)
        for page, fields, live in self.pending:
            self.apply_fields(page, fields)
            self.save_page(page, live)
        for document in data:
            for entry in document.get("settings", []):
                self.load_settings(entry)
        # The other languages, as wagtail-localize translations of what was just loaded.
        TranslationLoader(self.objects, update=self.update, stdout=self.stdout).load(self.report)
        return self.report

    def read(self, path):
        try:
            return json.loads(Path(path).read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise ContentError(f"{path}: not valid JSON ({error})") from error

    def model(self, label):
        try:
            return apps.get_model(label)
        except (LookupError, ValueError) as error:
            raise ContentError(f"Unknown model {label!r} in the content files") from error

    # Snippets and settings

    def load_snippet(self, entry):
        model = self.model(entry["model"])
        lookup = {name: entry["fields"][name] for name in entry.get("lookup", ["name"])}
        instance = model.objects.filter(locale=self.locale, **lookup).first()
        if instance is None:
            instance = model(locale=self.locale)
            self.apply_fields(instance, entry["fields"])
            instance.save()
            self.report.created.append(entry["key"])
        elif self.update:
            self.apply_fields(instance, entry["fields"])
            instance.save()
            self.report.updated.append(entry["key"])
        else:
            self.report.existing.append(entry["key"])
        self.objects[entry["key"]] = instance

    def load_settings(self, entry):
        model = self.model(entry["model"])
        instance = model.objects.filter(locale=self.locale).first()
        if instance is None or self.update:
            created = instance is None
            instance = instance or model(locale=self.locale)
            self.apply_fields(instance, entry["fields"])
            instance.save()
            (self.report.created if created else self.report.updated).append(entry["key"])
        else:
            self.report.existing.append(entry["key"])
        self.objects[entry["key"]] = instance

    # Pages

    def load_page(self, entry, parent):
        model = self.model(entry["model"])
        key = f"page:{entry['key']}"
        if parent is None:
            parent = Page.get_first_root_node()
            if entry.get("site_root"):
                self.remove_wagtail_welcome_page(parent)
        page = parent.get_children().filter(slug=entry["slug"], locale=self.locale).first()
        if page is not None and self.replaceable(page, entry):
            page = None
        live = entry.get("live", True)
        if page is None:
            page = model(
                title=entry["title"],
                slug=entry["slug"],
                locale=self.locale,
                live=live,
                show_in_menus=entry.get("show_in_menus", False),
            )
            deferred = self.apply_fields(page, entry.get("fields", {}), allow_pending=True)
            parent.add_child(instance=page)
            if deferred:
                self.pending.append((page, deferred, live))
            else:
                self.save_page(page, live)
            self.report.created.append(key)
        else:
            page = page.specific
            if not isinstance(page, model):
                raise ContentError(
                    f"{page.url_path} is a {type(page).__name__}, the content files expect a {model.__name__}."
                )
            if self.update:
                page.title = entry["title"]
                page.show_in_menus = entry.get("show_in_menus", False)
                deferred = self.apply_fields(page, entry.get("fields", {}), allow_pending=True)
                if deferred:
                    self.pending.append((page, deferred, live))
                else:
                    self.save_page(page, live)
                self.report.updated.append(key)
            else:
                self.report.existing.append(key)
        self.objects[key] = page
        if entry.get("site_root"):
            self.make_site_root(page)
        for child in entry.get("children", []):
            self.load_page(child, page)
        return page

    def replaceable(self, page, entry):
        """Deletes a never-published page of the type the entry ``replaces`` (and its translations).

        ``"replaces": "home.StandardPage"`` lets a new page type take over a slug from an
        empty draft an earlier version of the files created (the legal pages).
        """
        replaces = entry.get("replaces")
        if not replaces or page.first_published_at is not None:
            return False
        if page.specific_class is not self.model(replaces):
            return False
        for translation in page.get_translations():
            translation.delete()
        page.delete()
        self.log(f"Replaced the unpublished {replaces} draft {entry['slug']!r} by a {entry['model']}.")
        return True

    def save_page(self, page, live):
        revision = page.save_revision(log_action=True)
        if live:
            revision.publish()

    def make_site_root(self, page):
        site = Site.objects.filter(is_default_site=True).first()
        hostname, port = public_address()
        if site is None:
            Site.objects.create(
                hostname=hostname,
                port=port,
                root_page=page,
                is_default_site=True,
                site_name=settings.WAGTAIL_SITE_NAME,
            )
            return
        if site.hostname == "localhost" and site.port == 80:
            # Wagtail's migrations create the site as localhost:80; links in e-mails and .ics
            # files need the configured public address (WAGTAILADMIN_BASE_URL) instead.
            site.hostname, site.port = hostname, port
        if site.root_page_id != page.pk:
            site.root_page = page
            site.site_name = site.site_name or settings.WAGTAIL_SITE_NAME
        site.save()

    def remove_wagtail_welcome_page(self, root):
        """Deletes the placeholder page a fresh Wagtail database starts with, if untouched."""
        for child in root.get_children().filter(content_type__model="page", content_type__app_label="wagtailcore"):
            if child.title == WAGTAIL_WELCOME_TITLE and child.numchild == 0:
                Site.objects.filter(root_page=child).update(root_page=root)
                child.delete()
                self.log("Removed Wagtail's welcome page.")

    # Fields

    def apply_fields(self, instance, fields, allow_pending=False):
        """Sets the fields; returns those whose refs name objects not loaded yet."""
        child_relations = {rel.get_accessor_name(): rel for rel in get_all_child_relations(type(instance))}
        deferred = {}
        for name, value in fields.items():
            try:
                if name in child_relations:
                    related_model = child_relations[name].related_model
                    children = [related_model(**self.resolve_fields(related_model, item)) for item in value]
                    if issubclass(related_model, Orderable):
                        # The admin numbers inline children; without it their order is up to the database.
                        for position, child in enumerate(children):
                            child.sort_order = position
                    setattr(instance, name, children)
                    continue
                model_field = instance._meta.get_field(name)
                if isinstance(model_field, StreamField):
                    raw = self.stream(value, f"{instance._meta.label}.{name}", model_field.stream_block)
                    # Through the block, which keeps the ids given above.
                    setattr(instance, name, model_field.stream_block.to_python(raw))
                elif isinstance(model_field, ForeignKey):
                    setattr(instance, name, self.resolve(value, as_pk=False))
                else:
                    setattr(instance, name, value)
            except UnresolvedRef as missing:
                if not allow_pending:
                    raise ContentError(f"{name}: nothing in the content files has the key {missing}") from None
                deferred[name] = value
        return deferred

    def resolve_fields(self, model, item):
        resolved = {}
        for name, value in item.items():
            model_field = model._meta.get_field(name)
            resolved[name] = self.resolve(value, as_pk=False) if isinstance(model_field, ForeignKey) else value
        return resolved

    def resolve(self, value, as_pk):
        """Replaces ``{"ref": key}`` by the object (or its primary key), recursively."""
        if isinstance(value, dict):
            if set(value) == {"ref"}:
                if value["ref"] not in self.objects:
                    raise UnresolvedRef(value["ref"])
                obj = self.objects[value["ref"]]
                return obj.pk if as_pk else obj
            return {name: self.resolve(item, as_pk) for name, item in value.items()}
        if isinstance(value, list):
            return [self.resolve(item, as_pk) for item in value]
        return value

    def stream(self, blocks, prefix, stream_block=None):
        """Raw StreamField data with refs resolved and stable block ids (for translations)."""
        raw = []
        for index, block in enumerate(blocks):
            block_prefix = f"{prefix}.{index}.{block['type']}"
            value = self.resolve(block["value"], as_pk=True)
            if stream_block is not None and block["type"] in stream_block.child_blocks:
                value = with_item_ids(stream_block.child_blocks[block["type"]], value, block_prefix)
            raw.append(
                {
                    "type": block["type"],
                    "value": value,
                    "id": block.get("id") or str(uuid.uuid5(uuid.NAMESPACE_URL, block_prefix)),
                }
            )
        return raw


def with_item_ids(block, value, prefix):
    """Stores list items in Wagtail's block format with stable ids.

    wagtail-localize only extracts the items of a ``ListBlock`` stored that way (a list of
    bare values is skipped), and stable ids keep translations attached on ``--update``.
    """
    if isinstance(block, wagtail_blocks.ListBlock) and isinstance(value, list):
        return [
            item
            if list_item_is_in_block_format(block, item)
            else {
                "type": "item",
                "value": with_item_ids(block.child_block, item, f"{prefix}.{index}"),
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{prefix}.{index}")),
            }
            for index, item in enumerate(value)
        ]
    if isinstance(block, wagtail_blocks.StructBlock) and isinstance(value, dict):
        return {
            name: with_item_ids(block.child_blocks[name], item, f"{prefix}.{name}")
            if name in block.child_blocks
            else item
            for name, item in value.items()
        }
    return value
