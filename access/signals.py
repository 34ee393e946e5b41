"""View restrictions (password, groups, login) follow the source page into its translations.

wagtail-localize copies a restriction when a translation is created or synced. These
receivers keep them in step in between: a restriction saved, changed or removed on a
page of the source language (German) is mirrored at once to every translation of that
page, so an English copy never stays public while its German page asks for a password.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from wagtail.actions.copy_for_translation import ParentNotTranslatedError
from wagtail.models import Page, PageViewRestriction
from wagtail_localize.models import Translation, TranslationSource

logger = logging.getLogger(__name__)


def mirror_restrictions(page):
    """Makes every translation of ``page`` carry ``page``'s view restriction (or none)."""
    if page.locale.language_code != settings.LANGUAGE_CODE:
        return
    source = PageViewRestriction.objects.filter(page=page).first()
    translations = Page.objects.filter(translation_key=page.translation_key).exclude(pk=page.pk)
    for translation in translations:
        existing = list(PageViewRestriction.objects.filter(page=translation))
        if source is None:
            for restriction in existing:
                restriction.delete()
            continue
        target = existing[0] if existing else PageViewRestriction(page=translation)
        for extra in existing[1:]:
            extra.delete()
        target.restriction_type = source.restriction_type
        target.password = source.password
        target.save()
        target.groups.set(source.groups.all())


def mirror_later(page_id):
    def run():
        page = Page.objects.filter(pk=page_id).select_related("locale").first()
        if page is not None:
            mirror_restrictions(page)

    transaction.on_commit(run)


@receiver(post_save, sender=PageViewRestriction)
def restriction_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        mirror_later(instance.page_id)


@receiver(post_delete, sender=PageViewRestriction)
def restriction_deleted(sender, instance, **kwargs):
    mirror_later(instance.page_id)


@receiver(m2m_changed, sender=PageViewRestriction.groups.through)
def restriction_groups_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, PageViewRestriction):
        mirror_later(instance.page_id)


@receiver(post_save)
def translation_created(sender, instance, created, raw=False, **kwargs):
    """A new translation (created by wagtail-localize or copied) starts with its source's restriction."""
    if not (created and not raw and isinstance(instance, Page)):
        return
    if instance.locale.language_code != settings.LANGUAGE_CODE:
        source = Page.objects.filter(
            translation_key=instance.translation_key, locale__language_code=settings.LANGUAGE_CODE
        ).first()
        if source is not None:
            mirror_later(source.pk)


@receiver(post_save, sender=Translation)
def translate_embedded_forms(sender, instance, created, raw=False, **kwargs):
    """Translating a page also starts translations (as drafts) of the forms its form blocks show.

    The form block then shows the English form on the English page once a translator has
    published it; until then it shows nothing rather than the German form.
    """
    if not created or raw:
        return
    # After commit: a batch that translates the forms itself (the content loader) has done so by then.
    transaction.on_commit(lambda: translate_forms_of(instance))


def translate_forms_of(instance):
    from access.golive import form_block_ids, stream_fields

    page = instance.source.as_instance()
    if not isinstance(page, Page):
        return
    form_ids = set()
    for stream in stream_fields(page.specific):
        form_ids |= set(form_block_ids(list(stream.raw_data)))
    for form_page in Page.objects.filter(pk__in=form_ids).specific():
        if form_page.get_translations().filter(locale=instance.target_locale).exists():
            continue
        source, _created = TranslationSource.get_or_create_from_instance(form_page)
        translation, _created = Translation.objects.get_or_create(
            source=source, target_locale=instance.target_locale, defaults={"enabled": True}
        )
        try:
            translation.save_target(user=getattr(instance, "_submitted_by", None), publish=False)
        except ParentNotTranslatedError:
            logger.info("The form %s stays untranslated: its parent page has no translation yet.", form_page.pk)
