"""View restrictions (password, groups, login) follow the source page into its translations.

wagtail-localize copies a restriction when a translation is created or synced. These
receivers keep them in step in between: a restriction saved, changed or removed on a
page of the source language (German) is mirrored at once to every translation of that
page, so an English copy never stays public while its German page asks for a password.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from wagtail.models import Page, PageViewRestriction


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
