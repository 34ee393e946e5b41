"""/sitemap.xml lists both languages with hreflang alternates and keeps to the sitemap schema; robots.txt."""

import re
from datetime import date
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from wagtail.models import Page

import pytest

from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
CHANGEFREQ = {"always", "hourly", "daily", "weekly", "monthly", "yearly", "never"}
W3C_DATETIME = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$")


def validate_sitemap(xml):
    """The rules of sitemap.xsd (sitemaps.org 0.9) and of Google's xhtml:link extension.

    urlset holds 1–50,000 url elements and nothing else of its namespace; a url holds
    loc, then optional lastmod, changefreq, priority in that order, each at most once,
    then any elements of other namespaces; loc is an absolute http(s) URL of 12–2048
    characters. An xhtml:link is empty and has rel="alternate", an hreflang and an href.
    """
    root = ET.fromstring(xml)  # noqa: S314 - our own response, not untrusted input
    assert root.tag == f"{{{SITEMAP}}}urlset"
    urls = list(root)
    assert 1 <= len(urls) <= 50_000
    order = ["loc", "lastmod", "changefreq", "priority"]
    for url in urls:
        assert url.tag == f"{{{SITEMAP}}}url", url.tag
        seen = []
        for child in url:
            namespace, _, name = child.tag[1:].partition("}")
            if namespace == SITEMAP:
                assert name in order, name
                assert not any(tag.startswith("{") for tag in seen), f"{name} after an extension element"
                assert name not in seen, f"{name} twice"
                assert all(order.index(earlier) < order.index(name) for earlier in seen if earlier in order)
                assert len(child) == 0 and child.text and child.text.strip() == child.text
            else:
                assert namespace != "", "element without a namespace"
            seen.append(name if namespace == SITEMAP else child.tag)
        assert seen and seen[0] == "loc"
        loc = url.find(f"{{{SITEMAP}}}loc").text
        assert 12 <= len(loc) <= 2048 and urlsplit(loc).scheme in ("http", "https") and urlsplit(loc).netloc
        if (lastmod := url.find(f"{{{SITEMAP}}}lastmod")) is not None:
            assert W3C_DATETIME.match(lastmod.text), lastmod.text
        if (changefreq := url.find(f"{{{SITEMAP}}}changefreq")) is not None:
            assert changefreq.text in CHANGEFREQ
        if (priority := url.find(f"{{{SITEMAP}}}priority")) is not None:
            assert 0.0 <= float(priority.text) <= 1.0
        for link in url.findall(f"{{{XHTML}}}link"):
            assert set(link.attrib) == {"rel", "hreflang", "href"} and link.attrib["rel"] == "alternate"
            assert len(link) == 0 and not (link.text or "").strip()
            assert urlsplit(link.attrib["href"]).scheme in ("http", "https")
    return root


def entries(root):
    """{loc: {hreflang: href}}."""
    return {
        url.find(f"{{{SITEMAP}}}loc").text: {
            link.attrib["hreflang"]: link.attrib["href"] for link in url.findall(f"{{{XHTML}}}link")
        }
        for url in root
    }


def test_sitemap_is_valid_and_lists_both_languages_with_alternates(vsop_content, client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    root = validate_sitemap(response.content)
    listed = entries(root)
    german, english = "http://testserver/de/themen/familienarmut/", "http://testserver/en/topics/family-poverty/"
    alternates = {"de": german, "en": english, "x-default": german}
    assert listed[german] == alternates
    assert listed[english] == alternates
    live_pages = Page.objects.live().public().filter(depth__gte=2).count()
    assert len(listed) == live_pages
    assert {urlsplit(loc).path.split("/")[1] for loc in listed} == {"de", "en"}
    for loc, links in listed.items():
        assert loc in links.values(), f"{loc} is not among its own alternates"
        assert client.get(urlsplit(loc).path).status_code == 200, loc
    lastmod = root.find(f"{{{SITEMAP}}}url/{{{SITEMAP}}}lastmod").text
    assert date.fromisoformat(lastmod) <= date.today()


def test_sitemap_leaves_out_drafts_and_untranslated_alternates(vsop_content, client):
    home = Page.objects.get(depth=2, locale__language_code="de")
    page = StandardPageFactory(parent=home, title="Nur auf Deutsch", slug="nur-auf-deutsch")
    page.save_revision().publish()
    listed = entries(validate_sitemap(client.get("/sitemap.xml").content))
    assert listed["http://testserver/de/nur-auf-deutsch/"] == {}
    assert not any("impressum" in loc or "legal-notice" in loc for loc in listed)  # drafts


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert {"Disallow: /admin/", "Disallow: /e/"} <= set(lines)
