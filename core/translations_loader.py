"""Creates the other languages of the seeded content as wagtail-localize translations.

German is the source. For every page, snippet and settings row the content loader
built, this makes the English version the way the admin's "Translate" action does: a
``TranslationSource`` (the frozen German content), a ``Translation`` record (so the
English page opens in wagtail-localize's translation editor and follows "Sync
translated pages"), one ``StringTranslation`` per German segment, then the English
object is saved from them and published when the German one is live.

The English text is in ``content/translations/<language>.po``, a gettext catalogue as
translators know it: ``msgctxt`` is the key of the content entry (``page:familienarmut``,
``org:lhh``, ``settings``), ``msgid`` the German segment exactly as wagtail-localize
extracts it (the form the editor's "Download PO" shows: plain text with ``&amp;`` for
``&``, rich text without the outer ``<p>``), ``msgstr`` the translation. An entry without
``msgctxt`` applies to any entry with that German text.

Like the German loader it is idempotent: a translation that exists is left as the
translators changed it, unless ``update=True``.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps as django_apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

import polib

from access.roles import grant_translation_trees

TRANSLATIONS_DIR = Path(settings.BASE_DIR) / "content" / "translations"


@dataclass
class MissingString:
    key: str
    language: str
    context: str
    source: str

    def __str__(self):
        return f"{self.key} [{self.language}] {self.context}: {self.source!r}"


@dataclass
class TranslationReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    existing: list = field(default_factory=list)
    missing: list = field(default_factory=list)


def target_locales():
    """The site's languages other than the default (source) language."""
    default = settings.LANGUAGE_CODE
    return [
        Locale.objects.get_or_create(language_code=code)[0] for code, _name in settings.LANGUAGES if code != default
    ]


def read_catalogue(path):
    """``{(msgctxt or "", msgid): msgstr}`` of the translated, non-fuzzy entries of a PO file."""
    if not Path(path).exists():
        return {}
    return {
        (entry.msgctxt or "", entry.msgid): entry.msgstr
        for entry in polib.pofile(str(path))
        if entry.msgstr and not entry.fuzzy and not entry.obsolete
    }


def translation_order(objects):
    """Snippets first (pages may point at them), then pages parents first, then the rest."""
    items = list(objects.items())
    pages = sorted(((k, o) for k, o in items if isinstance(o, Page)), key=lambda item: item[1].path)
    snippets = [(k, o) for k, o in items if not isinstance(o, Page) and k.split(":")[0] in ("org", "person")]
    rest = [(k, o) for k, o in items if not isinstance(o, Page) and (k, o) not in snippets]
    # Organisations before persons: a person's organisation is translated with them.
    snippets.sort(key=lambda item: item[0].split(":")[0] != "org")
    return snippets + pages + rest


class TranslationLoader:
    def __init__(self, objects, update=False, stdout=None, directory=TRANSLATIONS_DIR):
        self.objects = objects  # content key -> German instance, as the content loader built them
        self.update = update
        self.stdout = stdout
        self.directory = Path(directory)
        self.report = TranslationReport()
        self.created_pages = []

    def log(self, message):
        if self.stdout is not None:
            self.stdout.write(message)

    @transaction.atomic
    def load(self, content_report=None):
        for locale in target_locales():
            catalogue = read_catalogue(self.directory / f"{locale.language_code}.po")
            for key, instance in translation_order(self.objects):
                self.translate(key, instance, locale, catalogue)
        # A new translation is made under the German slug and then renamed, which makes
        # Wagtail record redirects (on commit) from URLs that never existed; drop those after.
        created_pages = list(self.created_pages)
        transaction.on_commit(
            lambda: Redirect.objects.filter(redirect_page__in=created_pages, automatically_created=True).delete()
        )
        if content_report is not None:
            content_report.created.extend(self.report.created)
            content_report.updated.extend(self.report.updated)
            content_report.existing.extend(self.report.existing)
        # The translators may edit and publish the new language trees (not the German one).
        grant_translation_trees(django_apps)
        for missing in self.report.missing:
            self.log(f"No translation in content/translations for {missing}; the German text is used.")
        return self.report

    def translate(self, key, instance, locale, catalogue):
        label = f"{key}@{locale.language_code}"
        existing = instance.get_translation_or_none(locale)
        if existing is not None and not getattr(existing, "alias_of_id", None) and not self.update:
            self.report.existing.append(label)
            return existing
        source, _created = TranslationSource.update_or_create_from_instance(instance)
        Translation.objects.update_or_create(source=source, target_locale=locale, defaults={"enabled": True})
        self.add_string_translations(key, source, locale, catalogue)
        translated = self.save_target(instance, source, locale)
        (self.report.updated if existing is not None else self.report.created).append(label)
        if existing is None and isinstance(translated, Page):
            self.created_pages.append(translated.pk)
        return translated

    def add_string_translations(self, key, source, locale, catalogue):
        segments = StringSegment.objects.filter(source=source).select_related("string", "context").order_by("order")
        for segment in segments:
            german = segment.string.data
            english = catalogue.get((key, german), catalogue.get(("", german)))
            if english is None:
                self.report.missing.append(MissingString(key, locale.language_code, segment.context.path, german))
                continue
            translation, created = StringTranslation.objects.get_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={"data": english, "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL},
            )
            if not created and self.update and translation.data != english:
                translation.data = english
                translation.translation_type = StringTranslation.TRANSLATION_TYPE_MANUAL
                translation.has_error = False
                translation.field_error = ""
                translation.updated_at = timezone.now()
                translation.save()

    def save_target(self, instance, source, locale):
        """Saves the translation from the string translations; publishes a page when its source is live."""
        if isinstance(instance, Page):
            # Publishing here rather than through wagtail-localize's on-commit hook keeps the
            # result visible inside the surrounding transaction (and in tests).
            translated, _created = source.create_or_update_translation(locale, publish=False, fallback=True)
            if instance.live:
                translated.get_latest_revision().publish()
            translated.refresh_from_db()
            return translated
        translated, _created = source.create_or_update_translation(locale, publish=True, fallback=True)
        return translated


def untranslated_segments(objects, language_code):
    """``{key: [German strings]}`` of seeded objects whose segments the catalogue lacks."""
    catalogue = read_catalogue(TRANSLATIONS_DIR / f"{language_code}.po")
    missing = defaultdict(list)
    for key, instance in objects.items():
        source = TranslationSource.objects.get_for_instance_or_none(instance)
        if source is None:
            missing[key].append("(no translation source)")
            continue
        for segment in StringSegment.objects.filter(source=source).select_related("string"):
            german = segment.string.data
            if (key, german) not in catalogue and ("", german) not in catalogue:
                missing[key].append(german)
    return dict(missing)
