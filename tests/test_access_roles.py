"""Roles by least privilege: one test per role and view, in both languages."""

from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.models import Page

import pytest

from access.roles import CHIEF_EDITORS, DATA_PROTECTION, EDITORS, TRANSLATORS
from forms.models import FormPage, FormSubmission
from home.models import SiteSettings
from topics.models import Person, TopicPage

pytestmark = pytest.mark.django_db

ROLES = (EDITORS, CHIEF_EDITORS, TRANSLATORS, DATA_PROTECTION)


@pytest.fixture
def login(client, django_user_model, vsop_content):
    def as_role(role):
        user = django_user_model.objects.create_user(
            f"user-{role}", f"{role}@example.org".encode("ascii", "ignore").decode(), "pw"
        )
        user.groups.add(Group.objects.get(name=role))
        client.force_login(user)
        return client

    return as_role


def in_language(model, code, **filters):
    return model.objects.filter(locale__language_code=code, **filters).order_by("pk").first()


def status(client, url):
    """200 when the view answers, "denied" when Wagtail refuses (403 or a redirect away)."""
    response = client.get(url)
    if response.status_code == 200:
        return 200
    assert response.status_code in (302, 403), (url, response.status_code)
    return "denied"


def test_the_roles_have_german_names_and_descriptions(db):
    for name in ROLES:
        group = Group.objects.get(name=name)
        assert len(group.role.description) > 80
    assert not Group.objects.filter(name__in=["Editors", "Moderators", "Translators"]).exists()


def test_only_data_protection_holds_the_personal_data_permission(db):
    holders = set(Group.objects.filter(permissions__codename="manage_personal_data").values_list("name", flat=True))
    assert holders == {DATA_PROTECTION}


# Pages

PAGE_EDIT = {
    # role: (German topic, English topic)
    EDITORS: (200, 200),
    CHIEF_EDITORS: (200, 200),
    TRANSLATORS: ("denied", 200),
    DATA_PROTECTION: ("denied", "denied"),
}


@pytest.mark.parametrize("role", ROLES)
def test_page_editing_per_role_and_language(login, role):
    client = login(role)
    german, english = in_language(TopicPage, "de"), in_language(TopicPage, "en")
    got = tuple(status(client, reverse("wagtailadmin_pages:edit", args=[page.pk])) for page in (german, english))
    assert got == PAGE_EDIT[role]


@pytest.mark.parametrize("role", ROLES)
def test_who_can_publish_which_language(login, role):
    login(role)
    user = Group.objects.get(name=role).user_set.get()
    german, english = in_language(TopicPage, "de"), in_language(TopicPage, "en")
    publishes = (german.permissions_for_user(user).can_publish(), english.permissions_for_user(user).can_publish())
    expected = {
        EDITORS: (True, True),
        CHIEF_EDITORS: (True, True),
        TRANSLATORS: (False, True),
        DATA_PROTECTION: (False, False),
    }
    assert publishes == expected[role]


def test_translators_browse_german_pages_read_only(login):
    client = login(TRANSLATORS)
    german_home = Page.objects.get(depth=2, locale__language_code="de")
    german = in_language(TopicPage, "de")
    assert status(client, reverse("wagtailadmin_explore", args=[german_home.pk])) == 200
    listing = client.get(reverse("wagtailadmin_explore", args=[german.get_parent().pk])).content.decode()
    assert reverse("access:page_preview", args=[german.pk]) in listing
    assert (
        reverse("wagtail_localize:submit_page_translation", args=[german.pk]) in listing
        or german.get_translations().exists()
    )
    preview = client.get(reverse("access:page_preview", args=[german.pk]))
    assert preview.status_code == 200
    assert german.title in preview.content.decode()
    compare = client.get(reverse("access:page_compare", args=[german.pk, "earliest", "latest"]))
    assert compare.status_code == 200
    # Reading gives no right to change
    assert client.post(reverse("wagtailadmin_pages:edit", args=[german.pk]), {"title": "x"}).status_code in (302, 403)
    german.refresh_from_db()
    assert german.title != "x"


@pytest.mark.parametrize("role", [DATA_PROTECTION])
def test_read_only_views_are_closed_to_roles_without_page_rights(login, role):
    client = login(role)
    german = in_language(TopicPage, "de")
    assert status(client, reverse("access:page_preview", args=[german.pk])) == "denied"
    assert status(client, reverse("access:page_compare", args=[german.pk, "earliest", "latest"])) == "denied"


# Snippets and settings

SNIPPET_EDIT = {
    EDITORS: (200, 200),
    CHIEF_EDITORS: (200, 200),
    TRANSLATORS: ("denied", 200),
    DATA_PROTECTION: ("denied", "denied"),
}


def snippet_edit_url(instance):
    return reverse(instance.snippet_viewset.get_url_name("edit"), args=[instance.pk])


@pytest.mark.parametrize("model", [Person, SiteSettings])
@pytest.mark.parametrize("role", ROLES)
def test_snippets_and_settings_per_role_and_language(login, role, model):
    client = login(role)
    german, english = in_language(model, "de"), in_language(model, "en")
    got = tuple(status(client, snippet_edit_url(instance)) for instance in (german, english))
    assert got == SNIPPET_EDIT[role]


def test_a_translator_cannot_change_the_german_contact_address(login):
    client = login(TRANSLATORS)
    german = in_language(SiteSettings, "de")
    before = german.contact_email
    response = client.post(snippet_edit_url(german), {"contact_email": "outside@example.com"})
    assert response.status_code == 302
    german.refresh_from_db()
    assert german.contact_email == before
    messages = [str(message) for message in response.wsgi_request._messages]
    assert any("nur in Ihrer eigenen Sprache" in message for message in messages)


def test_a_translator_cannot_change_a_german_person_or_delete_it(login):
    client = login(TRANSLATORS)
    person = in_language(Person, "de")
    client.post(snippet_edit_url(person), {"email": "outside@example.com"})
    delete_url = reverse(person.snippet_viewset.get_url_name("delete"), args=[person.pk])
    client.post(delete_url)
    person.refresh_from_db()
    assert person.email != "outside@example.com"


# Submissions and personal data


def submission_urls():
    urls = [reverse("access:submissions")]
    for code in ("de", "en"):
        form = in_language(FormPage, code)
        urls.append(reverse("wagtailforms:list_submissions", args=[form.pk]))
        urls.append(reverse("wagtailforms:list_submissions", args=[form.pk]) + "?export=csv")
    return urls


@pytest.mark.parametrize("role", ROLES)
def test_only_data_protection_reads_submissions(login, role):
    client = login(role)
    for code in ("de", "en"):
        FormSubmission.objects.create(page=in_language(FormPage, code), form_data={"e_mail": "anna@example.org"})
    expected = 200 if role == DATA_PROTECTION else "denied"
    wagtail_index = client.get(reverse("wagtailforms:index"))
    assert "Kontakt" not in wagtail_index.content.decode()
    for url in submission_urls():
        assert status(client, url) == expected, url


@pytest.mark.parametrize("role", ROLES)
def test_only_data_protection_reaches_personal_data_requests(login, role):
    client = login(role)
    expected = 200 if role == DATA_PROTECTION else "denied"
    assert status(client, reverse("access:personal_data")) == expected
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert (reverse("access:personal_data") in dashboard) == (role == DATA_PROTECTION)


@pytest.mark.parametrize("role", [EDITORS, TRANSLATORS])
def test_editors_and_translators_cannot_delete_submissions(login, role):
    client = login(role)
    for code in ("de", "en"):
        form = in_language(FormPage, code)
        submission = FormSubmission.objects.create(page=form, form_data={"e_mail": "anna@example.org"})
        url = reverse("wagtailforms:delete_submissions", args=[form.pk])
        client.post(f"{url}?selected-submissions={submission.pk}")
        assert FormSubmission.objects.filter(pk=submission.pk).exists()


def test_the_group_screen_shows_and_saves_the_role(admin_client, db):
    group = Group.objects.get(name=TRANSLATORS)
    url = reverse("wagtailusers_groups:edit", args=[group.pk])
    html = admin_client.get(url).content.decode()
    assert group.role.description[:40] in html
    assert 'name="role-languages"' in html


def test_the_role_panel_saves_description_and_languages(db):
    from access.forms import RoleForm

    group = Group.objects.create(name="Lektorat")
    form = RoleForm(data={"role-description": "Liest Korrektur.", "role-languages": "en"}, instance=group)
    assert form.is_valid(), form.errors
    form.save()
    group.refresh_from_db()
    assert (group.role.description, group.role.language_codes) == ("Liest Korrektur.", {"en"})
