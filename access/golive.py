"""Go-live checks: what silently breaks the site for visitors, shown before it does.

- a form that mails nobody: no recipient and no contact e-mail in its language's site settings,
- a form block pointing at a form that is not published or no longer exists,
- a page linking to a page that is not published (a draft),
- the legal pages (Impressum, Datenschutzerklärung) missing or not live in a language.

``page_problems(page)`` serves the warnings after publishing, ``site_problems()`` the
dashboard panel. Each problem is a short German text (interface strings are translated).
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from wagtail.models import Page, ReferenceIndex, Site

LEGAL_SLUGS = {"impressum": "ImpressumPage", "datenschutz": "PrivacyPolicyPage"}


@dataclass
class Problem:
    text: str
    page: Page | None = None


def form_without_recipient(form_page):
    from home.models import SiteSettings

    if (form_page.to_address or "").strip():
        return None
    settings_row = SiteSettings.objects.filter(locale_id=form_page.locale_id).first()
    if settings_row is not None and (settings_row.contact_email or "").strip():
        return None
    return Problem(
        _(
            "The form “%(title)s” (%(language)s) has no recipient and the site settings have no contact e-mail: "
            "its submissions reach nobody."
        )
        % {"title": form_page.title, "language": form_page.locale.language_code},
        form_page,
    )


def form_block_ids(value):
    """The ids stored in every form block of a stream's raw data (so deleted forms are found too)."""
    if isinstance(value, dict):
        if value.get("type") == "form" and isinstance(value.get("value"), dict):
            form_id = value["value"].get("form_page")
            if form_id:
                yield int(form_id)
        for item in value.values():
            yield from form_block_ids(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from form_block_ids(item)


def stream_fields(page):
    from wagtail.fields import StreamField

    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            yield getattr(page, field.name)


def broken_form_blocks(page):
    problems = []
    for stream in stream_fields(page):
        for form_id in set(form_block_ids(list(stream.raw_data))):
            target = Page.objects.filter(pk=form_id).first()
            if target is None:
                problems.append(
                    Problem(
                        _("A form block on “%(title)s” points at a form that was deleted.") % {"title": page.title},
                        page,
                    )
                )
            elif not target.live:
                problems.append(
                    Problem(
                        _(
                            "A form block on “%(title)s” shows the form “%(form)s”, which is not published: "
                            "visitors see nothing."
                        )
                        % {"title": page.title, "form": target.title},
                        page,
                    )
                )
    return problems


def links_to_drafts(page):
    page_type = ContentType.objects.get_for_model(Page)
    target_ids = (
        ReferenceIndex.get_references_for_object(page)
        .filter(to_content_type=page_type)
        .values_list("to_object_id", flat=True)
    )
    drafts = Page.objects.filter(pk__in=[int(pk) for pk in target_ids if str(pk).isdigit()], live=False)
    form_ids = set()
    for stream in stream_fields(page):
        form_ids |= set(form_block_ids(list(stream.raw_data)))
    return [
        Problem(
            _("“%(title)s” links to “%(target)s”, which is not published.")
            % {"title": page.title, "target": draft.title},
            page,
        )
        for draft in drafts.exclude(pk__in=form_ids)
    ]


def page_problems(page):
    """Problems of one page (after it was published)."""
    page = page.specific
    problems = []
    if hasattr(page, "to_address"):
        problem = form_without_recipient(page)
        if problem:
            problems.append(problem)
    problems += broken_form_blocks(page)
    problems += links_to_drafts(page)
    return problems


def legal_page_models():
    models = {}
    for slug, name in LEGAL_SLUGS.items():
        try:
            models[slug] = apps.get_model("home", name)
        except LookupError:
            models[slug] = None
    return models


def legal_problems():
    problems = []
    labels = {"impressum": _("Impressum"), "datenschutz": _("privacy policy (Datenschutzerklärung)")}
    roots = Page.objects.filter(translation_key__in=Site.objects.values("root_page__translation_key"))
    for root in roots.select_related("locale"):
        for slug, model in legal_page_models().items():
            candidates = (
                model.objects.descendant_of(root) if model else Page.objects.descendant_of(root).filter(slug=slug)
            )
            if not candidates.filter(live=True).exists():
                problems.append(
                    Problem(
                        _("There is no published %(page)s in %(language)s.")
                        % {"page": labels[slug], "language": root.locale.get_display_name()},
                        candidates.first(),
                    )
                )
    return problems


def site_problems():
    """Every problem of the site, for the dashboard."""
    from forms.models import FormPage

    problems = legal_problems()
    for form_page in FormPage.objects.select_related("locale").order_by("title"):
        problem = form_without_recipient(form_page)
        if problem:
            problems.append(problem)
    page_type = ContentType.objects.get_for_model(Page)
    not_live = [str(pk) for pk in Page.objects.filter(live=False).values_list("pk", flat=True)]
    referencing = set(
        ReferenceIndex.objects.filter(
            base_content_type=page_type, to_content_type=page_type, to_object_id__in=not_live
        ).values_list("object_id", flat=True)
    )
    for page in Page.objects.live().filter(pk__in=[int(pk) for pk in referencing]).specific():
        problems += broken_form_blocks(page) + links_to_drafts(page)
    return problems
