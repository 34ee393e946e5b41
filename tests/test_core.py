"""Shared pieces: harvester-proof e-mail links, link-text rules of the blocks, the admin login."""

import io
import os
import re
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from wagtail.blocks.struct_block import StructBlockValidationError

import polib
import pytest

from core.blocks import CallToActionBlock, LinkBlock, is_vague_link_text
from core.email_protection import make_token, protect_emails, read_token
from tests.factories import PersonFactory, TopicIndexPageFactory, WorkingGroupIndexPageFactory, WorkingGroupPageFactory
from topics.models import PageContact

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


class TestEmailProtection:
    def test_addresses_in_text_and_mailto_links_disappear_from_html(self, settings):
        html = (
            "<p>Fragen an Lisa Manhart (lisa.manhart@vsop.de) oder "
            '<a href="mailto:info@vsop.de?subject=Hallo">schreiben Sie uns</a>.</p>'
        )
        protected = str(protect_emails(html))
        assert not EMAIL.search(protected)
        assert "mailto:" not in protected
        assert "lisa.manhart (at) vsop.de" in protected
        assert ">schreiben Sie uns</a>" in protected
        tokens = re.findall(r'href="/e/([^/"]+)/"', protected)
        assert sorted(read_token(token) for token in tokens) == ["info@vsop.de", "lisa.manhart@vsop.de"]

    def test_token_does_not_contain_the_address_even_base64_decoded(self):
        import base64

        token = make_token("lisa.manhart@vsop.de")
        payload = token.split(":")[0]
        decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        assert b"lisa" not in decoded and b"vsop" not in decoded

    @pytest.mark.django_db
    def test_redirect_view_leads_to_the_mail_program(self, client):
        response = client.get(f"/e/{make_token('lisa.manhart@vsop.de')}/")
        assert response.status_code == 302
        assert response["Location"] == "mailto:lisa.manhart@vsop.de"
        assert "noindex" in response["X-Robots-Tag"]

    @pytest.mark.django_db
    def test_forged_token_is_not_found(self, client, home_page):
        token = make_token("a@example.org")
        for forged in ("forged-token", f"{token[:-2]}xx"):
            response = client.get(f"/e/{forged}/", follow=True)
            assert response.status_code == 404
            assert "mailto:" not in str(response.redirect_chain)

    @pytest.mark.django_db
    def test_working_group_page_shows_no_address_but_a_working_link(self, client, home_page):
        index = WorkingGroupIndexPageFactory(parent=home_page, slug="fachgruppen")
        group = WorkingGroupPageFactory(
            parent=index,
            slug="alter-und-pflege",
            closing_text="<p>Fragen an Lisa Manhart (lisa.manhart@vsop.de).</p>",
        )
        PageContact.objects.create(page=group, person=PersonFactory(name="Lisa Manhart", email="lisa.manhart@vsop.de"))
        content = client.get(group.url).content.decode()
        assert "lisa.manhart@vsop.de" not in content
        links = re.findall(r'href="(/e/[^"]+)"', content)
        assert len(links) == 2
        assert all(client.get(link)["Location"] == "mailto:lisa.manhart@vsop.de" for link in links)


class TestLinkBlocks:
    @pytest.mark.parametrize("text", ["hier", "Hier.", "  HIER! ", "here", "click here", "Klicken Sie hier", "mehr"])
    def test_vague_link_texts_are_recognised(self, text):
        assert is_vague_link_text(text)

    @pytest.mark.parametrize("text", ["Dokumentation des 4. Symposiums (PDF)", "Hier finden Sie die Dokumentation"])
    def test_descriptive_link_texts_pass(self, text):
        assert not is_vague_link_text(text)

    def test_link_block_refuses_hier(self):
        block = LinkBlock()
        value = block.to_python({"text": "hier", "url": "https://example.org/doku.pdf"})
        with pytest.raises(StructBlockValidationError) as error:
            block.clean(value)
        assert "text" in error.value.block_errors

    def test_link_block_accepts_a_web_address_alone(self):
        block = LinkBlock()
        value = block.to_python({"text": "Dokumentation", "url": "https://example.org/", "page": None})
        assert block.clean(value)["url"] == "https://example.org/"

    @pytest.mark.django_db
    def test_link_block_refuses_two_targets(self, home_page):
        block = LinkBlock()
        index = TopicIndexPageFactory(parent=home_page)
        value = block.to_python({"text": "Dokumentation", "url": "https://example.org/", "page": index.pk})
        with pytest.raises(StructBlockValidationError) as error:
            block.clean(value)
        assert set(error.value.block_errors) == {"page", "url"}

    def test_call_to_action_needs_a_target(self):
        block = CallToActionBlock()
        value = block.to_python({"title": "Mitmachen", "button_text": "Zur Fachgruppe", "url": ""})
        with pytest.raises(StructBlockValidationError):
            block.clean(value)


@pytest.mark.django_db
class TestEnsureAdmin:
    def test_creates_and_prints_a_login_once(self, settings, tmp_path, monkeypatch):
        from core.management.commands import ensure_admin

        login_file = tmp_path / ".admin-login"
        monkeypatch.setattr(ensure_admin, "LOGIN_FILE", login_file)
        out = io.StringIO()
        call_command("ensure_admin", stdout=out)
        username, password = login_file.read_text().split()
        assert f"Password: {password}" in out.getvalue()
        assert oct(login_file.stat().st_mode & 0o777) == "0o600"
        again = io.StringIO()
        call_command("ensure_admin", stdout=again)
        assert f"Password: {password}" in again.getvalue()
        from django.contrib.auth import get_user_model

        assert get_user_model().objects.filter(is_superuser=True).count() == 1
        assert get_user_model().objects.get(username=username).check_password(password)


def test_every_interface_catalogue_compiles():
    catalogues = [
        po for po in Path(settings.BASE_DIR).glob("**/locale/*/LC_MESSAGES/django.po") if ".venv" not in po.parts
    ]
    assert len(catalogues) >= 3  # the project's, forms' and search's at least
    for po in catalogues:
        mo = po.with_suffix(".mo")
        if mo.exists():
            os.utime(mo, (0, 0))  # older than its .po: the command must compile it again
    out = io.StringIO()
    call_command("compile_translations", stdout=out)
    assert f"{len(catalogues)} catalogue(s) compiled" in out.getvalue()
    for po in catalogues:
        mo = po.with_suffix(".mo")
        assert mo.stat().st_mtime >= po.stat().st_mtime, po
        assert polib.mofile(str(mo)).percent_translated() > 0, po


@pytest.mark.django_db
def test_link_and_call_to_action_blocks_render_their_targets(home_page):
    index = TopicIndexPageFactory(parent=home_page, slug="themen")
    link = LinkBlock()
    page_link = link.to_python({"text": "Unsere Themen", "page": index.pk, "url": ""})
    assert f'<a href="{index.url}">Unsere Themen</a>' in link.render(page_link)
    url_link = link.to_python({"text": "Dokumentation", "url": "https://example.org/doku.pdf"})
    assert '<a href="https://example.org/doku.pdf">Dokumentation</a>' in link.render(url_link)
    reference = link.to_python({"text": "Ohne Ziel", "url": ""})
    assert "<a" not in link.render(reference)
    cta = CallToActionBlock()
    value = cta.to_python({"title": "Themen", "button_text": "Zu den Themen", "page": index.pk, "url": ""})
    assert f'<a class="button" href="{index.url}">Zu den Themen</a>' in cta.render(value)
