"""A role is a Django group with a German description and, optionally, its languages.

The groups themselves (Redakteure, Redaktionsleitung, Übersetzer, Datenschutz) are
created by this app's migrations (see ``access/roles.py``). ``Role`` adds what a group
lacks: a description for the people who assign accounts, and the content languages its
members may change snippets and settings in (empty: all).
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.Model):
    group = models.OneToOneField(
        Group,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="role",
        verbose_name=_("group"),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What members of this group may do, for the people who assign accounts to it."),
    )
    languages = models.CharField(
        _("languages"),
        max_length=100,
        blank=True,
        help_text=_(
            "Language codes separated by commas (e.g. “en”): members may change snippets and site settings "
            "only in these languages. Empty: in every language."
        ),
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        permissions = [
            ("manage_personal_data", _("Can read, export and delete personal data (form submissions, requests)")),
            ("view_all_pages", _("Can view every page read-only (preview, history, comparison)")),
        ]

    def __str__(self):
        return self.group.name

    @property
    def language_codes(self):
        codes = {code.strip() for code in self.languages.split(",") if code.strip()}
        known = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
        return codes & known


class PersonalDataRequest(models.Model):
    """One answered request about a person's data: what was done and how much, never whose.

    The audit log entries of a request ("found", "exported", "deleted") point to this
    record. Neither holds the e-mail address nor any of the data.
    """

    class Kind(models.TextChoices):
        ACCESS = "access", _("access (export)")
        ERASURE = "erasure", _("erasure")
        SEARCH = "search", _("search only")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SEARCH)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("handled by"),
    )
    counts = models.JSONField(_("records per kind"), default=dict, blank=True)

    class Meta:
        verbose_name = _("personal-data request")
        verbose_name_plural = _("personal-data requests")
        ordering = ["-created_at"]

    def __str__(self):
        return _("Personal-data request no. %(number)s") % {"number": self.pk}
