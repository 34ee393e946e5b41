"""The legal pages every German website needs: the imprint and the privacy policy.

Both hold only facts about the association, filled in by editors. Nothing is
invented: a fact that is not given yet is shown marked in the preview and blocks
publishing (``clean()`` names the missing facts in the editor's language). The
privacy policy's description of what the website processes is not typed by editors
but generated from the software itself at render time (``home.privacy``): the forms
and their fields, retention periods, recipients, cookies, reCAPTCHA, server logs.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.blocks import BaseStreamBlock
from core.models import BasePage


class LegalPageForm(WagtailAdminPageForm):
    """Tells the page whether the editor publishes (full validation) or saves a draft.

    Wagtail defers required fields when a draft is saved; the legal pages likewise allow
    a draft with missing facts and refuse only to go live without them.
    """

    def _post_clean(self):
        self.instance._validate_for_publishing = not self.is_deferred_validation
        super()._post_clean()


class LegalPage(BasePage):
    """Common behaviour: required facts, checked when the page goes live."""

    base_form_class = LegalPageForm

    # (field name, condition) pairs filled in by subclasses: the facts a live page needs.
    required_facts = ()

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        abstract = True

    def missing_facts(self):
        """The verbose names of the facts that are still missing, in form order."""
        return [
            str(self._meta.get_field(name).verbose_name) for name in self.required_facts if not self.has_fact(name)
        ]

    def has_fact(self, name):
        value = getattr(self, name)
        return value is not None and str(value).strip() != ""

    def clean(self):
        super().clean()
        publishing = getattr(self, "_validate_for_publishing", self.live)
        missing = self.missing_facts()
        if publishing and missing:
            raise ValidationError(
                format_lazy(
                    _("This page cannot be published yet. Missing: {facts}. You can save it as a draft meanwhile."),
                    facts=", ".join(missing),
                )
            )


class ImpressumPage(LegalPage):
    """The imprint (Impressum) of a registered association, as § 5 DDG and § 18 MStV ask."""

    organisation_name = models.CharField(
        _("name of the association"),
        max_length=200,
        blank=True,
        help_text=_('The full registered name, as in the register of associations, e.g. "Verein für … e.V.".'),
    )
    street_address = models.CharField(
        _("street and number"),
        max_length=200,
        blank=True,
        help_text=_("The address where the association can be served with documents (no P.O. box)."),
    )
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True, help_text=_("e.g. 30159"))
    city = models.CharField(_("city"), max_length=100, blank=True, help_text=_("e.g. Hannover"))
    representatives = models.TextField(
        _("represented by (board)"),
        blank=True,
        help_text=_(
            "The board members who represent the association by law (§ 26 BGB), one per line "
            'with their office, e.g. "Erika Mustermann (Vorsitzende)".'
        ),
    )
    email = models.EmailField(
        _("e-mail"),
        blank=True,
        help_text=_("An address that is read: visitors must be able to reach the association quickly."),
    )
    phone = models.CharField(
        _("telephone"),
        max_length=40,
        blank=True,
        help_text=_("A number under which the association can be reached, e.g. +49 511 123456."),
    )
    register_court = models.CharField(
        _("register court"),
        max_length=100,
        blank=True,
        help_text=_('The local court keeping the register of associations, e.g. "Amtsgericht Hannover".'),
    )
    register_number = models.CharField(
        _("register number"),
        max_length=40,
        blank=True,
        help_text=_('The number in the register of associations, e.g. "VR 123456".'),
    )
    vat_id = models.CharField(
        _("VAT identification number"),
        max_length=20,
        blank=True,
        help_text=_("Only if the association has one (e.g. DE123456789). Otherwise tick the box below."),
    )
    no_vat_id = models.BooleanField(
        _("the association has no VAT identification number"),
        default=False,
        help_text=_("Tick this if the association has no VAT ID, so that none is missing."),
    )
    content_responsible = models.TextField(
        _("responsible for the content (§ 18 (2) MStV)"),
        blank=True,
        help_text=_("Name and address of the person responsible for journalistic content, e.g. a board member."),
    )
    body = StreamField(
        BaseStreamBlock(),
        blank=True,
        verbose_name=_("further information"),
        help_text=_("Optional: e.g. credits for photos, a note on liability for links."),
    )

    required_facts = (
        "organisation_name",
        "street_address",
        "postal_code",
        "city",
        "representatives",
        "email",
        "phone",
        "register_court",
        "register_number",
        "vat_id",
        "content_responsible",
    )

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("street_address"),
                FieldRowPanel([FieldPanel("postal_code"), FieldPanel("city")]),
            ],
            heading=_("Name and address"),
        ),
        FieldPanel("representatives"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("email"), FieldPanel("phone")])],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("register_court"), FieldPanel("register_number")])],
            heading=_("Register of associations"),
        ),
        MultiFieldPanel([FieldPanel("vat_id"), FieldPanel("no_vat_id")], heading=_("VAT")),
        FieldPanel("content_responsible"),
        FieldPanel("body"),
    ]

    translatable_fields = [
        *BasePage.translatable_fields,
        # Content tab: names, addresses and numbers are the same in every language.
        SynchronizedField("organisation_name"),
        SynchronizedField("street_address"),
        SynchronizedField("postal_code"),
        SynchronizedField("city"),
        TranslatableField("representatives"),
        SynchronizedField("email"),
        SynchronizedField("phone"),
        SynchronizedField("register_court"),
        SynchronizedField("register_number"),
        SynchronizedField("vat_id"),
        SynchronizedField("no_vat_id"),
        TranslatableField("content_responsible"),
        TranslatableField("body"),
    ]

    class Meta:
        verbose_name = _("imprint")
        verbose_name_plural = _("imprints")

    def has_fact(self, name):
        if name == "vat_id" and self.no_vat_id:
            return True
        return super().has_fact(name)


class PrivacyPolicyPage(LegalPage):
    """The privacy policy (Datenschutzerklärung, Art. 13 GDPR).

    Editors give the facts about the association; what the website processes is
    described from the software itself (``home.privacy.describe_processing``).
    """

    controller = models.TextField(
        _("controller"),
        blank=True,
        help_text=_(
            "Who is responsible for the processing (Art. 4 No. 7 GDPR): the association's name and postal "
            "address, usually as in the imprint."
        ),
    )
    controller_email = models.EmailField(
        _("controller's e-mail"),
        blank=True,
        help_text=_("Where visitors send questions and requests about their data."),
    )
    dpo = models.TextField(
        _("data protection officer"),
        blank=True,
        help_text=_("Name and contact of the data protection officer, if one is appointed."),
    )
    no_dpo = models.BooleanField(
        _("no data protection officer is appointed"),
        default=False,
        help_text=_(
            "Tick this if the association has none (required when 20 or more people regularly process "
            "personal data, § 38 BDSG)."
        ),
    )
    hosting_provider = models.TextField(
        _("hosting provider"),
        blank=True,
        help_text=_(
            "The company that runs the server of this website (name and address): it processes the server "
            "logs on the association's behalf (data processing agreement, Art. 28 GDPR)."
        ),
    )
    log_retention_days = models.PositiveSmallIntegerField(
        _("server logs kept for (days)"),
        null=True,
        blank=True,
        help_text=_("How long the web server keeps its access logs, as agreed with the hosting provider, e.g. 14."),
    )
    supervisory_authority = models.TextField(
        _("supervisory authority"),
        blank=True,
        help_text=_(
            "The data protection authority of the federal state where the association has its seat, with its "
            "address, e.g. the Landesbeauftragte für den Datenschutz Niedersachsen."
        ),
    )
    body = StreamField(
        BaseStreamBlock(),
        blank=True,
        verbose_name=_("further information"),
        help_text=_(
            "Optional: processing the website does not know about, e.g. a newsletter or membership "
            "administration. Shown after the generated sections."
        ),
    )

    required_facts = (
        "controller",
        "controller_email",
        "dpo",
        "hosting_provider",
        "log_retention_days",
        "supervisory_authority",
    )

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel([FieldPanel("controller"), FieldPanel("controller_email")], heading=_("Controller")),
        MultiFieldPanel([FieldPanel("dpo"), FieldPanel("no_dpo")], heading=_("Data protection officer")),
        MultiFieldPanel(
            [FieldPanel("hosting_provider"), FieldPanel("log_retention_days")], heading=_("Hosting and server logs")
        ),
        FieldPanel("supervisory_authority"),
        FieldPanel("body"),
    ]

    translatable_fields = [
        *BasePage.translatable_fields,
        # Content tab
        TranslatableField("controller"),
        SynchronizedField("controller_email"),
        TranslatableField("dpo"),
        SynchronizedField("no_dpo"),
        TranslatableField("hosting_provider"),
        SynchronizedField("log_retention_days"),
        TranslatableField("supervisory_authority"),
        TranslatableField("body"),
    ]

    class Meta:
        verbose_name = _("privacy policy")
        verbose_name_plural = _("privacy policies")

    def has_fact(self, name):
        if name == "dpo" and self.no_dpo:
            return True
        return super().has_fact(name)

    def get_context(self, request, *args, **kwargs):
        from .privacy import describe_processing

        context = super().get_context(request, *args, **kwargs)
        context["processing"] = describe_processing(self.locale, request)
        return context
