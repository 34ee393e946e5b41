"""Snippets shared by topics, events and working groups: people and organisations."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Orderable, PreviewableMixin, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField


class Organisation(PreviewableMixin, TranslatableMixin, index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=200, help_text=_("The full name, e.g. “Region Hannover”."))
    url = models.URLField(_("website"), blank=True, help_text=_("Linked from the name where it is shown."))
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown with the name; its alternative text is the organisation's name."),
    )

    panels = [FieldPanel("name"), FieldPanel("url"), FieldPanel("logo")]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("locale_id"),
    ]

    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("url"),
        SynchronizedField("logo"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def get_preview_template(self, request, mode_name):
        return "topics/previews/organisation.html"


class Person(PreviewableMixin, TranslatableMixin, index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=200, help_text=_("First and last name."))
    role = models.CharField(
        _("role"), max_length=200, blank=True, help_text=_("For example “Speaker of the working group”.")
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        help_text=_("Where the person works, if it should be shown."),
    )
    email = models.EmailField(
        _("e-mail"),
        blank=True,
        help_text=_("Shown protected from address harvesters; visitors can still write to it."),
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True, help_text=_("For example +49 511 123456."))
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A portrait; optional."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("organisation"),
        MultiFieldPanel([FieldPanel("email"), FieldPanel("phone")], heading=_("Contact")),
        FieldPanel("photo"),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("role"),
        index.FilterField("locale_id"),
    ]

    translatable_fields = [
        SynchronizedField("name"),
        TranslatableField("role"),
        TranslatableField("organisation"),
        SynchronizedField("email"),
        SynchronizedField("phone"),
        SynchronizedField("photo"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    def get_preview_template(self, request, mode_name):
        return "topics/previews/person.html"

    def get_preview_context(self, request, mode_name):
        return {**super().get_preview_context(request, mode_name), "persons": [self]}


class PagePerson(Orderable):
    """Abstract link from a page to a person; concrete subclasses name the role of the link."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Choose a person from the snippets, or create one there first."),
    )

    panels = [FieldPanel("person")]

    class Meta(Orderable.Meta):
        abstract = True


class PageAuthor(PagePerson):
    page = ParentalKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="authors")

    class Meta(PagePerson.Meta):
        verbose_name = _("author")
        verbose_name_plural = _("authors")


class PageContact(PagePerson):
    page = ParentalKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="contacts")

    class Meta(PagePerson.Meta):
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")


class PageSpeaker(PagePerson):
    page = ParentalKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="speakers")

    class Meta(PagePerson.Meta):
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")


class PagePartner(Orderable):
    page = ParentalKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Choose an organisation from the snippets, or create one there first."),
    )

    panels = [FieldPanel("organisation")]

    class Meta(Orderable.Meta):
        verbose_name = _("partner")
        verbose_name_plural = _("partners")


def localized(objects, select_related=()):
    """The given translatable objects in the active language where a translation exists.

    One query for the whole list, instead of one ``.localized`` lookup per object.
    """
    objects = list(objects)
    if not objects:
        return objects
    from wagtail.models import Locale

    locale = Locale.get_active()
    model = type(objects[0])
    translations = {
        obj.translation_key: obj
        for obj in model.objects.filter(
            translation_key__in=[obj.translation_key for obj in objects], locale=locale
        ).select_related(*select_related)
    }
    return [translations.get(obj.translation_key, obj) for obj in objects]
