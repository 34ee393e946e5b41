"""``/sitemap.xml`` with every language, and ``/robots.txt`` pointing to it.

Wagtail's own sitemap walks only the default site root (Wagtail issue #12420), so the
English tree would be missing. This one lists the live, public pages under the site
root's every translation, each with ``xhtml:link rel="alternate" hreflang`` entries for
all its language versions and ``x-default`` for the German one, as search engines
expect for multilingual sites.
"""

from collections import defaultdict
from xml.etree import ElementTree as ET

from django.conf import settings
from django.db.models import Q
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.views.decorators.cache import cache_control

from wagtail.models import Page, Site

from core.navigation import absolute_url

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def sitemap_pages(site):
    """Live, public pages of every language tree of the site, grouped by translation key."""
    roots = list(site.root_page.get_translations(inclusive=True).live().only("path", "depth"))
    if not roots:
        return {}
    in_trees = Q()
    for root in roots:
        in_trees |= Q(path__startswith=root.path, depth__gte=root.depth)
    pages = Page.objects.filter(in_trees).live().public().select_related("locale").order_by("path")
    groups = defaultdict(list)
    for page in pages:
        groups[page.translation_key].append(page)
    return groups


def build_sitemap(request, site):
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    language_order = {code: index for index, (code, _name) in enumerate(settings.LANGUAGES)}
    groups = sitemap_pages(site)
    entries = []
    for versions in groups.values():
        versions.sort(key=lambda page: language_order.get(page.locale.language_code, len(language_order)))
        urls = [(page, absolute_url(request, page)) for page in versions]
        urls = [(page, url) for page, url in urls if url]
        entries.extend((page, url, urls) for page, url in urls)
    for page, url, alternates in sorted(entries, key=lambda entry: entry[0].path):
        element = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(element, f"{{{SITEMAP_NS}}}loc").text = url
        modified = page.last_published_at or page.latest_revision_created_at
        if modified:
            ET.SubElement(element, f"{{{SITEMAP_NS}}}lastmod").text = modified.date().isoformat()
        if len(alternates) > 1:
            for version, version_url in alternates:
                ET.SubElement(
                    element,
                    f"{{{XHTML_NS}}}link",
                    {"rel": "alternate", "hreflang": version.locale.language_code, "href": version_url},
                )
            default = next((u for v, u in alternates if v.locale.language_code == settings.LANGUAGE_CODE), None)
            if default:
                ET.SubElement(
                    element, f"{{{XHTML_NS}}}link", {"rel": "alternate", "hreflang": "x-default", "href": default}
                )
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True)


@cache_control(max_age=3600)
def sitemap(request):
    site = Site.find_for_request(request)
    if site is None:
        return HttpResponse(status=404)
    return HttpResponse(build_sitemap(request, site), content_type="application/xml; charset=utf-8")


def search_paths():
    """The search results pages of every language: not worth crawling."""
    paths = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            try:
                paths.append(reverse("search"))
            except NoReverseMatch:
                continue
    return paths


@cache_control(max_age=3600)
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('wagtailadmin_home')}",
        # Protected e-mail links answer with mailto:, nothing to index.
        "Disallow: /e/",
        *(f"Disallow: {path}" for path in search_paths()),
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
