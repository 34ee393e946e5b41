"""What the WordPress import remembers: every item of the old site by its post ID.

Running ``import_wordpress`` again looks each item up here, so it updates what
changed instead of creating a duplicate, and leaves pages alone that editors have
changed in Wagtail since.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WordPressItem(models.Model):
    source = models.CharField(
        _("old site"), max_length=255, help_text=_("Address of the WordPress site the item came from.")
    )
    wp_id = models.PositiveBigIntegerField(_("WordPress ID"), help_text=_("The item's post ID in WordPress."))
    post_type = models.CharField(
        _("WordPress type"), max_length=40, help_text=_("page, post, attachment or wpcf7_contact_form.")
    )
    title = models.CharField(_("title"), max_length=255, blank=True, help_text=_("The title in WordPress."))
    old_url = models.CharField(
        _("old address"), max_length=500, blank=True, help_text=_("The item's permalink on the old site.")
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The page the item became."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The image the attachment became."),
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The document the attachment became."),
    )
    digest = models.CharField(
        _("fingerprint"), max_length=64, blank=True, help_text=_("Changes when the item changes in WordPress.")
    )
    revision_id = models.PositiveBigIntegerField(
        _("imported revision"),
        null=True,
        blank=True,
        help_text=_("The page revision the import wrote; a newer one means editors changed the page."),
    )
    imported_at = models.DateTimeField(_("first imported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        verbose_name = _("imported WordPress item")
        verbose_name_plural = _("imported WordPress items")
        constraints = [models.UniqueConstraint(fields=["source", "wp_id"], name="unique_wordpress_item")]

    def __str__(self):
        return f"{self.post_type} {self.wp_id}: {self.title}"
