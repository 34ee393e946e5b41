"""Go-live checks: warnings after publishing and the dashboard panel; the form chooser lists forms."""

from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.urls import reverse

from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.models import Page

import pytest

from access import golive
from access.wagtail_hooks import warn_after_publish
from home.models import SiteSettings
from tests.factories import FormPageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


def texts(problems):
    return " | ".join(problem.text for problem in problems)


@pytest.fixture
def settings_row(home_page):
    row, _created = SiteSettings.objects.get_or_create(locale=home_page.locale)
    row.contact_email = ""
    row.save()
    return row


def test_a_form_without_recipient_and_without_contact_mail_is_reported(home_page, settings_row):
    form = FormPageFactory(parent=home_page, title="Kontakt", slug="kontakt", to_address="")
    assert "Kontakt" in texts(golive.page_problems(form))
    settings_row.contact_email = "info@vsop.de"
    settings_row.save()
    assert golive.page_problems(form) == []
    settings_row.contact_email = ""
    settings_row.save()
    form.to_address = "team@vsop.de"
    form.save()
    assert golive.page_problems(form) == []


def form_block_page(parent, form_id, **kwargs):
    form = Page.objects.get(pk=form_id)
    return StandardPageFactory(parent=parent, body=[("form", {"form_page": form, "display": "embed"})], **kwargs)


def test_a_form_block_pointing_at_an_unpublished_or_deleted_form_is_reported(home_page, settings_row):
    draft_form = FormPageFactory(parent=home_page, title="Anmeldung", slug="anmeldung", live=False)
    page = form_block_page(home_page, draft_form.pk, title="Tagung", slug="tagung")
    assert "nicht veröffentlicht" in texts(golive.page_problems(page))
    draft_form.save_revision().publish()
    assert golive.page_problems(page) == []
    Page.objects.filter(pk=draft_form.pk).delete()
    page.refresh_from_db()
    assert "gelöscht" in texts(golive.page_problems(page))


def test_a_link_to_a_draft_is_reported(home_page, settings_row):
    draft = StandardPageFactory(parent=home_page, title="Entwurf", slug="entwurf", live=False)
    page = StandardPageFactory(
        parent=home_page,
        title="Verweis",
        slug="verweis",
        body=[("paragraph", f'<p><a linktype="page" id="{draft.pk}">mehr</a></p>')],
    )
    page.save_revision()  # fills the reference index
    assert "Entwurf" in texts(golive.page_problems(page))


def test_missing_legal_pages_are_reported_per_language(home_page):
    problems = texts(golive.legal_problems())
    assert "Impressum" in problems and "Datenschutzerklärung" in problems


def test_publishing_warns_and_still_publishes(admin_client, home_page, settings_row):
    form = FormPageFactory(parent=home_page, title="Kontakt", slug="kontakt", to_address="", live=False)
    page = form_block_page(home_page, form.pk, title="Tagung", slug="tagung", live=False)
    revision = page.save_revision()
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    PublishPageRevisionAction(revision).execute()
    warn_after_publish(request, page)
    page.refresh_from_db()
    assert page.live
    assert any("nicht veröffentlicht" in str(message) for message in request._messages)


def test_dashboard_panel_lists_the_problems(admin_client, home_page, settings_row):
    FormPageFactory(parent=home_page, title="Kontakt", slug="kontakt", to_address="")
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Bevor Besucher es merken" in html
    assert "Kontakt" in html and "Impressum" in html


def test_the_form_chooser_lists_only_forms_of_the_language(admin_client, home_page):
    FormPageFactory(parent=home_page, title="Kontakt", slug="kontakt")
    parent = StandardPageFactory(parent=home_page, title="Fachgruppe", slug="fachgruppe")
    FormPageFactory(parent=parent, title="Mitmachen", slug="mitmachen")
    response = admin_client.get(reverse("wagtailadmin_choose_page"), {"page_type": "forms.formpage"})
    html = response.json()["html"]
    assert "Kontakt" in html and "Mitmachen" in html
    assert "Fachgruppe" not in html
